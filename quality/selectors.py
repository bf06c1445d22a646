"""Reads of data quality: the facts the checks need, gathered with a fixed number of set-based
queries whatever the number of records, and the pages' views of them (a unit's indicators with
the records to fix, the breakdown by village and by officer, the ranking of communes, the trend)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, F, OuterRef, QuerySet, Subquery
from django.urls import reverse
from django.utils import timezone

from areas.models import Area, Level, User
from programmes.selectors import governing_programmes
from subjects.models import (
    CommitmentKind,
    DrugTest,
    HouseholdCommitment,
    ManagementFile,
    Person,
    PersonStatus,
    Treatment,
)

from . import checks
from .checks import (
    CHECKS,
    PERSON,
    VILLAGE,
    Facts,
    Finding,
    Indicator,
    PersonRow,
    Score,
    Span,
    VillageRow,
    Windows,
)
from .models import FieldVerification, QualitySnapshot

TREND_MONTHS = 12


def first_of_month(day: dt.date) -> dt.date:
    return day.replace(day=1)


# ---------------------------------------------------------------- facts


def scoped_persons(user: Any, root: Area, officer_id: int | None = None) -> QuerySet[Person]:
    persons = Person.objects.visible_to(user).filter(village__path__startswith=root.path)
    if officer_id is not None:
        persons = persons.filter(officer_id=officer_id)
    return persons


def scoped_villages(user: Any, root: Area, today: dt.date) -> QuerySet[Area]:
    return (
        Area.objects.open_on(today).visible_to(user).filter(path__startswith=root.path, level=Level.VILLAGE)
    )


def gather(
    persons: QuerySet[Person], villages: QuerySet[Area], today: dt.date, *, include_villages: bool = True
) -> Facts:
    """The facts of `persons` and `villages` for the checks: nine queries whatever their size."""
    facts = Facts(today=today, include_villages=include_villages)
    latest_test = (
        DrugTest.objects.filter(person=OuterRef("pk")).order_by("-tested_on").values("tested_on")[:1]
    )
    latest_check = FieldVerification.objects.filter(person=OuterRef("pk")).order_by("-verified_on", "-pk")
    rows = persons.order_by().annotate(
        last_test=Subquery(latest_test),
        last_verified=Subquery(latest_check.values("verified_on")[:1]),
        last_outcome=Subquery(latest_check.values("outcome")[:1]),
    )
    for row in rows.values(
        "pk",
        "full_name",
        "name_search",
        "birth_date",
        "cccd",
        "residence_type",
        "presence",
        "village_id",
        "officer_id",
        "last_test",
        "last_verified",
        "last_outcome",
    ):
        facts.persons[row["pk"]] = PersonRow(**row)
    person_ids = persons.order_by().values("pk")
    for model, start, end, target in (
        (PersonStatus, "start_date", "end_date", facts.statuses),
        (ManagementFile, "opened_on", "closed_on", facts.files),
        (Treatment, "start_date", "end_date", facts.treatments),
    ):
        for person_id, kind, first, last in (
            model.objects.filter(person__in=person_ids)
            .order_by()
            .values_list("person_id", "kind", start, end)
        ):
            target[person_id].append(Span(kind, first, last))
    tests = DrugTest.objects.filter(person__in=person_ids).order_by()
    for person_id, day in (
        tests.values("person_id", "tested_on")
        .annotate(results=Count("result", distinct=True))
        .filter(results__gt=1)
        .values_list("person_id", "tested_on")
    ):
        facts.mixed_test_days[person_id].append(day)
    for person_id, day in tests.filter(tested_on__lt=F("person__birth_date")).values_list(
        "person_id", "tested_on"
    ):
        facts.test_days_before_birth[person_id].append(day)
    village_list = list(villages.order_by("path").select_related(None))
    for village in village_list:
        facts.villages[village.pk] = VillageRow(village.pk, village.name, village.parent_id)
    for village_id, households, signed in (
        HouseholdCommitment.objects.filter(
            village__in=[v.pk for v in village_list], kind=CommitmentKind.DRUG_FREE
        )
        .order_by("village_id", "as_of")
        .values_list("village_id", "households", "signed")
    ):
        facts.commitments[village_id] = (households, signed)  # the last (latest) one stays
    facts.windows = _windows(village_list, set(facts.persons.values()), today)
    return facts


def _windows(villages: list[Area], persons: set[PersonRow], today: dt.date) -> dict[int, Windows]:
    """The windows of each village's governing programme (one query for the programmes; the
    persons' villages outside `villages` are fetched with one more)."""
    known = {v.pk: v for v in villages}
    missing = {p.village_id for p in persons} - known.keys()
    if missing:
        known.update({v.pk: v for v in Area.objects.filter(pk__in=missing)})
    programmes = governing_programmes(list(known.values()), today)
    windows: dict[int, Windows] = {}
    for pk, programme in programmes.items():
        windows[pk] = (
            Windows(
                test_window_days=programme.test_window_days,
                field_check_days=programme.field_check_days,
                absent_check_days=programme.absent_check_days,
            )
            if programme
            else Windows()
        )
    return windows


