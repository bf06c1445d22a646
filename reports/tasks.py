"""Background work of the reports: the build a user (or the demo, or the benchmark) triggers, and
the schedule's drafts at period ends and before due dates.

`build_report` is thin: it takes an id and calls `reports.services.build_report`. The message is
acknowledged only after the build (`acks_late`). A worker killed mid-report stops renewing the
build's lease, and `reap_reports` (every REPORT_LEASE_SECONDS / 2 on the beat schedule) queues the
report again; the service makes the re-run end with one archived report. The hard time limit is
below the broker's visibility timeout, so a live build is never delivered twice.
"""

from __future__ import annotations

import weasyprint  # noqa: F401 — loaded (seconds) when the worker starts, not on its first report
from celery import shared_task
from django.conf import settings

from . import lease, services

MAX_RETRIES = 3


@shared_task(
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    max_retries=MAX_RETRIES,
    time_limit=settings.REPORT_TIME_LIMIT,
    soft_time_limit=settings.REPORT_TIME_LIMIT - 30,
)
def build_report(self, report_id: int) -> None:
    try:
        services.build_report(report_id=report_id)
    except Exception as exc:
        final = self.request.retries >= self.max_retries
        services.record_failure(
            report_id=report_id, error=f"Lỗi khi tổng hợp báo cáo: {type(exc).__name__}: {exc}", final=final
        )
        if final:
            raise
        # Exponential backoff: 30 s, 60 s, 120 s.
        raise self.retry(exc=exc, countdown=30 * 2**self.request.retries) from exc


@shared_task(acks_late=True)
def draft_periodic_reports() -> int:
    """Daily: on 30/6 and 31/12 draft the period's reports of every unit that owes one."""
    return len(services.draft_periodic_reports())


@shared_task(acks_late=True)
def draft_due_summaries() -> int:
    """Daily: draft the phase summaries due within 30 days, which the home page then shows."""
    return len(services.draft_due_summaries())


@shared_task
def reap_reports() -> int:
    """Every few seconds: queue again the reports whose build died with its worker."""
    return len(lease.reap_expired())
