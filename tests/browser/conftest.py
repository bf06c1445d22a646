"""Playwright driving Debian's Chromium against the live test server.

Screenshots land in test-artifacts/ so a person can look at what the test saw."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


@pytest.fixture(scope="session")
def browser():
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(f"Chromium not found at {CHROMIUM}")
        pytest.skip("Chromium is not installed (scripts/ensure-system-packages installs it)")
    # Playwright's sync API runs an event loop; Django must allow sync DB calls beside it.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="vi-VN", viewport={"width": 1366, "height": 900})
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def screenshot(page):
    ARTIFACTS.mkdir(exist_ok=True)

    def _shot(name: str) -> Path:
        path = ARTIFACTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return _shot


@pytest.fixture
def sign_in(page, live_server):
    def _sign_in(username: str, password: str = "mat-khau-thu-nghiem"):
        page.goto(f"{live_server.url}/dang-nhap/")
        page.get_by_label("Tên đăng nhập").fill(username)
        page.get_by_label("Mật khẩu").fill(password)
        with page.expect_navigation():
            page.get_by_role("button", name="Đăng nhập").click()
        return page

    return _sign_in


@pytest.fixture(autouse=True)
def shipped_criteria_sets(django_db_blocker):
    """Browser tests are transactional and the database is flushed after each one, which also
    removes the criteria sets the data migration ships. Put them back before every test."""
    import importlib

    from django.apps import apps

    from criteria.models import CriteriaSet

    with django_db_blocker.unblock():
        if not CriteriaSet.objects.exists():
            importlib.import_module("criteria.migrations.0002_seed_criteria_sets").seed(apps, None)
            importlib.import_module("criteria.migrations.0003_criterion_short_name").fill(apps, None)
