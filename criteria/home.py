"""What the criteria engine puts on the home page."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone

from areas.home import Task
from areas.models import Area, Level
from areas.permissions import commune_of


def village_progress_task(user: Any) -> list[Task]:
    """For the commune's police and chair: how many villages meet every criterion today."""
    if commune_of(user) is None:
        return []
    from .services import score_areas

    today = timezone.localdate()
    villages = list(Area.objects.open_on(today).filter(parent_id=user.area_id, level=Level.VILLAGE))
    if not villages:
        return []
    cards = score_areas(areas=villages, as_of=today)
    passed = sum(1 for card in cards.values() if card.passed)
    return [
        Task(
            title=f"Tiêu chí: {passed}/{len(villages)} thôn, bản đạt đủ tiêu chí hôm nay",
            detail="Xem tiêu chí còn thiếu của từng thôn, bản và những hồ sơ cần bổ sung.",
            url=reverse("criteria:table", args=[user.area_id]),
            icon="bi-list-check",
            count=len(villages) - passed,
            count_label="thôn, bản chưa đạt",
        )
    ]
