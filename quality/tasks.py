from celery import shared_task

from . import services


@shared_task(acks_late=True, autoretry_for=(Exception,), retry_backoff=True, max_retries=3)
def take_quality_snapshots() -> int:
    """Each day: this month's quality scores of every commune (idempotent; the month's last run stands)."""
    return services.take_snapshots()
