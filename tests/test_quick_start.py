"""`make run` (scripts/serve-local) serves the app as users see it: DEBUG off, the Vietnamese 404
page for an unknown address, static files through the manifest, on the port PORT names."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings

BASE_DIR = Path(settings.BASE_DIR)
SCRIPT = BASE_DIR / "scripts" / "serve-local"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _env(tmp: Path, **extra: str) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DJANGO_SETTINGS_MODULE", "TESTING", "DEBUG", "SECRET_KEY", "ALLOWED_HOSTS"}
    }
    env.update(
        {
            "VAR_DIR": str(tmp / "var"),
            "STATIC_ROOT": str(tmp / "static"),
            "MEDIA_ROOT": str(tmp / "media"),
            "DATABASE_URL": f"sqlite:///{tmp / 'db.sqlite3'}",
            "REDIS_URL": "",
        }
    )
    env.update(extra)
    return env


def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - loopback only
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def test_a_port_that_is_not_a_number_is_refused_in_vietnamese(tmp_path):
    result = subprocess.run(
        [str(SCRIPT)], env=_env(tmp_path, PORT="tám nghìn"), capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 2
    assert "PORT phải là một số cổng" in result.stderr


def test_make_run_serves_the_vietnamese_404_with_debug_off_on_the_chosen_port(tmp_path):
    port = _free_port()
    process = subprocess.Popen(
        [str(SCRIPT)],
        env=_env(tmp_path, PORT=str(port)),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 420
        while time.monotonic() < deadline:
            if process.poll() is not None:
                pytest.fail(f"serve-local stopped: {process.stdout.read()[-3000:]}")
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                time.sleep(1)
        else:
            pytest.fail("serve-local did not listen in time")
        status, html = _get(f"http://127.0.0.1:{port}/khong-co-trang-nay/")
        assert status == 404
        assert "Không tìm thấy trang" in html and 'lang="vi"' in html
        assert "URLconf" not in html and "DEBUG = True" not in html
        status, login = _get(f"http://127.0.0.1:{port}/dang-nhap/")
        assert status == 200
        stylesheet = re.search(r'href="(/static/css/app\.[0-9a-f]{12}\.css)"', login)
        assert stylesheet, "static files are served through the manifest (DEBUG off)"
        assert _get(f"http://127.0.0.1:{port}{stylesheet.group(1)}")[0] == 200
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)
