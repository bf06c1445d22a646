"""Reads that carry logic: the facts of a whole batch of units, gathered with a fixed number of
set-based queries whatever the number of units or records, and the pages' lookups.

Dates follow the registers' meaning: a status, file or treatment runs from its start to its end
day inclusive ("đến ngày"); a point, group or board stops on the day it is eliminated, dismantled
or removed; a file stops on the day it is closed.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

from django.db.models import F, FilteredRelation, Max, OuterRef, Q, QuerySet, Subquery
from django.db.models.expressions import RawSQL

from areas.models import Area, Level
from subjects.models import (
    CriminalGroup,
    CultivationIncident,
    DrugCase,
    DrugPoint,
    DrugTest,
    HotlineBoard,
    HouseholdCommitment,
    ManagementFile,
    PersonStatus,
    Plant,
    PreventionModel,
    TestResult,
    Treatment,
    TreatmentKind,
)

from .baselines import baselines_for
from .facts import (
    FROM_THE_START,
    CaseFacts,
    CommitmentFacts,
    FactPlan,
    ModelFacts,
    PersonFacts,
    RecordFacts,
    TreatmentFacts,
    UnitFacts,
    VillageRef,
)
from .models import CriteriaSet


def _running_on(day: dt.date, start: str, end: str, *, end_inclusive: bool) -> Q:
    end_q = Q(**{f"{end}__gte" if end_inclusive else f"{end}__gt": day})
    return Q(**{f"{start}__lte": day}) & (Q(**{f"{end}__isnull": True}) | end_q)


def id_subquery(ids: Iterable[int]) -> RawSQL:
    """The unit ids of a batch as a subquery with the integers written in the SQL. A batch can hold
    thousands of units and every fact query filters on them: bound as parameters, each id would be
    prepared and converted once per query, which costs more than the queries themselves."""
    literal = ",".join(str(int(pk)) for pk in ids) or "NULL"
    return RawSQL(f"SELECT id FROM areas_area WHERE id IN ({literal})", ())  # noqa: S611 (integers only)


def villages_of(areas: Sequence[Area], as_of: dt.date) -> dict[int, list[VillageRef]]:
    """For each unit of the batch, its villages open on `as_of` (a village is its own), in one query."""
    result: dict[int, list[VillageRef]] = {}
    commune_ids = [a.pk for a in areas if a.level == Level.COMMUNE]
    for area in areas:
        result[area.pk] = [VillageRef(area.pk, area.name)] if area.level == Level.VILLAGE else []
    if commune_ids:
        rows = (
            Area.objects.open_on(as_of)
            .filter(level=Level.VILLAGE, parent_id__in=commune_ids)
            .order_by("name", "pk")
            .values_list("pk", "name", "parent_id")
        )
        for pk, name, parent_id in rows:
            result[parent_id].append(VillageRef(pk, name))
    return result


def gather_facts(*, areas: Sequence[Area], as_of: dt.date, plan: FactPlan) -> dict[int, UnitFacts]:
    """The facts of every unit in `areas` on `as_of` that `plan` asks for: a commune's are the union
    of its villages' plus its own. Runs one query per kind of fact needed, for the whole batch."""
    villages = villages_of(areas, as_of)
    village_ids = sorted({v.id for refs in villages.values() for v in refs})
    by_village: dict[int, UnitFacts] = {vid: UnitFacts(area_id=vid, area_name="") for vid in village_ids}
    needs = plan.needs
    persons: dict[int, PersonFacts] = {}

    if village_ids and needs & {"persons", "files", "treatments", "recent_tests", "last_test"}:
        persons = _persons(village_ids, as_of)
        for person in persons.values():
            by_village[person.village_id].persons.append(person)
        if "files" in needs:
            _add_files(persons, village_ids, as_of)
        if "recent_tests" in needs and plan.tests_since is not None and plan.tests_until is not None:
            _add_latest_tests(persons, village_ids, plan.tests_since, plan.tests_until)
        if "last_test" in needs and plan.last_test_kinds:
            _add_last_tests(persons, village_ids, as_of, plan.last_test_kinds)
    if village_ids and needs & {"treatments", "substitution"}:
        for treatment in _treatments(village_ids, as_of):
            person = persons.get(treatment.person_id)
            if person is not None:
                person.treatments.append(treatment)
            if treatment.kind == TreatmentKind.SUBSTITUTION:
                by_village[treatment.village_id].substitution.append(treatment)
    if village_ids and "points" in needs:
        for record in _points(village_ids, as_of):
            by_village[record.village_id].points.append(record)
    if village_ids and "groups" in needs:
        for record in _groups(village_ids, as_of):
            by_village[record.village_id].groups.append(record)
    if village_ids and "cultivation" in needs:
        for record in _cultivation(village_ids, as_of, plan.since):
            by_village[record.village_id].cultivation.append(record)
    if village_ids and "cases" in needs:
        for case in _cases(village_ids, as_of, plan.since):
            by_village[case.resident_village_id].cases.append(case)
    if village_ids and "commitments" in needs:
        for village_id, count in _commitments(village_ids, as_of):
            by_village[village_id].commitments.setdefault(village_id, []).append(count)
    if village_ids and "boards" in needs:
        for village_id, kind in _boards(village_ids, as_of):
            by_village[village_id].boards.setdefault(village_id, set()).add(kind)
    models_by_area: dict[int, list[ModelFacts]] = defaultdict(list)
    if "models" in needs:
        for model in _models([*village_ids, *(a.pk for a in areas)], as_of):
            models_by_area[model.area_id].append(model)
    baselines = baselines_for([a.pk for a in areas], as_of) if "baseline" in needs else {}

    facts: dict[int, UnitFacts] = {}
    for area in areas:
        unit = UnitFacts(area_id=area.id, area_name=area.name, villages=villages[area.id])
        for ref in villages[area.id]:
            part = by_village[ref.id]
            unit.persons.extend(part.persons)
            unit.substitution.extend(part.substitution)
            unit.points.extend(part.points)
            unit.groups.extend(part.groups)
            unit.cultivation.extend(part.cultivation)
            unit.cases.extend(part.cases)
            unit.commitments.update(part.commitments)
            unit.boards.update(part.boards)
            unit.models.extend(models_by_area.get(ref.id, []))
        if area.level == Level.VILLAGE:
            unit.share_index(by_village[area.id])
        else:
            unit.models.extend(models_by_area.get(area.id, []))
            unit.merge_indexes([by_village[ref.id] for ref in villages[area.id]])
        unit.baseline = baselines.get(area.id)
        facts[area.id] = unit
    return facts


