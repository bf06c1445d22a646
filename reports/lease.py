"""A report build's lease on its row, so that a build whose worker died is redone within a minute.

The build that starts a report takes the lease (`lease_until`, REPORT_LEASE_SECONDS ahead) and a
heartbeat thread renews it while the build runs. A worker killed with SIGKILL takes its heartbeat
with it: the lease runs out, and the reaper on the beat schedule queues the report again. A second
delivery of the message while the lease is alive (the broker's visibility timeout, a reaped
report's old message coming back) finds the report held and leaves it alone, so one report is
built by one worker at a time.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial

from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.db.models import Q
from django.utils import timezone

from .models import ReportRequest, ReportStatus

log = logging.getLogger(__name__)

# Builds started and lost with their worker before the reaper gives up on a report.
MAX_ATTEMPTS = 5


def _seconds() -> float:
    return float(settings.REPORT_LEASE_SECONDS)


def expiry(now: dt.datetime | None = None) -> dt.datetime:
    return (now or timezone.now()) + dt.timedelta(seconds=_seconds())


def is_held(report: ReportRequest, now: dt.datetime | None = None) -> bool:
    """Another build is running this report and is alive (its heartbeat renews the lease)."""
    return (
        report.status == ReportStatus.RUNNING
        and report.lease_until is not None
        and report.lease_until > (now or timezone.now())
    )


@contextmanager
def heartbeat(report_id: int) -> Iterator[None]:
    """Renew the lease of `report_id` every third of its length while the block runs."""
    stop = threading.Event()

    def beat() -> None:
        try:
            while not stop.wait(_seconds() / 3):
                try:
                    ReportRequest.objects.filter(pk=report_id, status=ReportStatus.RUNNING).update(
                        lease_until=expiry()
                    )
                except DatabaseError:
                    # A missed beat only shortens the lease; the next one may get through.
                    log.warning("report %s: heartbeat not recorded", report_id, exc_info=True)
        finally:
            connection.close()  # this thread's own connection

    thread = threading.Thread(target=beat, name=f"report-{report_id}-heartbeat", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()


def reap_expired(*, now: dt.datetime | None = None) -> list[int]:
    """Queue again every running report whose lease ran out; return their ids.

    Idempotent: each report is claimed by one conditional UPDATE, so two reapers (or two beats)
    queue it once. A report lost MAX_ATTEMPTS times is marked failed instead of looping. A row
    left running without a lease (started before leases existed) counts once older than a lease.
    """
    from .tasks import build_report

    now = now or timezone.now()
    expired = Q(status=ReportStatus.RUNNING) & (
        Q(lease_until__lt=now)
        | Q(lease_until__isnull=True, started_at__lt=now - dt.timedelta(seconds=_seconds()))
    )
    requeued = []
    for pk, attempts in ReportRequest.objects.filter(expired).values_list("pk", "attempts"):
        with transaction.atomic():
            claim = ReportRequest.objects.filter(expired, pk=pk)
            if attempts >= MAX_ATTEMPTS:
                claim.update(
                    status=ReportStatus.FAILED,
                    lease_until=None,
                    error=f"Việc tổng hợp báo cáo bị gián đoạn {attempts} lần (máy xử lý dừng đột ngột); "
                    "hãy yêu cầu tổng hợp lại hoặc báo quản trị hệ thống.",
                )
                continue
            if claim.update(status=ReportStatus.QUEUED, lease_until=None):
                transaction.on_commit(partial(build_report.delay, pk))
                requeued.append(pk)
    if requeued:
        log.warning("reports %s: lease expired, queued again", requeued)
    return requeued
