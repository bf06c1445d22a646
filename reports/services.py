"""Every write of the reports app: asking for a report, its draft text, issuing it, correcting it,
building it, the schedule's drafts.

A report's life: asked for (or drafted by the schedule) → the background task gathers its figures
and writes the draft sentences (status DRAFT) → the officer edits the narrative in the app (each
save kept in the text's history) → issued: numbered in the reporting body's register of outgoing
documents (`registry`), dated the day it is issued → the task renders the PDF and .xlsx (DONE). An
issued report is never changed: a correction is a new version that names the one it replaces.

Asking is idempotent: one open draft per kind × unit × period (a conditional unique constraint)
and `get_or_create`. The build may be interrupted at any point (a worker killed) and run again.
"""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from areas.models import Area, Body, BodyKind
from areas.permissions import Action, can
from programmes.models import Phase, Programme, ProvinceTarget, ReportKind
from registry.models import DocumentKind
from registry.services import take_number

from . import gathering, lease, output, periods, sections
from .models import ReportRequest, ReportStatus, ReportText, report_file_path
from .periods import SUMMARY_KINDS, ReportPeriod

FINISHED_REPORT_REFUSAL = (
    "Báo cáo đã ban hành và đã được lưu trữ: không sửa nội dung hay tạo lại báo cáo đã ban hành. "
    "Muốn đính chính, hãy lập phiên bản thay thế."
)


