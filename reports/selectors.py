"""The reads behind the dashboard and the reports: targets against actual, units by dossier state,
recognised units with their decisions, units at risk, overdue dossiers, the situation figures.

Every function reads a whole subtree with a fixed number of set-based queries, whatever the number
of units or records. "As of" a day means: the last route step taken on or before that day gives a
dossier's state; a unit counts as recognised from its decision's date until a revocation.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, OuterRef, Q, Subquery, Sum
from django.utils import timezone

from areas.models import Area, Level
from dossiers.models import Decision, Dossier, DossierEvent
from dossiers.route import State, deadline_function
from programmes.models import (
    Phase,
    Programme,
    ProvinceTarget,
    RouteStep,
    TargetLevel,
    required_count,
)
from subjects.models import (
    CriminalGroup,
    CultivationIncident,
    DrugCase,
    DrugPoint,
    DrugTest,
    PersonStatus,
    Severity,
    StatusKind,
    TestResult,
    Treatment,
)

from .formatting import fraction_text, percent
from .periods import Period

# ---------------------------------------------------------------- numbers as Vietnamese text


# ---------------------------------------------------------------- units and dossiers as of a day


def _end_of(day: dt.date) -> dt.datetime:
    """The first instant after `day` in the local time zone."""
    return timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min))


def units_at_level(unit: Area, level: str, as_of: dt.date) -> list[Area]:
    """The open units of `level` in `unit`'s subtree (the unit itself when it is of that level)."""
    return list(
        Area.objects.subtree(unit)
        .filter(level=level)
        .open_on(as_of)
        .order_by("path")
        .only("id", "name", "kind", "level", "path", "parent_id")
    )


@dataclass
class DossierRow:
    id: int
    area_id: int
    area_name: str
    area_level: str
    area_path: str
    commune_name: str
    state: str
    state_since: dt.datetime | None
    recognised: bool
    decision_number: str = ""
    decision_date: dt.date | None = None
    deadline_days: int | None = None

    @property
    def state_label(self) -> str:
        return State(self.state).label

    @property
    def deadline(self) -> dt.date | None:
        days = self.deadline_days
        if days is None or self.state_since is None:
            return None
        return timezone.localdate(self.state_since) + dt.timedelta(days=days)

    def overdue_on(self, day: dt.date) -> bool:
        deadline = self.deadline
        return deadline is not None and deadline < day


def dossiers_as_of(unit: Area, as_of: dt.date) -> list[DossierRow]:
    """Every dossier of `unit`'s subtree registered by `as_of`, with its state that day: one query."""
    end = _end_of(as_of)
    last_event = DossierEvent.objects.filter(dossier=OuterRef("pk"), at__lt=end).order_by("-at", "-pk")
    revoked = DossierEvent.objects.filter(dossier=OuterRef("pk"), at__lt=end, to_state=State.REVOKED)
    decision = Decision.objects.filter(dossier=OuterRef("pk"), decided_on__lte=as_of)
    rows = (
        Dossier.objects.filter(area__path__startswith=unit.path, registration__registered_on__lte=as_of)
        .annotate(
            state_then=Subquery(last_event.values("to_state")[:1]),
            since_then=Subquery(last_event.values("at")[:1]),
            decision_number=Subquery(decision.values("number")[:1]),
            decision_date=Subquery(decision.values("decided_on")[:1]),
            revoked_then=Subquery(revoked.values("pk")[:1]),
        )
        .values(
            "pk",
            "area_id",
            "area__name",
            "area__level",
            "area__path",
            "commune__name",
            "state_then",
            "since_then",
            "decision_number",
            "decision_date",
            "revoked_then",
            "programme_id",
            "council_id",
        )
        .order_by("commune__name", "area__path")
    )
    found = list(rows)
    # The step deadlines each dossier's programme sets (none where it sets none): one query.
    deadlines = {
        (step["programme_id"], step["unit_level"], step["function"]): step["deadline_days"]
        for step in RouteStep.objects.filter(
            programme__dossiers__area__path__startswith=unit.path, deadline_days__isnull=False
        )
        .values("programme_id", "unit_level", "function", "deadline_days")
        .distinct()
    }
    result = []
    for row in found:
        recognised = bool(row["decision_number"]) and row["revoked_then"] is None
        state = row["state_then"] or State.DRAFT
        if recognised:
            state = State.RECOGNISED
        elif state == State.RECOGNISED:
            # The route says recognised but the decision is dated later: not yet in force.
            state = State.APPRAISED_PASS
        function = deadline_function(state, has_council=row["council_id"] is not None)
        result.append(
            DossierRow(
                id=row["pk"],
                area_id=row["area_id"],
                area_name=row["area__name"],
                area_level=row["area__level"],
                area_path=row["area__path"],
                commune_name=row["commune__name"],
                state=state,
                state_since=row["since_then"],
                recognised=recognised,
                decision_number=row["decision_number"] or "",
                decision_date=row["decision_date"],
                deadline_days=deadlines.get((row["programme_id"], row["area__level"], function or "")),
            )
        )
    return result


