"""The recognition route as data: states, moves and the role that takes each move.

Read `TRANSITIONS` top to bottom and you have the whole route (domain brief §5). Which body holds
each role for a dossier, whether a council votes, and how long a step may take come from the
dossier's programme (`programmes.RouteStep`). The service `dossiers.services.move` is the only code
that applies the route.
"""

from __future__ import annotations

from django.db import models

from areas.models import Role
from areas.permissions import CO_APPRAISING_ROLES, COMMUNE_ROLES, COUNCIL_ROLES  # noqa: F401 (read from here too)
from programmes.models import RouteFunction


class State(models.TextChoices):
    DRAFT = "draft", "Công an xã đang chuẩn bị"
    SUBMITTED = "submitted", "Đã trình Chủ tịch UBND xã"
    FORWARDED = "forwarded", "Đã chuyển cơ quan thẩm định"
    UNDER_APPRAISAL = "under_appraisal", "Đang thẩm định"
    RETURNED = "returned", "Yêu cầu bổ sung hồ sơ"
    APPRAISED_PASS = "appraised_pass", "Thẩm định đạt"
    APPRAISED_FAIL = "appraised_fail", "Thẩm định không đạt"
    COUNCIL_REVIEW = "council_review", "Hội đồng xét duyệt đang xem xét"
    COUNCIL_PASSED = "council_passed", "Hội đồng xét duyệt đề nghị công nhận"
    RECOGNISED = "recognised", "Đã công nhận"
    NOT_RECOGNISED = "not_recognised", "Không công nhận"
    REVOKED = "revoked", "Đã thu hồi công nhận"


class Move(models.TextChoices):
    SUBMIT = "submit", "Trình Chủ tịch UBND xã"
    SEND_BACK = "send_back", "Trả lại Công an xã"
    FORWARD = "forward", "Chuyển cơ quan thẩm định"
    ACCEPT = "accept", "Tiếp nhận, bắt đầu thẩm định"
    REQUEST_SUPPLEMENT = "request_supplement", "Yêu cầu bổ sung hồ sơ"
    RESUBMIT = "resubmit", "Trình lại sau khi bổ sung"
    APPRAISE_PASS = "appraise_pass", "Kết luận thẩm định: đạt"
    APPRAISE_FAIL = "appraise_fail", "Kết luận thẩm định: không đạt"
    SEND_TO_COUNCIL = "send_to_council", "Trình Hội đồng xét duyệt"
    COUNCIL_PASS = "council_pass", "Ghi kết quả biểu quyết: đề nghị công nhận"
    COUNCIL_FAIL = "council_fail", "Ghi kết quả biểu quyết: không đề nghị công nhận"
    RECOGNISE = "recognise", "Ký quyết định công nhận"
    REFUSE = "refuse", "Quyết định không công nhận"
    REVOKE = "revoke", "Thu hồi công nhận"


S, M, R = State, Move, Role

# (from state, move) -> (to state, the role that may take it)
TRANSITIONS: dict[tuple[str, str], tuple[str, str]] = {
    (S.DRAFT, M.SUBMIT): (S.SUBMITTED, R.COMMUNE_POLICE),
    (S.SUBMITTED, M.SEND_BACK): (S.DRAFT, R.COMMUNE_CHAIR),
    (S.SUBMITTED, M.FORWARD): (S.FORWARDED, R.COMMUNE_CHAIR),
    (S.FORWARDED, M.ACCEPT): (S.UNDER_APPRAISAL, R.APPRAISING_POLICE),
    (S.UNDER_APPRAISAL, M.REQUEST_SUPPLEMENT): (S.RETURNED, R.APPRAISING_POLICE),
    (S.RETURNED, M.RESUBMIT): (S.SUBMITTED, R.COMMUNE_POLICE),
    (S.UNDER_APPRAISAL, M.APPRAISE_PASS): (S.APPRAISED_PASS, R.APPRAISING_POLICE),
    (S.UNDER_APPRAISAL, M.APPRAISE_FAIL): (S.APPRAISED_FAIL, R.APPRAISING_POLICE),
    (S.APPRAISED_PASS, M.SEND_TO_COUNCIL): (S.COUNCIL_REVIEW, R.APPRAISING_POLICE),
    (S.COUNCIL_REVIEW, M.COUNCIL_PASS): (S.COUNCIL_PASSED, R.APPRAISING_POLICE),
    (S.COUNCIL_REVIEW, M.COUNCIL_FAIL): (S.APPRAISED_FAIL, R.APPRAISING_POLICE),
    (S.APPRAISED_PASS, M.RECOGNISE): (S.RECOGNISED, R.DECIDING_CHAIR),
    (S.APPRAISED_PASS, M.REFUSE): (S.NOT_RECOGNISED, R.DECIDING_CHAIR),
    (S.COUNCIL_PASSED, M.RECOGNISE): (S.RECOGNISED, R.DECIDING_CHAIR),
    (S.COUNCIL_PASSED, M.REFUSE): (S.NOT_RECOGNISED, R.DECIDING_CHAIR),
    (S.APPRAISED_FAIL, M.REFUSE): (S.NOT_RECOGNISED, R.DECIDING_CHAIR),
    (S.RECOGNISED, M.REVOKE): (S.REVOKED, R.DECIDING_CHAIR),
}

