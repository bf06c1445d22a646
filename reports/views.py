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
from snapshots.selectors import NATIONAL_GOAL_PERCENT, NATIONAL_GOAL_YEAR, national_view

from . import charts, selectors, services
from .forms import NarrativeForm, ReportRequestForm
from .models import REPORT_UNIT_LEVELS, ReportRequest, ReportStatus


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
    form = ReportRequestForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            report, queued = services.request_report(
                user=request.user,
                kind=data["kind"],
                unit=data["unit"],
                year=data.get("year"),
                phase=data.get("phase"),
                as_of=data.get("as_of"),
                difficulties=data["difficulties"],
                proposals=data["proposals"],
            )
        except services.ReportRefused as exc:
            form.add_error(None, exc.message)
        else:
            if queued:
                messages.success(request, "Đã gửi yêu cầu; báo cáo đang được tổng hợp.")
            else:
                messages.info(request, "Báo cáo này đã có; không tạo báo cáo trùng.")
            return redirect(report)
    context = {
        "reports": reports,
        "form": form if can(request.user, Action.REQUEST_REPORT) else None,
        "crumbs": [_root_crumb()],
        "trail": "Danh sách báo cáo",
    }
    return render(request, "reports/report_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_visible_or_404(
        ReportRequest.objects.select_related("unit", "requested_by", "phase__programme"), request.user, pk=pk
    )
    initial: dict[str, Any] = {
        "difficulties": report.difficulties,
        "proposals": report.proposals,
        "as_of": report.as_of,
    }
    form = NarrativeForm(request.POST or None, initial=initial)
    if request.method == "POST":
        require(request.user, Action.REQUEST_REPORT, report.unit)
        if form.is_valid():
            data = form.cleaned_data
            try:
                _report, queued = services.request_report(
                    user=request.user,
                    kind=report.kind,
                    unit=report.unit,
                    year=report.period_end.year,
                    phase=report.phase,
                    as_of=data["as_of"],
                    difficulties=data["difficulties"],
                    proposals=data["proposals"],
                )
            except services.ReportRefused as exc:
                form.add_error(None, exc.message)
                messages.error(request, exc.message)
            else:
                if queued:
                    messages.success(request, "Đã gửi yêu cầu; báo cáo đang được tổng hợp.")
                else:
                    messages.info(request, "Báo cáo đang được tổng hợp hoặc không có thay đổi.")
                return redirect(report)
    context = {
        "report": report,
        "form": form,
        "may_request": can(request.user, Action.EDIT_REPORT, report) and not report.is_pending,
        "refresh": report.is_pending,
        "figures": report.figures,
        "crumbs": [_root_crumb(), _crumb("Danh sách báo cáo", reverse("reports:reports"))],
        "trail": report.get_kind_display(),
    }
    return render(request, "reports/report_detail.html", context)


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
    filename = f"bao-cao-{report.kind}-{report.unit_id}-{report.period_end:%Y%m%d}.{fmt}"
    return FileResponse(
        field.open("rb"), as_attachment=True, filename=filename, content_type=CONTENT_TYPES[fmt]
    )
