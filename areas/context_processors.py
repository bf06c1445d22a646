"""The navigation a user sees: every item everyone signed in may open, plus those the policy
(`areas.permissions`) grants."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse

from .permissions import Action, can

# (label, url name, icon, the action it needs or None for everyone signed in)
NAVIGATION: list[tuple[str, str, str, Action | None]] = [
    ("Trang chủ", "home", "bi-house", None),
    ("Địa bàn", "areas:mine", "bi-diagram-3", None),
    ("Sổ theo dõi", "subjects:index", "bi-journal-text", None),
    ("Tiêu chí", "criteria:index", "bi-list-check", None),
    ("Hồ sơ công nhận", "dossiers:inbox", "bi-folder2-open", None),
    ("Báo cáo", "reports:index", "bi-file-earmark-text", None),
    ("Nhật ký truy cập", "subjects:access_log", "bi-eye", Action.READ_ACCESS_LOG),
]


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    items = []
    for label, url_name, icon, action in NAVIGATION:
        if action is not None and not can(user, action):
            continue
        try:
            url = reverse(url_name)
        except NoReverseMatch:
            continue
        items.append(
            {"label": label, "url": url, "icon": icon, "active": request.path.startswith(url) and url != "/"}
        )
    return {"nav_items": items}