def _persons(village_ids: list[int], as_of: dt.date) -> dict[int, PersonFacts]:
    """Persons of the villages holding at least one status on `as_of`, with those statuses. (In no
    particular order: pages sort what they list.)"""
    rows = (
        PersonStatus.objects.filter(_running_on(as_of, "start_date", "end_date", end_inclusive=True))
        .filter(person__village_id__in=id_subquery(village_ids))
        .order_by()
        .values_list(
            "person_id",
            "kind",
            "start_date",
            "person__village_id",
            "person__full_name",
            "person__presence",
            "person__resident_since",
        )
    )
    persons: dict[int, PersonFacts] = {}
    for person_id, kind, start, village_id, name, presence, since in rows:
        person = persons.get(person_id)
        if person is None:
            person = persons[person_id] = PersonFacts(person_id, village_id, name, presence, since)
        if kind not in person.statuses or start < person.statuses[kind]:
            person.statuses[kind] = start
    return persons


def _add_files(persons: dict[int, PersonFacts], village_ids: list[int], as_of: dt.date) -> None:
    rows = (
        ManagementFile.objects.filter(_running_on(as_of, "opened_on", "closed_on", end_inclusive=False))
        .filter(person__village_id__in=id_subquery(village_ids))
        .order_by()
        .values_list("person_id", "kind")
    )
    for person_id, kind in rows:
        if person_id in persons:
            persons[person_id].file_kinds.add(kind)


def _treatments(village_ids: list[int], as_of: dt.date) -> list[TreatmentFacts]:
    rows = (
        Treatment.objects.filter(_running_on(as_of, "start_date", "end_date", end_inclusive=True))
        .filter(person__village_id__in=id_subquery(village_ids))
        .order_by("person__full_name", "start_date")
        .values_list(
            "pk",
            "person_id",
            "person__full_name",
            "kind",
            "start_date",
            "complies_with_rules",
            "uses_other_drugs",
            "person__village_id",
        )
    )
    return [
        TreatmentFacts(pk, person_id, name, kind, start, complies, other, village_id)
        for pk, person_id, name, kind, start, complies, other, village_id in rows
    ]


