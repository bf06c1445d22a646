"""What the criteria engine puts on the home page."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone

from areas.home import Task
from areas.models import Area, Level
from areas.permissions import commune_of


def village_progress_task(user: Any) -> list[Task]:
    """For the commune's police and chair: how many villages meet every criterion. Read from the
    night's score snapshots when they cover every village (a dashboard does not re-score the
    registers on each visit); scored live when they do not (a new village, before the first
    nightly run). The villages × criteria table behind the card reads the same snapshots and
    can score the commune again from the registers."""
    if commune_of(user) is None:
        return []
    from snapshots.selectors import latest_snapshots

    today = timezone.localdate()
    villages = list(Area.objects.open_on(today).filter(parent_id=user.area_id, level=Level.VILLAGE))
    if not villages:
        return []
    stored = latest_snapshots([v.pk for v in villages], today)
    if len(stored) == len(villages):
        passed = sum(1 for snapshot in stored.values() if snapshot.passed)
        computed = timezone.localtime(max(s.computed_at for s in stored.values()))
        when = f"theo kết quả chấm lúc {computed:%H:%M} ngày {computed:%d/%m/%Y}"
    else:
        from .services import score_areas

        cards = score_areas(areas=villages, as_of=today)
        passed = sum(1 for card in cards.values() if card.passed)
        when = "hôm nay"
    return [
        Task(
            title=f"Tiêu chí: {passed}/{len(villages)} thôn, bản đạt đủ tiêu chí {when}",
            detail="Xem tiêu chí còn thiếu của từng thôn, bản (chấm theo số liệu mới nhất) và những hồ sơ "
            "cần bổ sung.",
            url=reverse("criteria:table", args=[user.area_id]),
            icon="bi-list-check",
            count=len(villages) - passed,
            count_label="thôn, bản chưa đạt",
        )
    ]
