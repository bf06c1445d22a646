"""Scoring units against their criteria set, and recording the attestations that satisfy what the
registers cannot decide. This is the engine's public surface (see the API note): dossiers, the
compliance watch and the reports call `score_area` / `score_areas`."""

from __future__ import annotations

import datetime as dt
import gc
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q

from areas.jurisdiction import area_is_visible
from areas.models import Area, Level, Role

from . import rules
from .facts import ScoringContext
from .models import EVIDENCE_EXTENSIONS, EVIDENCE_MAX_BYTES, CriteriaSet, Criterion, EvidenceAttestation
from .scoring import CriterionResult, EvidenceInfo, FailingRecord, Scorecard, Status
from .selectors import FactPlan, gather_facts, id_subquery

__all__ = [
    "CriterionResult",
    "FailingRecord",
    "Scorecard",
    "Status",
    "applicable_set",
    "create_attestation",
    "score_area",
    "score_areas",
]

SCORED_LEVELS = (Level.VILLAGE, Level.COMMUNE)


# ---------------------------------------------------------------- which set applies


def _candidate_sets(as_of: dt.date, levels: set[str]) -> list[CriteriaSet]:
    level_q = Q(pk__in=[])
    if Level.VILLAGE in levels:
        level_q |= Q(for_villages=True)
    if Level.COMMUNE in levels:
        level_q |= Q(for_communes=True)
    return list(
        CriteriaSet.objects.valid_on(as_of)
        .filter(level_q)
        .select_related("jurisdiction")
        .prefetch_related("criteria")
    )


def _pick_set(area: Area, candidates: Sequence[CriteriaSet]) -> CriteriaSet | None:
    """The most specific set for `area`: one bound to its nearest ancestor beats one bound further
    up, which beats an unbound set; then the most recent, then the newest row."""
    fitting = [
        s
        for s in candidates
        if (s.for_villages if area.level == Level.VILLAGE else s.for_communes)
        and (s.jurisdiction is None or area.path.startswith(s.jurisdiction.path))
    ]
    if not fitting:
        return None
    return max(fitting, key=lambda s: (len(s.jurisdiction.path) if s.jurisdiction else 0, s.valid_from, s.pk))


def applicable_set(*, area: Area, as_of: dt.date) -> CriteriaSet | None:
    """The criteria set valid on `as_of` for the area's level and jurisdiction (None if none)."""
    if area.level not in SCORED_LEVELS:
        return None
    return _pick_set(area, _candidate_sets(as_of, {area.level}))


# ---------------------------------------------------------------- scoring


def score_area(
    *,
    area: Area,
    as_of: dt.date,
    criteria_set: CriteriaSet | None = None,
    proposal_date: dt.date | None = None,
) -> Scorecard:
    """Score one village or commune (a commune over all its villages plus its own facts).
    Constant number of queries."""
    return score_areas(areas=[area], as_of=as_of, criteria_set=criteria_set, proposal_date=proposal_date)[
        area.pk
    ]


