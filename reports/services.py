"""Every write of the reports app: asking for a report, building it, the schedule's drafts.

Asking for a report is idempotent: one row per kind × unit × period, enforced by a unique
constraint and `get_or_create` (never check-then-insert). The build runs in the background task
`reports.tasks.build_report`, which only calls `build_report` here; a build may be interrupted at
any point (a worker killed) and run again, and still ends with exactly one archived report.
"""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from areas.models import Area
from areas.permissions import Action, can
from programmes.models import Phase, Programme, ProvinceTarget, ReportingWindow, ReportKind
from programmes.selectors import governing_programme

from . import gathering, lease, output
from .models import ReportRequest, ReportStatus, report_file_path
from .periods import period_end_kinds, period_for

SUMMARY_KINDS = {ReportKind.PHASE_SUMMARY, ReportKind.FINAL_SUMMARY}


FINISHED_REPORT_REFUSAL = (
    "Báo cáo đã hoàn thành và đã được lưu trữ: không sửa nội dung hay tạo lại báo cáo đã hoàn thành. "
    "Việc đính chính sẽ được lập thành một phiên bản mới."
)


class ReportRefused(Exception):
    """A report that may not be asked for; `message` says why, in Vietnamese."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def may_request(user: Any, unit: Area) -> bool:
    """Whether `user` may ask for a report of `unit` (the policy's `REQUEST_REPORT`)."""
    return can(user, Action.REQUEST_REPORT, unit)


def _enqueue(report_id: int) -> None:
    from .tasks import build_report as build_report_task

    transaction.on_commit(lambda: build_report_task.delay(report_id))


def _resolve_period(*, kind: str, unit: Area, year: int | None, phase: Phase | None):
    if kind not in ReportKind.values:
        raise ReportRefused("Loại báo cáo không hợp lệ.")
    if kind in SUMMARY_KINDS:
        if phase is None:
            raise ReportRefused("Báo cáo sơ kết, tổng kết phải chọn giai đoạn của kế hoạch.")
        if not unit.path.startswith(phase.programme.issuing_unit.path):
            raise ReportRefused("Giai đoạn được chọn thuộc kế hoạch của đơn vị khác.")
        if kind == ReportKind.FINAL_SUMMARY and not phase.is_final:
            raise ReportRefused("Báo cáo tổng kết lập cho giai đoạn cuối của kế hoạch.")
        return period_for(kind=kind, phase=phase), phase
    if not year or not 2000 <= year <= 2100:
        raise ReportRefused("Hãy nhập năm báo cáo (ví dụ 2025).")
    return period_for(kind=kind, year=year, window=reporting_window(unit, kind, year)), None


def reporting_window(unit: Area, kind: str, year: int) -> ReportingWindow | None:
    """The data window the programme governing `unit` in `year` sets for reports of `kind`."""
    programme = governing_programme(
        unit, dt.date(year, 6, 30) if kind != ReportKind.ANNUAL else dt.date(year, 12, 31)
    )
    if programme is None:
        return None
    return programme.reporting_windows.filter(kind=kind).first()


@transaction.atomic
def request_report(
    *,
    user: Any,
    kind: str,
    unit: Area,
    year: int | None = None,
    phase: Phase | None = None,
    as_of: dt.date | None = None,
    difficulties: str = "",
    proposals: str = "",
) -> tuple[ReportRequest, bool]:
    """Ask for a report and queue its build. Asking again for the same kind, unit and period
    returns the same report: it is rebuilt only if it was a draft or failed, or its narrative
    changed before it was finished; while it is queued or running nothing more is queued. A
    finished report is never overwritten (ReportRefused). Returns (report, queued)."""
    if not may_request(user, unit):
        raise ReportRefused("Bạn không được lập báo cáo cho đơn vị này.")
    period, phase = _resolve_period(kind=kind, unit=unit, year=year, phase=phase)
    today = timezone.localdate()
    as_of = as_of or min(period.end, today)
    if as_of > today:
        raise ReportRefused("Ngày tính số liệu không được sau ngày hôm nay.")
    if as_of < period.start:
        raise ReportRefused("Ngày tính số liệu phải nằm trong hoặc sau kỳ báo cáo.")
    difficulties, proposals = difficulties.strip(), proposals.strip()
    report, created = ReportRequest.objects.get_or_create(
        kind=kind,
        unit=unit,
        period_start=period.start,
        period_end=period.end,
        defaults={
            "phase": phase,
            "as_of": as_of,
            "difficulties": difficulties,
            "proposals": proposals,
            "status": ReportStatus.QUEUED,
            "requested_by": user,
        },
    )
    if created:
        _enqueue(report.pk)
        return report, True
    report = ReportRequest.objects.select_for_update().get(pk=report.pk)
    if report.is_pending:
        return report, False
    changed = (report.difficulties, report.proposals, report.as_of) != (difficulties, proposals, as_of)
    if report.status == ReportStatus.DONE:
        # An archived report stays as it was issued; a correction is a new version, never an overwrite.
        if changed:
            raise ReportRefused(FINISHED_REPORT_REFUSAL)
        return report, False
    report.difficulties, report.proposals, report.as_of = difficulties, proposals, as_of
    report.status, report.error = ReportStatus.QUEUED, ""
    report.requested_by, report.requested_at = user, timezone.now()
    report.save(
        update_fields=[
            "difficulties",
            "proposals",
            "as_of",
            "status",
            "error",
            "requested_by",
            "requested_at",
        ]
    )
    _enqueue(report.pk)
    return report, True


def create_system_report(
    *,
    kind: str,
    unit: Area,
    year: int | None = None,
    phase: Phase | None = None,
    as_of: dt.date | None = None,
    difficulties: str = "",
    proposals: str = "",
) -> ReportRequest:
    """A report the schedule (or the demo) drafts: no requester, status draft until built."""
    period, phase = _resolve_period(kind=kind, unit=unit, year=year, phase=phase)
    report, _ = ReportRequest.objects.get_or_create(
        kind=kind,
        unit=unit,
        period_start=period.start,
        period_end=period.end,
        defaults={
            "phase": phase,
            "as_of": as_of or period.end,
            "difficulties": difficulties,
            "proposals": proposals,
            "status": ReportStatus.DRAFT,
        },
    )
    return report


# ---------------------------------------------------------------- the build


def build_report(*, report_id: int) -> ReportRequest:
    """Gather the figures of a report, render its PDF and xlsx, and archive them on the row.

    Idempotent: a finished report is left as it is, and so is one a live build holds (its
    lease, `reports.lease`); a report whose build died is built again from the start, and its
    files are written under the same names, so a re-run never leaves a second copy."""
    with transaction.atomic():
        report = ReportRequest.objects.select_for_update().get(pk=report_id)
        if report.status == ReportStatus.DONE or lease.is_held(report):
            return report
        report.status = ReportStatus.RUNNING
        report.attempts += 1
        report.started_at = timezone.now()
        report.lease_until = lease.expiry(report.started_at)
        report.save(update_fields=["status", "attempts", "started_at", "lease_until"])
    report = ReportRequest.objects.select_related("unit", "phase__programme", "requested_by").get(
        pk=report_id
    )

    with lease.heartbeat(report_id):
        started = time.perf_counter()
        figures = gathering.gather(report)
        gathered = time.perf_counter()
        pdf = output.render_pdf(report, figures)
        xlsx = output.render_xlsx(report, figures)
        rendered = time.perf_counter()

    with transaction.atomic():
        report = ReportRequest.objects.select_for_update().get(pk=report_id)
        if report.status == ReportStatus.DONE:
            return report
        report.pdf.name = _store(report, "pdf", pdf)
        report.xlsx.name = _store(report, "xlsx", xlsx)
        report.figures = figures
        report.status = ReportStatus.DONE
        report.error = ""
        report.finished_at = timezone.now()
        report.lease_until = None
        report.gather_seconds = gathered - started
        report.render_seconds = rendered - gathered
        report.save(
            update_fields=[
                "pdf",
                "xlsx",
                "figures",
                "status",
                "error",
                "finished_at",
                "lease_until",
                "gather_seconds",
                "render_seconds",
            ]
        )
    return report


def _store(report: ReportRequest, extension: str, content: bytes) -> str:
    name = report_file_path(report, f"report.{extension}")
    # A run killed after writing its file but before committing left that file behind: replace it.
    if default_storage.exists(name):
        default_storage.delete(name)
    return default_storage.save(name, ContentFile(content))


def record_failure(*, report_id: int, error: str, final: bool) -> None:
    """Note a failed build: queued again while retries remain, failed with the error at the end."""
    status = ReportStatus.FAILED if final else ReportStatus.QUEUED
    ReportRequest.objects.filter(pk=report_id).exclude(status=ReportStatus.DONE).update(
        status=status, error=error[:2000], lease_until=None
    )


# ---------------------------------------------------------------- the schedule


def report_units(day: dt.date) -> list[Area]:
    """The units that owe periodic reports on `day`: those with a plan running that day, and the
    provinces with a registered target for that year."""
    plan_units = Programme.objects.filter(phases__starts_on__lte=day, phases__ends_on__gte=day).values(
        "issuing_unit"
    )
    province_ids = ProvinceTarget.objects.filter(year=day.year).values("province")
    return list(Area.objects.filter(pk__in=plan_units) | Area.objects.filter(pk__in=province_ids))


def draft_periodic_reports(*, day: dt.date | None = None) -> list[ReportRequest]:
    """At a period end (30/6, 31/12) draft the 6-month / Action Month / annual report of every
    unit that owes one; the responsible users then write the narrative and build it."""
    day = day or timezone.localdate()
    drafts = []
    for kind, year in period_end_kinds(day):
        for unit in report_units(day):
            drafts.append(create_system_report(kind=kind, unit=unit, year=year))
    return drafts


REMIND_DAYS_BEFORE = 30


def draft_due_summaries(*, day: dt.date | None = None) -> list[ReportRequest]:
    """Within 30 days of a phase summary's due date (10/12 in plan 174/KH-UBND), draft the
    summary so that it waits on the responsible users' home page until it is built."""
    day = day or timezone.localdate()
    due = Phase.objects.filter(
        report_due_on__gte=day, report_due_on__lte=day + dt.timedelta(days=REMIND_DAYS_BEFORE)
    ).select_related("programme__issuing_unit")
    drafts = []
    for phase in due:
        kind = ReportKind.FINAL_SUMMARY if phase.is_final else ReportKind.PHASE_SUMMARY
        drafts.append(
            create_system_report(
                kind=kind, unit=phase.programme.issuing_unit, phase=phase, as_of=min(phase.report_due_on, day)
            )
        )
    return drafts
