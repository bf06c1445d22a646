"""The project's Celery app as the worker tests start it, production settings and all, with one
test-only adjustment: rendering slowed by `REPORTS_TEST_RENDER_DELAY` seconds, so that a test can
kill the worker while a report is surely mid-build.
"""

import os
import time

from config.celery import app

_delay = float(os.environ.get("REPORTS_TEST_RENDER_DELAY", "0"))
if _delay:
    import django

    django.setup()
    from reports import output

    _render_pdf = output.render_pdf

    def _slow_render_pdf(report, figures, texts):
        time.sleep(_delay)
        return _render_pdf(report, figures, texts)

    output.render_pdf = _slow_render_pdf

__all__ = ["app"]
