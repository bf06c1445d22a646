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
    REVOCATION_PROPOSED = "revocation_proposed", "Đề nghị thu hồi công nhận"
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
    RECALL = "recall", "Rút lại hồ sơ đã gửi"
    RETURN_TO_APPRAISAL = "return_to_appraisal", "Trả lại cơ quan thẩm định"
    PROPOSE_REVOCATION = "propose_revocation", "Đề nghị thu hồi công nhận"
    REVOKE = "revoke", "Ký quyết định thu hồi công nhận"
    KEEP_RECOGNITION = "keep_recognition", "Không thu hồi, giữ công nhận"


S, M, R = State, Move, Role

# (from state, move) -> (to state, the role that may take it)
TRANSITIONS: dict[tuple[str, str], tuple[str, str]] = {
    (S.DRAFT, M.SUBMIT): (S.SUBMITTED, R.COMMUNE_POLICE),
    (S.SUBMITTED, M.RECALL): (S.DRAFT, R.COMMUNE_POLICE),
    (S.SUBMITTED, M.SEND_BACK): (S.DRAFT, R.COMMUNE_CHAIR),
    (S.SUBMITTED, M.FORWARD): (S.FORWARDED, R.COMMUNE_CHAIR),
    (S.FORWARDED, M.RECALL): (S.SUBMITTED, R.COMMUNE_CHAIR),
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
    (S.APPRAISED_PASS, M.RETURN_TO_APPRAISAL): (S.UNDER_APPRAISAL, R.DECIDING_CHAIR),
    (S.COUNCIL_PASSED, M.RECOGNISE): (S.RECOGNISED, R.DECIDING_CHAIR),
    (S.COUNCIL_PASSED, M.REFUSE): (S.NOT_RECOGNISED, R.DECIDING_CHAIR),
    (S.COUNCIL_PASSED, M.RETURN_TO_APPRAISAL): (S.UNDER_APPRAISAL, R.DECIDING_CHAIR),
    (S.APPRAISED_FAIL, M.REFUSE): (S.NOT_RECOGNISED, R.DECIDING_CHAIR),
    (S.APPRAISED_FAIL, M.RETURN_TO_APPRAISAL): (S.UNDER_APPRAISAL, R.DECIDING_CHAIR),
    (S.RECOGNISED, M.PROPOSE_REVOCATION): (S.REVOCATION_PROPOSED, R.APPRAISING_POLICE),
    (S.REVOCATION_PROPOSED, M.REVOKE): (S.REVOKED, R.DECIDING_CHAIR),
    (S.REVOCATION_PROPOSED, M.KEEP_RECOGNITION): (S.RECOGNISED, R.DECIDING_CHAIR),
}

# Where the programme has a council (Hội đồng xét duyệt), an appraised dossier goes to it before
# the chair decides; where it has none, the chair decides on the appraisal.
ONLY_WITH_COUNCIL = {(S.APPRAISED_PASS, M.SEND_TO_COUNCIL)}
ONLY_WITHOUT_COUNCIL = {
    (S.APPRAISED_PASS, M.RECOGNISE),
    (S.APPRAISED_PASS, M.REFUSE),
    (S.APPRAISED_PASS, M.RETURN_TO_APPRAISAL),
}


def applies(state: str, move: str, *, has_council: bool) -> bool:
    """Whether the row (state, move) of the table is part of a route with or without a council."""
    if (state, move) in ONLY_WITH_COUNCIL:
        return has_council
    if (state, move) in ONLY_WITHOUT_COUNCIL:
        return not has_council
    return (state, move) in TRANSITIONS


# Moves that must say why (a return, a negative conclusion or decision, a revocation).
REASON_REQUIRED = {
    M.SEND_BACK,
    M.REQUEST_SUPPLEMENT,
    M.APPRAISE_FAIL,
    M.COUNCIL_FAIL,
    M.REFUSE,
    M.RETURN_TO_APPRAISAL,
    M.PROPOSE_REVOCATION,
    M.REVOKE,
    M.KEEP_RECOGNITION,
}