def score_areas(
    *,
    areas: Sequence[Area],
    as_of: dt.date,
    criteria_set: CriteriaSet | None = None,
    proposal_date: dt.date | None = None,
) -> dict[int, Scorecard]:
    """Batch scoring; a constant number of queries for the whole batch. Each unit is scored with
    `criteria_set` when given, else with the set that applies to it; a unit no set applies to (or
    above commune level) gets a scorecard without results."""
    with _collector_paused():
        return _score_areas(list(areas), as_of, criteria_set, proposal_date)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """A batch builds hundreds of thousands of small acyclic objects (facts, results, failing
    records): left running, the cyclic garbage collector rescans the whole heap again and again
    while they are made, which costs as much as the scoring itself. Paused for the batch, the
    collector resumes in its former state and then frees any cycle left behind."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _score_areas(
    areas: list[Area], as_of: dt.date, criteria_set: CriteriaSet | None, proposal_date: dt.date | None
) -> dict[int, Scorecard]:
    scored = [a for a in areas if a.level in SCORED_LEVELS]
    if criteria_set is not None:
        criteria = {criteria_set.pk: list(criteria_set.criteria.order_by("number"))}
        set_of = {a.pk: criteria_set for a in scored}
    else:
        candidates = _candidate_sets(as_of, {a.level for a in scored}) if scored else []
        criteria = {s.pk: sorted(s.criteria.all(), key=lambda c: c.number) for s in candidates}
        set_of = {a.pk: _pick_set(a, candidates) for a in scored}
    used = {s.pk for s in set_of.values() if s is not None}
    used_criteria = [c for set_pk in used for c in criteria[set_pk]]

    context = ScoringContext(as_of=as_of, proposal_date=proposal_date)
    params_of = {c.id: rules.validate_params(c.rule, c.params) for c in used_criteria}
    plan = _plan(used_criteria, params_of, as_of)
    to_score = [a for a in scored if set_of.get(a.pk) is not None]
    facts = (
        gather_facts(areas=to_score, as_of=as_of, plan=plan, proposal_date=proposal_date) if to_score else {}
    )
    attestations = _attestations(to_score, used_criteria, as_of)

    cards: dict[int, Scorecard] = {}
    for area in areas:
        chosen = set_of.get(area.pk)
        card = Scorecard(
            area_id=area.pk,
            area_name=area.name,
            as_of=as_of,
            criteria_set_id=chosen.pk if chosen else None,
            criteria_set_name=chosen.name if chosen else "",
            area_level=area.level,
            proposal_date=proposal_date,
        )
        if chosen is not None:
            unit_facts = facts[area.id]
            for criterion in criteria[chosen.id]:
                card.results.append(
                    _result(
                        criterion,
                        params_of[criterion.id],
                        unit_facts,
                        context,
                        attestations.get((area.id, criterion.id)),
                    )
                )
        cards[area.pk] = card
    return cards


def _result(
    criterion: Criterion,
    params: dict[str, Any],
    unit_facts: Any,
    context: ScoringContext,
    attestation: EvidenceAttestation | None,
) -> CriterionResult:
    outcome = rules.evaluate(criterion.rule, unit_facts, context, params)
    result = CriterionResult(
        number=criterion.number,
        text=criterion.text,
        rule=criterion.rule,
        status=Status(outcome.status).value,
        figures=outcome.figures,
        failing=outcome.failing,
        criterion_id=criterion.pk,
        short_name=criterion.short_name,
    )
    # An attestation settles only what the registers could not decide; it never overrides a
    # record that makes the criterion fail.
    if outcome.status == Status.NEEDS_EVIDENCE and attestation is not None:
        result.status = Status.MET.value
        result.failing = []
        result.evidence = EvidenceInfo(
            attestation_id=attestation.pk,
            officer=attestation.officer_name
            + (f", {attestation.officer_position}" if attestation.officer_position else ""),
            attested_on=attestation.attested_on.isoformat(),
            note=attestation.note,
            document_name=attestation.document.name.rsplit("/", 1)[-1],
        )
    return result


def _plan(criteria: Sequence[Criterion], params_of: dict[int, dict[str, Any]], as_of: dt.date) -> FactPlan:
    """What the criteria need gathered: the union of their rules' facts, the widest test window,
    the statuses whose last test is looked at, the earliest day cultivation and cases are read."""
    plan = FactPlan()
    starts: list[dt.date] = []

    def visit(rule_key: str, params: dict[str, Any]) -> None:
        if rule_key == "all_of":
            for part in params.get("parts", []):
                visit(part["rule"], part["params"])
            return
        plan.needs |= rules.rule_needs(rule_key, params)
        if rule_key == "tested_within_days":
            plan.test_window_days = max(plan.test_window_days, params["within_days"])
        if rule_key == "suspected_tested":
            plan.last_test_kinds |= set(params["status_kinds"])
        if rule_key in ("no_cultivation", "no_serious_case_by_users"):
            starts.append(rules.window_start(as_of, params))

    for criterion in criteria:
        visit(criterion.rule, params_of[criterion.id])
    plan.since = min(starts) if starts else None
    return plan


def _attestations(
    areas: Sequence[Area], criteria: Sequence[Criterion], as_of: dt.date
) -> dict[tuple[int, int], EvidenceAttestation]:
    """The latest attestation on or before `as_of` for each (unit, criterion) of the batch."""
    if not areas or not criteria:
        return {}
    rows = EvidenceAttestation.objects.filter(
        area_id__in=id_subquery(a.pk for a in areas),
        criterion_id__in=[c.pk for c in criteria],
        attested_on__lte=as_of,
    ).order_by("area_id", "criterion_id", "-attested_on", "-pk")
    latest: dict[tuple[int, int], EvidenceAttestation] = {}
    for attestation in rows:
        latest.setdefault((attestation.area_id, attestation.criterion_id), attestation)
    return latest


# ---------------------------------------------------------------- attestations


def can_attest(user: Any, area: Area) -> bool:
    """Commune police attest for their own commune and its villages (superusers anywhere)."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser:
        return True
    return user.role == Role.COMMUNE_POLICE and area_is_visible(user, area)


@transaction.atomic
def create_attestation(
    *,
    user: Any,
    area: Area,
    criterion: Criterion,
    document: UploadedFile,
    officer_name: str,
    attested_on: dt.date,
    officer_position: str = "",
    note: str = "",
) -> EvidenceAttestation:
    """Record that a named officer attests, with `document`, that `area` meets `criterion` as of
    `attested_on`. Only commune police of the unit may; the document must be a PDF or an image of
    at most 10 MB."""
    if not can_attest(user, area):
        raise PermissionDenied("Chỉ Công an xã của đơn vị mới được tải lên minh chứng.")
    if area.level not in SCORED_LEVELS:
        raise ValidationError({"area": "Chỉ ghi minh chứng cho thôn, bản hoặc xã."})
    if document.size > EVIDENCE_MAX_BYTES:
        raise ValidationError({"document": "Tệp minh chứng không được lớn hơn 10 MB."})
    extension = document.name.rsplit(".", 1)[-1].lower() if "." in document.name else ""
    if extension not in EVIDENCE_EXTENSIONS:
        raise ValidationError({"document": "Chỉ nhận tệp PDF, JPG hoặc PNG."})
    attestation = EvidenceAttestation(
        area=area,
        criterion=criterion,
        document=document,
        officer_name=officer_name.strip(),
        officer_position=officer_position.strip(),
        attested_on=attested_on,
        note=note.strip(),
        created_by=user,
    )
    attestation.full_clean()
    attestation.save()
    return attestation
