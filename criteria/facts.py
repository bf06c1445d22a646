"""The facts a unit is scored on, as plain values: what `criteria.selectors.gather_facts` reads
from the registers for a whole batch, and what the rules decide on."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from subjects.models import PointKind

POINT_LABELS = dict(PointKind.choices)


@dataclass(frozen=True)
class ScoringContext:
    as_of: dt.date
    proposal_date: dt.date | None = None

    @property
    def reference_date(self) -> dt.date:
        """The day tests are counted back from: the proposal date, else the as-of date."""
        return self.proposal_date or self.as_of


# A window with no lower bound: everything on or before the as-of date counts.
FROM_THE_START = dt.date.min


@dataclass
class FactPlan:
    """Which facts a batch gathers and how far back the windowed ones look. Each rule widens it
    through its planning hook (`criteria.rules.plan_facts`), so the service knows no rule by name."""

    needs: set[str] = field(default_factory=set)
    # the window the latest test of each person is read in (None: no rule reads recent tests)
    tests_since: dt.date | None = None
    tests_until: dt.date | None = None
    # the statuses whose holders' last test is read
    last_test_kinds: set[str] = field(default_factory=set)
    # the earliest day cultivation and cases are read from (FROM_THE_START: no lower bound)
    since: dt.date | None = None

    def need(self, *facts: str) -> None:
        self.needs.update(facts)

    def read_tests(self, since: dt.date, until: dt.date) -> None:
        """Widen the window of recent tests to cover `since`..`until`."""
        self.tests_since = since if self.tests_since is None else min(self.tests_since, since)
        self.tests_until = until if self.tests_until is None else max(self.tests_until, until)

    def read_last_test(self, kinds: Iterable[str]) -> None:
        self.last_test_kinds.update(kinds)

    def look_back_to(self, day: dt.date) -> None:
        """Read cultivation and cases from `day` (FROM_THE_START for no lower bound)."""
        self.since = day if self.since is None else min(self.since, day)


@dataclass(slots=True)
class PersonFacts:
    id: int
    village_id: int
    name: str
    presence: str
    resident_since: dt.date | None
    # status kind -> the earliest start date among that kind's periods running on the as-of date
    statuses: dict[str, dt.date] = field(default_factory=dict)
    file_kinds: set[str] = field(default_factory=set)
    treatments: list[TreatmentFacts] = field(default_factory=list)
    # the latest test in the widest window any criterion looks at, ending on the reference date:
    # (day, result), the result positive if any test of that day was
    latest_test: tuple[dt.date, str] | None = None
    last_test_on: dt.date | None = None


@dataclass(slots=True)
class TreatmentFacts:
    id: int
    person_id: int
    person_name: str
    kind: str
    start_date: dt.date
    complies_with_rules: bool | None
    uses_other_drugs: bool | None
    village_id: int = 0


@dataclass(slots=True)
class RecordFacts:
    """A village-level record: a point, a group, a cultivation incident."""

    id: int
    village_id: int
    kind: str
    label: str
    found_on: dt.date

    @property
    def kind_label(self) -> str:
        return POINT_LABELS.get(self.kind, self.kind)

    @property
    def plant(self) -> str:
        return self.kind


@dataclass(slots=True)
class CommitmentFacts:
    kind: str
    as_of: dt.date
    households: int
    signed: int


@dataclass(slots=True)
class ModelFacts:
    id: int
    area_id: int
    name: str
    evaluated_effective: bool | None


@dataclass(slots=True)
class CaseFacts:
    id: int
    village_id: int
    label: str
    occurred_on: dt.date
    severity: str
    # status kinds held, on the day of the case, by the unit's residents involved in it
    person_kinds_on_date: set[str] = field(default_factory=set)
    # the village whose residents were involved (a case involving residents of two villages is
    # one CaseFacts per village, so that each village's unit sees it)
    resident_village_id: int = 0


@dataclass(frozen=True)
class Baseline:
    """Counts frozen when a unit registered to build (đăng ký xây dựng)."""

    registered_on: dt.date
    count: int


@dataclass(slots=True)
class VillageRef:
    id: int
    name: str


@dataclass(slots=True)
class UnitFacts:
    """Everything the rules read about one unit on the as-of date. For a commune, the union of
    its villages' facts plus its own (commune-level prevention models). Read-only once gathered:
    the index of persons by status is built on first use and never rebuilt."""

    area_id: int
    area_name: str
    villages: list[VillageRef] = field(default_factory=list)
    persons: list[PersonFacts] = field(default_factory=list)
    substitution: list[TreatmentFacts] = field(default_factory=list)
    points: list[RecordFacts] = field(default_factory=list)
    groups: list[RecordFacts] = field(default_factory=list)
    cultivation: list[RecordFacts] = field(default_factory=list)
    cases: list[CaseFacts] = field(default_factory=list)
    commitments: dict[int, list[CommitmentFacts]] = field(default_factory=dict)
    boards: dict[int, set[str]] = field(default_factory=dict)
    models: list[ModelFacts] = field(default_factory=list)
    baseline: Baseline | None = None
    # status kind -> persons holding it, built on first use (rules ask for the same kinds often)
    _by_kind: dict[str, list[PersonFacts]] | None = None

    def _index(self) -> dict[str, list[PersonFacts]]:
        if self._by_kind is None:
            self._by_kind = {}
            for person in self.persons:
                for kind in person.statuses:
                    self._by_kind.setdefault(kind, []).append(person)
        return self._by_kind

    def share_index(self, other: UnitFacts) -> None:
        """Use the index of `other`, which holds the same persons (a village's own bucket)."""
        self._by_kind = other._index()

    def merge_indexes(self, parts: list[UnitFacts]) -> None:
        """The index of a commune from its villages', whose persons it holds, village by village."""
        merged: dict[str, list[PersonFacts]] = {}
        for part in parts:
            for kind, people in part._index().items():
                merged.setdefault(kind, []).extend(people)
        self._by_kind = merged

    def holding(self, kinds: Iterable[str]) -> list[PersonFacts]:
        """Persons holding any of `kinds` on the as-of date, in the order of `persons`."""
        by_kind = self._index()
        kinds = list(kinds)
        if len(kinds) == 1:
            return by_kind.get(kinds[0], [])
        chosen = {p.id for kind in kinds for p in by_kind.get(kind, [])}
        return [p for p in self.persons if p.id in chosen]
