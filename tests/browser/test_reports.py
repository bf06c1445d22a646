import datetime as dt

import pytest

from programmes.models import ProvinceTarget
from tests.reports.conftest import _media_in_tmp, make_dossier, plan, recognised_ta_leng  # noqa: F401 (fixtures)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.usefixtures("plan", "recognised_ta_leng")
def test_district_police_follows_plan_progress_on_the_dashboard(tree, people, page, sign_in, screenshot):
    sign_in("cah")
    with page.expect_navigation():
        page.locator("a.nav-link", has_text="Báo cáo").click()
    assert page.get_by_role("heading", name="Tiến độ xây dựng địa bàn không ma túy").is_visible()
    assert page.get_by_test_id("villages-recognised").inner_text() == "1/3 thôn, bản = 33,3 %"
    assert page.locator("svg.chart").count() >= 2
    shot = screenshot("reports-dashboard-district")
    assert shot.stat().st_size > 10_000

    with page.expect_navigation():
        page.get_by_role("link", name="Kế hoạch số 174/KH-UBND").click()
    assert page.get_by_text("125/QĐ-UBND").is_visible()
    screenshot("reports-plan")


def test_province_sees_yearly_targets_and_no_report_form(
    tree, people, page, sign_in, screenshot, live_server
):
    ProvinceTarget.objects.create(province=tree.lai_chau, year=dt.date.today().year, target_value=50)
    sign_in("cat")
    page.goto(f"{live_server.url}/bao-cao/")
    assert page.get_by_role("heading", name="Chỉ tiêu năm của tỉnh", exact=False).is_visible()
    screenshot("reports-dashboard-province")
    # The province observer reads and writes nothing: no report form for it.
    page.goto(f"{live_server.url}/bao-cao/danh-sach/")
    assert page.get_by_label("Kỳ báo cáo").count() == 0


@pytest.mark.usefixtures("plan", "recognised_ta_leng")
def test_the_officer_picks_a_period_writes_the_draft_and_issues_it(
    tree, people, page, sign_in, screenshot, live_server, monkeypatch
):
    from reports import services, tasks

    # The build runs in the live server's thread, as a worker would after the commit.
    monkeypatch.setattr(
        tasks.build_report, "delay", lambda report_id: services.build_report(report_id=report_id)
    )
    sign_in("cah")
    page.goto(f"{live_server.url}/bao-cao/danh-sach/")
    page.get_by_label("Kỳ báo cáo").select_option("annual:2024")
    with page.expect_navigation():
        page.get_by_role("button", name="Lập dự thảo").click()
    page.reload()
    assert page.get_by_role("heading", name="Dự thảo nội dung").is_visible()
    assert (
        "Trong kỳ, tình hình tội phạm"
        in page.get_by_label("I. Tình hình tội phạm và tệ nạn ma túy trên địa bàn").input_value()
    )
    page.get_by_label("III.3. Nguyên nhân").fill("Địa bàn rộng, giao thông khó khăn.")
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot("reports-draft-phone")
    page.set_viewport_size({"width": 1366, "height": 768})
    screenshot("reports-draft-laptop")
    with page.expect_navigation():
        page.get_by_role("button", name="Lưu và ban hành").click()
    page.reload()
    assert page.get_by_test_id("report-status").inner_text().startswith("Đã ban hành")
    assert page.get_by_text("BC-01-phong-tho-nam-2024.pdf").is_visible()
    screenshot("reports-issued")
