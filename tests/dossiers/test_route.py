"""The route table and who may take each move: every move × every persona."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from areas.models import Body, BodyKind, Role
from dossiers import services
from dossiers.models import CouncilVote, Dossier, DossierEvent
from dossiers.route import (
    FINAL_STATES,
    ONLY_WITH_COUNCIL,
    REASON_REQUIRED,
    TRANSITIONS,
    Move,
    State,
    deadline_function,
)
from dossiers.services import MoveRefused
from dossiers.signing import ensure_signer
from tests.factories import UserFactory

from .conftest import issue_proposal, otp_code

# The persona who owns each move on a dossier of Bản Tả Lèng (Xã Hoang Thèn, Huyện Phong Thổ).
OWNER = {
    "commune_police": "commune_police",
    "commune_chair": "commune_chair",
    "appraising_police": "district_police",
    "deciding_chair": "district_chair",
}
PERSONAS = [
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
]


def test_every_state_is_reachable_and_every_non_final_state_has_a_way_out():
    reached = {State.DRAFT} | {to for to, _role in TRANSITIONS.values()}
    assert reached == set(State.values)
    leaving = {frm for frm, _move in TRANSITIONS}
    assert set(State.values) - leaving == FINAL_STATES


def test_every_state_where_someone_must_act_names_the_function_whose_deadline_runs():
    leaving = {frm for frm, _move in TRANSITIONS} - {State.RECOGNISED}
    for state in leaving:
        assert deadline_function(state, has_council=True) is not None, state
    for state in leaving - {State.COUNCIL_REVIEW, State.COUNCIL_PASSED}:
        assert deadline_function(state, has_council=False) is not None, state


COUNCIL_STATES = {State.COUNCIL_REVIEW, State.COUNCIL_PASSED}


def _with_council_if_needed(dossier, tree, from_state, move):
    """Rows of the table that exist only where the programme has a council get a dossier with one
    (a council of one member who voted for recognition)."""
    if from_state not in COUNCIL_STATES and (from_state, move) not in ONLY_WITH_COUNCIL:
        return
    council = Body.objects.create(
        area=tree.phong_tho,
        kind=BodyKind.COUNCIL,
        name="Hội đồng xét duyệt thử",
        head_title="Chủ tịch",
        symbol="HĐXD",
    )
    member = UserFactory(username="tv_hd", role=Role.COUNCIL_MEMBER, area=tree.phong_tho, body=council)
    Dossier.objects.filter(pk=dossier.pk).update(council=council)
    CouncilVote.objects.create(dossier=dossier, member=member, agrees=True)


def _extra(move, user):
    if move == Move.RECOGNISE:
        ensure_signer(user)
        return {"otp_token": otp_code(user)}
    if move == Move.REVOKE:
        ensure_signer(user)
        return {"otp_token": otp_code(user)}
    if move == Move.PROPOSE_REVOCATION:
        return {"files": [("evidence", SimpleUploadedFile("bien-ban.pdf", b"%PDF-1.4 minh chung"))]}
    return {}


@pytest.mark.parametrize(("from_state", "move"), list(TRANSITIONS))
def test_only_the_owner_of_a_move_may_take_it_and_a_refusal_changes_nothing(
    walk, people, tree, from_state, move
):
    dossier = walk.register(tree.ta_leng)
    Dossier.objects.filter(pk=dossier.pk).update(state=from_state)
    _with_council_if_needed(dossier, tree, from_state, move)
    if move == Move.RECOGNISE:
        issue_proposal(dossier, people.district_police)
    to_state, role = TRANSITIONS[(from_state, move)]
    owner = OWNER[role]
    comment = "Lý do ghi rõ" if move in REASON_REQUIRED else ""
    events_before = DossierEvent.objects.filter(dossier=dossier).count()

    for name in PERSONAS:
        if name == owner:
            continue
        user = getattr(people, name)
        with pytest.raises(MoveRefused) as refusal:
            services.move(dossier_id=dossier.pk, move=move, user=user, comment=comment, **_extra(move, user))
        assert refusal.value.message
        dossier.refresh_from_db()
        assert dossier.state == from_state, name
        assert DossierEvent.objects.filter(dossier=dossier).count() == events_before, name

    user = getattr(people, owner)
    moved = services.move(dossier_id=dossier.pk, move=move, user=user, comment=comment, **_extra(move, user))
    assert moved.state == to_state
    event = DossierEvent.objects.filter(dossier=dossier).latest("at")
    assert (event.from_state, event.to_state, event.actor, event.move) == (from_state, to_state, user, move)


@pytest.mark.parametrize(("from_state", "move"), list(TRANSITIONS))
def test_a_move_taken_twice_is_refused_the_second_time_with_a_clear_message(
    walk, people, tree, from_state, move
):
    dossier = walk.register(tree.ta_leng)
    Dossier.objects.filter(pk=dossier.pk).update(state=from_state)
    _with_council_if_needed(dossier, tree, from_state, move)
    if move == Move.RECOGNISE:
        issue_proposal(dossier, people.district_police)
    user = getattr(people, OWNER[TRANSITIONS[(from_state, move)][1]])
    comment = "Lý do ghi rõ" if move in REASON_REQUIRED else ""
    services.move(dossier_id=dossier.pk, move=move, user=user, comment=comment, **_extra(move, user))
    after = Dossier.objects.get(pk=dossier.pk)
    if (after.state, move) in TRANSITIONS:  # e.g. none today; a loop would make a second move legal
        return
    with pytest.raises(MoveRefused, match="không thể"):
        services.move(dossier_id=dossier.pk, move=move, user=user, comment=comment, **_extra(move, user))
    assert Dossier.objects.get(pk=dossier.pk).state == after.state


@pytest.mark.parametrize("move", sorted(REASON_REQUIRED))
def test_returns_negative_outcomes_and_revocation_need_a_reason(walk, people, tree, move):
    from_state = next(frm for frm, m in TRANSITIONS if m == move)
    dossier = walk.register(tree.ta_leng)
    Dossier.objects.filter(pk=dossier.pk).update(state=from_state)
    _with_council_if_needed(dossier, tree, from_state, move)
    if move == Move.RECOGNISE:
        issue_proposal(dossier, people.district_police)
    user = getattr(people, OWNER[TRANSITIONS[(from_state, move)][1]])
    with pytest.raises(MoveRefused, match="lý do"):
        services.move(dossier_id=dossier.pk, move=move, user=user, comment="   ")
    assert Dossier.objects.get(pk=dossier.pk).state == from_state


def test_an_unknown_move_is_refused(walk, people, tree):
    dossier = walk.register(tree.ta_leng)
    with pytest.raises(MoveRefused, match="không hợp lệ"):
        services.move(dossier_id=dossier.pk, move="approve_everything", user=people.commune_police)


def test_tan_an_without_a_district_is_appraised_and_decided_by_the_city(walk, people, tree):
    chair = UserFactory(
        username="ctx_tanan",
        role="commune_chair",
        area=tree.tan_an,
        body=getattr(tree.bodies, f"committee_{tree.tan_an.pk}"),
    )
    dossier = walk.register(tree.trai_mua, user=people.tanan_police)
    assert (dossier.appraiser, dossier.decider) == (tree.bodies.city_police, tree.bodies.city_committee)
    assert dossier.programme == tree.programmes.hai_phong
    with pytest.raises(MoveRefused):
        walk.to(
            dossier, State.UNDER_APPRAISAL, police=people.tanan_police, chair=chair
        )  # district police refused
    dossier.refresh_from_db()
    assert dossier.state == State.FORWARDED
    dossier = walk.step(dossier, Move.ACCEPT, people.city_police)
    dossier = walk.step(dossier, Move.APPRAISE_PASS, people.city_police)
    dossier = walk.to(dossier, State.RECOGNISED, appraiser=people.city_police, decider=people.city_chair)
    assert dossier.state == State.RECOGNISED
    assert dossier.decision.number == "01/QĐ-UBND"