# Moves that send a dossier up to the next body: the programme's required papers must be there,
# and a score below "đạt" must be explained in writing (a confirmation page shows the readiness).
SENDS_UP = {M.SUBMIT, M.RESUBMIT, M.FORWARD}

# Moves that send a dossier back (or refuse it): the dossier shows who, when, why and what to fix
# at its top until one of `ANSWERS_RETURN` sends it on again.
RETURNS = {M.SEND_BACK, M.REQUEST_SUPPLEMENT, M.RETURN_TO_APPRAISAL, M.REFUSE}
ANSWERS_RETURN = {M.SUBMIT, M.RESUBMIT, M.FORWARD, M.APPRAISE_PASS, M.APPRAISE_FAIL, M.SEND_TO_COUNCIL}

# Outcomes the commune hears of whoever took them.
NOTIFY_COMMUNE = {
    M.REQUEST_SUPPLEMENT,
    M.APPRAISE_PASS,
    M.APPRAISE_FAIL,
    M.RECOGNISE,
    M.REFUSE,
    M.PROPOSE_REVOCATION,
    M.REVOKE,
    M.KEEP_RECOGNITION,
}

# How a notification names each move: "Hồ sơ Bản Tả Lèng bị trả lại, yêu cầu bổ sung …".
NOTICES: dict[str, str] = {
    M.SUBMIT: "đã được trình Chủ tịch UBND xã",
    M.SEND_BACK: "bị trả lại Công an xã",
    M.FORWARD: "đã được chuyển cơ quan thẩm định",
    M.ACCEPT: "đã được tiếp nhận, bắt đầu thẩm định",
    M.REQUEST_SUPPLEMENT: "bị trả lại, yêu cầu bổ sung",
    M.RESUBMIT: "đã được trình lại sau khi bổ sung",
    M.APPRAISE_PASS: "đã được thẩm định đạt",
    M.APPRAISE_FAIL: "bị kết luận thẩm định không đạt",
    M.SEND_TO_COUNCIL: "đã được trình Hội đồng xét duyệt",
    M.COUNCIL_PASS: "được Hội đồng xét duyệt đề nghị công nhận",
    M.COUNCIL_FAIL: "không được Hội đồng xét duyệt đề nghị công nhận",
    M.RECOGNISE: "đã ký quyết định công nhận",
    M.REFUSE: "bị quyết định không công nhận",
    M.RECALL: "đã được người gửi rút lại",
    M.RETURN_TO_APPRAISAL: "bị trả lại cơ quan thẩm định",
    M.PROPOSE_REVOCATION: "bị đề nghị thu hồi công nhận",
    M.REVOKE: "đã ký quyết định thu hồi công nhận",
    M.KEEP_RECOGNITION: "được giữ công nhận, không thu hồi",
}

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
# A recognised unit waits for nobody: it leaves the inboxes for the list (its yearly review, when
# one is open, brings it back to the appraising body's inbox).
DORMANT_STATES = {S.RECOGNISED}


def moves_from(state: str, *, has_council: bool | None = None) -> list[tuple[str, str, str]]:
    """The moves possible from `state`, as (move, to state, role); `has_council` None keeps the
    rows of both kinds of route."""
    return [
        (move, to, role)
        for (frm, move), (to, role) in TRANSITIONS.items()
        if frm == state and (has_council is None or applies(frm, move, has_council=has_council))
    ]


# A move its role may take but need not: a state it alone leaves from waits for nobody.
OPTIONAL_MOVES = {M.RECALL}


def acting_states(role: str) -> set[str]:
    """The states in which a user of `role` has something to do (a recognised unit waits for
    nobody: `DORMANT_STATES`)."""
    states = {
        frm for (frm, move), (_to, who) in TRANSITIONS.items() if who == role and move not in OPTIONAL_MOVES
    } - DORMANT_STATES
    if role in OPINION_ROLES:
        states |= OPINION_STATES
    if role in VOTING_ROLES:
        states |= VOTING_STATES
    return states


def acting_roles(state: str, *, has_council: bool | None = None) -> set[str]:
    roles = {
        role for move, _to, role in moves_from(state, has_council=has_council) if move not in OPTIONAL_MOVES
    }
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
