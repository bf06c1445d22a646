import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from programmes.models import ReportKind
from reports import services, tasks
from reports.models import ReportRequest, ReportStatus
from tests.factories import AreaFactory
from tests.reports.conftest import OFFICER_TEXT

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


def test_asking_for_a_report_offers_the_calendars_periods_and_redirects_to_its_page(login, people, tree):
    client = login(people.district_police)
    page = client.get(reverse("reports:reports")).content.decode()
    assert (
        'value="annual:2024"' in page and "Năm 2024 — số liệu từ ngày 01/01/2024 đến ngày 31/12/2024" in page
    )
    assert 'name="year"' not in page and 'name="as_of"' not in page  # no dates typed
    response = client.post(reverse("reports:reports"), {"period": "annual:2024"})
    report = ReportRequest.objects.get()
    assert response.status_code == 302 and response.url == report.get_absolute_url()
    assert (report.kind, report.period_start, report.period_end) == (
        ReportKind.ANNUAL,
        dt.date(2024, 1, 1),
        dt.date(2024, 12, 31),
    )
    page = client.get(response.url).content.decode()
    assert "Đang chờ xử lý" in page and 'http-equiv="refresh"' in page
    client.post(reverse("reports:reports"), {"period": "annual:2024"})
    assert ReportRequest.objects.count() == 1


