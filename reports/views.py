"""Pages of the reports: the progress dashboard, a plan's phases, the reports and their files.

Views are thin: they pick the unit the user may see, call a selector or a service, and render.
"""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from areas.jurisdiction import get_visible_or_404
from areas.models import Area, Level
from areas.permissions import Action, can, require
from areas.widgets import DateField
from programmes.models import Programme
from quality.selectors import commune_scores as quality_ranking
from snapshots.selectors import NATIONAL_GOAL_PERCENT, NATIONAL_GOAL_YEAR, national_view

from . import charts, output, periods, reminders, sections, selectors, services
from .forms import CorrectionForm, ReportRequestForm, ReportTextForm
from .models import REPORT_UNIT_LEVELS, ReportRequest, ReportStatus, ReportText

# The worst communes by data quality the dashboard lists (the whole ranking is a page of its own).
QUALITY_ROWS = 10


def _crumb(name: str, url: str) -> SimpleNamespace:
    return SimpleNamespace(name=name, get_absolute_url=url)


def _root_crumb() -> SimpleNamespace:
    return _crumb("Báo cáo", reverse("reports:index"))


def _unit_for(request: HttpRequest) -> Area:
    """The unit asked for in ?don-vi= (inside the user's reach), else the user's own unit."""
    wanted = request.GET.get("don-vi", "")
    units = Area.objects.filter(level__in=REPORT_UNIT_LEVELS)
    if wanted.isdigit():
        return get_visible_or_404(units, request.user, pk=int(wanted))
    if request.user.area_id:
        return get_visible_or_404(Area.objects.all(), request.user, pk=request.user.area_id)
    unit = units.visible_to(request.user).filter(level=Level.PROVINCE).order_by("name").first()
    if unit is None:
        raise Http404
    return unit


def _as_of(request: HttpRequest) -> dt.date:
    today = timezone.localdate()
    raw = request.GET.get("ngay", "").strip()
    if not raw:
        return today
    try:
        day = DateField().clean(raw)
    except ValidationError as error:
        messages.error(request, f"{error.messages[0]} Đang hiển thị số liệu hôm nay.")
        return today
    if day > today:
        messages.error(request, "Ngày xem số liệu không được sau hôm nay; đang hiển thị số liệu hôm nay.")
        return today
    return day


@login_required
def index(request: HttpRequest) -> HttpResponse:
    unit = _unit_for(request)
    if unit.level == Level.NATION:
        return redirect("reports:national")
    as_of = _as_of(request)
    board = selectors.dashboard(unit, as_of)
    plan_charts = []
    for plan, phases in board.plans:
        bars = [
            charts.Bar(
                label=f"GĐ {p.phase.number} — đến {p.phase.ends_on:%d/%m/%Y}",
                value=float(p.progress.achieved_percent),
                target=float(p.progress.required_percent),
                note=p.progress.actual_text,
            )
            for p in phases
        ]
        plan_charts.append(
            (
                plan,
                phases,
                charts.progress_bars(bars, title=f"Tiến độ Kế hoạch số {plan.number} so với chỉ tiêu"),
            )
        )
    years_chart = None
    if board.years:
        years_chart = charts.column_pairs(
            [
                (str(y.year), float(y.progress.required_percent), float(y.progress.achieved_percent))
                for y in board.years
            ],
            title="Chỉ tiêu năm đã đăng ký và kết quả đạt được",
        )
    context = {
        "board": board,
        "unit": unit,
        "plan_charts": plan_charts,
        "years_chart": years_chart,
        "states_chart": charts.state_bars(
            [s for s in board.states if s[2]], title="Hồ sơ công nhận theo trạng thái"
        ),
        "units": Area.objects.visible_to(request.user)
        .filter(level__in=[Level.PROVINCE, Level.DISTRICT])
        .order_by("path")
        .only("id", "name"),
        "crumbs": [_root_crumb()],
        "trail": str(unit),
        "quality_rows": quality_ranking(request.user, unit, timezone.localdate())[:QUALITY_ROWS],
    }
    return render(request, "reports/index.html", context)


