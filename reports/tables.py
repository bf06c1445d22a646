"""The situation table a superior body reads unit by unit: one row per commune of a district or
province report (per village of a commune's report), with the registers' figures, the state of
drug-free building and the target of the current phase against what is achieved.

Set-based: one aggregate query per register grouped by village, whatever the number of units;
the villages' figures are then added up to their row's unit in Python (a person lives in one
village, so distinct counts per village add up to distinct counts per commune).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, Sum

from areas.models import Area, Level
from dossiers.route import State
from subjects.models import (
    CultivationIncident,
    DrugCase,
    DrugPoint,
    DrugTest,
    PersonStatus,
    StatusKind,
    TestResult,
    Treatment,
)

from .periods import Period
from .selectors import DossierRow


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    group: str  # the merged header above it
    decimals: int = 0


COLUMNS = [
    Column("addicts", "Người nghiện", "Người liên quan ma túy (cuối kỳ)"),
    Column("users", "Người sử dụng", "Người liên quan ma túy (cuối kỳ)"),
    Column("post_rehab", "Sau cai nghiện", "Người liên quan ma túy (cuối kỳ)"),
    Column("suspected", "Nghi sử dụng", "Người liên quan ma túy (cuối kỳ)"),
    Column("psychosis", "Loạn thần", "Người liên quan ma túy (cuối kỳ)"),
    Column("tests", "Lượt xét nghiệm", "Xét nghiệm (trong kỳ)"),
    Column("tests_positive", "Dương tính", "Xét nghiệm (trong kỳ)"),
    Column("in_treatment", "Đang cai nghiện, điều trị", "Cai nghiện, điều trị"),
    Column("points_active", "Điểm, tụ điểm còn hoạt động", "Điểm, vụ việc"),
    Column("cases", "Vụ án, vụ việc trong kỳ", "Điểm, vụ việc"),
    Column("cultivation_found", "Vụ trồng phát hiện", "Trồng cây có chứa chất ma túy (trong kỳ)"),
    Column("cultivation_m2", "Diện tích (m²)", "Trồng cây có chứa chất ma túy (trong kỳ)", 1),
    Column("villages", "Số thôn, bản", "Xây dựng không ma túy (thôn, bản)"),
    Column("recognised", "Đã công nhận", "Xây dựng không ma túy (thôn, bản)"),
    Column("in_progress", "Đang xây dựng", "Xây dựng không ma túy (thôn, bản)"),
    Column("not_started", "Chưa đăng ký", "Xây dựng không ma túy (thôn, bản)"),
    Column("target", "Chỉ tiêu giai đoạn", "Chỉ tiêu so với thực hiện"),
    Column("target_met", "Đã đạt", "Chỉ tiêu so với thực hiện"),
]
NUMBER_KEYS = [c.key for c in COLUMNS]

_PERSON_KINDS: dict[str, str] = {
    StatusKind.ADDICT.value: "addicts",
    StatusKind.USER.value: "users",
    StatusKind.POST_REHAB.value: "post_rehab",
    StatusKind.SUSPECTED.value: "suspected",
    StatusKind.PSYCHOSIS.value: "psychosis",
}
# States that end the building of a unit without recognition, or never began it.
_NOT_IN_PROGRESS = {State.RECOGNISED, State.NOT_RECOGNISED, State.REVOKED}


def row_level(unit: Area) -> str:
    """Rows are the villages of a commune's report, the communes of any other."""
    return Level.VILLAGE if unit.level == Level.COMMUNE else Level.COMMUNE