def _add_latest_tests(
    persons: dict[int, PersonFacts], village_ids: list[int], since: dt.date, until: dt.date
) -> None:
    """Each person's latest test from `since` to `until`, aggregated per person by the database:
    a rule with a narrower window ending on `until` needs only that test (it is in the narrower
    window, or no test is)."""
    rows = (
        DrugTest.objects.filter(
            person__village_id__in=id_subquery(village_ids),
            tested_on__gte=since,
            tested_on__lte=until,
        )
        .order_by()
        .values("person_id")
        .annotate(last=Max("tested_on"), last_positive=Max("tested_on", filter=Q(result=TestResult.POSITIVE)))
        .values_list("person_id", "last", "last_positive")
    )
    for person_id, last, last_positive in rows:
        person = persons.get(person_id)
        if person is not None:
            person.latest_test = (last, TestResult.POSITIVE if last_positive == last else TestResult.NEGATIVE)


def _add_last_tests(
    persons: dict[int, PersonFacts], village_ids: list[int], as_of: dt.date, kinds: Iterable[str]
) -> None:
    """The latest test on or before `as_of` of each person holding one of `kinds`, through the
    (person, tested_on) index rather than a scan of every test."""
    latest = (
        DrugTest.objects.filter(person_id=OuterRef("person_id"), tested_on__lte=as_of)
        .order_by("-tested_on")
        .values("tested_on")[:1]
    )
    rows = (
        PersonStatus.objects.filter(_running_on(as_of, "start_date", "end_date", end_inclusive=True))
        .filter(person__village_id__in=id_subquery(village_ids), kind__in=list(kinds))
        .order_by()
        .annotate(last_test_on=Subquery(latest))
        .values_list("person_id", "last_test_on")
    )
    for person_id, last in rows:
        if person_id in persons:
            persons[person_id].last_test_on = last


def _points(village_ids: list[int], as_of: dt.date) -> list[RecordFacts]:
    rows = (
        DrugPoint.objects.filter(_running_on(as_of, "found_on", "eliminated_on", end_inclusive=False))
        .filter(village_id__in=id_subquery(village_ids))
        .order_by("found_on", "pk")
        .values_list("pk", "village_id", "kind", "description", "found_on")
    )
    return [
        RecordFacts(pk, village, kind, description, found) for pk, village, kind, description, found in rows
    ]


def _groups(village_ids: list[int], as_of: dt.date) -> list[RecordFacts]:
    rows = (
        CriminalGroup.objects.filter(_running_on(as_of, "found_on", "dismantled_on", end_inclusive=False))
        .filter(village_id__in=id_subquery(village_ids))
        .order_by("found_on", "pk")
        .values_list("pk", "village_id", "kind", "name", "found_on")
    )
    return [RecordFacts(pk, village, kind, name, found) for pk, village, kind, name, found in rows]


def _cultivation(village_ids: list[int], as_of: dt.date, since: dt.date | None) -> list[RecordFacts]:
    queryset = CultivationIncident.objects.filter(
        village_id__in=id_subquery(village_ids), found_on__lte=as_of
    )
    if since is not None and since > FROM_THE_START:
        queryset = queryset.filter(found_on__gte=since)
    plants = dict(Plant.choices)
    rows = queryset.order_by("found_on", "pk").values_list("pk", "village_id", "plant", "season", "found_on")
    return [
        RecordFacts(
            pk, village, plant, f"{plants.get(plant, plant)}{f' niên vụ {season}' if season else ''}", found
        )
        for pk, village, plant, season, found in rows
    ]


