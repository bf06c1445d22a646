"""The session's idle expiry slides as before, but the session row is written at most once a
minute instead of on every page (config/sessions.py). Seen failing before: with
SESSION_SAVE_EVERY_REQUEST every GET rewrote the row."""

from __future__ import annotations

import datetime as dt
from unittest import mock

import pytest
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext

from config import sessions


def _session_writes(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    return sum(
        'UPDATE "django_session"' in q["sql"] or 'INSERT INTO "django_session"' in q["sql"] for q in captured
    )


@pytest.mark.django_db
def test_pages_within_a_minute_do_not_rewrite_the_session(client, django_user_model):
    user = django_user_model.objects.create_user(username="phien", password="x" * 12)
    client.force_login(user)  # the login stamps the session
    assert _session_writes(client, "/") == 0
    assert _session_writes(client, "/") == 0


@pytest.mark.django_db
def test_the_idle_expiry_still_slides_after_a_minute(client, django_user_model, settings):
    user = django_user_model.objects.create_user(username="phien2", password="x" * 12)
    client.force_login(user)
    client.get("/")
    key = client.session.session_key
    before = Session.objects.get(session_key=key).expire_date
    later = sessions.time.time() + sessions.REFRESH_SECONDS + 5
    with mock.patch.object(sessions.time, "time", return_value=later):
        assert _session_writes(client, "/") == 1
    after = Session.objects.get(session_key=key).expire_date
    assert after > before
    assert after - dt.datetime.now(dt.UTC) <= dt.timedelta(seconds=settings.SESSION_COOKIE_AGE)


@pytest.mark.django_db
def test_an_anonymous_visit_creates_no_session(client):
    client.get("/dang-nhap/")
    assert Session.objects.count() == 0
