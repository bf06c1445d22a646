"""The nightly scoring as Celery tasks: `score_nightly` (beat) fans out one `score_province` per
province. A province task takes an id and a day and calls the service; it is acknowledged only
once the province is written (`acks_late`), and a worker process that dies mid-province has its
message given back to the queue (`reject_on_worker_lost`), where another process takes it. The
service upserts on (unit, day), so the redone province rewrites its rows, never duplicates them.
"""

from __future__ import annotations

import datetime as dt

from celery import shared_task

from . import services


@shared_task(
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(ConnectionError,),
    retry_backoff=True,
    max_retries=3,
)
def score_province(province_id: int, day: str) -> int:
    """Score one province on `day` (ISO date); returns the number of units written."""
    return services.snapshot_province(province_id=province_id, day=dt.date.fromisoformat(day)).units


@shared_task(acks_late=True)
def score_nightly() -> int:
    """Nightly: queue the scoring of every province for today; returns how many were queued."""
    return len(services.fan_out())
