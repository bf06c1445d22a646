"""Criteria pages: the sets, a unit's scorecard as of a date, the villages × criteria table, and
the evidence that settles what the registers cannot decide. Every unit and document is looked up
through the jurisdiction gate."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from areas.jurisdiction import get_visible_or_404
from areas.models import Area, Level
from areas.selectors import breadcrumbs
from subjects.access import log_scorecard_read

from . import selectors, services
from .forms import AsOfForm, AttestationForm
from .models import Criterion, EvidenceAttestation


@login_required
def index(request: HttpRequest) -> HttpResponse:
    units = list(selectors.scorable_units(request.user))
    own = request.user.area if request.user.area_id else None
    context = {
        "sets": selectors.criteria_sets(),
        "units": units,
        "own_area": own if own is not None and own.level != Level.VILLAGE else None,
    }
    return render(request, "criteria/index.html", context)


@login_required
def set_detail(request: HttpRequest, pk: int) -> HttpResponse:
    criteria_set = get_object_or_404(selectors.criteria_sets(), pk=pk)
    return render(request, "criteria/set_detail.html", {"criteria_set": criteria_set})


@login_required
def scorecard(request: HttpRequest, pk: int) -> HttpResponse:
    area = get_visible_or_404(Area.objects.select_related("parent"), request.user, pk=pk)
    form = AsOfForm(request.GET or None, initial={"ngay": timezone.localdate()})
    card = services.score_area(area=area, as_of=form.as_of(), proposal_date=form.proposal_date())
    log_scorecard_read(request, [card], area=area, object_type="scorecard")
    wanted = request.GET.get("tieu-chi", "")
    query = request.GET.copy()
    query.pop("tieu-chi", None)
    context = {
        "area": area,
        "form": form,
        "scorecard": card,
        "full_criterion": int(wanted) if wanted.isdigit() else None,
        "full_query": query.urlencode(),
        "can_attest": services.can_attest(request.user, area),
        "crumbs": breadcrumbs(area, request.user),
        "trail": "Đánh giá tiêu chí",
        "has_table": area.level != Level.VILLAGE,
    }
    return render(request, "criteria/scorecard.html", context)


@login_required
def table(request: HttpRequest, pk: int) -> HttpResponse:
    area = get_visible_or_404(Area.objects.all(), request.user, pk=pk)
    form = AsOfForm(request.GET or None, initial={"ngay": timezone.localdate()})
    as_of = form.as_of()
    rows = selectors.units_for_table(area, as_of)
    # The table is a roll-up: it reads the night's snapshots when they cover the day. A proposal
    # date, a day the nightly run has not covered, or a commune's table asked to be scored again
    # ("tinh-lai", after the registers changed today) is scored live; a whole district or
    # province is never re-scored on request (seconds of work per view).
    recompute = request.GET.get("tinh-lai") == "1" and area.level == Level.COMMUNE
    cards = None
    if form.proposal_date() is None and not recompute:
        from snapshots.selectors import scorecards_of_day

        cards = scorecards_of_day(rows, as_of)
    from_snapshots = cards is not None
    if cards is None:
        cards = services.score_areas(areas=rows, as_of=as_of, proposal_date=form.proposal_date())
    width = max((len(c.results) for c in cards.values()), default=0)
    table_rows = [
        {
            "area": unit,
            "card": cards[unit.pk],
            "cells": cards[unit.pk].results + [None] * (width - len(cards[unit.pk].results)),
        }
        for unit in rows
    ]
    used_sets = {c.criteria_set_id: c.criteria_set_name for c in cards.values() if c.criteria_set_id}
    villages = [r for r in table_rows if r["area"].level == Level.VILLAGE]
    # Column heads from the villages' own set (the commune row may follow another set; its cells
    # name their criterion on hover).
    heads = []
    for index in range(width):
        cells = [r["cells"][index] for r in villages + table_rows if r["cells"][index] is not None]
        heads.append(cells[0] if cells else None)
    context = {
        "area": area,
        "form": form,
        "as_of": as_of,
        "rows": table_rows,
        "numbers": range(1, width + 1),
        "heads": heads,
        "used_sets": used_sets,
        "village_total": len(villages),
        "village_passed": sum(1 for r in villages if r["card"].passed),
        "crumbs": breadcrumbs(area, request.user),
        "trail": "Bảng tiêu chí các thôn, bản",
        "from_snapshots": from_snapshots,
        "may_recompute": from_snapshots and area.level == Level.COMMUNE,
    }
    return render(request, "criteria/table.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def attest(request: HttpRequest, pk: int, criterion_pk: int) -> HttpResponse:
    area = get_visible_or_404(Area.objects.all(), request.user, pk=pk)
    criterion = get_object_or_404(Criterion.objects.select_related("criteria_set"), pk=criterion_pk)
    if not services.can_attest(request.user, area):
        raise PermissionDenied("Chỉ Công an xã của đơn vị mới được tải lên minh chứng.")
    form = AttestationForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.create_attestation(
                user=request.user, area=area, criterion=criterion, **form.cleaned_data
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, f"Đã lưu minh chứng cho tiêu chí {criterion.number}.")
            return redirect("criteria:scorecard", pk=area.pk)
    context = {
        "area": area,
        "criterion": criterion,
        "form": form,
        "crumbs": breadcrumbs(area, request.user),
        "trail": f"Minh chứng tiêu chí {criterion.number}",
    }
    return render(request, "criteria/attest.html", context)


@login_required
def evidence_document(request: HttpRequest, pk: int) -> FileResponse:
    attestation = get_visible_or_404(EvidenceAttestation.objects.all(), request.user, pk=pk)
    name = attestation.document.name.rsplit("/", 1)[-1]
    return FileResponse(attestation.document.open("rb"), as_attachment=False, filename=name)
