"""What the Dockerfile builds is what runs: `collectstatic` with the manifest storage, then
gunicorn with DEBUG off answering the login page and a hashed static file, and the main pages
rendering through the manifest (a missing entry there is a 500 on every page).

No Docker engine is needed: these are the Dockerfile's own steps, run as subprocesses."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import URLPattern, URLResolver, get_resolver

BASE_DIR = Path(settings.BASE_DIR)
# The environment of the Dockerfile's build step and of the compose services.
PRODUCTION_ENV = {
    "DEBUG": "false",
    "SECRET_KEY": "deploy-test-only",
    "ALLOWED_HOSTS": "localhost,127.0.0.1",
    "SIGNING_KEY_PASSPHRASE": "deploy-test-only",
}


def _production_env(tmp: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE", "TESTING"}}
    env.update(PRODUCTION_ENV)
    env.update(
        {
            "VAR_DIR": str(tmp / "var"),
            "STATIC_ROOT": str(tmp / "static"),
            "DATABASE_URL": f"sqlite:///{tmp / 'db.sqlite3'}",
            "REDIS_URL": "",
        }
    )
    env.update(extra)
    return env


def dockerfile_build_env() -> dict[str, str]:
    """The variables the Dockerfile sets for its collectstatic step, read from the Dockerfile."""
    text = (BASE_DIR / "Dockerfile").read_text().replace("\\\n", " ")
    step = re.search(r"&&\s*((?:[A-Z_]+=\S+\s+)+)python manage\.py collectstatic", text)
    assert step, "the Dockerfile no longer runs collectstatic"
    return dict(pair.split("=", 1) for pair in step.group(1).split())


def test_the_dockerfile_builds_with_debug_off():
    env = dockerfile_build_env()
    assert env["DEBUG"] == "false"
    assert {"SECRET_KEY", "ALLOWED_HOSTS"} <= set(env)


@pytest.fixture(scope="session")
def collected(tmp_path_factory):
    """The Dockerfile's build step, with the Dockerfile's own variables: collectstatic into a
    temporary STATIC_ROOT (a setting newly required in production fails here first)."""
    tmp = tmp_path_factory.mktemp("production")
    build_env = _production_env(tmp)
    for name in PRODUCTION_ENV:
        build_env.pop(name)
    build_env.update(dockerfile_build_env())
    result = subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput"],
        cwd=BASE_DIR,
        env=build_env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert (tmp / "static" / "staticfiles.json").exists()
    return tmp


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


_opener = urllib.request.build_opener(_NoRedirect)


def _get(url: str, headers: dict[str, str] | None = None) -> tuple[int, bytes]:
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with _opener.open(request, timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def test_gunicorn_with_debug_off_serves_the_login_page_and_hashed_static_files(collected):
    port = _free_port()
    env = _production_env(collected, TRUSTED_PROXY_COUNT="1")
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput"],
        cwd=BASE_DIR,
        env=env,
        check=True,
        capture_output=True,
        timeout=300,
    )
    log = (collected / "gunicorn.log").open("wb")
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "config.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
        ],
        cwd=BASE_DIR,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    # As the reverse proxy of docker-compose forwards a request that reached it over TLS.
    proxied = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.7"}
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                status, body = _get(f"{base}/dang-nhap/", proxied)
                break
            except (ConnectionError, urllib.error.URLError):
                assert server.poll() is None, (collected / "gunicorn.log").read_text()[-3000:]
                assert time.monotonic() < deadline, "gunicorn did not start within 60 s"
                time.sleep(0.3)
        page = body.decode()
        assert status == 200, page[-2000:]
        assert "Đăng nhập" in page
        stylesheet = re.search(r'href="(/static/vendor/bootstrap/bootstrap\.min\.[0-9a-f]{12}\.css)"', page)
        assert stylesheet, "the login page does not link the hashed Bootstrap stylesheet"
        status, css = _get(base + stylesheet.group(1), proxied)
        assert status == 200
        assert css.startswith(b"@charset")
        # Plain HTTP that did not come through the proxy is sent to HTTPS, once.
        status, _ = _get(f"{base}/dang-nhap/")
        assert status == 301
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()


def _plain_urls():
    def walk(patterns, prefix=""):
        for entry in patterns:
            if isinstance(entry, URLResolver):
                namespace = f"{entry.namespace}:" if entry.namespace else ""
                yield from walk(entry.url_patterns, prefix + namespace)
            elif isinstance(entry, URLPattern) and entry.name and not entry.pattern.converters:
                yield prefix + entry.name

    # The exchange API answers other systems with a token, not signed-in users (tests/exchange).
    return [
        name for name in walk(get_resolver().url_patterns) if not name.startswith(("admin:", "exchange-api:"))
    ]


@pytest.mark.django_db
def test_main_pages_render_with_the_manifest_and_debug_off(collected, settings, people, login):
    from django.urls import reverse

    settings.DEBUG = False
    settings.STATIC_ROOT = collected / "static"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    names = _plain_urls()
    assert len(names) >= 20
    for persona in ("commune_police", "district_police", "province"):
        client = login(getattr(people, persona))
        for name in names:
            if name in {"logout"}:
                continue
            response = client.get(reverse(name))
            assert response.status_code in (200, 302, 403, 404, 405), (persona, name, response.status_code)
