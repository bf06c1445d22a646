"""Background work of the route: the nightly watch over recognised units."""

from __future__ import annotations

from celery import shared_task

from . import services


@shared_task(autoretry_for=(ConnectionError,), retry_backoff=True, max_retries=3)
def watch_recognised_units() -> int:
    """Re-score every recognised unit; returns how many new alerts were raised."""
    return len(services.watch_recognised())


@shared_task(autoretry_for=(ConnectionError,), retry_backoff=True, max_retries=3)
def open_yearly_reviews() -> int:
    """Open the yearly "giữ vững" review of each recognised unit that is due; returns how many."""
    return len(services.open_due_reviews())
