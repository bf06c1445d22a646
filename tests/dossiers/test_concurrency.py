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

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(not settings.USING_POSTGRES, reason="row locks need PostgreSQL"),
    pytest.mark.django_db(transaction=True),
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