def subjects_of(
    facts: Facts, *, villages: set[int] | None = None, officer_id: int | None = None
) -> set[tuple[str, int]]:
    """The (model, pk) records a score counts: persons (of `villages`, of `officer_id`) and the
    villages themselves when village-wide checks run."""
    subjects = {
        (PERSON, p.pk)
        for p in facts.persons.values()
        if (villages is None or p.village_id in villages)
        and (officer_id is None or p.officer_id == officer_id)
    }
    if facts.include_villages and officer_id is None:
        subjects |= {(VILLAGE, pk) for pk in facts.villages if villages is None or pk in villages}
    return subjects


# ---------------------------------------------------------------- a unit's page


@dataclass(frozen=True)
class Item:
    """A record to fix, as the page lists it."""

    name: str
    place: str
    detail: str
    url: str
    is_person: bool


@dataclass
class CheckView:
    check: checks.Check
    items: list[Item]
    not_configured: bool = False


@dataclass
class IndicatorView:
    indicator: Indicator
    score: Decimal
    failing: int
    checks: list[CheckView]


@dataclass
class Row:
    """One line of a breakdown: a village, an officer or a commune, with its scores."""

    key: Any
    name: str
    score: Score
    url: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    def indicator_scores(self) -> list[Decimal]:
        return [self.score.scores[i] for i in Indicator]


@dataclass
class UnitQuality:
    unit: Area
    today: dt.date
    score: Score
    indicators: list[IndicatorView]
    villages: list[Row]
    officers: list[Row]
    officer: User | None
    missing_windows: list[str]
    names_persons: bool


def _item(finding: Finding, facts: Facts, village_names: dict[int, str]) -> Item:
    if finding.model == PERSON:
        person = facts.persons[finding.pk]
        return Item(
            name=person.full_name,
            place=village_names.get(person.village_id, ""),
            detail=finding.detail,
            url=reverse("subjects:person_detail", args=[finding.pk]),
            is_person=True,
        )
    village = facts.villages[finding.pk]
    return Item(
        name=village.name,
        place="",
        detail=finding.detail,
        url=f"{reverse('subjects:commitment_list')}?village={finding.pk}",
        is_person=False,
    )


def officers_of(unit: Area) -> QuerySet[User]:
    """The officers who may be responsible for the records of `unit`'s commune: its police."""
    from subjects.officers import commune_officers

    commune = unit if unit.level == Level.COMMUNE else unit.parent if unit.level == Level.VILLAGE else None
    return commune_officers(commune) if commune is not None else User.objects.none()


