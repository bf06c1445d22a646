import os
from pathlib import Path
from typing import Any

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("khongmatuy")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.on_after_configure.connect
def create_queue_folders(sender: Celery, **_kwargs: Any) -> None:
    """Without a broker server (no REDIS_URL) the queue is kombu's filesystem transport, which
    fails on its first message when its folders are missing: a command that queues a task before
    any worker ran (load_demo, bench_load) creates them here."""
    if not str(sender.conf.broker_url or "").startswith("filesystem://"):
        return
    options = sender.conf.broker_transport_options or {}
    for key in ("data_folder_in", "data_folder_out", "processed_folder", "control_folder"):
        if options.get(key):
            Path(options[key]).mkdir(parents=True, exist_ok=True)
