"""The project's Celery app as the snapshot worker tests start it, production settings and all,
with one test-only adjustment: with `SNAPSHOTS_TEST_BATCH_DELAY`, a province is written one
commune per batch and each batch is followed by that many seconds' pause, so that a test can kill
the worker process while a province is surely half-written.
"""

import os
import time

from config.celery import app

_delay = float(os.environ.get("SNAPSHOTS_TEST_BATCH_DELAY", "0"))
if _delay:
    import django

    django.setup()
    from snapshots import services

    services.COMMUNES_PER_BATCH = 1
    _write_batch = services._write_batch

    def _slow_write_batch(rows):
        _write_batch(rows)
        time.sleep(_delay)

    services._write_batch = _slow_write_batch

__all__ = ["app"]
