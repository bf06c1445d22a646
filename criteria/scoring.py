"""What a score is: a scorecard of criterion results, with the records that make each fail.

A `Scorecard` can be frozen with `to_dict()` into a JSONField (the dossier snapshot) and rendered
later from `Scorecard.from_dict()` with the same template partial: the snapshot is plain values,
so later changes to registers or parameters never reach it.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import asdict, dataclass, field, fields
from typing import Any

from django.db import models
from django.urls import NoReverseMatch, get_script_prefix, reverse


class Status(models.TextChoices):
    """A criterion's result, and (MET / NOT_MET) a unit's overall verdict. Every label of a status
    shown anywhere, pages, documents or workbooks, comes from here."""

    MET = "met", "Đạt"
    NOT_MET = "not_met", "Chưa đạt"
    NEEDS_EVIDENCE = "needs_evidence", "Cần minh chứng"

    @property
    def short_label(self) -> str:
        """The label in a narrow table cell."""
        return "Cần MC" if self is Status.NEEDS_EVIDENCE else self.label


@dataclass(slots=True)
class FailingRecord:
    """A record that makes a criterion fail. `label` names a person or place: show it only on
    pages behind the jurisdiction gate."""

    model: str
    pk: int
    label: str
    reason: str = ""

    @property
    def url(self) -> str:
        """The record's page ("" for a record without one); derived, so never frozen."""
        pattern = _url_pattern(self.model, get_script_prefix())
        return pattern.replace(str(_PLACEHOLDER), str(self.pk)) if pattern else ""


# Page names of the registers' records; a record whose page does not exist is listed without a link.
RECORD_URL_NAMES: dict[str, str] = {
    "person": "subjects:person_detail",
    "drugpoint": "subjects:point_detail",
    "criminalgroup": "subjects:group_detail",
    "drugcase": "subjects:case_detail",
    "cultivationincident": "subjects:cultivation_detail",
    "preventionmodel": "subjects:prevention_detail",
    "area": "areas:detail",
}
_PLACEHOLDER = 987654321
FAILING_FIELDS = frozenset(f.name for f in fields(FailingRecord))


@functools.lru_cache(maxsize=64)
def _url_pattern(model: str, script_prefix: str) -> str | None:
    """A page's URL with a placeholder id, reversed once per model (a scorecard can list
    thousands of records whose links differ only by the id)."""
    name = RECORD_URL_NAMES.get(model)
    if name is None:
        return None
    try:
        return reverse(name, args=[_PLACEHOLDER])
    except NoReverseMatch:
        return None


@dataclass
class Outcome:
    """What a rule returns."""

    status: str
    figures: str
    failing: list[FailingRecord] = field(default_factory=list)


@dataclass
class EvidenceInfo:
    """The attestation that satisfied a criterion the registers could not decide."""

    attestation_id: int
    officer: str
    attested_on: str  # ISO date
    note: str = ""
    document_name: str = ""
    # the last day it satisfies the criterion (ISO date; None: no expiry), and whether that day
    # had passed on the scorecard's as-of date: an expired attestation is shown but settles nothing
    valid_until: str | None = None
    expired: bool = False

    @property
    def attested_date(self) -> dt.date:
        return dt.date.fromisoformat(self.attested_on)

    @property
    def valid_until_date(self) -> dt.date | None:
        return dt.date.fromisoformat(self.valid_until) if self.valid_until else None


# A scorecard names at most this many failing records per criterion (sorted by name); the page
# of one criterion names them all. A commune of thousands of persons otherwise sent megabytes.
FAILING_SHOWN = 30


@dataclass
class CriterionResult:
    number: int
    text: str
    rule: str
    status: str
    figures: str
    failing: list[FailingRecord] = field(default_factory=list)
    evidence: EvidenceInfo | None = None
    criterion_id: int | None = None
    short_name: str = ""

    @property
    def failing_by_name(self) -> list[FailingRecord]:
        return sorted(self.failing, key=lambda record: record.label)

    @property
    def failing_first(self) -> list[FailingRecord]:
        """The first FAILING_SHOWN failing records by name."""
        return self.failing_by_name[:FAILING_SHOWN]

    @property
    def failing_more(self) -> int:
        """How many failing records `failing_first` leaves out."""
        return max(0, len(self.failing) - FAILING_SHOWN)

    @property
    def label(self) -> str:
        """The column heading: the criterion's short name, or its number."""
        return self.short_name or f"TC {self.number}"

    @property
    def status_label(self) -> str:
        return Status(self.status).label

    @property
    def is_met(self) -> bool:
        return self.status == Status.MET

    @property
    def needs_evidence(self) -> bool:
        return self.status == Status.NEEDS_EVIDENCE


@dataclass
class Scorecard:
    area_id: int
    area_name: str
    as_of: dt.date
    criteria_set_id: int | None
    criteria_set_name: str
    results: list[CriterionResult] = field(default_factory=list)
    area_level: str = ""
    proposal_date: dt.date | None = None
    # The programme whose set scored the unit, and, when none applies, why and who must act.
    programme_name: str = ""
    missing: str = ""

    @property
    def passed(self) -> bool:
        """Every criterion met (a unit without an applicable set has not passed)."""
        return bool(self.results) and all(r.status == Status.MET for r in self.results)

    @property
    def verdict(self) -> Status:
        return Status.MET if self.passed else Status.NOT_MET

    @property
    def met_count(self) -> int:
        return sum(1 for r in self.results if r.status == Status.MET)

    @property
    def not_met(self) -> list[CriterionResult]:
        return [r for r in self.results if r.status == Status.NOT_MET]

    @property
    def needing_evidence(self) -> list[CriterionResult]:
        return [r for r in self.results if r.status == Status.NEEDS_EVIDENCE]

    def result_for(self, number: int) -> CriterionResult | None:
        return next((r for r in self.results if r.number == number), None)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["as_of"] = self.as_of.isoformat()
        data["proposal_date"] = self.proposal_date.isoformat() if self.proposal_date else None
        data["passed"] = self.passed
        data["met_count"] = self.met_count
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Scorecard:
        results = []
        for r in data.get("results", []):
            evidence = r.get("evidence")
            results.append(
                CriterionResult(
                    number=r["number"],
                    text=r["text"],
                    rule=r["rule"],
                    status=r["status"],
                    figures=r.get("figures", ""),
                    failing=[
                        FailingRecord(**{k: v for k, v in f.items() if k in FAILING_FIELDS})
                        for f in r.get("failing", [])
                    ],
                    evidence=EvidenceInfo(**evidence) if evidence else None,
                    criterion_id=r.get("criterion_id"),
                    short_name=r.get("short_name", ""),
                )
            )
        proposal = data.get("proposal_date")
        return cls(
            area_id=data["area_id"],
            area_name=data["area_name"],
            as_of=dt.date.fromisoformat(data["as_of"]),
            criteria_set_id=data.get("criteria_set_id"),
            criteria_set_name=data.get("criteria_set_name", ""),
            results=results,
            area_level=data.get("area_level", ""),
            proposal_date=dt.date.fromisoformat(proposal) if proposal else None,
            programme_name=data.get("programme_name", ""),
            missing=data.get("missing", ""),
        )
