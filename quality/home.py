"""What data quality puts on the home page: the commune's score and its open round parts; for
the police above, the ranking of their communes."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone

from areas.home import Task
from areas.models import Level
from areas.permissions import commune_of

from .models import RoundPart


def _vn(value: Any) -> str:
    return f"{value:.1f}".replace(".", ",")


def quality_task(user: Any) -> list[Task]:
    from . import selectors

    commune = commune_of(user)
    today = timezone.localdate()
    if commune is not None:
        quality = selectors.unit_quality(user, commune, today=today)
        score = quality.score
        tasks = [
            Task(
                title=f"Chất lượng dữ liệu: {_vn(score.overall)} %",
                detail=" · ".join(f"{i.label} {_vn(score.scores[i])} %" for i in score.scores)
                + ". Xem các bản ghi cần sửa để dữ liệu “đúng, đủ, sạch, sống”.",
                url=reverse("quality:unit", args=[commune.pk]),
                icon="bi-clipboard-check",
                count=score.defects,
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
