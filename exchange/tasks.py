"""The bulk export's background build: thin, an id in, the service does the work."""

from __future__ import annotations

from celery import shared_task

from . import services

MAX_RETRIES = 3


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True, max_retries=MAX_RETRIES, time_limit=3600)
def build_bulk_export(self, export_id: int) -> None:
    try:
        services.build_export(export_id=export_id)
    except Exception as exc:
        final = self.request.retries >= self.max_retries
        services.record_export_failure(
            export_id=export_id, error=f"Lỗi khi tạo tệp xuất: {type(exc).__name__}: {exc}", final=final
        )
        if final:
            raise
        raise self.retry(exc=exc, countdown=30 * 2**self.request.retries) from exc
