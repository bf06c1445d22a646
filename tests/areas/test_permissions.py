"""The policy (`areas.permissions`) as a matrix: every persona × action × an object inside and
outside their jurisdiction, against a table written out by hand from the domain brief (§2, §5)."""

from __future__ import annotations

import re
from pathlib import Path
from types import SimpleNamespace

import pytest

from areas.models import Role
from areas.permissions import Action, can
from dossiers.route import State
from tests.factories import UserFactory

PERSONAS = (
    "commune_police",
    "commune_chair",
    "other_police",
    "district_police",
    "labour",
    "health",
    "district_chair",
    "province",
    "tanan_police",
    "city_police",
    "city_chair",
    "national",
    "superuser",
)


@pytest.fixture
def everyone(people):
    from areas.models import Body, BodyKind
    from areas.services import ensure_national_root

    nation = ensure_national_root()
    c04 = Body.objects.create(
        area=nation, kind=BodyKind.POLICE, name="Cục C04", head_title="Cục trưởng", symbol="C04"
    )
    return {
        **vars(people),
        "national": UserFactory(username="c04", role=Role.NATIONAL_OBSERVER, area=nation, body=c04),
        "superuser": UserFactory(username="root", is_superuser=True, is_staff=True),
    }


class _Dossier(SimpleNamespace):
    """What the policy reads of a dossier: its state, commune and the bodies its route names."""

    def acting_body_ids(self, role: str) -> list[int]:
        return [body.pk for body in self.bodies.get(role, [])]


def _dossier(tree, state, commune="hoang_then", body="phong_tho"):
    b = tree.bodies
    bodies = {
        "phong_tho": {
            "appraising_police": [b.district_police],
            "deciding_chair": [b.district_committee],
            "co_appraiser": [b.labour, b.health],
        },
        "hai_phong": {"appraising_police": [b.city_police], "deciding_chair": [b.city_committee]},
    }[body]
    return _Dossier(state=state, commune=getattr(tree, commune), has_council=False, bodies=bodies)


def _objects(tree):
    """Objects named in the matrix: inside Hoang Thèn, or outside it (Mường So, Tân An)."""
    objects = {
        None: None,
        "ta_leng": tree.ta_leng,
        "co_muong": tree.co_muong,
        "trai_mua": tree.trai_mua,
        "hoang_then": tree.hoang_then,
        "phong_tho": tree.phong_tho,
        "lai_chau": tree.lai_chau,
        "hai_phong": tree.hai_phong,
        "person_ta_leng": SimpleNamespace(village=tree.ta_leng),
        "person_trai_mua": SimpleNamespace(village=tree.trai_mua),
        "draft": _dossier(tree, State.DRAFT),
        "submitted": _dossier(tree, State.SUBMITTED),
        "forwarded": _dossier(tree, State.FORWARDED),
        "under_appraisal": _dossier(tree, State.UNDER_APPRAISAL),
        "appraised_pass": _dossier(tree, State.APPRAISED_PASS),
        "recognised": _dossier(tree, State.RECOGNISED),
        "not_recognised": _dossier(tree, State.NOT_RECOGNISED),
        "tanan_draft": _dossier(tree, State.DRAFT, "tan_an", "hai_phong"),
        "tanan_under_appraisal": _dossier(tree, State.UNDER_APPRAISAL, "tan_an", "hai_phong"),
        "draft_report": SimpleNamespace(status="draft", unit=tree.phong_tho),
        "done_report": SimpleNamespace(status="done", unit=tree.phong_tho),
        "transfer_to_phong_tho": SimpleNamespace(deciding_body_id=tree.phong_tho.pk),
        "transfer_to_hai_phong": SimpleNamespace(deciding_body_id=tree.hai_phong.pk),
        "district_committee_body": tree.bodies.district_committee,
        "city_committee_body": tree.bodies.city_committee,
        "city_police_body": tree.bodies.city_police,
    }
    # Papers of a dossier, before a draft exists: the dossier and the kind of paper.
    for state in ("draft", "submitted", "under_appraisal", "appraised_pass", "tanan_draft"):
        for kind in ("commune_submission", "appraisal_minutes", "appraisal_submission"):
            objects[f"{state}:{kind}"] = SimpleNamespace(dossier=objects[state], kind=kind)
    return objects