def _per_village(unit: Area, period: Period) -> dict[int, dict[str, float]]:
    """The register figures of every village of `unit`, keyed by village id: six queries."""
    start, end, path = period.start, period.end, unit.path
    figures: dict[int, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    running = Q(start_date__lte=end) & (Q(end_date__isnull=True) | Q(end_date__gte=end))
    for status in (
        PersonStatus.objects.filter(
            running, person__village__path__startswith=path, kind__in=list(_PERSON_KINDS)
        )
        .values("person__village_id", "kind")
        .annotate(n=Count("person", distinct=True))
    ):
        figures[status["person__village_id"]][_PERSON_KINDS[status["kind"]]] += status["n"]
    for treatment in (
        Treatment.objects.filter(running, person__village__path__startswith=path)
        .values("person__village_id")
        .annotate(n=Count("person", distinct=True))
    ):
        figures[treatment["person__village_id"]]["in_treatment"] += treatment["n"]
    for test in (
        DrugTest.objects.filter(person__village__path__startswith=path, tested_on__range=(start, end))
        .values("person__village_id")
        .annotate(n=Count("pk"), positive=Count("pk", filter=Q(result=TestResult.POSITIVE)))
    ):
        figures[test["person__village_id"]]["tests"] += test["n"]
        figures[test["person__village_id"]]["tests_positive"] += test["positive"]
    for point in (
        DrugPoint.objects.filter(
            Q(eliminated_on__isnull=True) | Q(eliminated_on__gt=end),
            village__path__startswith=path,
            found_on__lte=end,
        )
        .values("village_id")
        .annotate(n=Count("pk"))
    ):
        figures[point["village_id"]]["points_active"] += point["n"]
    for case in (
        DrugCase.objects.filter(village__path__startswith=path, occurred_on__range=(start, end))
        .values("village_id")
        .annotate(n=Count("pk"))
    ):
        figures[case["village_id"]]["cases"] += case["n"]
    for crop in (
        CultivationIncident.objects.filter(village__path__startswith=path, found_on__range=(start, end))
        .values("village_id")
        .annotate(n=Count("pk"), m2=Sum("area_m2"))
    ):
        figures[crop["village_id"]]["cultivation_found"] += crop["n"]
        figures[crop["village_id"]]["cultivation_m2"] += float(crop["m2"] or 0)
    return figures


def situation_table(
    unit: Area,
    period: Period,
    as_of: dt.date,
    dossiers: list[DossierRow],
    target_ids: set[int],
    failing: dict[int, list[str]],
) -> dict[str, Any]:
    """The per-unit table of a report of `unit`: `period` for flows, its last day for stocks;
    `dossiers` as of `as_of` (reports.selectors.dossiers_as_of); `target_ids` the units the
    current phase names; `failing` the short names of the criteria each unit fails."""
    level = row_level(unit)
    rows_units = list(
        Area.objects.subtree(unit)
        .filter(level=level)
        .open_on(as_of)
        .select_related("parent")
        .order_by("path")
        .only("id", "name", "path", "level", "parent__name", "parent__level")
    )
    villages = list(
        Area.objects.subtree(unit).filter(level=Level.VILLAGE).open_on(as_of).values_list("id", "path")
    )
    per_village = _per_village(unit, period)
    row_ids = {u.pk for u in rows_units}

    def row_of(path: str) -> int | None:
        return next((int(p) for p in path.strip("/").split("/") if p and int(p) in row_ids), None)

    totals: dict[int, dict[str, float]] = {u.pk: defaultdict(float) for u in rows_units}
    village_row: dict[int, int] = {}
    for village_id, path in villages:
        owner = row_of(path)
        if owner is None:
            continue
        village_row[village_id] = owner
        totals[owner]["villages"] += 1
    # Persons and records of villages closed since (merged away) still count where they lived.
    paths = dict(Area.objects.filter(pk__in=set(per_village) - set(village_row)).values_list("id", "path"))
    for village_id, values in per_village.items():
        owner = village_row.get(village_id) or row_of(paths.get(village_id, ""))
        if owner is None:
            continue
        for key, value in values.items():
            totals[owner][key] += value
    unit_state: dict[int, DossierRow] = {d.area_id: d for d in dossiers}
    for village_id, owner in village_row.items():
        row = unit_state.get(village_id)
        if row is None:
            totals[owner]["not_started"] += 1
        elif row.recognised:
            totals[owner]["recognised"] += 1
        elif row.state not in _NOT_IN_PROGRESS:
            totals[owner]["in_progress"] += 1
        else:
            totals[owner]["not_started"] += 1
        if village_id in target_ids:
            totals[owner]["target"] += 1
            totals[owner]["target_met"] += 1 if row is not None and row.recognised else 0
    rows = []
    for area in rows_units:
        values = totals[area.pk]
        own = unit_state.get(area.pk)
        if level == Level.COMMUNE and area.pk in target_ids:
            values["target"] += 1
            values["target_met"] += 1 if own is not None and own.recognised else 0
        rows.append(
            {
                "area_id": area.pk,
                "name": area.name,
                # The district a commune belongs to, when a province report lists communes of several.
                "parent": area.parent.name
                if unit.level == Level.PROVINCE and area.parent and area.parent.level == Level.DISTRICT
                else "",
                "state": own.state_label if own else "Chưa đăng ký",
                "decision": own.decision_number if own and own.recognised else "",
                "failing": failing.get(area.pk, []),
                **{key: _number(values.get(key, 0), column.decimals) for key, column in _BY_KEY.items()},
            }
        )
    total = {key: _number(sum(r[key] for r in rows), c.decimals) for key, c in _BY_KEY.items()}
    return {"level": level, "rows": rows, "total": total}


_BY_KEY = {c.key: c for c in COLUMNS}


def _number(value: float, decimals: int) -> float | int:
    return round(float(value), decimals) if decimals else int(value)
