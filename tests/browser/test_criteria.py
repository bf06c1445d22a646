"""The commune police open a scorecard, pick a date, follow a failing record, and the district
police read the villages × criteria table."""

import datetime as dt
import importlib

import pytest
from django.apps import apps

from subjects import models as sm
from tests.factories import (
    DrugPointFactory,
    HotlineBoardFactory,
    HouseholdCommitmentFactory,
    ManagementFileFactory,
    PersonFactory,
    PersonStatusFactory,
    PreventionModelFactory,
    TreatmentFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def registers(tree):
    # A transactional test database is flushed between tests: put the shipped sets back.
    importlib.import_module("criteria.migrations.0002_seed_criteria_sets").seed(apps, None)
    for village in (tree.ta_leng, tree.ho_sao, tree.co_muong):
        HouseholdCommitmentFactory(village=village)
        HotlineBoardFactory(village=village)
        PreventionModelFactory(area=village)
    filed = PersonFactory(village=tree.ta_leng, full_name="Lò Văn Đủ Hồ Sơ")
    PersonStatusFactory(person=filed, kind=sm.StatusKind.ADDICT)
    ManagementFileFactory(person=filed)
    TreatmentFactory(person=filed, start_date=dt.date(2024, 1, 1))
    missing = PersonFactory(village=tree.ho_sao, full_name="Tẩn Văn Chưa Hồ Sơ")
    PersonStatusFactory(person=missing, kind=sm.StatusKind.ADDICT, start_date=dt.date(2025, 3, 1))
    DrugPointFactory(village=tree.ho_sao, description="Lán nương cuối bản", found_on=dt.date(2025, 5, 1))
    return missing


def test_commune_police_read_a_scorecard_and_follow_a_failing_record(
    tree, people, registers, page, sign_in, screenshot, live_server
):
    sign_in("cax")
    page.goto(f"{live_server.url}/tieu-chi/")
    with page.expect_navigation():
        page.get_by_role("link", name="Xã Hoang Thèn").click()
    page.get_by_label("Tính đến ngày").fill("2025-06-30")
    with page.expect_navigation():
        page.get_by_role("button", name="Tính").click()
    assert page.get_by_role("heading", name="Đánh giá tiêu chí: Xã Hoang Thèn").is_visible()
    assert page.locator(".scorecard-verdict").inner_text().startswith("Chưa đạt")
    assert page.locator("#tieu-chi-1").get_by_text("Lán nương cuối bản").is_visible()
    assert page.locator("#tieu-chi-5").get_by_role("link", name="Tẩn Văn Chưa Hồ Sơ").is_visible()
    assert page.locator("#tieu-chi-2 .badge").inner_text() == "Đạt"
    assert page.locator(".checklist").get_by_text("Tiêu chí 5").is_visible()
    screenshot("criteria-scorecard")

    # Before the addict was determined (01/03/2025) criterion 5 held.
    page.get_by_label("Tính đến ngày").fill("2025-02-28")
    with page.expect_navigation():
        page.get_by_role("button", name="Tính").click()
    assert page.locator("#tieu-chi-5 .badge").inner_text() == "Đạt"

    page.get_by_label("Tính đến ngày").fill("2025-06-30")
    with page.expect_navigation():
        page.get_by_role("button", name="Tính").click()
    with page.expect_navigation():
        page.locator("#tieu-chi-5").get_by_role("link", name="Tẩn Văn Chưa Hồ Sơ").click()
    assert page.url.endswith(f"/so-theo-doi/doi-tuong/{registers.pk}/")


def test_district_police_read_the_villages_by_criteria_table(
    tree, people, registers, page, sign_in, screenshot, live_server
):
    sign_in("cah")
    page.goto(f"{live_server.url}/tieu-chi/don-vi/{tree.phong_tho.pk}/bang/?ngay=2025-06-30")
    table = page.locator("table.criteria-table")
    assert table.is_visible()
    row = table.locator("tr", has_text="Bản Tả Lèng")
    assert row.locator(".badge.text-bg-success").inner_text() == "Đạt"
    assert "8/8" in row.inner_text()
    assert "Chưa đạt" in table.locator("tr", has_text="Bản Hô Sáo").inner_text()
    assert page.get_by_text("2/3 thôn, bản đạt đủ tiêu chí").is_visible()
    screenshot("criteria-table")
    response = page.goto(f"{live_server.url}/tieu-chi/don-vi/{tree.tan_an.pk}/bang/")
    assert response.status == 404
