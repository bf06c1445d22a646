"""Reads of the snapshots: the national view (every province's commune-level units against its
yearly target and the national goal) and the latest snapshot of given units.

Each function reads with a fixed number of set-based queries whatever the size of the country.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Max, Q
from django.db.models.functions import ExtractYear

from areas.models import Area, Level
from criteria.scoring import CriterionResult, Scorecard, Status
from programmes.models import ProvinceTarget, TargetKind, required_count

from .models import ScoreSnapshot

# Kết luận 132-KL/TW (18/3/2025): at least 50 % of commune-level units "không ma túy" by the end
# of 2030.
NATIONAL_GOAL_PERCENT = Decimal(50)
NATIONAL_GOAL_YEAR = 2030


def _percent(part: int, whole: int) -> Decimal:
    return (Decimal(part) * 100 / whole).quantize(Decimal("0.1")) if whole else Decimal(0)


@dataclass
class ProvinceRow:
    province: Area
    communes: int = 0
    recognised: int = 0
    meeting: int = 0
    target: ProvinceTarget | None = None

    @property
    def recognised_percent(self) -> Decimal:
        return _percent(self.recognised, self.communes)

    @property
    def meeting_percent(self) -> Decimal:
        return _percent(self.meeting, self.communes)

    @property
    def target_count(self) -> int | None:
        """Communes the year's target asks for (None: no target registered)."""
        if self.target is None:
            return None
        return required_count(self.target.target_kind, self.target.target_value, self.communes)

    @property
    def target_percent(self) -> Decimal | None:
        count = self.target_count
        return None if count is None else _percent(count, self.communes)

    @property
    def behind(self) -> bool:
        count = self.target_count
        return count is not None and self.recognised < count

    @property
    def shortfall(self) -> int:
        count = self.target_count
        return max(0, (count or 0) - self.recognised)


@dataclass
class YearPoint:
    year: int
    day: dt.date
    communes: int
    recognised: int
    meeting: int
    target_count: int

    @property
    def recognised_percent(self) -> Decimal:
        return _percent(self.recognised, self.communes)

    @property
    def meeting_percent(self) -> Decimal:
        return _percent(self.meeting, self.communes)

    @property
    def target_percent(self) -> Decimal:
        return _percent(self.target_count, self.communes)


@dataclass
class NationalView:
    as_of: dt.date
    day: dt.date | None  # the snapshots' day (the latest on or before as_of); None: none yet
    provinces: list[ProvinceRow] = field(default_factory=list)
    years: list[YearPoint] = field(default_factory=list)

    @property
    def communes(self) -> int:
        return sum(p.communes for p in self.provinces)

    @property
    def recognised(self) -> int:
        return sum(p.recognised for p in self.provinces)

    @property
    def meeting(self) -> int:
        return sum(p.meeting for p in self.provinces)

    @property
    def recognised_percent(self) -> Decimal:
        return _percent(self.recognised, self.communes)

    @property
    def meeting_percent(self) -> Decimal:
        return _percent(self.meeting, self.communes)

    @property
    def goal_count(self) -> int:
        return required_count(TargetKind.PERCENT, NATIONAL_GOAL_PERCENT, self.communes)

    @property
    def behind(self) -> list[ProvinceRow]:
        """The provinces behind this year's target, the largest shortfall first."""
        return sorted((p for p in self.provinces if p.behind), key=lambda p: (-p.shortfall, p.province.name))

    @property
    def without_target(self) -> list[ProvinceRow]:
        return [p for p in self.provinces if p.target is None]


def _commune_counts(days: Iterable[dt.date]) -> dict[tuple[dt.date, int], dict[str, Any]]:
    """Per (day, province): commune-level snapshots, recognised ones, ones meeting every criterion."""
    rows = (
        ScoreSnapshot.objects.filter(day__in=list(days), level=Level.COMMUNE)
        .values("day", "province_id")
        .annotate(
            total=Count("pk"),
            recognised=Count("pk", filter=Q(recognised=True)),
            meeting=Count("pk", filter=Q(status=Status.MET)),
        )
        .order_by()
    )
    return {(r["day"], r["province_id"]): dict(r) for r in rows}


