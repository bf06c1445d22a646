"""What the route puts on each user's home page ("Việc cần xử lý")."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from areas.home import Task

from . import selectors


def dossier_tasks(user: Any) -> list[Task]:
    if not getattr(user, "role", ""):
        return []
    waiting = list(selectors.inbox(user))
    tasks = []
    if waiting:
        overdue = sum(1 for dossier in waiting if dossier.is_overdue)
        detail = "Hồ sơ công nhận đang chờ bạn xử lý."
        if overdue:
            detail += f" {overdue} hồ sơ đã quá hạn."
        tasks.append(
            Task(
                title="Hồ sơ chờ xử lý",
                detail=detail,
                url=reverse("dossiers:inbox"),
                icon="bi-folder2-open",
                count=len(waiting),
                count_label="hồ sơ",
            )
        )
    unread = selectors.unread_notifications(user).count()
    if unread:
        tasks.append(
            Task(
                title="Thông báo mới",
                detail="Hồ sơ vừa chuyển đến bạn hoặc được trả lại.",
                url=reverse("dossiers:notifications"),
                icon="bi-bell",
                count=unread,
                count_label="thông báo",
            )
        )
    return tasks