def state_counts(dossiers: list[DossierRow]) -> list[tuple[str, str, int]]:
    """(state, label, count) in route order, every state listed."""
    counts = Counter(d.state for d in dossiers)
    return [(state.value, state.label, counts.get(state.value, 0)) for state in State]


# ---------------------------------------------------------------- targets against actual


@dataclass
class TargetProgress:
    level: str
    total: int
    required: int
    achieved: int
    target_text: str
    actual_text: str
    on_track: bool

    @property
    def achieved_percent(self) -> Decimal:
        return percent(self.achieved, self.total)

    @property
    def required_percent(self) -> Decimal:
        return percent(self.required, self.total)


def _progress(
    level: str, kind: str, value: Decimal, total: int, achieved: int, day: dt.date
) -> TargetProgress:
    required = min(required_count(kind, value, total), total) if total else required_count(kind, value, total)
    return TargetProgress(
        level=level,
        total=total,
        required=required,
        achieved=achieved,
        target_text=fraction_text(required, total, level, day),
        actual_text=fraction_text(achieved, total, level, day),
        on_track=achieved >= required,
    )


@dataclass
class NamedTarget:
    area_id: int
    name: str
    state_label: str
    recognised: bool
    decision_number: str


@dataclass
class PhaseProgress:
    phase: Phase
    as_of: dt.date
    progress: TargetProgress
    named: list[NamedTarget] = field(default_factory=list)

    @property
    def status_text(self) -> str:
        if self.as_of < self.phase.starts_on:
            return "Chưa đến giai đoạn"
        if self.progress.on_track:
            return "Đạt chỉ tiêu"
        return "Chưa đạt chỉ tiêu" if self.as_of >= self.phase.ends_on else "Đang thực hiện"


def plans_progress(
    root: Area, plans: list[Programme], as_of: dt.date, dossiers: list[DossierRow] | None = None
) -> list[tuple[Programme, list[PhaseProgress]]]:
    """Each phase of each plan (all inside `root`): its target against the units recognised by the
    phase's end (or by `as_of` if earlier), with the state of each unit the phase names. Four
    queries for any number of plans, plus one when `dossiers` are not given."""
    if not plans:
        return []
    if dossiers is None:
        dossiers = dossiers_as_of(root, as_of)
    by_area = {d.area_id: d for d in dossiers}
    units = list(
        Area.objects.subtree(root)
        .filter(level__in=[Level.VILLAGE, Level.COMMUNE])
        .values("id", "level", "closed_on", "path")
    )
    phases_of: dict[int, list[Phase]] = defaultdict(list)
    for phase in (
        Phase.objects.filter(programme__in=plans).prefetch_related("target_units").order_by("number")
    ):
        phases_of[phase.programme_id].append(phase)
    result = []
    for plan in plans:
        path = plan.issuing_unit.path
        plan_units = [u for u in units if u["path"].startswith(path)]
        plan_dossiers = [d for d in dossiers if d.area_path.startswith(path)]
        items = []
        for phase in phases_of[plan.pk]:
            day = min(as_of, phase.ends_on)
            total = sum(
                1
                for u in plan_units
                if u["level"] == phase.target_level and (u["closed_on"] is None or u["closed_on"] > day)
            )
            achieved = sum(
                1
                for d in plan_dossiers
                if d.area_level == phase.target_level and d.recognised and d.decision_date <= day
            )
            named = []
            for area in sorted(phase.target_units.all(), key=lambda a: a.path):
                row = by_area.get(area.pk)
                named.append(
                    NamedTarget(
                        area_id=area.pk,
                        name=area.name,
                        state_label=row.state_label if row else "Chưa đăng ký",
                        recognised=bool(row and row.recognised),
                        decision_number=row.decision_number if row else "",
                    )
                )
            progress = _progress(
                phase.target_level, phase.target_kind, phase.target_value, total, achieved, day
            )
            items.append(PhaseProgress(phase=phase, as_of=as_of, progress=progress, named=named))
        result.append((plan, items))
    return result