def unit_quality(
    user: Any, unit: Area, *, officer: User | None = None, today: dt.date | None = None
) -> UnitQuality:
    """Indicators of a commune or village (optionally only the records of one officer), with the
    records to fix under each check, and the scores of each village and each officer."""
    today = today or timezone.localdate()
    officer_id = officer.pk if officer else None
    villages = scoped_villages(user, unit, today)
    facts = gather(scoped_persons(user, unit), villages, today)
    findings = checks.run_checks(facts)
    village_names = {pk: v.name for pk, v in facts.villages.items()}
    chosen = subjects_of(facts, officer_id=officer_id)
    total = checks.score(findings, chosen)
    configured = {
        name: any(getattr(w, name) for w in facts.windows.values()) for name in checks.WINDOW_LABELS
    }
    indicators = []
    for indicator in Indicator:
        views = []
        for c in CHECKS:
            if c.indicator != indicator:
                continue
            items = [_item(f, facts, village_names) for f in findings[c.key] if (f.model, f.pk) in chosen]
            items.sort(key=lambda item: (item.place, item.name))
            views.append(CheckView(c, items, not_configured=bool(c.window) and not configured[c.window]))
        indicators.append(IndicatorView(indicator, total.scores[indicator], total.failing[indicator], views))
    village_rows = [
        Row(
            pk,
            v.name,
            checks.score(findings, subjects_of(facts, villages={pk})),
            reverse("quality:unit", args=[pk]),
        )
        for pk, v in facts.villages.items()
    ]
    officer_ids = {p.officer_id for p in facts.persons.values()}
    named_officers = {u.pk: u for u in User.objects.filter(pk__in={i for i in officer_ids if i})}
    officer_rows = []
    for pk in sorted(officer_ids, key=lambda i: (i is None, named_officers[i].display_name if i else "")):
        subjects = {(PERSON, p.pk) for p in facts.persons.values() if p.officer_id == pk}
        name = named_officers[pk].display_name if pk else "Chưa giao cán bộ phụ trách"
        url = f"{reverse('quality:unit', args=[unit.pk])}?can-bo={pk}" if pk else ""
        officer_rows.append(Row(pk, name, checks.score(findings, subjects), url))
    return UnitQuality(
        unit=unit,
        today=today,
        score=total,
        indicators=indicators,
        villages=village_rows if unit.level != Level.VILLAGE else [],
        officers=officer_rows,
        officer=officer,
        missing_windows=[label for name, label in checks.WINDOW_LABELS.items() if not configured[name]],
        names_persons=any(item.is_person for ind in indicators for cv in ind.checks for item in cv.items),
    )


# ---------------------------------------------------------------- ranking and trend


def commune_scores(user: Any, root: Area, today: dt.date) -> list[Row]:
    """Every open commune under `root` the user may see, with its scores, worst first."""
    communes = list(
        Area.objects.open_on(today).visible_to(user).filter(path__startswith=root.path, level=Level.COMMUNE)
    )
    if not communes:
        return []
    facts = gather(scoped_persons(user, root), scoped_villages(user, root, today), today)
    findings = checks.run_checks(facts)
    persons_by_commune: dict[int, set[tuple[str, int]]] = defaultdict(set)
    commune_of_village = {pk: v.commune_id for pk, v in facts.villages.items()}
    extra_villages = {p.village_id for p in facts.persons.values()} - commune_of_village.keys()
    if extra_villages:
        commune_of_village.update(
            dict(Area.objects.filter(pk__in=extra_villages).values_list("pk", "parent_id"))
        )
    for p in facts.persons.values():
        persons_by_commune[commune_of_village.get(p.village_id) or 0].add((PERSON, p.pk))
    for pk, v in facts.villages.items():
        persons_by_commune[v.commune_id or 0].add((VILLAGE, pk))
    rows = [
        Row(
            c.pk,
            c.name,
            checks.score(findings, persons_by_commune[c.pk]),
            reverse("quality:unit", args=[c.pk]),
        )
        for c in communes
    ]
    rows.sort(key=lambda r: (r.score.overall, -r.score.defects, r.name))
    return rows


