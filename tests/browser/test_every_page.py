"""Every page of every demo role, as officers see it on a 390×844 phone and a 1366×768 laptop:
nothing scrolls sideways, no native date input, no English UI words; the main pages pass axe-core
with no serious or critical violation; screenshots of the pages people look at most.

The pages are collected by following the links each role sees (tests/browser/walk.py), one page
per view of the URL conf, and the walk must reach every page view of the URL conf."""

from __future__ import annotations

import datetime as dt
import io
import threading
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from areas.demo import DEMO_USERS
from areas.models import User
from criteria.models import Criterion
from tests.browser.conftest import ARTIFACTS
from tests.browser.walk import LAPTOP, PHONE, check_page, walk

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Path(settings.BASE_DIR) / "static" / "vendor" / "axe-core" / "axe.min.js"

# Views that are not pages a person reads (files, POST-only actions), or that the demo data
# leaves with no link to follow (the admin has its own look: Django's).
NOT_PAGES = {
    "logout",  # a POST
    "password_change_done",  # after a change of password
    "subjects:import_template",  # an .xlsx
    "subjects:import_confirm",  # POSTs of the import
    "subjects:import_cancel",
    "subjects:import_done",  # after an import
    "criteria:evidence_document",  # the uploaded file
    "dossiers:move",  # POSTs of the route
    "dossiers:add_document",
    "dossiers:add_opinion",
    "dossiers:appraise",  # POSTs: the appraisal form, opinion requests, a review's outcome
    "dossiers:request_opinions",
    "dossiers:review",
    "dossiers:vote",  # POSTs: a council member's vote, a successor taking a dossier over
    "dossiers:take_over",
    "subjects:transfer_decide",  # POST: the deciding body's answer to a transfer request
    "dossiers:document",  # files: uploads and PDFs
    "dossiers:decision",
    "dossiers:revocation",
    "reports:download",
    "exchange:export_download",  # the zip of a bulk export
    "quality:round_pdf",  # a PDF
    "quality:round_close",  # POSTs: closing a round or a commune's part, a verification, an officer
    "quality:part_close",
    "quality:part_verify",
    "quality:assign",
    "papers:start",  # POSTs of the papers: a draft started, finalised, replaced
    "papers:finalise",
    "papers:replace",
    "papers:preview",  # PDFs
    "papers:file",
}


