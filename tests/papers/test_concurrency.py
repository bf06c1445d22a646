"""Twenty chairs of one committee sign twenty decisions at the same instant through the real
signing service: twenty distinct numbers from the register, 01 to 20.

Runs on PostgreSQL only (SQLite has no row locks); CI runs the suite on PostgreSQL."""

from __future__ import annotations

import threading

import pytest
from django.conf import settings
from django.db import connection

from dossiers import services
from dossiers.models import Decision
from dossiers.route import Move, State
from dossiers.services import MoveRefused
from dossiers.signing import ensure_signer
from registry.models import OutgoingEntry
from tests.dossiers.conftest import issue_proposal, make_clean, otp_code
from tests.factories import AreaFactory, UserFactory

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(not settings.USING_POSTGRES, reason="row locks need PostgreSQL"),
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("shipped_criteria_sets"),
]

SIGNINGS = 20


def test_twenty_parallel_signings_in_one_body_and_year_take_twenty_distinct_numbers(walk, tree, people):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    dossiers, chairs = [], []
    for index in range(SIGNINGS):
        village = make_clean(
            AreaFactory(level="village", kind="bản", name=f"Bản Thử {index + 1:02d}", parent=tree.hoang_then)
        )
        dossier = walk.to(walk.register(village), State.APPRAISED_PASS)
        issue_proposal(dossier, people.district_police)
        dossiers.append(dossier)
        chair = UserFactory(
            username=f"pct_{index}",
            role="deciding_chair",
            area=tree.phong_tho,
            body=tree.bodies.district_committee,
        )
        ensure_signer(chair)
        TOTPDevice.objects.create(user=chair, name="Thử", confirmed=True)
        chairs.append(chair)
    codes = [otp_code(chair) for chair in chairs]
    barrier = threading.Barrier(SIGNINGS)
    outcomes: list[str] = []
    lock = threading.Lock()

    def sign(index: int) -> None:
        try:
            barrier.wait(timeout=60)
            try:
                services.move(
                    dossier_id=dossiers[index].pk,
                    move=Move.RECOGNISE,
                    user=chairs[index],
                    otp_token=codes[index],
                )
                result = "ok"
            except MoveRefused as refusal:
                result = refusal.message
            with lock:
                outcomes.append(result)
        finally:
            connection.close()

    threads = [threading.Thread(target=sign, args=(i,)) for i in range(SIGNINGS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=600)

    assert outcomes == ["ok"] * SIGNINGS, outcomes
    numbers = sorted(Decision.objects.filter(dossier__in=dossiers).values_list("number", flat=True))
    assert numbers == sorted(f"{n:02d}/QĐ-UBND" for n in range(1, SIGNINGS + 1))
    entries = OutgoingEntry.objects.filter(body=tree.bodies.district_committee, kind="QĐ")
    assert sorted(entries.values_list("number", flat=True)) == list(range(1, SIGNINGS + 1))
    assert all(entry.document_id is not None for entry in entries)