def plan_progress(plan: Programme, as_of: dt.date) -> list[PhaseProgress]:
    return plans_progress(plan.issuing_unit, [plan], as_of)[0][1]


def current_phase(progress: list[PhaseProgress], as_of: dt.date) -> PhaseProgress | None:
    for item in progress:
        if item.phase.starts_on <= as_of <= item.phase.ends_on:
            return item
    past = [p for p in progress if p.phase.ends_on < as_of]
    return past[-1] if past else (progress[0] if progress else None)


@dataclass
class YearProgress:
    year: int
    target: ProvinceTarget | None
    progress: TargetProgress | None
    achieved: int
    total: int


def province_years(province: Area, as_of: dt.date) -> list[YearProgress]:
    """The province's registered yearly targets against the communes recognised by each 31/12
    (or by `as_of` for the current year). Three queries."""
    targets = list(ProvinceTarget.objects.filter(province=province).order_by("year"))
    communes = list(Area.objects.subtree(province).filter(level=Level.COMMUNE).values("id", "closed_on"))
    decisions = list(
        Decision.objects.filter(
            dossier__area__path__startswith=province.path, dossier__area__level=Level.COMMUNE
        ).values("dossier__area_id", "decided_on", "dossier__state")
    )
    revocations = dict(
        DossierEvent.objects.filter(
            dossier__area__path__startswith=province.path, to_state=State.REVOKED
        ).values_list("dossier__area_id", "at")
    )
    result = []
    for target in targets:
        day = min(dt.date(target.year, 12, 31), as_of)
        total = sum(1 for c in communes if c["closed_on"] is None or c["closed_on"] > day)
        achieved = len(
            {
                d["dossier__area_id"]
                for d in decisions
                if d["decided_on"] <= day
                and not (
                    d["dossier__area_id"] in revocations
                    and timezone.localdate(revocations[d["dossier__area_id"]]) <= day
                )
            }
        )
        result.append(
            YearProgress(
                year=target.year,
                target=target,
                progress=_progress(
                    TargetLevel.COMMUNE, target.target_kind, target.target_value, total, achieved, day
                ),
                achieved=achieved,
                total=total,
            )
        )
    return result


# ---------------------------------------------------------------- at risk, overdue


@dataclass
class AtRisk:
    area_id: int
    area_name: str
    decision_number: str
    broken: list[str]


def at_risk(
    recognised: list[DossierRow], as_of: dt.date, scorecards: dict[int, Any] | None = None
) -> list[AtRisk]:
    """Recognised units that fail a criterion on `as_of`: from the scorecards already computed
    for a report, else (the dashboards) from the nightly snapshots of the latest day on or before
    `as_of`, scoring live only the units that have none (a fresh installation, a unit recognised
    since the last night)."""
    if not recognised:
        return []
    broken_of: dict[int, list[str]] = {}
    if scorecards is None:
        from snapshots.selectors import latest_snapshots

        snapshots = latest_snapshots([d.area_id for d in recognised], as_of)
        for area_id, snapshot in snapshots.items():
            if snapshot.has_criteria and not snapshot.passed:
                broken_of[area_id] = snapshot_broken(snapshot.results)
        missing = [d for d in recognised if d.area_id not in snapshots]
        scorecards = _live_scorecards(missing, as_of) if missing else {}
    for area_id, card in scorecards.items():
        if card.results and not card.passed:
            broken_of[area_id] = [
                f"{r.label}: {r.figures or r.status_label}" for r in card.results if not r.is_met
            ]
    return [
        AtRisk(row.area_id, row.area_name, row.decision_number, broken_of[row.area_id])
        for row in recognised
        if row.area_id in broken_of
    ]