@dataclass(frozen=True)
class TrendPoint:
    month: dt.date
    overall: Decimal
    scores: dict[Indicator, Decimal]
    is_live: bool


def trend(unit: Area, current: Score, today: dt.date) -> list[TrendPoint]:
    """The stored monthly snapshots of the last year, then the current month computed now."""
    this_month = first_of_month(today)
    start = first_of_month(this_month - dt.timedelta(days=31 * (TREND_MONTHS - 1)))
    points = [
        TrendPoint(
            s.month,
            s.overall,
            {i: getattr(s, f"score_{i}") for i in Indicator},
            False,
        )
        for s in QualitySnapshot.objects.filter(area=unit, month__gte=start, month__lt=this_month).order_by(
            "month"
        )
    ]
    points.append(TrendPoint(this_month, current.overall, current.scores, True))
    return points


# ---------------------------------------------------------------- reconciliation rounds


@dataclass
class PartSummary:
    part: Any
    persons: int
    by_outcome: dict[str, int]
    verified: int
    not_verified: int
    changes: int  # register edits of the commune's persons during the round
    late: bool


@dataclass
class RoundSummary:
    round: Any
    parts: list[PartSummary]
    totals: dict[str, int]
    late: list[PartSummary]
    today: dt.date


def round_summary(round_: Any, today: dt.date | None = None) -> RoundSummary:
    """A round's figures per commune: persons, verified by outcome, not verified, register
    edits during the round, and which communes are late. Four queries whatever the size."""
    from .models import Outcome

    today = today or timezone.localdate()
    parts = list(round_.parts.select_related("commune", "closed_by").order_by("commune__name"))
    commune_ids = [p.commune_id for p in parts]
    persons = dict(
        Person.objects.filter(village__parent_id__in=commune_ids)
        .order_by()
        .values("village__parent_id")
        .annotate(n=Count("pk"))
        .values_list("village__parent_id", "n")
    )
    outcomes: dict[int, dict[str, int]] = defaultdict(dict)
    for part_id, outcome, n in (
        FieldVerification.objects.filter(part__round=round_)
        .order_by()
        .values("part_id", "outcome")
        .annotate(n=Count("pk"))
        .values_list("part_id", "outcome", "n")
    ):
        outcomes[part_id][outcome] = n
    start = timezone.make_aware(dt.datetime.combine(round_.starts_on, dt.time.min))
    end = round_.closed_at or timezone.now()
    changes = dict(
        Person.history.filter(
            history_type="~",
            history_date__gte=start,
            history_date__lte=end,
            village__parent_id__in=commune_ids,
        )
        .order_by()
        .values("village__parent_id")
        .annotate(n=Count("history_id"))
        .values_list("village__parent_id", "n")
    )
    summaries = []
    for part in parts:
        by_outcome = {o: outcomes[part.pk].get(o, 0) for o in Outcome.values}
        verified = sum(by_outcome.values())
        total = persons.get(part.commune_id, 0)
        summaries.append(
            PartSummary(
                part=part,
                persons=total,
                by_outcome=by_outcome,
                verified=verified,
                not_verified=max(total - verified, 0),
                changes=changes.get(part.commune_id, 0),
                late=part.is_late(today),
            )
        )
    totals = {o: sum(s.by_outcome[o] for s in summaries) for o in Outcome.values}
    totals.update(
        persons=sum(s.persons for s in summaries),
        verified=sum(s.verified for s in summaries),
        not_verified=sum(s.not_verified for s in summaries),
        changes=sum(s.changes for s in summaries),
    )
    return RoundSummary(round_, summaries, totals, [s for s in summaries if s.late], today)


def officer_counts(user: Any, commune: Area) -> Any:
    """How many persons of `commune` each officer (None: nobody) is responsible for."""
    return (
        Person.objects.visible_to(user)
        .filter(village__parent=commune)
        .order_by()
        .values("officer_id")
        .annotate(n=Count("pk"))
    )