def national_view(as_of: dt.date) -> NationalView:
    """Every province on the latest snapshot day on or before `as_of`, against its target for
    that year, and the country year by year (each year's last snapshot day). Five queries."""
    commune_snapshots = ScoreSnapshot.objects.filter(level=Level.COMMUNE, day__lte=as_of)
    last_days = dict(
        commune_snapshots.annotate(year=ExtractYear("day"))
        .values("year")
        .annotate(last=Max("day"))
        .values_list("year", "last")
        .order_by()
    )
    day = max(last_days.values(), default=None)
    view = NationalView(as_of=as_of, day=day)
    provinces = list(Area.objects.filter(level=Level.PROVINCE).order_by("name"))
    targets = {
        (t.province_id, t.year): t
        for t in ProvinceTarget.objects.filter(
            province__level=Level.PROVINCE, year__in=[*last_days, as_of.year]
        )
    }
    counts = _commune_counts(last_days.values())
    for province in provinces:
        row = ProvinceRow(province=province, target=targets.get((province.pk, (day or as_of).year)))
        found = counts.get((day, province.pk)) if day else None
        if found:
            row.communes, row.recognised, row.meeting = found["total"], found["recognised"], found["meeting"]
        view.provinces.append(row)
    for year in sorted(last_days):
        last = last_days[year]
        point = YearPoint(year=year, day=last, communes=0, recognised=0, meeting=0, target_count=0)
        for province in provinces:
            found = counts.get((last, province.pk))
            if not found:
                continue
            point.communes += found["total"]
            point.recognised += found["recognised"]
            point.meeting += found["meeting"]
            target_row = ProvinceRow(
                province=province, communes=found["total"], target=targets.get((province.pk, year))
            )
            point.target_count += target_row.target_count or 0
        view.years.append(point)
    return view


# A dashboard reads the snapshots of the day it shows or of the night before (the nightly run
# may not have reached today yet); older than that, it scores live.
FRESH_DAYS = 1


def latest_snapshots(area_ids: Iterable[int], as_of: dt.date) -> dict[int, ScoreSnapshot]:
    """The snapshot of each unit on the latest day that has one, on `as_of` or at most FRESH_DAYS
    before it (two queries); units without one are left out."""
    ids = list(area_ids)
    if not ids:
        return {}
    day = ScoreSnapshot.objects.filter(
        area_id__in=ids, day__lte=as_of, day__gte=as_of - dt.timedelta(days=FRESH_DAYS)
    ).aggregate(day=Max("day"))["day"]
    if day is None:
        return {}
    return {s.area_id: s for s in ScoreSnapshot.objects.filter(area_id__in=ids, day=day)}


def scorecards_of_day(units: Sequence[Area], day: dt.date) -> dict[int, Scorecard] | None:
    """The scorecards the nightly run wrote for `units` on `day`, rebuilt from the snapshots
    (criterion texts from the sets; failing records as counts only, never names), or None when
    a unit has no snapshot that day. Three queries."""
    from criteria.models import Criterion

    snapshots = {
        s.area_id: s
        for s in ScoreSnapshot.objects.filter(area__in=[u.pk for u in units], day=day).select_related(
            "criteria_set", "programme"
        )
    }
    if len(snapshots) < len(units):
        return None
    set_ids = {s.criteria_set_id for s in snapshots.values() if s.criteria_set_id}
    criteria: dict[tuple[int | None, int], Criterion] = {
        (c.criteria_set_id, c.number): c for c in Criterion.objects.filter(criteria_set__in=set_ids)
    }
    cards = {}
    for unit in units:
        snapshot = snapshots[unit.pk]
        results = []
        for r in snapshot.results:
            criterion = criteria.get((snapshot.criteria_set_id, r["number"]))
            results.append(
                CriterionResult(
                    number=r["number"],
                    text=criterion.text if criterion else "",
                    rule=criterion.rule if criterion else "",
                    status=r["status"],
                    figures=r["figures"],
                    criterion_id=criterion.pk if criterion else None,
                    short_name=criterion.short_name if criterion else "",
                )
            )
        cards[unit.pk] = Scorecard(
            area_id=unit.pk,
            area_name=unit.name,
            as_of=day,
            criteria_set_id=snapshot.criteria_set_id,
            criteria_set_name=snapshot.criteria_set.name if snapshot.criteria_set else "",
            results=results,
            area_level=unit.level,
        )
    return cards