def _live_scorecards(rows: list[DossierRow], as_of: dt.date) -> dict[int, Any]:
    from criteria.services import score_areas

    return score_areas(areas=list(Area.objects.filter(pk__in=[d.area_id for d in rows])), as_of=as_of)


def snapshot_broken(results: list[dict[str, Any]]) -> list[str]:
    """The broken criteria of a snapshot, as `at_risk` words them from a scorecard."""
    from criteria.scoring import Status

    return [
        f"{r.get('label') or 'TC ' + str(r['number'])}: {r['figures'] or Status(r['status']).label}"
        for r in results
        if r["status"] != Status.MET
    ]


def overdue(dossiers: list[DossierRow], as_of: dt.date) -> list[DossierRow]:
    return [d for d in dossiers if d.overdue_on(as_of)]


# ---------------------------------------------------------------- the situation (registers)

SITUATION_LABELS = [
    ("addicts", "Người nghiện ma túy"),
    ("users", "Người sử dụng trái phép chất ma túy"),
    ("post_rehab", "Người sau cai nghiện đang quản lý"),
    ("suspected", "Người có căn cứ nghi sử dụng"),
    ("psychosis", "Người có biểu hiện loạn thần (“ngáo đá”)"),
    ("in_treatment", "Người đang cai nghiện, điều trị"),
    ("in_substitution", "trong đó: điều trị thay thế (Methadone / Buprenorphine)"),
    ("points_active", "Điểm, tụ điểm ma túy còn hoạt động"),
    ("points_found", "Điểm, tụ điểm phát hiện trong kỳ"),
    ("points_eliminated", "Điểm, tụ điểm triệt xóa trong kỳ"),
    ("groups_active", "Ổ nhóm, đường dây còn hoạt động"),
    ("cases", "Vụ án, vụ việc về ma túy trong kỳ"),
    ("cases_serious", "trong đó: rất nghiêm trọng, đặc biệt nghiêm trọng"),
    ("cultivation_found", "Vụ trồng cây có chứa chất ma túy phát hiện trong kỳ"),
    ("cultivation_m2", "Diện tích trồng phát hiện trong kỳ (m²)"),
    ("tests", "Lượt xét nghiệm chất ma túy trong kỳ"),
    ("tests_positive", "trong đó: dương tính"),
]

_PERSON_KINDS = {
    "addicts": StatusKind.ADDICT,
    "users": StatusKind.USER,
    "post_rehab": StatusKind.POST_REHAB,
    "suspected": StatusKind.SUSPECTED,
    "psychosis": StatusKind.PSYCHOSIS,
}


def situation(unit: Area, period: Period) -> dict[str, float | int]:
    """The register figures of `unit`'s subtree for `period`: stock figures on its last day,
    flow figures over it. Seven queries."""
    end, start, path = period.end, period.start, unit.path
    running = Q(start_date__lte=end) & (Q(end_date__isnull=True) | Q(end_date__gte=end))
    persons = PersonStatus.objects.filter(running, person__village__path__startswith=path).aggregate(
        **{key: Count("person", filter=Q(kind=kind), distinct=True) for key, kind in _PERSON_KINDS.items()}
    )
    treatments = Treatment.objects.filter(running, person__village__path__startswith=path).aggregate(
        in_treatment=Count("person", distinct=True),
        in_substitution=Count("person", filter=Q(kind="substitution"), distinct=True),
    )
    points = DrugPoint.objects.filter(village__path__startswith=path).aggregate(
        points_active=Count(
            "pk", filter=Q(found_on__lte=end) & (Q(eliminated_on__isnull=True) | Q(eliminated_on__gt=end))
        ),
        points_found=Count("pk", filter=Q(found_on__range=(start, end))),
        points_eliminated=Count("pk", filter=Q(eliminated_on__range=(start, end))),
    )
    groups = CriminalGroup.objects.filter(
        Q(dismantled_on__isnull=True) | Q(dismantled_on__gt=end),
        village__path__startswith=path,
        found_on__lte=end,
    ).aggregate(groups_active=Count("pk"))
    cases = DrugCase.objects.filter(
        village__path__startswith=path, occurred_on__range=(start, end)
    ).aggregate(
        cases=Count("pk"),
        cases_serious=Count(
            "pk", filter=Q(severity__in=[Severity.VERY_SERIOUS, Severity.PARTICULARLY_SERIOUS])
        ),
    )
    cultivation = CultivationIncident.objects.filter(
        village__path__startswith=path, found_on__range=(start, end)
    ).aggregate(cultivation_found=Count("pk"), cultivation_m2=Sum("area_m2"))
    tests = DrugTest.objects.filter(
        person__village__path__startswith=path, tested_on__range=(start, end)
    ).aggregate(tests=Count("pk"), tests_positive=Count("pk", filter=Q(result=TestResult.POSITIVE)))
    figures: dict[str, float | int] = {
        **persons,
        **treatments,
        **points,
        **groups,
        **cases,
        **cultivation,
        **tests,
    }
    figures["cultivation_m2"] = float(figures["cultivation_m2"] or 0)
    return figures