class ReportRefused(Exception):
    """A report that may not be asked for, edited or issued; `message` says why, in Vietnamese."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def may_request(user: Any, unit: Area) -> bool:
    """Whether `user` may ask for a report of `unit` (the policy's `REQUEST_REPORT`)."""
    return can(user, Action.REQUEST_REPORT, unit)


def _enqueue(report_id: int) -> None:
    from .tasks import build_report as build_report_task

    transaction.on_commit(lambda: build_report_task.delay(report_id))


def report_period(
    *, kind: str, unit: Area, year: int | None = None, half: int = 1, phase: Phase | None = None
) -> ReportPeriod:
    """The period of a report of `kind` for `unit`: a year's (periodic kinds; `half` 2 for the
    second half-year) or a phase's (summaries), from the unit's reporting calendar."""
    if kind not in ReportKind.values:
        raise ReportRefused("Loại báo cáo không hợp lệ.")
    if kind in SUMMARY_KINDS:
        if phase is None:
            raise ReportRefused("Báo cáo sơ kết, tổng kết phải chọn giai đoạn của kế hoạch.")
        if not unit.path.startswith(phase.programme.issuing_unit.path):
            raise ReportRefused("Giai đoạn được chọn thuộc kế hoạch của đơn vị khác.")
        if kind == ReportKind.FINAL_SUMMARY and not phase.is_final:
            raise ReportRefused("Báo cáo tổng kết lập cho giai đoạn cuối của kế hoạch.")
        if kind == ReportKind.PHASE_SUMMARY and phase.is_final:
            raise ReportRefused("Giai đoạn cuối của kế hoạch được báo cáo bằng báo cáo tổng kết.")
        return periods.summary(phase)
    if not year or not 2000 <= year <= 2100:
        raise ReportRefused("Hãy chọn năm báo cáo (ví dụ 2025).")
    if half not in (1, 2) or (half == 2 and kind != ReportKind.SIX_MONTH):
        raise ReportRefused("Kỳ báo cáo không hợp lệ.")
    return periods.periodic(periods.Calendar(unit), kind, year, half)


def period_from_key(unit: Area, key: str) -> ReportPeriod:
    """The period the request form's choice `key` names for `unit` (only those it offers)."""
    found = periods.resolve(unit, key, timezone.localdate())
    if found is None:
        raise ReportRefused("Kỳ báo cáo đã chọn không có trong lịch báo cáo của đơn vị.")
    return found


def _latest(kind: str, unit: Area, period: ReportPeriod) -> ReportRequest | None:
    return (
        ReportRequest.objects.filter(kind=kind, unit=unit, period_start=period.start, period_end=period.end)
        .order_by("-version")
        .first()
    )


@transaction.atomic
def request_report(
    *,
    user: Any,
    kind: str | None = None,
    unit: Area,
    year: int | None = None,
    half: int = 1,
    phase: Phase | None = None,
    period: ReportPeriod | None = None,
) -> tuple[ReportRequest, bool]:
    """Ask for a report and queue the gathering of its figures. Asking again for the same kind,
    unit and period returns its latest version: gathered again only if it was never gathered or
    failed; while queued or running nothing more is queued; an issued report is returned as it
    is (a correction is `start_correction`). Returns (report, queued)."""
    if not may_request(user, unit):
        raise ReportRefused("Bạn không được lập báo cáo cho đơn vị này.")
    if period is None:
        assert kind is not None
        period = report_period(kind=kind, unit=unit, year=year, half=half, phase=phase)
    today = timezone.localdate()
    if period.start > today:
        raise ReportRefused("Kỳ báo cáo chưa bắt đầu.")
    existing = _latest(period.kind, unit, period)
    if existing is None:
        report, created = ReportRequest.objects.get_or_create(
            kind=period.kind,
            unit=unit,
            period_start=period.start,
            period_end=period.end,
            version=1,
            defaults=_period_fields(period, today) | {"status": ReportStatus.QUEUED, "requested_by": user},
        )
        if created:
            _enqueue(report.pk)
            return report, True
        existing = report
    report = ReportRequest.objects.select_for_update().get(pk=existing.pk)
    failed = report.status == ReportStatus.FAILED
    if report.is_pending or report.status == ReportStatus.DONE or (report.figures is not None and not failed):
        return report, False
    report.status, report.error = ReportStatus.QUEUED, ""
    report.requested_by, report.requested_at = user, timezone.now()
    report.save(update_fields=["status", "error", "requested_by", "requested_at"])
    _enqueue(report.pk)
    return report, True


def _period_fields(period: ReportPeriod, today: dt.date) -> dict[str, Any]:
    return {
        "phase": period.phase,
        "period_name": period.name,
        "period_slug": period.slug,
        "due_on": period.due,
        "as_of": min(period.end, today),
    }


def create_system_report(
    *,
    kind: str,
    unit: Area,
    year: int | None = None,
    phase: Phase | None = None,
    as_of: dt.date | None = None,
) -> ReportRequest:
    """A report the schedule (or the demo) drafts: no requester, not gathered until asked."""
    period = report_period(kind=kind, unit=unit, year=year, phase=phase)
    fields = _period_fields(period, timezone.localdate())
    if as_of is not None:
        fields["as_of"] = as_of
    existing = _latest(period.kind, unit, period)
    if existing is not None:
        return existing
    report, _ = ReportRequest.objects.get_or_create(
        kind=period.kind,
        unit=unit,
        period_start=period.start,
        period_end=period.end,
        version=1,
        defaults=fields | {"status": ReportStatus.DRAFT},
    )
    return report


def refresh_figures(*, user: Any, report: ReportRequest) -> ReportRequest:
    """Gather a draft's figures again (registers corrected since): its text is kept as written."""
    with transaction.atomic():
        report = ReportRequest.objects.select_for_update().get(pk=report.pk)
        _require_editable(user, report, gathered=False)
        report.status, report.error = ReportStatus.QUEUED, ""
        report.as_of = min(report.period_end, timezone.localdate())
        report.save(update_fields=["status", "error", "as_of"])
        _enqueue(report.pk)
    return report


# ---------------------------------------------------------------- the draft text


def _require_editable(user: Any, report: ReportRequest, *, gathered: bool = True) -> None:
    if report.status == ReportStatus.DONE or report.is_issued:
        raise ReportRefused(FINISHED_REPORT_REFUSAL)
    if not can(user, Action.EDIT_REPORT, report):
        raise ReportRefused("Bạn không được sửa báo cáo này.")
    if report.is_pending:
        raise ReportRefused("Báo cáo đang được tổng hợp; hãy chờ xong rồi sửa.")
    if gathered and report.figures is None:
        raise ReportRefused("Báo cáo chưa có số liệu: hãy tổng hợp số liệu trước.")


def texts_of(report: ReportRequest) -> dict[str, str]:
    text = ReportText.objects.filter(report=report).first()
    return dict(text.sections) if text else {}


@transaction.atomic
def save_text(*, user: Any, report: ReportRequest, texts: dict[str, str]) -> ReportText:
    """Save the officer's text of a draft (the sections of its kind; others are ignored). Every
    save is a row of the text's history: who, when, and the sections as they then read."""
    report = ReportRequest.objects.select_for_update().get(pk=report.pk)
    _require_editable(user, report)
    keys = [section.key for section in sections.sections_for(report.kind)]
    text, _ = ReportText.objects.get_or_create(report=report)
    cleaned = {key: texts.get(key, text.sections.get(key, "")).strip().replace("\r\n", "\n") for key in keys}
    if cleaned == {key: text.sections.get(key, "") for key in keys} and text.updated_by_id:
        return text
    text.sections = cleaned
    text.updated_by, text.updated_at = user, timezone.now()
    text._history_user = user  # type: ignore[attr-defined]
    text.save()
    return text


def _prefill(report: ReportRequest) -> None:
    """Write the app's draft sentences into every section the officer has not written (a
    correction starts from the text of the report it replaces)."""
    proposed = sections.draft(report.kind, report.figures or {})
    text = ReportText.objects.filter(report=report).first()
    if text is None:
        previous = (
            ReportText.objects.filter(report_id=report.replaces_id).first() if report.replaces_id else None
        )
        if previous is not None:
            proposed |= {k: v for k, v in previous.sections.items() if k in proposed and v}
        ReportText.objects.create(report=report, sections=proposed)
        return
    merged = {key: text.sections.get(key) or value for key, value in proposed.items()}
    if merged != text.sections:
        text.sections = merged
        text.updated_at = timezone.now()
        text.save()


# ---------------------------------------------------------------- issuing and correcting


def reporting_body(unit: Area, day: dt.date) -> Body:
    """The People's Committee of `unit` open on `day` — the body that signs and sends the report."""
    bodies = list(Body.objects.filter(area=unit, kind=BodyKind.COMMITTEE).select_related("area"))
    open_ = [b for b in bodies if b.is_open_on(day)]
    if open_:
        return open_[0]
    if bodies:
        raise ReportRefused(bodies[0].closed_message(day))
    raise ReportRefused(
        f"Chưa khai báo Ủy ban nhân dân của {unit} trong danh mục cơ quan: đề nghị quản trị hệ thống bổ sung."
    )


@transaction.atomic
def issue_report(*, user: Any, report: ReportRequest, on: dt.date | None = None) -> ReportRequest:
    """Issue a draft: check its required sections, number it in the reporting body's register of
    outgoing documents, date it `on` (today), and queue the rendering of its files."""
    report = ReportRequest.objects.select_for_update().get(pk=report.pk)
    _require_editable(user, report)
    on = on or timezone.localdate()
    if on < report.as_of:
        raise ReportRefused("Ngày ban hành không được trước ngày chốt số liệu.")
    empty = sections.missing(report.kind, texts_of(report))
    if empty:
        raise ReportRefused(
            "Chưa thể ban hành: các phần sau chưa có nội dung — " + "; ".join(s.title for s in empty) + "."
        )
    body = reporting_body(report.unit, on)
    summary = report.figures["subject"] if report.figures else str(report)
    try:
        entry = take_number(
            body=body, kind=DocumentKind.REPORT, on=on, summary=summary[:500], by=user, document=report
        )
    except ValidationError as exc:
        raise ReportRefused(" ".join(exc.messages)) from exc
    report.issuing_body = body
    report.number = entry.number
    report.reference = entry.reference
    report.issued_on = on
    report.issued_by = user
    report.status = ReportStatus.QUEUED
    report.attempts = 0  # the rendering has its own attempts
    report.save(
        update_fields=["issuing_body", "number", "reference", "issued_on", "issued_by", "status", "attempts"]
    )
    _enqueue(report.pk)
    return report


@transaction.atomic
def start_correction(*, user: Any, report: ReportRequest, reason: str) -> ReportRequest:
    """A new version of an issued report, to be gathered, edited and issued under a new number; it
    states which report it replaces. The issued one stays archived as it was."""
    report = ReportRequest.objects.select_for_update().get(pk=report.pk)
    if report.status != ReportStatus.DONE:
        raise ReportRefused("Chỉ lập phiên bản thay thế cho báo cáo đã ban hành; dự thảo thì sửa trực tiếp.")
    if not may_request(user, report.unit):
        raise ReportRefused("Bạn không được lập báo cáo cho đơn vị này.")
    reason = reason.strip()
    if not reason:
        raise ReportRefused("Hãy nêu lý do đính chính, thay thế báo cáo.")
    if hasattr(report, "replaced_by"):
        raise ReportRefused(f"Báo cáo này đã có phiên bản thay thế: {report.replaced_by}.")
    latest = _latest(report.kind, report.unit, periods_of(report))
    if latest is not None and latest.pk != report.pk:
        raise ReportRefused(f"Đã có phiên bản mới hơn của báo cáo này: {latest}.")
    correction = ReportRequest.objects.create(
        kind=report.kind,
        unit=report.unit,
        period_start=report.period_start,
        period_end=report.period_end,
        phase=report.phase,
        period_name=report.period_name,
        period_slug=report.period_slug,
        due_on=report.due_on,
        as_of=min(report.period_end, timezone.localdate()),
        version=report.version + 1,
        replaces=report,
        correction_reason=reason,
        status=ReportStatus.QUEUED,
        requested_by=user,
    )
    _enqueue(correction.pk)
    return correction


def periods_of(report: ReportRequest) -> ReportPeriod:
    return ReportPeriod(
        report.kind, "", report.period_name, report.period_slug, report.period_start, report.period_end,
        report.due_on, "", report.phase,
    )  # fmt: skip


# ---------------------------------------------------------------- the build


def build_report(*, report_id: int) -> ReportRequest:
    """The background work of a report: a draft's figures are gathered and its draft sentences
    written (→ DRAFT); an issued report's PDF and xlsx are rendered and archived (→ DONE).

    Idempotent: a finished report is left as it is, and so is one a live build holds (its
    lease, `reports.lease`); a report whose build died is built again from the start, and its
    files are written under the same names, so a re-run never leaves a second copy."""
    with transaction.atomic():
        report = ReportRequest.objects.select_for_update().get(pk=report_id)
        if report.status in (ReportStatus.DONE, ReportStatus.DRAFT) or lease.is_held(report):
            return report
        report.status = ReportStatus.RUNNING
        report.attempts += 1
        report.started_at = timezone.now()
        report.lease_until = lease.expiry(report.started_at)
        report.save(update_fields=["status", "attempts", "started_at", "lease_until"])
    report = ReportRequest.objects.select_related(
        "unit", "phase__programme", "requested_by", "issuing_body", "replaces"
    ).get(pk=report_id)

    if not report.is_issued:
        with lease.heartbeat(report_id):
            started = time.perf_counter()
            figures = gathering.gather(report)
            gathered = time.perf_counter()
        with transaction.atomic():
            report = ReportRequest.objects.select_for_update().get(pk=report_id)
            if report.status != ReportStatus.RUNNING:
                return report
            report.figures = figures
            report.status, report.error, report.lease_until = ReportStatus.DRAFT, "", None
            report.gather_seconds = gathered - started
            report.save(update_fields=["figures", "status", "error", "lease_until", "gather_seconds"])
            _prefill(report)
        return report

    with lease.heartbeat(report_id):
        started = time.perf_counter()
        text, figures = texts_of(report), report.figures or {}
        pdf = output.render_pdf(report, figures, text)
        xlsx = output.render_xlsx(report, figures)
        rendered = time.perf_counter()

    with transaction.atomic():
        report = ReportRequest.objects.select_for_update().get(pk=report_id)
        if report.status == ReportStatus.DONE:
            return report
        report.pdf.name = _store(report, "pdf", pdf)
        report.xlsx.name = _store(report, "xlsx", xlsx)
        report.status = ReportStatus.DONE
        report.error = ""
        report.finished_at = timezone.now()
        report.lease_until = None
        report.render_seconds = rendered - started
        report.save(
            update_fields=["pdf", "xlsx", "status", "error", "finished_at", "lease_until", "render_seconds"]
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
    """On the day a periodic report's figures close (the unit's calendar: e.g. 14/6, or 30/6 in
    calendar months) draft it for every unit that owes one; its users then gather and write it."""
    day = day or timezone.localdate()
    drafts = []
    for unit in report_units(day):
        calendar = periods.Calendar(unit)
        for kind in periods.PERIODIC_KINDS:
            if periods.periodic(calendar, kind, day.year).end == day:
                drafts.append(create_system_report(kind=kind, unit=unit, year=day.year))
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