# (action, object) -> the personas allowed; everyone else is refused.
MATRIX: dict[tuple[Action, str | None], set[str]] = {
    (Action.EDIT_REGISTERS, None): {"commune_police", "other_police", "tanan_police"},
    (Action.EDIT_REGISTERS, "ta_leng"): {"commune_police"},
    (Action.EDIT_REGISTERS, "co_muong"): {"other_police"},
    (Action.EDIT_REGISTERS, "trai_mua"): {"tanan_police"},
    (Action.SEE_FULL_CCCD, "person_ta_leng"): {"commune_police"},
    (Action.SEE_FULL_CCCD, "person_trai_mua"): {"tanan_police"},
    (Action.READ_ACCESS_LOG, None): {"district_police", "province", "city_police", "superuser"},
    (Action.REQUEST_REPORT, "hoang_then"): {
        "commune_police",
        "commune_chair",
        "district_police",
        "district_chair",
        "superuser",
    },
    (Action.REQUEST_REPORT, "phong_tho"): {"district_police", "district_chair", "superuser"},
    (Action.REQUEST_REPORT, "lai_chau"): {"superuser"},
    (Action.REQUEST_REPORT, "ta_leng"): set(),  # villages do not report
    (Action.ATTEST_EVIDENCE, "ta_leng"): {"commune_police", "superuser"},
    (Action.ATTEST_EVIDENCE, "trai_mua"): {"tanan_police", "superuser"},
    (Action.REGISTER_DOSSIER, "ta_leng"): {"commune_police"},
    (Action.REGISTER_DOSSIER, "co_muong"): {"other_police"},
    (Action.MOVE_DOSSIER, "draft"): {"commune_police"},
    # The sender may recall a dossier until the next body has acted.
    (Action.MOVE_DOSSIER, "submitted"): {"commune_chair", "commune_police"},
    (Action.MOVE_DOSSIER, "forwarded"): {"district_police", "commune_chair"},
    (Action.MOVE_DOSSIER, "under_appraisal"): {"district_police"},
    (Action.MOVE_DOSSIER, "appraised_pass"): {"district_chair"},
    # A revocation is proposed by the appraising police; the chair decides it afterwards.
    (Action.MOVE_DOSSIER, "recognised"): {"district_police"},
    (Action.MOVE_DOSSIER, "not_recognised"): set(),
    (Action.MOVE_DOSSIER, "tanan_draft"): {"tanan_police"},
    (Action.MOVE_DOSSIER, "tanan_under_appraisal"): {"city_police"},
    (Action.GIVE_OPINION, "under_appraisal"): {"labour", "health"},
    # No persona sits on a council here (tests/programmes walks a council's votes end to end).
    (Action.VOTE_IN_COUNCIL, "under_appraisal"): set(),
    (Action.GIVE_OPINION, "forwarded"): set(),
    (Action.GIVE_OPINION, "tanan_under_appraisal"): set(),
    (Action.ADD_DOSSIER_DOCUMENTS, "under_appraisal"): {"district_police", "labour", "health"},
    (Action.ADD_DOSSIER_DOCUMENTS, "draft"): {"commune_police"},
    (Action.EDIT_REPORT, "draft_report"): {"district_police", "district_chair", "superuser"},
    (Action.EDIT_REPORT, "done_report"): set(),
    (Action.APPRAISE_CRITERIA, "under_appraisal"): {"district_police"},
    (Action.APPRAISE_CRITERIA, "forwarded"): set(),
    (Action.CONCLUDE_REVIEW, "recognised"): {"district_police"},
    (Action.CONCLUDE_REVIEW, "tanan_under_appraisal"): {"city_police"},
    (Action.APPRAISE_CRITERIA, "tanan_under_appraisal"): {"city_police"},
    (Action.REQUEST_TRANSFER, None): {"commune_police", "other_police", "tanan_police"},
    (Action.DECIDE_TRANSFER, None): {"district_police", "city_police"},
    (Action.DECIDE_TRANSFER, "transfer_to_phong_tho"): {"district_police"},
    (Action.DECIDE_TRANSFER, "transfer_to_hai_phong"): {"city_police"},
    (Action.USE_ADMIN, None): {"superuser"},
    # A body's register of outgoing documents: its own staff, and those following its jurisdiction.
    (Action.READ_OUTGOING_REGISTER, "district_committee_body"): {
        "district_chair",
        "province",
        "national",
        "superuser",
    },
    (Action.READ_OUTGOING_REGISTER, "city_committee_body"): {"city_chair", "national", "superuser"},
    (Action.RESERVE_NUMBER, "district_committee_body"): {"district_chair"},
    (Action.RESERVE_NUMBER, "city_police_body"): {"city_police"},
    # Only a province is exported whole, by its own police and steering committee.
    (Action.BULK_EXPORT, None): {"province", "city_police", "superuser"},
    (Action.BULK_EXPORT, "lai_chau"): {"province", "superuser"},
    (Action.BULK_EXPORT, "hai_phong"): {"city_police", "superuser"},
    (Action.BULK_EXPORT, "phong_tho"): set(),
    (Action.OPEN_ROUND, None): {"district_police", "city_police"},
    (Action.OPEN_ROUND, "phong_tho"): {"district_police"},
    (Action.OPEN_ROUND, "lai_chau"): set(),  # above the district police; the observer writes nothing
    (Action.OPEN_ROUND, "hoang_then"): set(),  # a round covers the communes below a district or province
    (Action.WORK_ROUND, "hoang_then"): {"commune_police"},
    (Action.WORK_ROUND, "trai_mua"): {"tanan_police"},
    (Action.ASSIGN_OFFICERS, "ta_leng"): {"commune_police"},
    (Action.ASSIGN_OFFICERS, "co_muong"): {"other_police"},
    (Action.VIEW_NATION, None): {"national", "superuser"},
    # The commune police prepare the commune committee's papers while the commune holds the
    # dossier; its chair finalises them; the appraising police write theirs at their step.
    (Action.PREPARE_PAPER, "draft:commune_submission"): {"commune_police", "commune_chair"},
    (Action.PREPARE_PAPER, "submitted:commune_submission"): {"commune_police", "commune_chair"},
    (Action.PREPARE_PAPER, "under_appraisal:commune_submission"): set(),
    (Action.PREPARE_PAPER, "tanan_draft:commune_submission"): {"tanan_police"},
    (Action.PREPARE_PAPER, "draft:appraisal_minutes"): set(),
    (Action.PREPARE_PAPER, "under_appraisal:appraisal_minutes"): {"district_police"},
    (Action.PREPARE_PAPER, "under_appraisal:appraisal_submission"): set(),
    (Action.PREPARE_PAPER, "appraised_pass:appraisal_submission"): {"district_police"},
    (Action.FINALISE_PAPER, "draft:commune_submission"): {"commune_chair"},
    (Action.FINALISE_PAPER, "under_appraisal:commune_submission"): set(),
    (Action.FINALISE_PAPER, "under_appraisal:appraisal_minutes"): {"district_police"},
    (Action.FINALISE_PAPER, "appraised_pass:appraisal_submission"): {"district_police"},
}


