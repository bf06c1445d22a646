"""What data quality puts on the home page: the commune's score and its open round parts; for
the police above, the ranking of their communes."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone

from areas.home import Task
from areas.models import Level
from areas.permissions import commune_of

from .models import QualitySnapshot, RoundPart


def _vn(value: Any) -> str:
    return f"{value:.1f}".replace(".", ",")


def quality_task(user: Any) -> list[Task]:
    commune = commune_of(user)
    if commune is not None:
        # The commune's latest stored scores (the daily task, or the last opening of its quality
        # page): scoring every register live on each visit home took ≈ 0.7 s at 6,000 persons.
        snapshot = QualitySnapshot.objects.filter(area=commune).order_by("-month").first()
        url = reverse("quality:unit", args=[commune.pk])
        if snapshot is None:
            tasks = [
                Task(
                    title="Chất lượng dữ liệu",
                    detail="Chưa tính chỉ số của xã. Mở để tính và xem các bản ghi cần sửa để dữ liệu "
                    "“đúng, đủ, sạch, sống”.",
                    url=url,
                    icon="bi-clipboard-check",
                )
            ]
        else:
            computed = timezone.localtime(snapshot.computed_at)
            tasks = [
                Task(
                    title=f"Chất lượng dữ liệu: {_vn(snapshot.overall)} %",
                    detail=" · ".join(
                        f"{label} {_vn(value)} %" for label, value in snapshot.indicator_scores()
                    )
                    + f" (tính lúc {computed:%H:%M} ngày {computed:%d/%m/%Y})."
                    " Xem các bản ghi cần sửa để dữ liệu “đúng, đủ, sạch, sống”.",
                    url=url,
                    icon="bi-clipboard-check",
                    count=snapshot.defects,
                    count_label="bản ghi cần sửa",
                )
            ]
        for part in (
            RoundPart.objects.visible_to(user)
            .filter(commune=commune, closed_at__isnull=True, round__closed_at__isnull=True)
            .select_related("round")
            .order_by("due_on")
        ):
            tasks.append(
                Task(
                    title=f"Rà soát: {part.round.title}",
                    detail=f"Xác minh thực tế từng đối tượng và kết thúc phần của xã trước ngày {part.due_on:%d/%m/%Y}.",
                    url=reverse("quality:part", args=[part.pk]),
                    icon="bi-person-check",
                )
            )
        return tasks
    if user.area_id and user.area.level in (Level.DISTRICT, Level.PROVINCE):
        return [
            Task(
                title="Chất lượng dữ liệu các xã",
                detail="Xếp hạng các xã theo chỉ số “đúng, đủ, sạch, sống”; các đợt rà soát trên địa bàn.",
                url=reverse("quality:ranking"),
                icon="bi-clipboard-check",
            )
        ]
    return []
