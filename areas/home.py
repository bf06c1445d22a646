"""What waits for each role on the home page.

Each app adds its own items here as it grows (dossiers to act on, reports due); the home page
only renders the list.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.urls import reverse

from .models import Role


@dataclass(frozen=True)
class Task:
    title: str
    detail: str
    url: str
    icon: str = "bi-arrow-right-circle"
    count: int | None = None
    count_label: str = ""  # what `count` counts: "hồ sơ", "người", "thôn, bản chưa đạt"

    @property
    def badge(self) -> str | None:
        """The badge text, a number with what it counts (a bare "7" says nothing)."""
        if self.count is None:
            return None
        return f"{self.count} {self.count_label or 'mục'}"


def tasks_for(user: Any) -> list[Task]:
    tasks: list[Task] = []
    for provider in TASK_PROVIDERS:
        tasks.extend(provider(user))
    return tasks


def _area_task(user: Any) -> list[Task]:
    if not user.area_id:
        return []
    detail = {
        Role.COMMUNE_POLICE: "Xem các thôn, bản của xã và cập nhật sổ theo dõi.",
        Role.COMMUNE_CHAIR: "Xem tình hình các thôn, bản của xã.",
        Role.APPRAISING_POLICE: "Theo dõi các xã trên địa bàn thẩm định.",
        Role.CO_APPRAISER: "Theo dõi các xã để tham gia thẩm định.",
        Role.COUNCIL_MEMBER: "Theo dõi các hồ sơ trình Hội đồng xét duyệt.",
        Role.DECIDING_CHAIR: "Theo dõi các đơn vị trên địa bàn.",
        Role.PROVINCE_OBSERVER: "Theo dõi tiến độ xây dựng địa bàn không ma túy toàn tỉnh.",
        Role.NATIONAL_OBSERVER: "Theo dõi tiến độ của từng tỉnh, thành phố so với chỉ tiêu năm.",
    }.get(user.role, "Xem địa bàn.")
    return [Task(title=f"Địa bàn: {user.area}", detail=detail, url=reverse("areas:mine"), icon="bi-geo-alt")]


# Apps append their providers at import time of their `home` hooks (see each app's apps.py).
TASK_PROVIDERS: list = [_area_task]
