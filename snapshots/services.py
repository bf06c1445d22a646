"""The nightly scoring: every village and commune of a province scored against its programme's
criteria, written as one dated snapshot per unit, then the watch over the province's recognised
units from the same scorecards.

`snapshot_province` is what one Celery task runs (`snapshots.tasks.score_province`); `fan_out`
queues one task per province (a Celery group), largest provinces first so that the workers
finish together. A province is written commune by commune in batches, each batch upserted on
(unit, day) in its own transaction: a task run twice, or redone after its worker died half-way,
rewrites the same rows and never adds a second one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Count, Exists, Min, OuterRef
from django.utils import timezone

from areas.models import Area, Level
from criteria.scoring import Scorecard, Status
from criteria.services import score_areas
from dossiers.models import Decision, DossierEvent
from dossiers.route import State
from programmes.selectors import governing_programmes

from .models import ScoreSnapshot

# Daily snapshots are kept this many days; after that only each month's last day stays (the
# national view's trend reads each year's last one). About 100,000 rows a night at national size.
DAILY_RETENTION_DAYS = 35

# Communes (with all their villages) scored and written per batch: bounds a task's memory to a
# batch's facts whatever the province's size (measured: see README, "Chấm điểm hằng đêm").
COMMUNES_PER_BATCH = 40

UPDATED_FIELDS = [
    "province",
    "level",
    "status",
    "has_criteria",
    "recognised",
    "met_count",
    "criteria_count",
    "not_met_count",
    "needs_evidence_count",
    "failing_count",
    "results",
    "criteria_set",
    "programme",
    "computed_at",
]


@dataclass
class ProvinceResult:
    province_id: int
    units: int
    alerts: int


def recognised_ids(unit: Area, day: dt.date) -> set[int]:
    """The units of `unit`'s subtree holding a recognition on `day`: a decision dated that day or
    before, and no revocation by then. One query."""
    revoked = DossierEvent.objects.filter(
        dossier_id=OuterRef("dossier_id"), to_state=State.REVOKED, at__date__lte=day
    )
    return set(
        Decision.objects.filter(dossier__area__path__startswith=unit.path, decided_on__lte=day)
        .exclude(Exists(revoked))
        .values_list("dossier__area_id", flat=True)
    )


def _row(
    unit: Area,
    province: Area,
    day: dt.date,
    card: Scorecard,
    recognised: bool,
    programme: Any,
    now: dt.datetime,
) -> ScoreSnapshot:
    results = [
        {
            "number": r.number,
            "label": r.label,
            "status": r.status,
            "figures": r.figures,
            "failing": len(r.failing),
        }
        for r in card.results
    ]
    return ScoreSnapshot(
        area=unit,
        province=province,
        level=unit.level,
        day=day,
        status=card.verdict,
        has_criteria=bool(card.results),
        recognised=recognised,
        met_count=card.met_count,
        criteria_count=len(card.results),
        not_met_count=sum(1 for r in card.results if r.status == Status.NOT_MET),
        needs_evidence_count=sum(1 for r in card.results if r.status == Status.NEEDS_EVIDENCE),
        failing_count=sum(len(r.failing) for r in card.results),
        results=results,
        criteria_set_id=card.criteria_set_id,
        programme=programme,
        computed_at=now,
    )


def _write_batch(rows: list[ScoreSnapshot]) -> None:
    """Upsert on (unit, day): the database keeps one row per unit and day whatever runs twice."""
    with transaction.atomic():
        ScoreSnapshot.objects.bulk_create(
            rows, update_conflicts=True, unique_fields=["area", "day"], update_fields=UPDATED_FIELDS
        )


def _batches(province: Area, day: dt.date) -> list[list[Area]]:
    """The province's open communes in batches of COMMUNES_PER_BATCH; their villages are read per
    batch (one query), so a task never holds the whole province's facts at once."""
    communes = list(Area.objects.subtree(province).open_on(day).filter(level=Level.COMMUNE).order_by("path"))
    return [communes[i : i + COMMUNES_PER_BATCH] for i in range(0, len(communes), COMMUNES_PER_BATCH)]


def snapshot_province(*, province_id: int, day: dt.date, watch: bool = True) -> ProvinceResult:
    """Score every open village and commune of the province on `day`, upsert their snapshots and
    (with `watch`) run the watch over its recognised units with the same scorecards.
    Idempotent: the same day's rows are rewritten, never duplicated."""
    from dossiers.services import watch_recognised

    province = Area.objects.get(pk=province_id, level=Level.PROVINCE)
    recognised = recognised_ids(province, day)
    kept: dict[int, Scorecard] = {}
    units = 0
    for communes in _batches(province, day):
        villages = list(
            Area.objects.open_on(day).filter(parent__in=communes, level=Level.VILLAGE).order_by("path")
        )
        batch: Sequence[Area] = [*villages, *communes]
        cards = score_areas(areas=batch, as_of=day)
        programmes = governing_programmes(batch, day)
        now = timezone.now()
        _write_batch(
            [
                _row(unit, province, day, cards[unit.pk], unit.pk in recognised, programmes.get(unit.pk), now)
                for unit in batch
            ]
        )
        kept.update({pk: cards[pk] for pk in recognised if pk in cards})
        units += len(batch)
        del cards
    alerts = watch_recognised(as_of=day, within=province, scorecards=kept) if watch else []
    prune(province=province, day=day)
    return ProvinceResult(province_id=province.pk, units=units, alerts=len(alerts))


def prune(*, province: Area, day: dt.date) -> int:
    """Delete the province's daily snapshots older than DAILY_RETENTION_DAYS before `day`, except
    those of a month's last day. Returns the number of rows deleted."""
    cutoff = day - dt.timedelta(days=DAILY_RETENTION_DAYS)
    old = ScoreSnapshot.objects.filter(province=province, day__lt=cutoff)
    oldest = old.aggregate(day=Min("day"))["day"]
    if oldest is None:
        return 0
    month_ends = []
    month = oldest.replace(day=1)
    while month <= cutoff:
        following = (month + dt.timedelta(days=32)).replace(day=1)
        month_ends.append(following - dt.timedelta(days=1))
        month = following
    deleted, _ = old.exclude(day__in=month_ends).delete()
    return deleted


def units_scored(day: dt.date) -> int:
    """How many units a full run on `day` writes: the open communes and their open villages."""
    communes = Area.objects.open_on(day).filter(level=Level.COMMUNE)
    return (
        communes.count() + Area.objects.open_on(day).filter(level=Level.VILLAGE, parent__in=communes).count()
    )


def provinces_by_size() -> list[int]:
    """Every province, the one with most villages first (the order the fan-out queues them).
    One query for the provinces, one counting villages per commune."""
    provinces = dict(Area.objects.filter(level=Level.PROVINCE).values_list("path", "pk"))
    sizes = dict.fromkeys(provinces.values(), 0)
    per_commune = (
        Area.objects.filter(level=Level.VILLAGE, closed_on__isnull=True)
        .values("parent__path")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in per_commune:
        top = "/" + row["parent__path"].strip("/").split("/")[0] + "/"
        if top in provinces:
            sizes[provinces[top]] += row["n"]
    return sorted(sizes, key=lambda pk: (-sizes[pk], pk))


def fan_out(day: dt.date | None = None) -> list[int]:
    """Queue the scoring of every province for `day` (today by default) as one Celery group, the
    largest province first. Returns the provinces queued."""
    from celery import group

    from .tasks import score_province

    day = day or timezone.localdate()
    provinces = provinces_by_size()
    group(score_province.si(pk, day.isoformat()) for pk in provinces).apply_async()
    return provinces