def _cases(village_ids: list[int], as_of: dt.date, since: dt.date | None) -> list[CaseFacts]:
    """Cases involving residents of the villages, each with the status kinds those residents held
    on the day of the case: one row per involvement and status running that day (or one row
    without a status), in one query."""
    occurred = F("drugcase__occurred_on")
    involvements = (
        DrugCase.persons.through.objects.filter(
            person__village_id__in=id_subquery(village_ids), drugcase__occurred_on__lte=as_of
        )
        .annotate(
            held=FilteredRelation(
                "person__statuses",
                condition=Q(person__statuses__start_date__lte=occurred)
                & (Q(person__statuses__end_date__isnull=True) | Q(person__statuses__end_date__gte=occurred)),
            )
        )
        .order_by("drugcase__occurred_on", "drugcase_id")
    )
    if since is not None and since > FROM_THE_START:
        involvements = involvements.filter(drugcase__occurred_on__gte=since)
    rows = involvements.values_list(
        "drugcase_id",
        "person__village_id",
        "drugcase__occurred_on",
        "drugcase__severity",
        "drugcase__kind",
        "drugcase__village_id",
        "held__kind",
    )
    kinds_label = dict(DrugCase._meta.get_field("kind").choices)
    cases: dict[tuple[int, int], CaseFacts] = {}
    for case_id, village_id, occurred_on, severity, kind, case_village, status_kind in rows:
        key = (case_id, village_id)
        case = cases.get(key)
        if case is None:
            label = f"{kinds_label.get(kind, kind)} ngày {occurred_on:%d/%m/%Y}"
            case = cases[key] = CaseFacts(
                case_id, case_village, label, occurred_on, severity, resident_village_id=village_id
            )
        if status_kind is not None:
            case.person_kinds_on_date.add(status_kind)
    return list(cases.values())


def _commitments(village_ids: list[int], as_of: dt.date) -> list[tuple[int, CommitmentFacts]]:
    """The latest count of each kind of each village on or before `as_of`."""
    rows = (
        HouseholdCommitment.objects.filter(village_id__in=id_subquery(village_ids), as_of__lte=as_of)
        .order_by("village_id", "kind", "-as_of")
        .values_list("village_id", "kind", "as_of", "households", "signed")
    )
    latest: dict[tuple[int, str], CommitmentFacts] = {}
    for village_id, kind, day, households, signed in rows:
        latest.setdefault((village_id, kind), CommitmentFacts(kind, day, households, signed))
    return [(village_id, count) for (village_id, _), count in latest.items()]


def _boards(village_ids: list[int], as_of: dt.date) -> list[tuple[int, str]]:
    return list(
        HotlineBoard.objects.filter(_running_on(as_of, "installed_on", "removed_on", end_inclusive=False))
        .filter(village_id__in=id_subquery(village_ids))
        .order_by()
        .values_list("village_id", "kind")
        .distinct()
    )


def _models(area_ids: list[int], as_of: dt.date) -> list[ModelFacts]:
    """Models established by `as_of` and still running then: ended after it, or not ended and
    still marked active."""
    rows = (
        PreventionModel.objects.filter(area_id__in=id_subquery(area_ids), established_on__lte=as_of)
        .filter(Q(ended_on__gt=as_of) | Q(ended_on__isnull=True, is_active=True))
        .order_by("name", "pk")
        .values_list("pk", "area_id", "name", "evaluated_effective")
    )
    return [ModelFacts(pk, area_id, name, effective) for pk, area_id, name, effective in rows]


# ---------------------------------------------------------------- pages


def criteria_sets() -> QuerySet[CriteriaSet]:
    return (
        CriteriaSet.objects.select_related("jurisdiction")
        .prefetch_related("criteria")
        .order_by("-is_active", "name")
    )


def scorable_units(user: Any) -> QuerySet[Area]:
    """The communes a user may score (their own commune, or the communes under their district or
    province), with their parent for display."""
    return (
        Area.objects.visible_to(user)
        .filter(level=Level.COMMUNE, closed_on__isnull=True)
        .select_related("parent")
        .order_by("parent__name", "name")
    )


def units_for_table(area: Area, as_of: dt.date) -> list[Area]:
    """The rows of the villages × criteria table of `area`: for a commune, its villages then the
    commune; above a commune, every commune with its villages, commune by commune."""
    subtree = list(
        Area.objects.open_on(as_of)
        .filter(path__startswith=area.path, level__in=[Level.COMMUNE, Level.VILLAGE])
        .select_related("parent")
        .order_by("path")
    )
    communes = sorted((a for a in subtree if a.level == Level.COMMUNE), key=lambda a: a.name)
    villages_by_commune: dict[int, list[Area]] = defaultdict(list)
    for unit in subtree:
        if unit.level == Level.VILLAGE:
            villages_by_commune[unit.parent_id].append(unit)
    if area.level == Level.VILLAGE:
        return [area]
    rows: list[Area] = []
    for commune in communes:
        rows.extend(sorted(villages_by_commune[commune.pk], key=lambda a: a.name))
        rows.append(commune)
    return rows
