"""Who the client is: proxy headers are believed only from the configured number of reverse
proxies, and what goes into the access log and the lockout is a valid address or nothing."""

from __future__ import annotations

import runpy
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.test import RequestFactory
from django.urls import reverse

from config.client_ip import client_ip
from subjects.models import AccessLog
from tests.factories import PersonFactory

SETTINGS_FILE = Path(django_settings.BASE_DIR) / "config" / "settings.py"


def _request(remote: str = "10.0.0.5", forwarded: str | None = None):
    meta = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **meta)


def test_without_a_trusted_proxy_a_forwarded_address_is_ignored(settings):
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_ip(_request(forwarded="6.6.6.6")) == "10.0.0.5"


def test_behind_one_proxy_the_address_the_proxy_saw_is_the_client(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    # The client sent "6.6.6.6" itself; the proxy appended the address it was connected from.
    assert client_ip(_request(forwarded="6.6.6.6, 203.0.113.7")) == "203.0.113.7"
    assert client_ip(_request(forwarded=" 2001:db8::7 ")) == "2001:db8::7"


def test_behind_two_proxies_the_second_from_the_right_is_the_client(settings):
    settings.TRUSTED_PROXY_COUNT = 2
    assert client_ip(_request(forwarded="6.6.6.6, 203.0.113.7, 10.0.0.9")) == "203.0.113.7"


@pytest.mark.parametrize("forwarded", ["not-an-ip", "", "6.6.6.6, <script>", "999.1.1.1", "1.2.3.4:80"])
def test_a_malformed_forwarded_address_falls_back_to_the_peer(settings, forwarded):
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_ip(_request(forwarded=forwarded)) == "10.0.0.5"


def test_too_few_forwarded_addresses_fall_back_to_the_peer(settings):
    settings.TRUSTED_PROXY_COUNT = 2
    assert client_ip(_request(forwarded="203.0.113.7")) == "10.0.0.5"


def test_a_malformed_peer_address_is_no_address(settings):
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_ip(_request(remote="unix:/run/gunicorn.sock")) is None


def test_the_lockout_counts_the_same_client_as_the_access_log(settings):
    from axes.helpers import get_client_ip_address

    settings.TRUSTED_PROXY_COUNT = 1
    request = _request(forwarded="6.6.6.6, 203.0.113.7")
    assert get_client_ip_address(request) == client_ip(request) == "203.0.113.7"


@pytest.mark.parametrize(
    ("proxies", "forwarded", "logged"),
    [(0, "6.6.6.6", "127.0.0.1"), (0, "not-an-ip", "127.0.0.1"), (1, "not-an-ip", "127.0.0.1")],
)
def test_the_access_log_records_the_real_client_not_a_forged_header(
    settings, people, tree, login, proxies, forwarded, logged
):
    settings.TRUSTED_PROXY_COUNT = proxies
    person = PersonFactory(village=tree.ta_leng)
    client = login(people.commune_police)
    response = client.get(
        reverse("subjects:person_detail", args=[person.pk]),
        HTTP_X_FORWARDED_FOR=forwarded,
        REMOTE_ADDR="127.0.0.1",
    )
    assert response.status_code == 200
    assert list(AccessLog.objects.values_list("ip_address", flat=True)) == [logged]


def _production_settings(monkeypatch, **env: str) -> dict:
    for name, value in {
        "DEBUG": "false",
        "SECRET_KEY": "x",
        "ALLOWED_HOSTS": "example.org",
        "SIGNING_KEY_PASSPHRASE": "x",
        **env,
    }.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(SETTINGS_FILE))


def test_x_forwarded_proto_is_believed_only_behind_a_configured_proxy(monkeypatch):
    monkeypatch.delenv("TRUSTED_PROXY_COUNT", raising=False)
    alone = _production_settings(monkeypatch)
    assert alone["TRUSTED_PROXY_COUNT"] == 0
    assert alone.get("SECURE_PROXY_SSL_HEADER") is None
    behind = _production_settings(monkeypatch, TRUSTED_PROXY_COUNT="1")
    assert behind["SECURE_PROXY_SSL_HEADER"] == ("HTTP_X_FORWARDED_PROTO", "https")


def test_a_proxy_count_that_is_not_a_number_fails_at_start_up(monkeypatch):
    from django.core.exceptions import ImproperlyConfigured

    with pytest.raises(ImproperlyConfigured):
        _production_settings(monkeypatch, TRUSTED_PROXY_COUNT="caddy")
