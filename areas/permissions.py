"""Who may do what: the one place that answers "may this user take this action on this object".

What a user may *see* is the jurisdiction gate (`areas.jurisdiction`); this module decides what
they may *do* inside it. Views, templates (the `{% can %}` tag in `areas.templatetags.policy`), the navigation and the services
all ask `can(user, action, obj)`; nothing else compares roles. Roles appear only as
`areas.models.Role` members gathered in the named sets below, so a change of roles is a change
of one line here.

Dossier moves are not decided here: `dossiers.route.TRANSITIONS` says which role takes which
move, and this module only adds on whose behalf the user acts (`acts_for`).
"""

from __future__ import annotations

import enum
from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils import timezone

from .jurisdiction import area_is_visible
from .models import Area, Level, Role

# ---------------------------------------------------------------- the roles, gathered once

# The commune's own roles: they act for their commune; every other role acts for a body above it.
COMMUNE_ROLES = frozenset({Role.COMMUNE_POLICE, Role.COMMUNE_CHAIR})
# The co-appraising bodies give their opinion while a dossier is under appraisal.
CO_APPRAISING_ROLES = frozenset({Role.CO_APPRAISER})
# The members of a council (Hội đồng xét duyệt) vote while a dossier is before it.
COUNCIL_ROLES = frozenset({Role.COUNCIL_MEMBER})
# Read everything in their jurisdiction, write nothing.
READ_ONLY_ROLES = frozenset({Role.PROVINCE_OBSERVER, Role.NATIONAL_OBSERVER})
# Follow every province against its yearly targets and the national goal (the national view).
NATIONAL_ROLES = frozenset({Role.NATIONAL_OBSERVER})
# Keep the registers (and so see full CCCD numbers, attest evidence, register dossiers).
REGISTER_KEEPERS = frozenset({Role.COMMUNE_POLICE})
# Read who opened or exported what in their jurisdiction.
ACCESS_LOG_READERS = frozenset({Role.APPRAISING_POLICE, Role.PROVINCE_OBSERVER})
# Answer for a unit's reports: its police (the standing body) and its chair.
REPORT_WRITERS = frozenset(
    {Role.COMMUNE_POLICE, Role.COMMUNE_CHAIR, Role.APPRAISING_POLICE, Role.DECIDING_CHAIR}
)
# Appraise dossiers criterion by criterion; decide recognition and sign the decision.
APPRAISING_ROLES = frozenset({Role.APPRAISING_POLICE})
DECIDING_ROLES = frozenset({Role.DECIDING_CHAIR})
# Export a whole province's registers (JSON Lines, exchange app): the province's police and its
# steering committee, who read everything in it.
BULK_EXPORTERS = frozenset({Role.APPRAISING_POLICE, Role.PROVINCE_OBSERVER})
# Decide a transfer of a person between communes (chuyển quản lý): the police of the lowest body
# above both communes.
TRANSFER_DECIDERS = APPRAISING_ROLES
# Open a reconciliation round (đợt rà soát) for the communes below: the police of the body above.
ROUND_OPENERS = APPRAISING_ROLES


class Action(enum.StrEnum):
    EDIT_REGISTERS = "edit_registers"  # obj: the unit of the record (or None: "any register")
    SEE_FULL_CCCD = "see_full_cccd"  # obj: the person (or None: the persons of a list in reach)
    READ_ACCESS_LOG = "read_access_log"
    REQUEST_REPORT = "request_report"  # obj: the report's unit (or None)
    EDIT_REPORT = "edit_report"  # obj: the report (its narrative, a rebuild)
    ATTEST_EVIDENCE = "attest_evidence"  # obj: the unit
    REGISTER_DOSSIER = "register_dossier"  # obj: the unit (or None)
    MOVE_DOSSIER = "move_dossier"  # obj: the dossier; any move of the route
    GIVE_OPINION = "give_opinion"  # obj: the dossier
    VOTE_IN_COUNCIL = "vote_in_council"  # obj: the dossier
    ADD_DOSSIER_DOCUMENTS = "add_dossier_documents"  # obj: the dossier
    APPRAISE_CRITERIA = "appraise_criteria"  # obj: the dossier
    CONCLUDE_REVIEW = "conclude_review"  # obj: the dossier (its yearly review)
    REQUEST_TRANSFER = "request_transfer"
    DECIDE_TRANSFER = "decide_transfer"  # obj: the transfer request (or None: "has an inbox")
    USE_ADMIN = "use_admin"
    READ_OUTGOING_REGISTER = "read_outgoing_register"  # obj: the body
    RESERVE_NUMBER = "reserve_number"  # obj: the body
    BULK_EXPORT = "bulk_export"  # obj: the province (or None: "may export some province")
    OPEN_ROUND = "open_round"  # obj: the unit the round covers, or the round (or None)
    WORK_ROUND = "work_round"  # obj: the commune whose part is worked (verify, close)
    ASSIGN_OFFICERS = "assign_officers"  # obj: the unit of the records (or None)
    VIEW_NATION = "view_nation"  # the national view: every province against its targets
    PREPARE_PAPER = "prepare_paper"  # obj: a paper, or anything with .dossier and .kind
    FINALISE_PAPER = "finalise_paper"  # obj: a paper (numbers it in its issuer's register)


