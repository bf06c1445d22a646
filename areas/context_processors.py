"""The navigation a user sees, by role."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse

# (label, url name, icon, roles allowed or None for everyone signed in)
NAVIGATION: list[tuple[str, str, str, set[str] | None]] = [
    ("Trang chủ", "home", "bi-house", None),
    ("Địa bàn", "areas:mine", "bi-diagram-3", None),
    ("Sổ theo dõi", "subjects:index", "bi-journal-text", None),
    ("Tiêu chí", "criteria:index", "bi-list-check", None),
    ("Hồ sơ công nhận", "dossiers:inbox", "bi-folder2-open", None),
    ("Báo cáo", "reports:index", "bi-file-earmark-text", None),
    ("Nhật ký truy cập", "subjects:access_log", "bi-eye", {"appraising_police", "province_observer"}),
]


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    items = []
    for label, url_name, icon, roles in NAVIGATION:
        if roles is not None and user.role not in roles and not user.is_superuser:
            continue
        try:
            url = reverse(url_name)
        except NoReverseMatch:
            continue
        items.append(
            {"label": label, "url": url, "icon": icon, "active": request.path.startswith(url) and url != "/"}
        )
    return {"nav_items": items}