# Where the programme has a council (Hội đồng xét duyệt), an appraised dossier goes to it before
# the chair decides; where it has none, the chair decides on the appraisal.
ONLY_WITH_COUNCIL = {(S.APPRAISED_PASS, M.SEND_TO_COUNCIL)}
ONLY_WITHOUT_COUNCIL = {(S.APPRAISED_PASS, M.RECOGNISE), (S.APPRAISED_PASS, M.REFUSE)}


def applies(state: str, move: str, *, has_council: bool) -> bool:
    """Whether the row (state, move) of the table is part of a route with or without a council."""
    if (state, move) in ONLY_WITH_COUNCIL:
        return has_council
    if (state, move) in ONLY_WITHOUT_COUNCIL:
        return not has_council
    return (state, move) in TRANSITIONS


# Moves that must say why (a return, a negative conclusion or decision, a revocation).
REASON_REQUIRED = {M.SEND_BACK, M.REQUEST_SUPPLEMENT, M.APPRAISE_FAIL, M.COUNCIL_FAIL, M.REFUSE, M.REVOKE}

# Moves that freeze a scorecard snapshot of the unit, and under which name.
FREEZES_SCORECARD = {
    M.SUBMIT: "submission",
    M.RESUBMIT: "submission",
    M.APPRAISE_PASS: "appraisal",
    M.APPRAISE_FAIL: "appraisal",
}

# Roles acting for the commune (`COMMUNE_ROLES`) and the co-appraising bodies, who give their
# opinion while a dossier is under appraisal, are named once in the policy (`areas.permissions`);
# council members vote while it is before the council.
OPINION_ROLES = CO_APPRAISING_ROLES
OPINION_STATES = {S.UNDER_APPRAISAL}
VOTING_ROLES = COUNCIL_ROLES
VOTING_STATES = {S.COUNCIL_REVIEW}

# The function of the programme's route each role fills: it names the body that acts.
ROLE_FUNCTION: dict[str, str] = {
    R.COMMUNE_POLICE: RouteFunction.PREPARE,
    R.COMMUNE_CHAIR: RouteFunction.REVIEW,
    R.APPRAISING_POLICE: RouteFunction.APPRAISE,
    R.CO_APPRAISER: RouteFunction.CO_APPRAISE,
    R.COUNCIL_MEMBER: RouteFunction.COUNCIL,
    R.DECIDING_CHAIR: RouteFunction.DECIDE,
}

FINAL_STATES = {S.NOT_RECOGNISED, S.REVOKED}


def moves_from(state: str, *, has_council: bool | None = None) -> list[tuple[str, str, str]]:
    """The moves possible from `state`, as (move, to state, role); `has_council` None keeps the
    rows of both kinds of route."""
    return [
        (move, to, role)
        for (frm, move), (to, role) in TRANSITIONS.items()
        if frm == state and (has_council is None or applies(frm, move, has_council=has_council))
    ]


def acting_states(role: str) -> set[str]:
    """The states in which a user of `role` has something to do."""
    states = {frm for (frm, _move), (_to, who) in TRANSITIONS.items() if who == role}
    if role in OPINION_ROLES:
        states |= OPINION_STATES
    if role in VOTING_ROLES:
        states |= VOTING_STATES
    return states


def acting_roles(state: str, *, has_council: bool | None = None) -> set[str]:
    roles = {role for _move, _to, role in moves_from(state, has_council=has_council)}
    if state in OPINION_STATES:
        roles |= OPINION_ROLES
    if state in VOTING_STATES:
        roles |= VOTING_ROLES
    return roles


def deadline_function(state: str, *, has_council: bool) -> str | None:
    """The route function whose deadline runs while a dossier is in `state` (none once recognised:
    a revocation has no deadline)."""
    if state == S.RECOGNISED:
        return None
    roles = {role for _move, _to, role in moves_from(state, has_council=has_council)}
    if state in VOTING_STATES:
        return RouteFunction.COUNCIL
    for role in (R.DECIDING_CHAIR, R.APPRAISING_POLICE, R.COMMUNE_CHAIR, R.COMMUNE_POLICE):
        if role in roles:
            return ROLE_FUNCTION[role]
    return None