def test_a_period_the_calendar_does_not_offer_is_refused_in_vietnamese(login, people, tree):
    response = login(people.district_police).post(reverse("reports:reports"), {"period": "annual:1999"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "không có trong lịch báo cáo của đơn vị" in html
    assert ReportRequest.objects.count() == 0


def test_issued_report_offers_its_files_for_download(login, people, tree, issue):
    report = issue(people.district_police, kind=ReportKind.ANNUAL, unit=tree.phong_tho, year=2024)
    client = login(people.district_chair)
    page = client.get(reverse("reports:report", args=[report.pk])).content.decode()
    assert "Đã ban hành" in page and "01/BC-UBND" in page and "BC-01-phong-tho-nam-2024.pdf" in page
    response = client.get(reverse("reports:download", args=[report.pk, "xlsx"]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert 'filename="BC-01-phong-tho-nam-2024.xlsx"' in response["Content-Disposition"]


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
    assert "Báo cáo năm 2024" in html and "Đã có bản nháp theo lịch" in html
    other = login(people.tanan_police).get(reverse("home")).content.decode()
    assert "Báo cáo năm 2024" not in other


def test_draft_status_is_listed(login, people, tree):
    services.create_system_report(kind=ReportKind.ANNUAL, unit=tree.phong_tho, year=2024)
    html = login(people.district_police).get(reverse("reports:reports")).content.decode()
    assert ReportStatus.DRAFT.label in html


# ---------------------------------------------------------------- the draft, issuing, corrections


def _draft(people, tree):
    report, _ = services.request_report(
        user=people.district_police, kind=ReportKind.ANNUAL, unit=tree.phong_tho, year=2024
    )
    return services.build_report(report_id=report.pk)


def _texts(**changes):
    return {"action": "save", **OFFICER_TEXT, **changes}


def test_the_officer_edits_the_prefilled_draft_and_each_save_is_kept_with_who_and_what(login, people, tree):
    report = _draft(people, tree)
    client = login(people.district_police)
    page = client.get(reverse("reports:report", args=[report.pk])).content.decode()
    assert "Dự thảo nội dung" in page and 'name="causes"' in page
    assert "Trong kỳ, tình hình tội phạm" in page  # the sentences the app pre-filled
    response = client.post(reverse("reports:report", args=[report.pk]), _texts(causes="Nguyên nhân A"))
    assert response.status_code == 302
    client.post(reverse("reports:report", args=[report.pk]), _texts(causes="Nguyên nhân B"))
    assert services.texts_of(report)["causes"] == "Nguyên nhân B"
    history = client.get(reverse("reports:history", args=[report.pk])).content.decode()
    assert history.count('data-testid="history-row"') == 3  # pre-fill, first save, second save
    assert str(people.district_police) in history and "Nguyên nhân" in history


def test_issuing_needs_the_assessment_then_numbers_the_report_in_the_bodys_register(login, people, tree):
    from registry.models import OutgoingEntry

    report = _draft(people, tree)
    client = login(people.district_police)
    response = client.post(reverse("reports:report", args=[report.pk]), _texts(action="issue", causes=""))
    assert "Chưa thể ban hành" in response.content.decode() and "Nguyên nhân" in response.content.decode()
    report.refresh_from_db()
    assert report.number is None and not OutgoingEntry.objects.exists()
    client.post(reverse("reports:report", args=[report.pk]), _texts(action="issue"))
    report.refresh_from_db()
    entry = OutgoingEntry.objects.get()
    assert (entry.body, entry.kind, entry.document) == (tree.bodies.district_committee, "BC", report)
    assert report.reference == entry.reference == "01/BC-UBND"
    assert report.issued_on == timezone.localdate() and report.status == ReportStatus.QUEUED


def test_an_issued_report_cannot_be_edited_by_page_or_service(login, people, tree, issue):
    report = issue(people.district_police, kind=ReportKind.ANNUAL, unit=tree.phong_tho, year=2024)
    pdf_name, before = report.pdf.name, services.texts_of(report)
    client = login(people.district_police)
    response = client.post(reverse("reports:report", args=[report.pk]), _texts(causes="Sửa sau khi ban hành"))
    assert response.status_code == 403
    page = client.get(reverse("reports:report", args=[report.pk])).content.decode()
    assert "Lưu dự thảo" not in page and "Lập phiên bản thay thế" in page
    with pytest.raises(services.ReportRefused, match="đã ban hành"):
        services.save_text(user=people.district_police, report=report, texts={"causes": "Sửa"})
    with pytest.raises(services.ReportRefused, match="đã ban hành"):
        services.issue_report(user=people.district_police, report=report)
    report.refresh_from_db()
    assert services.texts_of(report) == before and report.pdf.name == pdf_name
    assert report.status == ReportStatus.DONE


def test_province_observer_cannot_write_a_districts_report(login, people, tree):
    report = _draft(people, tree)
    client = login(people.province)
    response = client.post(reverse("reports:report", args=[report.pk]), _texts(causes="ADV"))
    assert response.status_code == 403
    assert services.texts_of(report).get("causes", "") == ""
    page = client.get(reverse("reports:report", args=[report.pk])).content.decode()
    assert "Lưu dự thảo" not in page


def test_province_observer_cannot_create_reports(login, people, tree):
    client = login(people.province)
    response = client.post(reverse("reports:reports"), {"period": "annual:2024"})
    assert response.status_code == 403
    assert not ReportRequest.objects.exists()
    assert 'name="period"' not in client.get(reverse("reports:reports")).content.decode()


def test_a_correction_is_a_new_version_that_names_the_report_it_replaces(login, people, tree, issue):
    first = issue(people.district_police, kind=ReportKind.ANNUAL, unit=tree.phong_tho, year=2024)
    client = login(people.district_police)
    response = client.post(
        reverse("reports:report", args=[first.pk]), {"action": "correct", "reason": "Sai số người nghiện"}
    )
    second = ReportRequest.objects.get(replaces=first)
    assert response.status_code == 302 and response.url == second.get_absolute_url()
    assert (second.version, second.status, second.number) == (2, ReportStatus.QUEUED, None)
    second = services.build_report(report_id=second.pk)
    assert services.texts_of(second)["causes"] == OFFICER_TEXT["causes"]  # starts from the text it replaces
    services.issue_report(user=people.district_police, report=second)
    second = services.build_report(report_id=second.pk)
    assert second.reference == "02/BC-UBND"
    first.refresh_from_db()
    assert first.status == ReportStatus.DONE and first.reference == "01/BC-UBND"  # archived unchanged
    text = " ".join(
        __import__("subprocess")
        .run(["pdftotext", second.pdf.path, "-"], capture_output=True, text=True)
        .stdout.split()
    )
    assert (
        f"Báo cáo này thay thế Báo cáo số 01/BC-UBND ngày {first.issued_on:%d/%m/%Y} của UBND huyện Phong Thổ"
        in text
    )
    # One correction per issued report; asking again for the period gives the newest version.
    with pytest.raises(services.ReportRefused, match="đã có phiên bản thay thế"):
        services.start_correction(user=people.district_police, report=first, reason="lần nữa")
    again, queued = services.request_report(
        user=people.district_police, kind=ReportKind.ANNUAL, unit=tree.phong_tho, year=2024
    )
    assert again.pk == second.pk and not queued
