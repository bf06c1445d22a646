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
    assert page.get_by_label("Loại báo cáo").count() == 0


def test_a_bad_report_form_keeps_its_text(tree, people, page, sign_in, screenshot, live_server):
    sign_in("cah")
    page.goto(f"{live_server.url}/bao-cao/danh-sach/")
    page.get_by_label("Loại báo cáo").select_option("phase_summary")
    page.get_by_label("Đề xuất, kiến nghị").fill("Đề nghị bổ sung kinh phí")
    with page.expect_navigation():
        page.get_by_role("button", name="Tạo báo cáo").click()
    assert page.get_by_text("phải chọn giai đoạn").first.is_visible()
    assert page.get_by_label("Đề xuất, kiến nghị").input_value() == "Đề nghị bổ sung kinh phí"
    screenshot("reports-form-error")
