"""`{% can "action" obj as name %}`: the policy (`areas.permissions.can`) for the signed-in user,
so a template shows a button exactly when the view would accept its request."""

from __future__ import annotations

from typing import Any

from django import template

from areas.permissions import can as policy_can

register = template.Library()


@register.simple_tag(takes_context=True)
def can(context: template.Context, action: str, obj: Any = None) -> bool:
    request = context.get("request")
    user = getattr(request, "user", None) or context.get("user")
    return policy_can(user, action, obj)
