"""`{% report_reminders %}`: the reports the user's unit owes (within ten days or overdue) and, for
a superior body, its units' overdue reports — a computed section of the notifications page."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils import timezone

from areas.models import Level
from areas.permissions import READ_ONLY_ROLES, REPORT_WRITERS, Action, can, role_of

from ..reminders import overdue_below, owed_by

register = template.Library()


@register.inclusion_tag("reports/_reminders.html", takes_context=True)
def report_reminders(context: dict[str, Any]) -> dict[str, Any]:
    user = context["request"].user
    own: list = []
    below: list = []
    if user.is_authenticated and user.area_id:
        today = timezone.localdate()
        if can(user, Action.REQUEST_REPORT, user.area):
            own = owed_by(user.area, today)
        if user.area.level != Level.COMMUNE and role_of(user) in REPORT_WRITERS | READ_ONLY_ROLES:
            below = overdue_below(user.area, today)
    return {"own": own, "below": below}