# Actions that change something: refused to read-only roles whatever else holds.
WRITE_ACTIONS = frozenset(Action) - {
    Action.SEE_FULL_CCCD,
    Action.READ_ACCESS_LOG,
    Action.READ_OUTGOING_REGISTER,
    Action.BULK_EXPORT,
    Action.VIEW_NATION,
}

REFUSALS: dict[Action, str] = {
    Action.EDIT_REGISTERS: "Chỉ Công an xã được cập nhật sổ theo dõi của xã mình.",
    Action.SEE_FULL_CCCD: "Chỉ Công an xã quản lý đối tượng được xem đầy đủ số CCCD.",
    Action.READ_ACCESS_LOG: "Chỉ Công an huyện / tỉnh được xem nhật ký truy cập.",
    Action.REQUEST_REPORT: "Bạn không được lập báo cáo cho đơn vị này.",
    Action.EDIT_REPORT: "Bạn không được sửa báo cáo này.",
    Action.ATTEST_EVIDENCE: "Chỉ Công an xã của đơn vị mới được tải lên minh chứng.",
    Action.REGISTER_DOSSIER: "Chỉ Công an xã đăng ký xây dựng cho đơn vị của mình.",
    Action.MOVE_DOSSIER: "Bạn không có bước nào cần thực hiện trên hồ sơ này.",
    Action.GIVE_OPINION: "Chỉ cơ quan phối hợp thẩm định cho ý kiến khi hồ sơ đang thẩm định.",
    Action.ADD_DOSSIER_DOCUMENTS: "Chỉ người đang có bước cần thực hiện được bổ sung tài liệu.",
    Action.APPRAISE_CRITERIA: "Chỉ cơ quan thẩm định ghi kết quả thẩm định từng tiêu chí.",
    Action.CONCLUDE_REVIEW: "Chỉ cơ quan chủ trì thẩm định kết luận đợt rà soát hằng năm.",
    Action.REQUEST_TRANSFER: "Chỉ Công an xã được đề nghị tiếp nhận đối tượng chuyển đến.",
    Action.DECIDE_TRANSFER: "Chỉ Công an của cơ quan được đề nghị mới quyết định việc chuyển quản lý.",
    Action.USE_ADMIN: "Chỉ quản trị hệ thống được vào trang quản trị.",
    Action.READ_OUTGOING_REGISTER: "Bạn chỉ xem được sổ văn bản đi của cơ quan mình.",
    Action.RESERVE_NUMBER: "Chỉ cán bộ của cơ quan được giữ số trong sổ văn bản đi của cơ quan.",
    Action.BULK_EXPORT: "Chỉ Công an tỉnh, Ban Chỉ đạo tỉnh được xuất dữ liệu toàn tỉnh của tỉnh mình.",
    Action.OPEN_ROUND: "Chỉ Công an cấp trên của xã (huyện, tỉnh) được mở và kết thúc đợt rà soát.",
    Action.WORK_ROUND: "Chỉ Công an xã được xác minh đối tượng và kết thúc phần rà soát của xã mình.",
    Action.ASSIGN_OFFICERS: "Chỉ Công an xã được giao, bàn giao cán bộ phụ trách đối tượng của xã mình.",
    Action.VIEW_NATION: "Chỉ Cục Cảnh sát điều tra tội phạm về ma túy (C04) được xem số liệu toàn quốc.",
    Action.PREPARE_PAPER: "Văn bản này do cơ quan ban hành soạn, khi hồ sơ đang ở bước của cơ quan đó.",
    Action.FINALISE_PAPER: "Chỉ người đứng đầu cơ quan ban hành hoàn thành, vào sổ văn bản này.",
}


# ---------------------------------------------------------------- the questions


def role_of(user: Any) -> str:
    return getattr(user, "role", "") or ""


def is_signed_in(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and getattr(user, "is_active", False))


def is_read_only(user: Any) -> bool:
    return role_of(user) in READ_ONLY_ROLES


def has_role(user: Any, roles: frozenset[str] | set[str]) -> bool:
    return is_signed_in(user) and role_of(user) in roles


def can(user: Any, action: Action | str, obj: Any = None) -> bool:
    """Whether `user` may take `action` (on `obj`, when the action concerns one)."""
    action = Action(action)
    if not is_signed_in(user):
        return False
    if action in WRITE_ACTIONS and is_read_only(user):
        return False
    return _RULES[action](user, obj)


