"""Signing keys: kept in their own folder (a volume in compose), encrypted with a passphrase of
their own, so that rotating SECRET_KEY leaves every key readable."""

from __future__ import annotations

import hashlib
import runpy
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.serialization import pkcs12
from django.conf import settings as django_settings

from dossiers import signing

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _signing_in_tmp(settings, tmp_path):
    settings.VAR_DIR = tmp_path / "var"
    settings.SIGNING_DIR = ""


@pytest.fixture(scope="module")
def pdf() -> bytes:
    from weasyprint import HTML

    return HTML(string="<p>Quyết định</p>").write_pdf()


def _sign(pdf: bytes, user) -> bytes:
    return signing.sign_pdf(pdf, user=user, reason="Công nhận", location="Phong Thổ")


def test_keys_stay_readable_when_the_secret_key_is_rotated(people, settings, pdf):
    signing.ensure_signer(people.district_chair)
    settings.SECRET_KEY = "a-new-secret-key-after-rotation"
    assert b"/ByteRange" in _sign(pdf, people.district_chair)


def test_keys_are_opened_with_their_own_passphrase(people, settings, pdf):
    signing.ensure_signer(people.district_chair)
    settings.SIGNING_KEY_PASSPHRASE = "not-the-passphrase-the-key-was-written-with"
    with pytest.raises(signing.SigningUnavailable, match="Không đọc được chứng thư số"):
        _sign(pdf, people.district_chair)


def test_a_key_written_under_the_old_secret_key_passphrase_is_rewrapped(people, settings, pdf):
    user = people.district_chair
    path = signing.ensure_signer(user)
    key, cert, cas = pkcs12.load_key_and_certificates(
        path.read_bytes(), settings.SIGNING_KEY_PASSPHRASE.encode()
    )
    legacy = hashlib.sha256(f"{settings.SECRET_KEY}:signer:{user.pk}".encode()).hexdigest().encode()
    from cryptography.hazmat.primitives import serialization

    path.write_bytes(
        pkcs12.serialize_key_and_certificates(
            user.username.encode(), key, cert, cas, serialization.BestAvailableEncryption(legacy)
        )
    )
    assert b"/ByteRange" in _sign(pdf, user)
    # Now under the signing passphrase: SECRET_KEY may rotate from here on.
    pkcs12.load_key_and_certificates(path.read_bytes(), settings.SIGNING_KEY_PASSPHRASE.encode())


def test_the_demo_ca_key_is_encrypted_too(people):
    signing.ensure_signer(people.district_chair)
    key = (signing.signing_dir() / "demo-ca.key").read_bytes()
    assert key.startswith(b"-----BEGIN ENCRYPTED PRIVATE KEY-----")


def test_signing_dir_setting_puts_the_keys_in_the_mounted_volume(people, settings, tmp_path):
    settings.SIGNING_DIR = str(tmp_path / "volume")
    path = signing.ensure_signer(people.district_chair)
    assert path.parent.parent == tmp_path / "volume"
    assert not (Path(settings.VAR_DIR) / "signing").exists()


def _production_settings(monkeypatch, **env: str) -> dict:
    monkeypatch.delenv("SIGNING_KEY_PASSPHRASE", raising=False)
    for name, value in {"DEBUG": "false", "SECRET_KEY": "x", "ALLOWED_HOSTS": "example.org", **env}.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(Path(django_settings.BASE_DIR) / "config" / "settings.py"))


def test_production_requires_a_signing_passphrase_of_its_own(monkeypatch, tmp_path):
    from django.core.exceptions import ImproperlyConfigured

    with pytest.raises(ImproperlyConfigured, match="SIGNING_KEY_PASSPHRASE"):
        _production_settings(monkeypatch)
    assert _production_settings(monkeypatch, SIGNING_KEY_PASSPHRASE="p")["SIGNING_KEY_PASSPHRASE"] == "p"
    secret = tmp_path / "passphrase"
    secret.write_text("from-a-file\n")
    loaded = _production_settings(monkeypatch, SIGNING_KEY_PASSPHRASE_FILE=str(secret))
    assert loaded["SIGNING_KEY_PASSPHRASE"] == "from-a-file"
