"""The suite never writes into the checkout's var/ (tests/conftest.py points every writable
folder at a temporary one, and checks var/ at the end of the session)."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings

from dossiers.signing import signing_dir

CHECKOUT = Path(settings.BASE_DIR)


def _inside_checkout(path) -> bool:
    return Path(path).resolve().is_relative_to(CHECKOUT)


def test_every_folder_the_app_writes_to_is_a_temporary_one():
    for name in ("VAR_DIR", "MEDIA_ROOT", "STATIC_ROOT", "CELERY_QUEUE_DIR"):
        assert not _inside_checkout(getattr(settings, name)), name
    assert not _inside_checkout(signing_dir())


def test_the_local_queue_of_the_celery_app_is_a_temporary_one():
    from config.celery import app

    folders = {k: v for k, v in app.conf.broker_transport_options.items() if "folder" in k}
    if settings.REDIS_URL:
        assert not folders
    else:
        assert folders and not any(_inside_checkout(folder) for folder in folders.values())
