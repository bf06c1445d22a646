"""Twenty people pressing the same button at once: one move, nineteen clear refusals.

Runs on PostgreSQL only (SQLite has no row locks); CI runs the suite on PostgreSQL."""

from __future__ import annotations

import threading

import pytest
from django.conf import settings
from django.db import connection

from dossiers import services
from dossiers.models import Dossier, DossierEvent
from dossiers.route import Move, State
from dossiers.services import MoveRefused

from .conftest import issue_proposal

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(not settings.USING_POSTGRES, reason="row locks need PostgreSQL"),
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("shipped_criteria_sets"),
]

THREADS = 20


def test_twenty_concurrent_forwards_make_exactly_one_move_and_nineteen_refusals(walk, people, tree):
    dossier = walk.to(walk.register(tree.ta_leng), State.SUBMITTED)
    barrier = threading.Barrier(THREADS)
    outcomes: list[str] = []
    lock = threading.Lock()

    def press() -> None:
        try:
            barrier.wait(timeout=30)
            try:
                services.move(dossier_id=dossier.pk, move=Move.FORWARD, user=people.commune_chair)
                result = "moved"
            except MoveRefused as refusal:
                result = refusal.message
            with lock:
                outcomes.append(result)
        finally:
            connection.close()

    threads = [threading.Thread(target=press) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert len(outcomes) == THREADS
    assert outcomes.count("moved") == 1
    refusals = [o for o in outcomes if o != "moved"]
    assert len(refusals) == THREADS - 1
    assert all("Đã chuyển cơ quan thẩm định" in r and "không thể" in r for r in refusals)
    assert Dossier.objects.get(pk=dossier.pk).state == State.FORWARDED
    assert DossierEvent.objects.filter(dossier=dossier, move=Move.FORWARD).count() == 1


def _race(count: int, action) -> list[str]:
    barrier = threading.Barrier(count)
    outcomes: list[str] = []
    lock = threading.Lock()

    def press(index: int) -> None:
        try:
            barrier.wait(timeout=30)
            try:
                action(index)
                result = "ok"
            except MoveRefused as refusal:
                result = refusal.message
            with lock:
                outcomes.append(result)
        finally:
            connection.close()

    threads = [threading.Thread(target=press, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=90)
    return outcomes


def test_one_otp_code_signs_one_decision_however_many_sessions_submit_it(walk, people, tree):
    from dossiers.signing import ensure_signer

    from .conftest import otp_code

    villages = [tree.ta_leng, tree.ho_sao]  # both made clean by the `walk` fixture
    dossiers = [walk.to(walk.register(v), State.APPRAISED_PASS) for v in villages]
    for dossier in dossiers:
        issue_proposal(dossier, people.district_police)
    ensure_signer(people.district_chair)
    code = otp_code(people.district_chair)

    def sign(index: int) -> None:
        services.move(
            dossier_id=dossiers[index % 2].pk,
            move=Move.RECOGNISE,
            user=people.district_chair,
            otp_token=code,
        )

    outcomes = _race(10, sign)
    assert len(outcomes) == 10
    assert outcomes.count("ok") == 1, outcomes
    assert Dossier.objects.filter(pk__in=[d.pk for d in dossiers], state=State.RECOGNISED).count() == 1


def test_two_parallel_decisions_of_one_body_and_year_cannot_take_one_number(walk, people, tree):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from dossiers.decisions import verify_otp
    from dossiers.models import Decision
    from dossiers.signing import ensure_signer
    from tests.factories import UserFactory

    dossiers = [walk.to(walk.register(v), State.APPRAISED_PASS) for v in (tree.ta_leng, tree.ho_sao)]
    for dossier in dossiers:
        issue_proposal(dossier, people.district_police)
    # Both chairs use the number 801, reserved by hand in the register (the paper register's).
    from django.utils import timezone

    from registry.services import reserve_number

    reserve_number(
        body=tree.bodies.district_committee,
        kind="QĐ",
        number=801,
        on=timezone.localdate(),
        summary="Số lấy trong sổ giấy",
        by=people.district_chair,
    )
    # Two chairs of the same committee (chair and vice-chair), each with a fresh code.
    vice = UserFactory(
        username="pct", role="deciding_chair", area=tree.phong_tho, body=tree.bodies.district_committee
    )
    chairs = [people.district_chair, vice]
    for chair in chairs:
        ensure_signer(chair)
        TOTPDevice.objects.create(user=chair, name="Thử", confirmed=True)
    assert verify_otp  # the codes themselves are not what this race is about

    from .conftest import otp_code

    codes = [otp_code(chair) for chair in chairs]

    def sign(index: int) -> None:
        services.move(
            dossier_id=dossiers[index].pk,
            move=Move.RECOGNISE,
            user=chairs[index],
            reserved_number="801",
            otp_token=codes[index],
        )

    outcomes = _race(2, sign)
    assert outcomes.count("ok") == 1, outcomes
    assert any("801" in o and ("đã dùng" in o or "đã được dùng" in o) for o in outcomes if o != "ok"), (
        outcomes
    )
    assert Decision.objects.filter(number="801/QĐ-UBND").count() == 1