@login_required
def national(request: HttpRequest) -> HttpResponse:
    """Cục C04's view: every province's commune-level units recognised, against its target for the
    year and the national 50 % of 2030, from the nightly snapshots (a fixed number of queries)."""
    require(request.user, Action.VIEW_NATION)
    as_of = _as_of(request)
    view = national_view(as_of)
    bars = [
        charts.Bar(
            label=row.province.name,
            value=float(row.recognised_percent),
            target=None if row.target_percent is None else float(row.target_percent),
            note=f"{row.recognised}/{row.communes} công nhận · {row.meeting} đạt TC",
        )
        for row in view.provinces
    ]
    trend = charts.column_pairs(
        [(str(p.year), float(p.target_percent), float(p.recognised_percent)) for p in view.years],
        title="Cả nước theo năm: chỉ tiêu đã đăng ký và tỷ lệ xã, phường, đặc khu được công nhận",
    )
    context = {
        "view": view,
        "goal_percent": NATIONAL_GOAL_PERCENT,
        "goal_year": NATIONAL_GOAL_YEAR,
        "provinces_chart": charts.progress_bars(
            bars, title="Tỷ lệ xã, phường, đặc khu được công nhận theo tỉnh, so với chỉ tiêu năm"
        ),
        "trend_chart": trend if view.years else None,
        "crumbs": [_root_crumb()],
        "trail": "Toàn quốc",
    }
    return render(request, "reports/national.html", context)


@login_required
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_visible_or_404(
        Programme.objects.select_related("issuing_unit", "village_criteria_set", "commune_criteria_set"),
        request.user,
        pk=pk,
    )
    as_of = _as_of(request)
    phases = selectors.plan_progress(plan, as_of)
    context = {
        "plan": plan,
        "phases": phases,
        "bases": plan.legal_bases.all(),
        "route": plan.route_steps.select_related("body").order_by("unit_level", "function"),
        "windows": plan.reporting_windows.all(),
        "as_of": as_of,
        "crumbs": [_root_crumb()],
        "trail": str(plan),
    }
    return render(request, "reports/plan_detail.html", context)


def _report_unit(request: HttpRequest) -> Area | None:
    """The unit whose reports the list offers to prepare: don-vi (the form's, or ?don-vi=) within
    reach, else the user's."""
    wanted = request.POST.get("don-vi", "") or request.GET.get("don-vi", "")
    user: Any = request.user
    units = Area.objects.filter(level__in=REPORT_UNIT_LEVELS)
    if wanted.isdigit():
        return get_visible_or_404(units, user, pk=int(wanted))
    if user.area_id:
        return units.visible_to(user).filter(pk=user.area_id).first()
    return units.visible_to(user).filter(level=Level.PROVINCE).order_by("name").first()


@login_required
@require_http_methods(["GET", "POST"])
def report_list(request: HttpRequest) -> HttpResponse:
    reports = (
        ReportRequest.objects.visible_to(request.user)
        .select_related("unit", "requested_by", "phase__programme")
        .order_by("-requested_at")[:100]
    )
    if request.method == "POST":
        require(request.user, Action.REQUEST_REPORT)
    unit = _report_unit(request)
    may = unit is not None and can(request.user, Action.REQUEST_REPORT, unit)
    offered = periods.offered(unit, timezone.localdate()) if may and unit is not None else []
    initial = {"period": request.GET.get("ky", "")}
    form = ReportRequestForm(request.POST or None, periods=offered, initial=initial)
    if request.method == "POST" and may and unit is not None and form.is_valid():
        try:
            report, queued = services.request_report(
                user=request.user,
                unit=unit,
                period=services.period_from_key(unit, form.cleaned_data["period"]),
            )
        except services.ReportRefused as exc:
            form.add_error(None, exc.message)
        else:
            if queued:
                messages.success(request, "Đã gửi yêu cầu; số liệu đang được tổng hợp để lập dự thảo.")
            else:
                messages.info(request, "Báo cáo của kỳ này đã có; không tạo báo cáo trùng.")
            return redirect(report)
    units = (
        Area.objects.open_on(timezone.localdate())
        .filter(level__in=REPORT_UNIT_LEVELS)
        .visible_to(request.user)
        .order_by("path")
        .only("id", "name", "level")
    )
    context = {
        "reports": reports,
        "form": form if may else None,
        "unit": unit,
        "units": units if can(request.user, Action.REQUEST_REPORT) else [],
        "crumbs": [_root_crumb()],
        "trail": "Danh sách báo cáo",
    }
    return render(request, "reports/report_list.html", context)


def _report(request: HttpRequest, pk: int) -> ReportRequest:
    return get_visible_or_404(
        ReportRequest.objects.select_related(
            "unit", "requested_by", "phase__programme", "issuing_body", "issued_by", "replaces", "replaced_by"
        ),
        request.user,
        pk=pk,
    )


