"""The deployment files agree with each other: only the TLS proxy is reachable from outside,
the app trusts exactly the one proxy in front of it, and what must survive a restart (uploads,
signing keys) lives in named volumes."""

from __future__ import annotations

import re
from pathlib import Path

import yaml
from django.conf import settings

BASE_DIR = Path(settings.BASE_DIR)


def _compose() -> dict:
    return yaml.safe_load((BASE_DIR / "docker-compose.yml").read_text())


def test_only_the_proxy_publishes_ports_and_it_forwards_to_gunicorn():
    services = _compose()["services"]
    published = {name for name, service in services.items() if service.get("ports")}
    assert published == {"proxy"}
    assert sorted(services["proxy"]["ports"]) == ["443:443", "80:80"]
    caddyfile = (BASE_DIR / "deploy" / "Caddyfile").read_text()
    mounted = {v.split(":")[0] for v in services["proxy"]["volumes"]}
    assert "./deploy/Caddyfile" in mounted
    assert re.search(r"reverse_proxy \{\$UPSTREAM:web:8000\}", caddyfile)
    assert re.search(r"^\s*tls ", caddyfile, re.MULTILINE), (
        "TLS must be explicit (no ACME on a closed network)"
    )
    assert "0.0.0.0:8000" in services["web"]["command"]


def test_the_app_trusts_exactly_the_one_proxy_in_front_of_it():
    services = _compose()["services"]
    for name in ("web", "worker", "beat"):
        assert services[name]["environment"]["TRUSTED_PROXY_COUNT"] == "1", name


def test_uploads_and_signing_keys_live_in_named_volumes_with_a_passphrase_of_their_own():
    compose = _compose()
    web = compose["services"]["web"]
    mounts = dict(volume.split(":", 1) for volume in web["volumes"])
    assert mounts["media"] == web["environment"]["MEDIA_ROOT"]
    assert mounts["signing"] == web["environment"]["SIGNING_DIR"]
    assert {"media", "signing"} <= set(compose["volumes"])
    assert "SIGNING_KEY_PASSPHRASE" in web["environment"]
    assert "SECRET_KEY" not in web["environment"]["SIGNING_KEY_PASSPHRASE"]
    dockerfile = (BASE_DIR / "Dockerfile").read_text()
    assert "mkdir -p /app/var/media /app/var/signing" in dockerfile
