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

from areas.models import Area, Level
from areas.permissions import Action, can
from dossiers.uploads import validate_upload
from programmes.models import Programme
from programmes.selectors import governing_programmes, missing_programme_message

from . import rules
from .facts import FactPlan, ScoringContext
from .models import CriteriaSet, Criterion, EvidenceAttestation
from .scoring import CriterionResult, EvidenceInfo, FailingRecord, Scorecard, Status
from .selectors import gather_facts, id_subquery

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


def _governing_sets(
    areas: Sequence[Area], as_of: dt.date
) -> tuple[dict[int, CriteriaSet | None], dict[int, Programme | None]]:
    """Each unit's criteria set: the one its governing programme names for its level (no
    programme, or none named: None — there is no fallback to another jurisdiction's set)."""
    programmes = governing_programmes(areas, as_of)
    wanted = {
        a.pk: p.criteria_set_id_for(a.level) if (p := programmes.get(a.pk)) is not None else None
        for a in areas
    }
    sets = (
        CriteriaSet.objects.valid_on(as_of)
        .prefetch_related("criteria")
        .in_bulk({i for i in wanted.values() if i})
    )
    return {pk: sets.get(set_id) if set_id else None for pk, set_id in wanted.items()}, programmes


def applicable_set(*, area: Area, as_of: dt.date) -> CriteriaSet | None:
    """The criteria set the programme governing `area` on `as_of` names for its level (None if none)."""
    if area.level not in SCORED_LEVELS:
        return None
    return _governing_sets([area], as_of)[0][area.pk]


# The sets shipped by the data migrations and the province (GSO code) whose documents issued them.
SHIPPED_SET_PROVINCES = {
    "Bộ tiêu chí tỉnh Lai Châu (8 tiêu chí)": "12",
    "Bộ tiêu chí “Xã không ma túy” tỉnh Thanh Hóa": "38",
}


def bind_shipped_sets() -> int:
    """Bind each shipped set to the province that issued it, once that province exists (after
    `import_divisions` or the demo); an unbound shipped set applies nowhere. Idempotent."""
    bound = 0
    provinces = Area.objects.filter(level=Level.PROVINCE, code__in=SHIPPED_SET_PROVINCES.values()).in_bulk(
        field_name="code"
    )
    for name, code in SHIPPED_SET_PROVINCES.items():
        province = provinces.get(code)
        if province is None:
            continue
        bound += CriteriaSet.objects.filter(name=name, jurisdiction__isnull=True).update(
            jurisdiction=province, is_active=True
        )
    return bound


def missing_set_message(area: Area, as_of: dt.date, programme: Programme | None) -> str:
    """What a scorecard without criteria says, naming who must configure them."""
    if programme is None:
        return missing_programme_message(area, as_of)
    level = "thôn, bản, tổ dân phố" if area.level == Level.VILLAGE else "xã, phường, đặc khu"
    named = programme.criteria_set_id_for(area.level)
    if named is not None:
        return (
            f"Bộ tiêu chí mà {programme} chỉ định cho {level} không có hiệu lực vào ngày {as_of:%d/%m/%Y}; "
            f"đề nghị {programme.issuing_body} cập nhật trong phần quản trị."
        )
    return (
        f"{programme} của {programme.issuing_body} chưa chỉ định bộ tiêu chí cho {level}; "
        f"đề nghị {programme.issuing_body} cấu hình trong phần quản trị."
    )


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
    programme_of: dict[int, Programme | None] = {}
    if criteria_set is not None:
        criteria = {criteria_set.pk: list(criteria_set.criteria.order_by("number"))}
        set_of: dict[int, CriteriaSet | None] = {a.pk: criteria_set for a in scored}
    else:
        set_of, programme_of = _governing_sets(scored, as_of) if scored else ({}, {})
        criteria = {s.pk: sorted(s.criteria.all(), key=lambda c: c.number) for s in set_of.values() if s}
    used = {s.pk for s in set_of.values() if s is not None}
    used_criteria = [c for set_pk in used for c in criteria[set_pk]]

    context = ScoringContext(as_of=as_of, proposal_date=proposal_date)
    params_of = {c.id: rules.validate_params(c.rule, c.params) for c in used_criteria}
    plan = FactPlan()
    for criterion in used_criteria:
        rules.plan_facts(criterion.rule, params_of[criterion.id], context, plan)
    to_score = [a for a in scored if set_of.get(a.pk) is not None]
    facts = gather_facts(areas=to_score, as_of=as_of, plan=plan) if to_score else {}
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
        programme = programme_of.get(area.pk)
        if programme is not None:
            card.programme_name = f"{programme} của {programme.issuing_body}"
        if chosen is None and area.level in SCORED_LEVELS and criteria_set is None:
            card.missing = missing_set_message(area, as_of, programme)
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
    # record that makes the criterion fail. Past the validity the criterion sets, it is shown as
    # expired and settles nothing.
    if outcome.status == Status.NEEDS_EVIDENCE and attestation is not None:
        valid_until = criterion.evidence_valid_until(attestation.attested_on)
        expired = valid_until is not None and valid_until < context.as_of
        result.evidence = EvidenceInfo(
            attestation_id=attestation.pk,
            officer=attestation.officer_name
            + (f", {attestation.officer_position}" if attestation.officer_position else ""),
            attested_on=attestation.attested_on.isoformat(),
            note=attestation.note,
            document_name=attestation.document.name.rsplit("/", 1)[-1],
            valid_until=valid_until.isoformat() if valid_until else None,
            expired=expired,
        )
        if not expired:
            result.status = Status.MET.value
            result.failing = []
    return result


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
    return can(user, Action.ATTEST_EVIDENCE, area)


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
    `attested_on`. Only commune police of the unit may; the criterion must belong to the set
    that scores the unit on that day; the document must be a PDF, JPEG or PNG of at most 10 MB,
    read from its content (`dossiers.uploads.validate_upload`), not trusted from its name."""
    if not can_attest(user, area):
        raise PermissionDenied("Chỉ Công an xã của đơn vị mới được tải lên minh chứng.")
    if area.level not in SCORED_LEVELS:
        raise ValidationError({"area": "Chỉ ghi minh chứng cho thôn, bản hoặc xã."})
    criteria_set = applicable_set(area=area, as_of=attested_on)
    if criteria_set is None or criterion.criteria_set_id != criteria_set.pk:
        raise ValidationError(
            {"criterion": f"Tiêu chí này không thuộc bộ tiêu chí áp dụng cho {area} vào ngày xác nhận."}
        )
    try:
        validate_upload(document)
    except ValidationError as error:
        raise ValidationError({"document": error.messages}) from error
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
