"""What each role may do, beside what it may see (that is `areas.jurisdiction`)."""

from __future__ import annotations

from typing import Any

from .jurisdiction import area_is_visible
from .models import Area, Role

REGISTER_EDITORS = {Role.COMMUNE_POLICE}
READ_ONLY_ROLES = {Role.PROVINCE_OBSERVER}


def can_edit_registers(user: Any, area: Area | None = None) -> bool:
    """Commune police keep the registers of their own commune; nobody else writes them."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.role not in REGISTER_EDITORS:
        return False
    return area is None or area_is_visible(user, area)


def is_read_only(user: Any) -> bool:
    return user.role in READ_ONLY_ROLES