@dataclass
class SituationRow:
    key: str
    label: str
    current: float | int
    previous: float | int

    @property
    def change(self) -> float | int:
        return self.current - self.previous


def situation_with_change(unit: Area, period: Period, before: Period) -> list[SituationRow]:
    """The situation of `period` beside that of the period it is compared with (`before`)."""
    now, then = situation(unit, period), situation(unit, before)
    return [SituationRow(key, label, now[key], then[key]) for key, label in SITUATION_LABELS]


# ---------------------------------------------------------------- the dashboard


@dataclass
class Dashboard:
    unit: Area
    as_of: dt.date
    plans: list[tuple[Programme, list[PhaseProgress]]]
    states: list[tuple[str, str, int]]
    recognised: list[DossierRow]
    at_risk: list[AtRisk]
    overdue: list[DossierRow]
    years: list[YearProgress]
    villages_total: int
    communes_total: int

    @property
    def registered(self) -> int:
        return sum(n for _s, _l, n in self.states)

    @property
    def recognised_villages(self) -> int:
        return sum(1 for d in self.recognised if d.area_level == Level.VILLAGE)

    @property
    def recognised_communes(self) -> int:
        return sum(1 for d in self.recognised if d.area_level == Level.COMMUNE)

    @property
    def villages_text(self) -> str:
        return fraction_text(self.recognised_villages, self.villages_total, TargetLevel.VILLAGE, self.as_of)

    @property
    def communes_text(self) -> str:
        return fraction_text(self.recognised_communes, self.communes_total, TargetLevel.COMMUNE, self.as_of)


def plans_for(unit: Area) -> list[Programme]:
    """The plans issued for `unit` or for a unit inside it."""
    return list(
        Programme.objects.filter(issuing_unit__path__startswith=unit.path)
        .select_related("issuing_unit")
        .order_by("issuing_unit__path", "signed_on")
    )


def dashboard(unit: Area, as_of: dt.date) -> Dashboard:
    dossiers = dossiers_as_of(unit, as_of)
    recognised = [d for d in dossiers if d.recognised]
    counts = dict(
        Area.objects.subtree(unit)
        .open_on(as_of)
        .filter(level__in=[Level.VILLAGE, Level.COMMUNE])
        .values_list("level")
        .annotate(n=Count("pk"))
        .values_list("level", "n")
    )
    plans = plans_progress(unit, plans_for(unit), as_of, dossiers)
    years = province_years(unit, as_of) if unit.level == Level.PROVINCE else []
    return Dashboard(
        unit=unit,
        as_of=as_of,
        plans=plans,
        states=state_counts(dossiers),
        recognised=recognised,
        at_risk=at_risk(recognised, as_of),
        overdue=overdue([d for d in dossiers if not d.recognised], as_of),
        years=years,
        villages_total=counts.get(Level.VILLAGE, 0),
        communes_total=counts.get(Level.COMMUNE, 0),
    )


def recognised_by_commune(recognised: list[DossierRow]) -> dict[str, list[DossierRow]]:
    grouped: dict[str, list[DossierRow]] = defaultdict(list)
    for row in recognised:
        grouped[row.commune_name].append(row)
    return dict(grouped)
