"""DEBUG off without `collectstatic`: the manifest storage has no entry for any asset, so every
page was a 500 ("Missing staticfiles manifest entry"). The app now refuses to start instead and
says what to run. (Seen failing before the fix: the import succeeded and pages answered 500.)"""

from __future__ import annotations

import subprocess
import sys

from tests.deploy.test_production_build import BASE_DIR, _production_env


def test_the_wsgi_app_refuses_to_start_with_debug_off_and_no_collected_static_files(tmp_path):
    env = _production_env(tmp_path)
    result = subprocess.run(
        [sys.executable, "-c", "import config.wsgi"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "collectstatic" in result.stderr
    assert "staticfiles.json" in result.stderr


def test_the_wsgi_app_starts_once_static_files_are_collected(tmp_path):
    env = _production_env(tmp_path)
    (tmp_path / "static").mkdir()
    (tmp_path / "static" / "staticfiles.json").write_text('{"paths": {}, "version": "1.1"}')
    result = subprocess.run(
        [sys.executable, "-c", "import config.wsgi"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-2000:]