def require(user: Any, action: Action | str, obj: Any = None) -> None:
    """`can`, or PermissionDenied with the Vietnamese reason."""
    if not can(user, action, obj):
        raise PermissionDenied(REFUSALS[Action(action)])


def _in_reach(user: Any, area: Area | None) -> bool:
    return area is None or area_is_visible(user, area)


def _edit_registers(user: Any, area: Area | None) -> bool:
    return role_of(user) in REGISTER_KEEPERS and _in_reach(user, area)


def _see_full_cccd(user: Any, person: Any) -> bool:
    # Only the commune police who keep the person's record (or, for a list, the records in their
    # reach); everyone else reads the number masked.
    return _edit_registers(user, None if person is None else person.village)


def _read_access_log(user: Any, _obj: Any) -> bool:
    return user.is_superuser or role_of(user) in ACCESS_LOG_READERS


def _request_report(user: Any, unit: Area | None) -> bool:
    from reports.models import REPORT_UNIT_LEVELS

    if not (user.is_superuser or role_of(user) in REPORT_WRITERS):
        return False
    return unit is None or (unit.level in REPORT_UNIT_LEVELS and area_is_visible(user, unit))


def _edit_report(user: Any, report: Any) -> bool:
    # A finished report is archived as it is: a correction is a new version, never an overwrite.
    from reports.models import ReportStatus

    return report.status != ReportStatus.DONE and _request_report(user, report.unit)


def _attest_evidence(user: Any, area: Area | None) -> bool:
    return user.is_superuser or _edit_registers(user, area)


def _register_dossier(user: Any, area: Area | None) -> bool:
    return _edit_registers(user, area)


def acts_for(user: Any, dossier: Any, role: str) -> bool:
    """Whether `user`, holding `role`, acts for the body that takes `role`'s steps on `dossier`:
    the dossier's commune for commune roles, the body its programme's route names otherwise
    (`Dossier.acting_body_ids`)."""
    if not is_signed_in(user) or role_of(user) != role or user.area_id is None:
        return False
    if role in COMMUNE_ROLES:
        return area_is_visible(user, dossier.commune)
    return user.body_id is not None and user.body_id in dossier.acting_body_ids(role)


def takes_move(user: Any, move: str) -> bool:
    """Whether the user's role takes `move` anywhere on the route (before looking at a dossier)."""
    from dossiers.route import TRANSITIONS

    if is_read_only(user):
        return False
    return any(m == move and role == role_of(user) for (_frm, m), (_to, role) in TRANSITIONS.items())


def dossier_moves(user: Any, dossier: Any) -> list[tuple[str, str]]:
    """The moves of the route (`dossiers.route`) `user` may take on `dossier` now, as (move, to)."""
    from dossiers.route import moves_from

    if is_read_only(user):
        return []
    return [
        (move, to)
        for move, to, role in moves_from(dossier.state, has_council=dossier.has_council)
        if acts_for(user, dossier, role)
    ]


def _move_dossier(user: Any, dossier: Any) -> bool:
    return bool(dossier_moves(user, dossier))


def _give_opinion(user: Any, dossier: Any) -> bool:
    from dossiers.route import OPINION_STATES

    return (
        role_of(user) in CO_APPRAISING_ROLES
        and dossier.state in OPINION_STATES
        and acts_for(user, dossier, role_of(user))
    )


def _vote_in_council(user: Any, dossier: Any) -> bool:
    from dossiers.route import VOTING_STATES

    return (
        role_of(user) in COUNCIL_ROLES
        and dossier.state in VOTING_STATES
        and acts_for(user, dossier, role_of(user))
    )


def _add_dossier_documents(user: Any, dossier: Any) -> bool:
    # Whoever has a step to take on the dossier may attach papers to it.
    return _move_dossier(user, dossier) or _give_opinion(user, dossier)


def _appraise_criteria(user: Any, dossier: Any) -> bool:
    from dossiers.route import OPINION_STATES

    return dossier.state in OPINION_STATES and any(acts_for(user, dossier, role) for role in APPRAISING_ROLES)


def _conclude_review(user: Any, dossier: Any) -> bool:
    return any(acts_for(user, dossier, role) for role in APPRAISING_ROLES)


def _request_transfer(user: Any, _obj: Any) -> bool:
    return role_of(user) in REGISTER_KEEPERS and user.area_id is not None


def _decide_transfer(user: Any, transfer: Any) -> bool:
    if role_of(user) not in TRANSFER_DECIDERS or user.area_id is None:
        return False
    return transfer is None or transfer.deciding_body_id == user.area_id