@login_required
@require_http_methods(["GET", "POST"])
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A report: while a draft, the editor of its narrative (save, gather again, issue); once
    issued, its files and the way to a correcting version."""
    report = _report(request, pk)
    texts = services.texts_of(report)
    text_form = ReportTextForm(
        request.POST if request.POST.get("action") in ("save", "issue") else None,
        kind=report.kind,
        initial=texts,
    )
    correction_form = CorrectionForm(request.POST if request.POST.get("action") == "correct" else None)
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action in ("save", "issue"):
                require(request.user, Action.EDIT_REPORT, report)
                if text_form.is_valid():
                    services.save_text(user=request.user, report=report, texts=text_form.cleaned_data)
                    if action == "issue":
                        issued = services.issue_report(user=request.user, report=report)
                        messages.success(
                            request,
                            f"Đã ban hành Báo cáo số {issued.reference}; tệp PDF, Excel đang được tạo.",
                        )
                    else:
                        messages.success(request, "Đã lưu nội dung dự thảo.")
                    return redirect(report)
            elif action == "refresh":
                require(request.user, Action.EDIT_REPORT, report)
                services.refresh_figures(user=request.user, report=report)
                messages.success(request, "Đang tổng hợp lại số liệu; nội dung đã viết được giữ nguyên.")
                return redirect(report)
            elif action == "retry":
                require(request.user, Action.REQUEST_REPORT, report.unit)
                services.request_report(
                    user=request.user, unit=report.unit, period=services.periods_of(report)
                )
                return redirect(report)
            elif action == "correct":
                require(request.user, Action.REQUEST_REPORT, report.unit)
                if correction_form.is_valid():
                    correction = services.start_correction(
                        user=request.user, report=report, reason=correction_form.cleaned_data["reason"]
                    )
                    messages.success(request, "Đã lập phiên bản thay thế; số liệu đang được tổng hợp.")
                    return redirect(correction)
            else:
                messages.error(request, "Thao tác không hợp lệ.")
        except services.ReportRefused as exc:
            messages.error(request, exc.message)
    editable = report.is_editable and can(request.user, Action.EDIT_REPORT, report)
    if not editable:
        for field in text_form.fields.values():
            field.disabled = True
    context = {
        "report": report,
        "form": text_form,
        "editable": editable,
        "may_refresh": editable,
        "may_retry": report.status == ReportStatus.FAILED
        and can(request.user, Action.REQUEST_REPORT, report.unit),
        "may_correct": report.status == ReportStatus.DONE
        and not hasattr(report, "replaced_by")
        and can(request.user, Action.REQUEST_REPORT, report.unit),
        "correction_form": correction_form,
        "refresh": report.is_pending,
        "figures": report.figures,
        "units": output.unit_table_context(report.figures) if report.figures else None,
        "text": ReportText.objects.filter(report=report).first(),
        "missing": sections.missing(report.kind, texts) if report.is_editable else [],
        "pdf_name": output.file_name(report, "pdf"),
        "crumbs": [_root_crumb(), _crumb("Danh sách báo cáo", reverse("reports:reports"))],
        "trail": report.get_kind_display(),
    }
    return render(request, "reports/report_detail.html", context)


@login_required
def report_history(request: HttpRequest, pk: int) -> HttpResponse:
    """Who changed the report's text, when, and which sections."""
    report = _report(request, pk)
    titles = {s.key: s.title for s in sections.sections_for(report.kind)}
    records = list(
        ReportText.history.filter(report_id=report.pk).select_related("history_user").order_by("history_date")
    )
    rows = []
    previous: dict[str, str] = {}
    for record in records:
        changed = [titles.get(k, k) for k, v in record.sections.items() if previous.get(k, "") != v]
        rows.append({"record": record, "changed": changed})
        previous = record.sections
    rows.reverse()
    context = {
        "report": report,
        "rows": rows,
        "crumbs": [
            _root_crumb(),
            _crumb("Danh sách báo cáo", reverse("reports:reports")),
            _crumb(str(report.get_kind_display()), report.get_absolute_url()),
        ],
        "trail": "Lịch sử chỉnh sửa",
    }
    return render(request, "reports/report_history.html", context)


@login_required
def overdue(request: HttpRequest) -> HttpResponse:
    """The reports the units under the user's unit owe and have not sent on time."""
    unit = _report_unit(request)
    today = timezone.localdate()
    late = reminders.overdue_below(unit, today) if unit is not None else []
    context = {
        "unit": unit,
        "late": late,
        "today": today,
        "crumbs": [_root_crumb()],
        "trail": "Báo cáo quá hạn của đơn vị cấp dưới",
    }
    return render(request, "reports/overdue.html", context)


CONTENT_TYPES = {
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@login_required
def report_download(request: HttpRequest, pk: int, fmt: str) -> FileResponse:
    if fmt not in CONTENT_TYPES:
        raise Http404
    report = get_visible_or_404(ReportRequest.objects.select_related("unit"), request.user, pk=pk)
    field = getattr(report, fmt)
    if report.status != ReportStatus.DONE or not field:
        raise Http404
    return FileResponse(
        field.open("rb"),
        as_attachment=True,
        filename=output.file_name(report, fmt),
        content_type=CONTENT_TYPES[fmt],
    )
