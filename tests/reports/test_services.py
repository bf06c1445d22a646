import datetime as dt

import pytest
from django.db import IntegrityError

from programmes.models import ReportKind
from reports import services, tasks
from reports.models import ReportRequest, ReportStatus
from tests.reports.conftest import OFFICER_TEXT

pytestmark = pytest.mark.django_db


@pytest.fixture
def queued(monkeypatch):
    """The ids the services hand to the task queue (after commit)."""
    ids: list[int] = []
    monkeypatch.setattr(tasks.build_report, "delay", lambda report_id: ids.append(report_id))
    return ids


def test_asking_queues_the_build_after_commit(people, tree, queued, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        report, was_queued = services.request_report(
            user=people.district_police, kind=ReportKind.SIX_MONTH, unit=tree.phong_tho, year=2025
        )
    assert was_queued and report.status == ReportStatus.QUEUED
    assert queued == []  # nothing reaches the queue before the transaction commits
    for callback in callbacks:
        callback()
    assert queued == [report.pk]
    assert (report.period_start, report.period_end, report.as_of) == (
        dt.date(2025, 1, 1),
        dt.date(2025, 6, 30),
        dt.date(2025, 6, 30),
    )


def test_asking_twice_gives_one_report(people, tree, queued, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first, _ = services.request_report(
            user=people.district_police, kind=ReportKind.ANNUAL, unit=tree.phong_tho, year=2024
        )
        second, queued_again = services.request_report(
            user=people.district_chair, kind=ReportKind.ANNUAL, unit=tree.phong_tho, year=2024
        )
    assert first.pk == second.pk and not queued_again
    assert ReportRequest.objects.count() == 1
    assert queued == [first.pk]


def test_the_database_refuses_a_second_row_for_the_same_report(people, tree):
    fields = {
        "kind": ReportKind.ANNUAL,
        "unit": tree.phong_tho,
        "period_start": dt.date(2024, 1, 1),
        "period_end": dt.date(2024, 12, 31),
        "as_of": dt.date(2024, 12, 31),
    }
    ReportRequest.objects.create(**fields)
    with pytest.raises(IntegrityError):
        ReportRequest.objects.create(**fields)


def test_outsider_cannot_ask_for_another_units_report(people, tree, queued):
    with pytest.raises(services.ReportRefused):
        services.request_report(
            user=people.tanan_police, kind=ReportKind.ANNUAL, unit=tree.phong_tho, year=2024
        )
    with pytest.raises(services.ReportRefused):
        services.request_report(user=people.labour, kind=ReportKind.ANNUAL, unit=tree.phong_tho, year=2024)
    assert ReportRequest.objects.count() == 0


def test_summary_needs_a_phase_of_the_units_plan(people, tree, plan, queued):
    with pytest.raises(services.ReportRefused, match="giai đoạn"):
        services.request_report(
            user=people.district_police, kind=ReportKind.PHASE_SUMMARY, unit=tree.phong_tho
        )
    with pytest.raises(services.ReportRefused, match="giai đoạn cuối"):
        services.request_report(
            user=people.district_police,
            kind=ReportKind.FINAL_SUMMARY,
            unit=tree.phong_tho,
            phase=plan.phases.get(number=1),
        )
    report, _ = services.request_report(
        user=people.district_police,
        kind=ReportKind.PHASE_SUMMARY,
        unit=tree.phong_tho,
        phase=plan.phases.get(number=1),
    )
    assert (report.period_start, report.period_end) == (dt.date(2024, 4, 1), dt.date(2024, 12, 31))
    assert report.due_on == dt.date(2024, 12, 10) and report.period_name.startswith("sơ kết giai đoạn 01")


def test_a_period_that_has_not_begun_is_refused(people, tree, queued):
    with pytest.raises(services.ReportRefused, match="chưa bắt đầu"):
        services.request_report(
            user=people.district_police, kind=ReportKind.ANNUAL, unit=tree.phong_tho, year=2099
        )


def test_build_gathers_a_draft_then_issuing_archives_pdf_xlsx_and_figures(
    people, tree, plan, recognised_ta_leng, issue
):
    report, _ = services.request_report(
        user=people.district_police, kind=ReportKind.SIX_MONTH, unit=tree.phong_tho, year=2025
    )
    drafted = services.build_report(report_id=report.pk)
    assert drafted.status == ReportStatus.DRAFT and drafted.attempts == 1 and not drafted.pdf
    assert drafted.figures["progress"]["village"]["text"] == "1/3 thôn, bản = 33,3 %"
    # The narrative is pre-filled from the figures.
    assert "1/3 thôn, bản = 33,3 %" in services.texts_of(drafted)["task_building"]
    built = issue(people.district_police, kind=ReportKind.SIX_MONTH, unit=tree.phong_tho, year=2025)
    assert built.pk == report.pk
    assert built.status == ReportStatus.DONE
    assert built.pdf.read(5) == b"%PDF-"
    assert built.xlsx.name.endswith(".xlsx")
    assert built.reference == "01/BC-UBND" and built.issuing_body == tree.bodies.district_committee
    assert [r["decision"] for r in built.figures["recognised"]] == ["125/QĐ-UBND"]


def test_rebuild_after_a_killed_run_keeps_one_archived_report(people, tree, queued):
    from django.core.files.storage import default_storage

    report, _ = services.request_report(
        user=people.district_police, kind=ReportKind.ANNUAL, unit=tree.phong_tho, year=2024
    )
    report = services.build_report(report_id=report.pk)
    services.save_text(user=people.district_police, report=report, texts=OFFICER_TEXT)
    services.issue_report(user=people.district_police, report=report)
    # A worker died mid-render: the row says "running" and its PDF was written but not recorded.
    ReportRequest.objects.filter(pk=report.pk).update(status=ReportStatus.RUNNING, attempts=1)
    stray = default_storage.save(
        f"reports/{tree.phong_tho.pk}/report-{report.pk}.pdf", __import__("io").BytesIO(b"half")
    )
    built = services.build_report(report_id=report.pk)
    assert built.status == ReportStatus.DONE and built.attempts == 2
    assert built.pdf.name == stray
    directory = f"reports/{tree.phong_tho.pk}"
    assert sorted(default_storage.listdir(directory)[1]) == [
        f"report-{report.pk}.pdf",
        f"report-{report.pk}.xlsx",
    ]
    # Running it once more changes nothing.
    again = services.build_report(report_id=report.pk)
    assert again.attempts == 2


def test_task_records_failure_with_the_error(people, tree, queued, monkeypatch):
    report, _ = services.request_report(
        user=people.district_police, kind=ReportKind.ANNUAL, unit=tree.phong_tho, year=2024
    )

    def broken(_report):
        raise RuntimeError("không đọc được sổ")

    monkeypatch.setattr(services.gathering, "gather", broken)
    result = tasks.build_report.apply(args=[report.pk])
    assert result.failed()
    report.refresh_from_db()
    assert report.status == ReportStatus.FAILED
    assert "không đọc được sổ" in report.error
    assert report.attempts == tasks.MAX_RETRIES + 1


def test_schedule_drafts_reports_at_period_end_once(people, tree, plan):
    drafts = services.draft_periodic_reports(day=dt.date(2024, 12, 31))
    assert [(d.kind, d.unit, d.status) for d in drafts] == [
        (ReportKind.ANNUAL, tree.phong_tho, ReportStatus.DRAFT)
    ]
    services.draft_periodic_reports(day=dt.date(2024, 12, 31))
    assert ReportRequest.objects.count() == 1
    assert services.draft_periodic_reports(day=dt.date(2024, 12, 30)) == []


def test_schedule_drafts_phase_summary_within_30_days_of_due_date(people, tree, plan):
    assert services.draft_due_summaries(day=dt.date(2024, 11, 1)) == []
    (draft,) = services.draft_due_summaries(day=dt.date(2024, 11, 15))
    assert draft.kind == ReportKind.PHASE_SUMMARY and draft.phase.number == 1
