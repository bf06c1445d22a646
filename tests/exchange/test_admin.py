"""Issuing and revoking tokens in the admin: the secret is shown once, on the page after the issue,
and only its digest is kept; an issued token keeps its scope."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from exchange import services
from exchange.models import ApiToken, BulkExport, ClientSystem
from subjects.models import AccessLog
from tests.conftest import otp_login
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    user = UserFactory(username="quantri", is_superuser=True, is_staff=True)
    return otp_login(client, user), user


def test_a_client_system_gets_an_inactive_log_account(tree, admin_client):
    client, _ = admin_client
    response = client.post(
        reverse("admin:exchange_clientsystem_add"),
        {"name": "Hệ thống Công an tỉnh", "operator": "Công an tỉnh Lai Châu", "contact": "", "note": ""},
    )
    assert response.status_code == 302
    system = ClientSystem.objects.get()
    assert system.account.full_name == "Hệ thống kết nối: Hệ thống Công an tỉnh"
    assert not system.account.is_active


def test_issue_shows_the_secret_once_and_keeps_its_digest(tree, admin_client, call):
    client, admin = admin_client
    system = services.create_client_system(name="Hệ thống tỉnh", operator="Công an tỉnh")
    expires = (timezone.localtime() + dt.timedelta(days=10)).replace(microsecond=0)
    response = client.post(
        reverse("admin:exchange_apitoken_add"),
        {
            "client": system.pk,
            "area": tree.lai_chau.pk,
            "expires_at_0": expires.strftime("%d/%m/%Y"),
            "expires_at_1": expires.strftime("%H:%M:%S"),
            "rate_per_minute": 60,
        },
    )
    assert response.status_code == 200, response.content.decode()[:2000]
    assert "no-store" in response["Cache-Control"]
    secret = re.search(r'id="api-token"[^>]*>([^<]+)<', response.content.decode()).group(1)
    token = ApiToken.objects.get()
    assert secret.startswith(f"kmt_{token.prefix}_") and token.created_by == admin
    assert not token.personal_data and token.area == tree.lai_chau
    assert call(secret, "/units").status_code == 200
    # the change page never shows it again
    page = client.get(reverse("admin:exchange_apitoken_change", args=[token.pk])).content.decode()
    assert secret.split("_", 2)[2] not in page


def test_revoke_action(tree, admin_client, issue, call):
    client, admin = admin_client
    token, secret = issue(tree.lai_chau)
    response = client.post(
        reverse("admin:exchange_apitoken_changelist"),
        {"action": "revoke", "_selected_action": [token.pk]},
    )
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_by == admin and token.revoked_at is not None
    assert call(secret, "/units").status_code == 401


def test_an_issued_token_keeps_its_scope(tree, admin_client, issue):
    client, _ = admin_client
    token, _secret = issue(tree.lai_chau)
    client.post(
        reverse("admin:exchange_apitoken_change", args=[token.pk]),
        {"client": token.client_id, "area": tree.hai_phong.pk, "personal_data": "on", "rate_per_minute": 1},
    )
    token.refresh_from_db()
    assert token.area == tree.lai_chau and not token.personal_data


def test_admin_asks_for_an_export(tree, admin_client, django_capture_on_commit_callbacks):
    client, _ = admin_client
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(reverse("admin:exchange_bulkexport_add"), {"province": tree.hai_phong.pk})
    assert response.status_code == 302
    export = BulkExport.objects.get()
    assert export.province == tree.hai_phong and len(callbacks) == 1
    assert AccessLog.objects.filter(object_type="bulk_export", object_id=export.pk).exists()
