"""Who is asking, for the jurisdiction gate, when it is another system and not a person.

`areas.jurisdiction.visible_to(user)` reads a user's `area` (and follows the units merged into
it); `ScopedPrincipal` offers exactly that, bound to the unit of a token or an export, so the API
and the bulk export go through the same gate as the pages. It holds no role: the permission
policy (`areas.permissions.can`) grants it nothing.
"""

from __future__ import annotations

from areas.models import Area


class ScopedPrincipal:
    is_authenticated = True
    is_active = True
    is_superuser = False
    is_staff = False
    role = ""
    body_id = None

    def __init__(self, area: Area) -> None:
        self.area = area
        self.area_id = area.pk

    def __repr__(self) -> str:
        return f"ScopedPrincipal(area={self.area_id})"
