"""The recognition route as data: states, moves, who takes each move, and how long a step may take.

Read `TRANSITIONS` top to bottom and you have the whole route (domain brief §5). The service
`dossiers.services.move` is the only code that applies it.
"""

from __future__ import annotations

from django.db import models

from areas.models import Role
from areas.permissions import CO_APPRAISING_ROLES, COMMUNE_ROLES  # noqa: F401 (read from here too)


class State(models.TextChoices):
    DRAFT = "draft", "Công an xã đang chuẩn bị"
    SUBMITTED = "submitted", "Đã trình Chủ tịch UBND xã"
    FORWARDED = "forwarded", "Đã chuyển cơ quan thẩm định"
    UNDER_APPRAISAL = "under_appraisal", "Đang thẩm định"
    RETURNED = "returned", "Yêu cầu bổ sung hồ sơ"
    APPRAISED_PASS = "appraised_pass", "Thẩm định đạt"
    APPRAISED_FAIL = "appraised_fail", "Thẩm định không đạt"
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
    (S.APPRAISED_PASS, M.RECOGNISE): (S.RECOGNISED, R.DECIDING_CHAIR),
    (S.APPRAISED_PASS, M.REFUSE): (S.NOT_RECOGNISED, R.DECIDING_CHAIR),
    (S.APPRAISED_FAIL, M.REFUSE): (S.NOT_RECOGNISED, R.DECIDING_CHAIR),
    (S.RECOGNISED, M.REVOKE): (S.REVOKED, R.DECIDING_CHAIR),
}

# Moves that must say why (a return, a negative conclusion or decision, a revocation).
REASON_REQUIRED = {M.SEND_BACK, M.REQUEST_SUPPLEMENT, M.APPRAISE_FAIL, M.REFUSE, M.REVOKE}

# Moves that freeze a scorecard snapshot of the unit, and under which name.
FREEZES_SCORECARD = {
    M.SUBMIT: "submission",
    M.RESUBMIT: "submission",
    M.APPRAISE_PASS: "appraisal",
    M.APPRAISE_FAIL: "appraisal",
}

# Roles acting for the commune (`COMMUNE_ROLES`) and the co-appraising departments, who give their
# opinion while a dossier is under appraisal, are named once in the policy (`areas.permissions`).
OPINION_ROLES = CO_APPRAISING_ROLES
OPINION_STATES = {S.UNDER_APPRAISAL}

# Days a step may take before the inbox marks it overdue (states where someone must act).
STEP_DEADLINE_DAYS: dict[str, int] = {
    S.DRAFT: 30,
    S.SUBMITTED: 15,
    S.FORWARDED: 15,
    S.UNDER_APPRAISAL: 15,
    S.RETURNED: 15,
    S.APPRAISED_PASS: 15,
    S.APPRAISED_FAIL: 15,
}

FINAL_STATES = {S.NOT_RECOGNISED, S.REVOKED}


def moves_from(state: str) -> list[tuple[str, str, str]]:
    """The moves possible from `state`, as (move, to state, role)."""
    return [(move, to, role) for (frm, move), (to, role) in TRANSITIONS.items() if frm == state]


def acting_states(role: str) -> set[str]:
    """The states in which a user of `role` has something to do."""
    states = {frm for (frm, _move), (_to, who) in TRANSITIONS.items() if who == role}
    if role in OPINION_ROLES:
        states |= OPINION_STATES
    return states


def acting_roles(state: str) -> set[str]:
    roles = {role for _move, _to, role in moves_from(state)}
    if state in OPINION_STATES:
        roles |= OPINION_ROLES
    return roles
