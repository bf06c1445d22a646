"""Tokens: who gets in (401 otherwise), how often (429), and what is written down."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from exchange import services
from exchange.models import ApiToken
from subjects.models import AccessLog

pytestmark = pytest.mark.django_db


def test_no_token_gets_401_with_a_bearer_challenge(world, call):
    response = call(None, "/units")
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert "mã truy cập" in response.json()["detail"]


@pytest.mark.parametrize(
    "bad",
    ["kmt_nothere_secret", "not-a-token", "kmt__", "Basic abc"],
)
def test_malformed_or_unknown_token_gets_401(world, call, bad):
    assert call(bad, "/units").status_code == 401


def test_wrong_secret_of_a_real_prefix_gets_401(world, tokens, call):
    token, secret = tokens.lai_chau
    forged = f"kmt_{token.prefix}_{'A' * 43}"
    assert call(forged, "/units").status_code == 401
    assert call(secret, "/units").status_code == 200


def test_revoked_token_gets_401(world, tokens, call, people):
    token, secret = tokens.lai_chau
    assert call(secret, "/units").status_code == 200
    assert services.revoke_token(token=token, by=people.province) is True
    assert services.revoke_token(token=token, by=people.province) is False
    assert call(secret, "/persons").status_code == 401


def test_expired_token_gets_401(world, tokens, call):
    token, secret = tokens.lai_chau
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert call(secret, "/units").status_code == 401


def test_only_the_digest_of_the_secret_is_stored(world, tokens):
    token, secret = tokens.lai_chau
    row = ApiToken.objects.get(pk=token.pk)
    assert secret.split("_", 2)[2] not in {row.secret_hash, row.prefix}
    assert len(row.secret_hash) == 64


def test_every_call_is_in_the_access_log_without_personal_data(world, tokens, call):
    token, secret = tokens.lai_chau_personal
    before = AccessLog.objects.count()
    response = call(secret, "/persons", limit=2)
    assert response.status_code == 200
    call(secret, f"/decisions/{world.lc_decision.pk}/pdf")
    call(secret, "/decisions/999999/pdf")  # a 404 is a call too
    rows = list(AccessLog.objects.order_by("pk")[before:])
    assert len(rows) == 3
    assert {r.user_id for r in rows} == {token.client.account_id}
    assert {r.area_id for r in rows} == {token.area_id}
    assert rows[0].object_type == "api" and rows[0].description.startswith("API GET /api/v1/persons")
    names = [p.full_name for p in world.lai_chau_persons] + [p.cccd for p in world.lai_chau_persons]
    for row in rows:
        assert "limit" not in row.description  # no query string
        assert not any(name in row.description for name in names)


def test_unauthenticated_calls_write_nothing(world, call):
    before = AccessLog.objects.count()
    call("kmt_x_y", "/units")
    assert AccessLog.objects.count() == before


def test_client_account_cannot_sign_in(world, tokens, client):
    token, _ = tokens.lai_chau
    account = token.client.account
    assert not account.is_active and not account.has_usable_password()


def test_rate_limit_answers_429_with_retry_after(world, issue, tree, call):
    _token, secret = issue(tree.lai_chau, rate=2, name="Hệ thống giới hạn")
    assert call(secret, "/units").status_code == 200
    assert call(secret, "/units").status_code == 200
    response = call(secret, "/units")
    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 60


def test_rate_limit_is_per_token(world, issue, tree, call):
    _a, first = issue(tree.lai_chau, rate=1, name="Hệ thống A")
    _b, second = issue(tree.lai_chau, rate=1, name="Hệ thống B")
    assert call(first, "/units").status_code == 200
    assert call(first, "/units").status_code == 429
    assert call(second, "/units").status_code == 200


def test_rate_limited_calls_are_not_logged_as_reads(world, issue, tree, call):
    _token, secret = issue(tree.lai_chau, rate=1, name="Hệ thống C")
    call(secret, "/units")
    before = AccessLog.objects.count()
    assert call(secret, "/units").status_code == 429
    assert AccessLog.objects.count() == before


def test_plain_http_is_sent_to_https_in_production(world, tokens, client, settings):
    # production settings (DEBUG off) turn SECURE_SSL_REDIRECT on; the API follows them
    settings.SECURE_SSL_REDIRECT = True
    response = client.get("/api/v1/units")
    assert response.status_code == 301 and response["Location"].startswith("https://")
    ok = client.get("/api/v1/units", secure=True, HTTP_AUTHORIZATION=f"Bearer {tokens.lai_chau[1]}")
    assert ok.status_code == 200


def test_schema_and_docs_are_served_by_the_app_without_a_cdn(client):
    schema = client.get("/api/v1/openapi.json").json()
    assert schema["components"]["securitySchemes"]["TokenAuth"] == {"type": "http", "scheme": "bearer"}
    docs = client.get("/api/v1/docs").content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in docs
    assert "cdn" not in docs.lower() and "https://" not in docs
