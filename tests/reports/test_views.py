import datetime as dt

import pytest
from django.urls import reverse

from programmes.models import ReportKind
from reports import services, tasks
from reports.models import ReportRequest, ReportStatus
from tests.factories import AreaFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_queue(monkeypatch):
    monkeypatch.setattr(tasks.build_report, "delay", lambda report_id: None)


def test_district_dashboard_shows_exact_fraction_and_svg_chart(login, people, plan, recognised_ta_leng):
    response = login(people.district_police).get(reverse("reports:index"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "1/3 thôn, bản = 33,3 %" in html
    assert "<svg" in html and "Tiến độ Kế hoạch số 174/KH-UBND" in html
    assert "125/QĐ-UBND" in html


def test_province_dashboard_shows_registered_targets_against_achieved(login, people, tree):
    from programmes.models import ProvinceTarget

    ProvinceTarget.objects.create(province=tree.lai_chau, year=2025, target_value=50)
    response = login(people.province).get(reverse("reports:index"))
    html = response.content.decode()
    assert "Chỉ tiêu năm của tỉnh" in html
    # 50 % of the province's 2 communes, counted at the end of 2025 (after the reform's wording)
    assert "1/2 xã, phường, đặc khu = 50,0 %" in html


def test_outsider_gets_404_for_another_units_dashboard_plan_and_report(login, people, tree, plan):
    report = ReportRequest.objects.create(
        kind=ReportKind.ANNUAL,
        unit=tree.phong_tho,
        period_start=dt.date(2024, 1, 1),
        period_end=dt.date(2024, 12, 31),
        as_of=dt.date(2024, 12, 31),
    )
    client = login(people.tanan_police)
    assert client.get(reverse("reports:index"), {"don-vi": tree.phong_tho.pk}).status_code == 404
    assert client.get(reverse("reports:plan", args=[plan.pk])).status_code == 404
    assert client.get(reverse("reports:report", args=[report.pk])).status_code == 404
    assert client.get(reverse("reports:download", args=[report.pk, "pdf"])).status_code == 404


def test_bad_date_keeps_the_page_with_a_vietnamese_message(login, people):
    response = login(people.district_police).get(reverse("reports:index"), {"ngay": "31/02/2024"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Không có ngày 31/02/2024: tháng 2 năm 2024 có 29 ngày." in html
    assert "Đang hiển thị số liệu hôm nay." in html


def test_asking_for_a_report_redirects_to_its_status_page(login, people, tree):
    client = login(people.district_police)
    data = {
        "kind": ReportKind.ANNUAL,
        "unit": tree.phong_tho.pk,
        "year": 2024,
        "difficulties": "Địa bàn rộng",
    }
    response = client.post(reverse("reports:reports"), data)
    report = ReportRequest.objects.get()
    assert response.status_code == 302 and response.url == report.get_absolute_url()
    page = client.get(response.url).content.decode()
    assert "Đang chờ xử lý" in page and 'http-equiv="refresh"' in page
    client.post(reverse("reports:reports"), data)
    assert ReportRequest.objects.count() == 1


def test_bad_report_form_rerenders_with_what_was_typed(login, people, tree):
    response = login(people.district_police).post(
        reverse("reports:reports"),
        {
            "kind": ReportKind.PHASE_SUMMARY,
            "unit": tree.phong_tho.pk,
            "year": "",
            "proposals": "Đề nghị hỗ trợ",
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "phải chọn giai đoạn" in html and "Đề nghị hỗ trợ" in html
    assert ReportRequest.objects.count() == 0


def test_done_report_offers_its_files_for_download(login, people, tree):
    report, _ = services.request_report(
        user=people.district_police, kind=ReportKind.ANNUAL, unit=tree.phong_tho, year=2024
    )
    services.build_report(report_id=report.pk)
    client = login(people.district_chair)
    page = client.get(reverse("reports:report", args=[report.pk])).content.decode()
    assert "Đã hoàn thành" in page
    response = client.get(reverse("reports:download", args=[report.pk, "xlsx"]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")


def test_dashboard_page_runs_a_constant_number_of_queries(login, people, tree, plan, make_dossier):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from dossiers.route import State

    client = login(people.district_police)
    client.get(reverse("reports:index"))
    with CaptureQueriesContext(connection) as small:
        client.get(reverse("reports:index"))
    for i in range(5):
        village = AreaFactory(parent=tree.muong_so, name=f"Bản Mới {i}")
        make_dossier(village, [(State.DRAFT, dt.date(2024, 6, 1))])
    with CaptureQueriesContext(connection) as large:
        client.get(reverse("reports:index"))
    assert len(large) == len(small)


def test_home_page_reminds_of_a_draft_report(login, people, tree):
    services.create_system_report(kind=ReportKind.ANNUAL, unit=tree.phong_tho, year=2024)
    html = login(people.district_police).get(reverse("home")).content.decode()
    assert "Báo cáo năm 12/2024" in html and "Đã có bản nháp" in html
    other = login(people.tanan_police).get(reverse("home")).content.decode()
    assert "Báo cáo năm 12/2024" not in other


def test_draft_status_is_listed(login, people, tree):
    services.create_system_report(kind=ReportKind.ANNUAL, unit=tree.phong_tho, year=2024)
    html = login(people.district_police).get(reverse("reports:reports")).content.decode()
    assert ReportStatus.DRAFT.label in html and "Hệ thống (theo lịch)" in html


# ---------------------------------------------------------------- nobody overwrites, observers write nothing


def _done_report(people, tree):
    report, _ = services.request_report(
        user=people.district_police,
        kind=ReportKind.ANNUAL,
        unit=tree.phong_tho,
        year=2024,
        difficulties="Địa bàn rộng",
    )
    return services.build_report(report_id=report.pk)


def test_province_observer_cannot_rewrite_a_districts_finished_report(login, people, tree):
    report = _done_report(people, tree)
    pdf_name, finished_at = report.pdf.name, report.finished_at
    client = login(people.province)
    response = client.post(
        reverse("reports:report", args=[report.pk]),
        {"difficulties": "ADV narrative", "proposals": "x", "as_of": "31/12/2024"},
    )
    assert response.status_code == 403
    report.refresh_from_db()
    assert report.status == ReportStatus.DONE and report.difficulties == "Địa bàn rộng"
    assert (report.pdf.name, report.finished_at) == (pdf_name, finished_at)
    page = client.get(reverse("reports:report", args=[report.pk])).content.decode()
    assert 'name="difficulties"' not in page


def test_province_observer_cannot_create_reports(login, people, tree):
    client = login(people.province)
    response = client.post(
        reverse("reports:reports"), {"kind": ReportKind.ANNUAL, "unit": tree.phong_tho.pk, "year": 2024}
    )
    assert response.status_code == 403
    assert not ReportRequest.objects.exists()
    assert 'name="kind"' not in client.get(reverse("reports:reports")).content.decode()


def test_a_finished_report_is_never_overwritten_even_by_its_own_unit(login, people, tree):
    report = _done_report(people, tree)
    pdf_name = report.pdf.name
    client = login(people.district_police)
    response = client.post(
        reverse("reports:report", args=[report.pk]),
        {"difficulties": "Nội dung mới", "proposals": "", "as_of": "31/12/2024"},
    )
    assert response.status_code == 200
    assert "Báo cáo đã hoàn thành" in response.content.decode()
    report.refresh_from_db()
    assert (report.status, report.difficulties, report.pdf.name) == (
        ReportStatus.DONE,
        "Địa bàn rộng",
        pdf_name,
    )


def test_the_service_refuses_to_requeue_a_finished_report_with_new_text(people, tree):
    report = _done_report(people, tree)
    with pytest.raises(services.ReportRefused, match="đã hoàn thành"):
        services.request_report(
            user=people.district_police,
            kind=ReportKind.ANNUAL,
            unit=tree.phong_tho,
            year=2024,
            difficulties="Nội dung mới",
        )
    report.refresh_from_db()
    assert report.status == ReportStatus.DONE and report.difficulties == "Địa bàn rộng"
