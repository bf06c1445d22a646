"""Twenty documents of one body numbered at the same instant get twenty distinct numbers.

PostgreSQL only (SQLite has no row locks and serialises writers anyway)."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.conf import settings
from django.db import connection

from registry import services
from registry.models import DocumentKind, OutgoingEntry

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(not settings.USING_POSTGRES, reason="row locks need PostgreSQL"),
    pytest.mark.django_db(transaction=True),
]

THREADS = 20


def test_twenty_parallel_numberings_in_one_body_and_year_get_twenty_distinct_numbers(tree):
    body = tree.bodies.district_committee
    barrier = threading.Barrier(THREADS)
    numbers: list[int] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def sign() -> None:
        try:
            barrier.wait(timeout=30)
            entry = services.take_number(
                body=body, kind=DocumentKind.DECISION, on=dt.date(2026, 5, 4), summary="Công nhận"
            )
            with lock:
                numbers.append(entry.number)
        except BaseException as exc:  # noqa: BLE001 — reported below
            with lock:
                errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=sign) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    assert sorted(numbers) == list(range(1, THREADS + 1))
    assert OutgoingEntry.objects.filter(body=body, year=2026).count() == THREADS
