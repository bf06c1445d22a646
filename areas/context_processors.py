"""The navigation a user sees: every item everyone signed in may open, plus those the policy
(`areas.permissions`) grants."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse

from .permissions import Action, can

# (label, url name, icon, the actions of which it needs one, or () for everyone signed in).
# The last two are for fewer people and show their icon alone between 1200 and 1400 px (label on
# hover and for screen readers), so the bar of the roles that have them fits a 1366 px laptop.
NAVIGATION: list[tuple[str, str, str, tuple[Action, ...]]] = [
    ("Trang chủ", "home", "bi-house", ()),
    ("Địa bàn", "areas:mine", "bi-diagram-3", ()),
    ("Sổ theo dõi", "subjects:index", "bi-journal-text", ()),
    ("Tiêu chí", "criteria:index", "bi-list-check", ()),
    ("Hồ sơ công nhận", "dossiers:inbox", "bi-folder2-open", ()),
    ("Báo cáo", "reports:index", "bi-file-earmark-text", ()),
    ("Toàn quốc", "reports:national", "bi-globe-asia-australia", (Action.VIEW_NATION,)),
    (
        "Chuyển quản lý",
        "subjects:transfers",
        "bi-arrow-left-right",
        (Action.REQUEST_TRANSFER, Action.DECIDE_TRANSFER),
    ),
    ("Nhật ký truy cập", "subjects:access_log", "bi-eye", (Action.READ_ACCESS_LOG,)),
]


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    items = []
    compact_from = len(NAVIGATION) - 2
    for index, (label, url_name, icon, actions) in enumerate(NAVIGATION):
        if actions and not any(can(user, action) for action in actions):
            continue
        try:
            url = reverse(url_name)
        except NoReverseMatch:
            continue
        items.append(
            {
                "label": label,
                "url": url,
                "icon": icon,
                "active": request.path.startswith(url) and url != "/",
                "compact": index >= compact_from,
            }
        )
    return {"nav_items": items}