def _open_round(user: Any, obj: Any) -> bool:
    area = getattr(obj, "area", obj)  # a round, or the unit it covers
    if role_of(user) not in ROUND_OPENERS or user.area_id is None:
        return False
    # A body that has ceased (the districts on 01/07/2025) opens no round; its successor does.
    if user.body is None or not user.body.is_open_on(timezone.localdate()):
        return False
    return area is None or (area.level in (Level.DISTRICT, Level.PROVINCE) and area_is_visible(user, area))


def _use_admin(user: Any, _obj: Any) -> bool:
    return bool(user.is_superuser and user.is_staff)


def _read_outgoing_register(user: Any, body: Any) -> bool:
    # Each body keeps its own register; those who follow a jurisdiction read the registers in it.
    if body is None:
        return user.body_id is not None or is_read_only(user) or user.is_superuser
    if user.body_id == body.pk:
        return True
    return (is_read_only(user) or user.is_superuser) and area_is_visible(user, body.area)


def _reserve_number(user: Any, body: Any) -> bool:
    return user.body_id is not None and (body is None or user.body_id == body.pk)


def _bulk_export(user: Any, province: Area | None) -> bool:
    if province is not None and province.level != Level.PROVINCE:
        return False
    if user.is_superuser:
        return True
    own = user.area if user.area_id else None
    if role_of(user) not in BULK_EXPORTERS or own is None or own.level != Level.PROVINCE:
        return False
    return province is None or area_is_visible(user, province)


def _view_nation(user: Any, _obj: Any) -> bool:
    return bool(user.is_superuser) or role_of(user) in NATIONAL_ROLES


def _paper_roles(function: str, *, finalise: bool) -> set[str]:
    """The roles that write a paper issued by the body of route `function`: its issuer's role
    finalises (signs) it; the commune police also prepare the papers of their commune's committee."""
    from dossiers.route import ROLE_FUNCTION

    issuing = {role for role, f in ROLE_FUNCTION.items() if f == function}
    if not finalise and issuing & COMMUNE_ROLES:
        return set(COMMUNE_ROLES)
    return issuing


def _paper_action(user: Any, paper: Any, *, finalise: bool) -> bool:
    from papers.specs import SPECS

    spec = SPECS.get(paper.kind)
    dossier = paper.dossier
    if spec is None or is_read_only(user) or dossier.state not in spec.states:
        return False
    role = role_of(user)
    return role in _paper_roles(spec.function, finalise=finalise) and acts_for(user, dossier, role)


def _prepare_paper(user: Any, paper: Any) -> bool:
    return _paper_action(user, paper, finalise=False)


def _finalise_paper(user: Any, paper: Any) -> bool:
    return _paper_action(user, paper, finalise=True)


_RULES = {
    Action.EDIT_REGISTERS: _edit_registers,
    Action.SEE_FULL_CCCD: _see_full_cccd,
    Action.READ_ACCESS_LOG: _read_access_log,
    Action.REQUEST_REPORT: _request_report,
    Action.EDIT_REPORT: _edit_report,
    Action.ATTEST_EVIDENCE: _attest_evidence,
    Action.REGISTER_DOSSIER: _register_dossier,
    Action.MOVE_DOSSIER: _move_dossier,
    Action.GIVE_OPINION: _give_opinion,
    Action.VOTE_IN_COUNCIL: _vote_in_council,
    Action.ADD_DOSSIER_DOCUMENTS: _add_dossier_documents,
    Action.APPRAISE_CRITERIA: _appraise_criteria,
    Action.CONCLUDE_REVIEW: _conclude_review,
    Action.REQUEST_TRANSFER: _request_transfer,
    Action.DECIDE_TRANSFER: _decide_transfer,
    Action.USE_ADMIN: _use_admin,
    Action.READ_OUTGOING_REGISTER: _read_outgoing_register,
    Action.RESERVE_NUMBER: _reserve_number,
    Action.BULK_EXPORT: _bulk_export,
    Action.OPEN_ROUND: _open_round,
    Action.WORK_ROUND: _edit_registers,
    Action.ASSIGN_OFFICERS: _edit_registers,
    Action.VIEW_NATION: _view_nation,
    Action.PREPARE_PAPER: _prepare_paper,
    Action.FINALISE_PAPER: _finalise_paper,
}


def commune_of(user: Any) -> Area | None:
    """The commune a commune role acts for (None for the other roles)."""
    area: Area | None = user.area if user.area_id else None
    if role_of(user) in COMMUNE_ROLES and area is not None and area.level == Level.COMMUNE:
        return area
    return None


def can_edit_registers(user: Any, area: Area | None = None) -> bool:
    """Shortcut kept for the import pages: `can(user, Action.EDIT_REGISTERS, area)`."""
    return can(user, Action.EDIT_REGISTERS, area)