@pytest.mark.parametrize(("action", "obj_key"), list(MATRIX), ids=lambda v: str(v))
def test_policy_matrix(action, obj_key, tree, everyone):
    obj = _objects(tree)[obj_key]
    allowed = {name for name in PERSONAS if can(everyone[name], action, obj)}
    assert allowed == MATRIX[(action, obj_key)]


def test_every_action_is_in_the_matrix():
    assert {action for action, _obj in MATRIX} == set(Action)


def test_the_province_observer_writes_nothing_even_where_its_role_would_reach(tree, people, monkeypatch):
    """Read-only roles are refused every write before any other rule: give the observer the
    policy's broadest writing role and it still may write nothing."""
    from areas import permissions

    monkeypatch.setattr(permissions, "REPORT_WRITERS", permissions.REPORT_WRITERS | {Role.PROVINCE_OBSERVER})
    objects = _objects(tree)
    for action, obj_key in MATRIX:
        if action in permissions.WRITE_ACTIONS:
            assert not can(people.province, action, objects[obj_key]), (action, obj_key)
    assert can(people.province, Action.READ_ACCESS_LOG)


def test_signed_out_and_inactive_users_may_do_nothing(tree, people):
    from django.contrib.auth.models import AnonymousUser

    people.commune_police.is_active = False
    for action in (Action.EDIT_REGISTERS, Action.REQUEST_TRANSFER, Action.READ_ACCESS_LOG):
        assert not can(AnonymousUser(), action)
        assert not can(people.commune_police, action)


def test_the_template_tag_answers_as_the_policy(rf, people, tree):
    from django.template import Context, Template

    template = Template('{% load policy %}{% can "edit_registers" area as ok %}{{ ok }}')
    for user, expected in ((people.commune_police, "True"), (people.district_police, "False")):
        request = rf.get("/")
        request.user = user
        assert template.render(Context({"request": request, "area": tree.ta_leng})) == expected


def test_navigation_shows_the_access_log_only_to_its_readers(rf, people):
    from areas.context_processors import navigation

    def labels(user):
        request = rf.get("/")
        request.user = user
        return [item["label"] for item in navigation(request)["nav_items"]]

    assert "Nhật ký truy cập" in labels(people.district_police)
    assert "Nhật ký truy cập" not in labels(people.commune_police)


# ---------------------------------------------------------------- roles only in the policy

ROOT = Path(__file__).resolve().parents[2]
APPS = (
    "areas",
    "subjects",
    "criteria",
    "dossiers",
    "reports",
    "quality",
    "snapshots",
    "exchange",
    "registry",
    "config",
    "templates",
)
# Where a role may be compared: the enum itself, the policy that gathers roles into sets, and the
# route table the policy reads for dossier moves (roles there are data: who takes which move).
ALLOWED = {"areas/models.py", "areas/permissions.py", "dossiers/route.py"}
_ROLE_VALUES = "|".join(re.escape(r.value) for r in Role)
COMPARISONS = [
    re.compile(rf"""["']({_ROLE_VALUES})["']"""),  # a role as a string literal
    re.compile(r"(?<!for )\b(?:\w+\.)?role\s*(==|!=|\bin\b|\bnot in\b)"),  # user.role == …, role in {…}
    re.compile(r"\bRole\.\w+\s*(==|!=)|(==|!=)\s*Role\.\w+"),
]


def _sources():
    for app in APPS:
        for path in (ROOT / app).rglob("*"):
            relative = path.relative_to(ROOT).as_posix()
            if path.suffix not in (".py", ".html") or "/migrations/" in relative or relative in ALLOWED:
                continue
            yield relative, path.read_text(encoding="utf-8")


def test_no_role_comparisons_outside_the_policy():
    found = [
        f"{relative}:{number}: {line.strip()}"
        for relative, text in _sources()
        for number, line in enumerate(text.splitlines(), 1)
        if any(pattern.search(line) for pattern in COMPARISONS)
    ]
    assert found == []