def _view_names(patterns, prefix=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace in ("admin", "exchange-api"):  # Django's look; the API for other systems
                continue
            namespace = f"{prefix}{entry.namespace}:" if entry.namespace else prefix
            yield from _view_names(entry.url_patterns, namespace)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{prefix}{entry.name}"


def _sign_in(browser, live_server, username, viewport=PHONE):
    context = browser.new_context(locale="vi-VN", viewport=viewport)
    page = context.new_page()
    page.goto(f"{live_server.url}/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(settings.DEMO_PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Đăng nhập").click()
    assert "/dang-nhap/" not in page.url, f"{username} could not sign in"
    return context, page


@pytest.fixture
def demo(db):
    """`load_demo`, in a thread of its own: signing the demo decisions runs an asyncio loop, which
    cannot start inside Playwright's."""
    failure = []

    def load():
        try:
            call_command("load_demo", stdout=io.StringIO())
        except Exception as error:  # noqa: BLE001 - reported below, in the test's thread
            failure.append(error)
        finally:
            connection.close()

    thread = threading.Thread(target=load)
    thread.start()
    thread.join()
    if failure:
        raise failure[0]
    return [username for username, *_rest in DEMO_USERS]


def test_every_page_of_every_demo_role_fits_both_screens_and_speaks_vietnamese(browser, live_server, demo):
    problems, visited = [], set()
    for username in demo:
        context, page = _sign_in(browser, live_server, username)
        result = walk(page, live_server.url)
        context.close()
        assert len(result.visited) >= 5, f"{username} reached only {sorted(result.visited)}"
        visited |= set(result.visited)
        problems += [f"{username} {problem}" for problem in result.problems]
    # Signed out: the login page and the 404 page.
    context = browser.new_context(locale="vi-VN", viewport=PHONE)
    page = context.new_page()
    result = walk(page, live_server.url, start="/dang-nhap/")
    page.goto(f"{live_server.url}/khong-co-trang-nay/")
    check_page(page, "404", result, ("width", "date", "english"))
    context.close()
    visited |= set(result.visited)
    problems += [f"signed out {problem}" for problem in result.problems]
    # The evidence upload page: linked only where a criterion waits for evidence.
    context, page = _sign_in(browser, live_server, "cax_hoangthen")
    commune = User.objects.get(username="cax_hoangthen").area
    criterion = Criterion.objects.filter(criteria_set__name__contains="Lai Châu").order_by("number").first()
    path = reverse("criteria:attest", args=[commune.pk, criterion.pk])
    assert page.goto(live_server.url + path).status == 200
    check_page(page, path, result, ("width", "date", "english"))
    problems += [f"cax_hoangthen {problem}" for problem in result.problems if problem.url == path]
    visited.add("criteria:attest")
    context.close()

    assert not problems, "\n".join(problems)
    pages = {
        name
        for name in _view_names(get_resolver().url_patterns)
        if name not in NOT_PAGES and not name.endswith("_export")  # the registers' .xlsx exports
    }
    unreached = sorted(pages - visited)
    assert not unreached, f"no demo role reaches these pages by a link: {unreached}"


def _axe(page) -> list[str]:
    # From the app's own origin: the Content-Security-Policy runs no inline script, not even a test's.
    origin = "/".join(page.url.split("/")[:3])
    page.add_script_tag(url=f"{origin}/static/vendor/axe-core/{AXE.name}")
    violations = page.evaluate(
        """async () => {
          const result = await axe.run(document, {resultTypes: ['violations']});
          return result.violations.filter(v => v.impact === 'serious' || v.impact === 'critical')
            .map(v => v.id + ' (' + v.impact + '): ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | '));
        }"""
    )
    return [f"{page.url} {violation}" for violation in violations]


def test_main_pages_of_every_role_pass_axe_core(browser, live_server, demo):
    found = []
    for username in demo:
        context, page = _sign_in(browser, live_server, username, LAPTOP)
        found += _axe(page)  # the page each role lands on
        page.set_viewport_size(PHONE)
        found += _axe(page)
        context.close()
    context, page = _sign_in(browser, live_server, "cax_hoangthen", LAPTOP)
    for path in ("/so-theo-doi/doi-tuong/", "/so-theo-doi/doi-tuong/them/", "/ho-so/", "/bao-cao/"):
        page.goto(live_server.url + path)
        found += _axe(page)
    context.close()
    assert not found, "\n".join(found)


def test_screenshots_of_the_person_list_a_scorecard_table_and_a_dossier(browser, live_server, demo):
    from dossiers.models import Dossier

    ARTIFACTS.mkdir(exist_ok=True)
    commune = User.objects.get(username="cax_hoangthen").area
    dossier = Dossier.objects.filter(area__path__startswith=commune.path).order_by("pk").first()
    assert dossier is not None, "the demo data has a dossier in Xã Hoang Thèn"
    pages = {
        "person-list": "/so-theo-doi/doi-tuong/",
        "criteria-table": f"/tieu-chi/don-vi/{commune.pk}/bang/",
        "dossier": dossier.get_absolute_url(),
    }
    for size in (PHONE, LAPTOP):
        context, page = _sign_in(browser, live_server, "cax_hoangthen", size)
        for name, path in pages.items():
            page.goto(live_server.url + path)
            assert page.evaluate("document.documentElement.scrollWidth") <= size["width"], name
            shot = ARTIFACTS / f"{name}-{size['width']}x{size['height']}.png"
            page.screenshot(path=str(shot), full_page=True)
            assert shot.stat().st_size > 10_000
        context.close()


def test_a_date_typed_or_picked_on_the_calendar_is_stored_day_first(browser, live_server, demo, monkeypatch):
    from django.utils import timezone

    from subjects.models import DrugTest, Person

    # Registers refuse days after today; fix today so the example day stays in the past.
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: dt.date(2026, 12, 31))
    person = Person.objects.visible_to(User.objects.get(username="cax_hoangthen")).order_by("pk")[0]
    context, page = _sign_in(browser, live_server, "cax_hoangthen", PHONE)
    page.goto(f"{live_server.url}/so-theo-doi/doi-tuong/{person.pk}/xet-nghiem/them/")
    box = page.get_by_label("Ngày xét nghiệm")
    assert box.get_attribute("type") == "text"
    box.fill("31/02/2026")
    box.press("Tab")
    assert box.input_value() == "31/02/2026"  # a mistyped day stays on screen to be corrected
    page.get_by_role("button", name="Chọn ngày trên lịch").click()
    calendar = page.locator(".flatpickr-calendar.open")
    assert calendar.is_visible()
    assert calendar.locator(".flatpickr-weekday", has_text="T2").count() >= 1  # Vietnamese weekdays
    page.wait_for_timeout(500)  # the calendar fades in
    page.screenshot(path=str(ARTIFACTS / "date-picker-390x844.png"))
    page.keyboard.press("Escape")
    box.fill("5/12/2026")
    box.press("Tab")
    assert box.input_value() == "05/12/2026"
    page.get_by_label("Kết quả").select_option(index=1)
    with page.expect_navigation():
        page.get_by_role("button", name="Lưu").click()
    context.close()
    test = DrugTest.objects.filter(person=person).latest("pk")
    assert test.tested_on == dt.date(2026, 12, 5)
