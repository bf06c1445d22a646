"""Pages of data quality: a unit's indicators with the records to fix, the ranking of communes,
reconciliation rounds (opened above, worked by each commune, summarised in an official PDF), and
the responsible officers (assignment, handover). Thin: the gate, a selector or a service, render."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import OuterRef, Subquery
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST, require_safe

from areas.jurisdiction import get_visible_or_404
from areas.models import Area, Level, User
from areas.permissions import Action, can, require
from dossiers import documents
from subjects.access import log_access, log_person_read
from subjects.forms import AssignForm
from subjects.models import AccessAction, Person
from subjects.officers import assign_officer, commune_officers, hand_over

from . import selectors, services
from .checks import Indicator
from .forms import HandoverForm, OpenRoundForm, VerifyForm
from .models import OUTCOME_HEADS, FieldVerification, Outcome, ReconciliationRound, RoundPart

PER_PAGE = 50


def _crumbs(*extra: tuple[str, str]) -> list[SimpleNamespace]:
    return [SimpleNamespace(name=name, get_absolute_url=url) for name, url in extra]


def _error_text(error: ValidationError) -> str:
    return " ".join(error.messages)


# ---------------------------------------------------------------- quality pages


@login_required
def ranking(request: HttpRequest) -> HttpResponse:
    """The communes of a district or province by quality, worst first."""
    wanted = request.GET.get("don-vi", "")
    if wanted.isdigit():
        unit = get_visible_or_404(Area.objects.all(), request.user, pk=int(wanted))
    elif request.user.area_id:
        unit = request.user.area
    else:
        unit = Area.objects.visible_to(request.user).filter(parent__isnull=True).order_by("name").first()
        if unit is None:
            raise Http404
    if unit.level in (Level.COMMUNE, Level.VILLAGE):
        return redirect("quality:unit", pk=unit.pk)
    today = timezone.localdate()
    rows = selectors.commune_scores(request.user, unit, today)
    units = (
        Area.objects.visible_to(request.user)
        .filter(level__in=[Level.PROVINCE, Level.DISTRICT])
        .order_by("path")
        .only("id", "name")
    )
    context = {
        "unit": unit,
        "today": today,
        "rows": rows,
        "indicators": list(Indicator),
        "units": units,
        "crumbs": _crumbs(("Chất lượng dữ liệu", reverse("quality:ranking"))),
        "trail": str(unit),
        "can_open_round": can(request.user, Action.OPEN_ROUND, unit),
    }
    return render(request, "quality/ranking.html", context)


@login_required
@require_safe
def unit_page(request: HttpRequest, pk: int) -> HttpResponse:
    """A commune's or village's indicators with the records to fix (optionally one officer's)."""
    unit = get_visible_or_404(Area.objects.select_related("parent"), request.user, pk=pk)
    if unit.level not in (Level.COMMUNE, Level.VILLAGE):
        return redirect(f"{reverse('quality:ranking')}?don-vi={unit.pk}")
    officer = None
    wanted = request.GET.get("can-bo", "")
    if wanted:
        holders = User.objects.filter(
            pk__in=selectors.scoped_persons(request.user, unit).values("officer_id")
        ) | selectors.officers_of(unit)
        officer = holders.filter(pk=int(wanted)).first() if wanted.isdigit() else None
        if officer is None:
            messages.error(request, "Không có cán bộ phụ trách này trong đơn vị; đang hiển thị tất cả.")
    today = timezone.localdate()
    quality = selectors.unit_quality(request.user, unit, officer=officer, today=today)
    if quality.names_persons:
        log_person_read(
            request,
            object_type="quality",
            object_id=unit.pk,
            area=unit,
            description="Chất lượng dữ liệu: danh sách bản ghi cần sửa",
        )
    if unit.level == Level.COMMUNE and officer is None:
        # The whole commune was just scored: its home card (which reads the month's snapshot
        # rather than scoring on every visit) shows these figures from now on.
        services.store_snapshot(area_id=unit.pk, month=selectors.first_of_month(today), score=quality.score)
    commune = unit if unit.level == Level.COMMUNE else unit.parent
    context = {
        "q": quality,
        "unit": unit,
        "indicators": list(Indicator),
        "trend": selectors.trend(unit, quality.score, today)
        if unit.level == Level.COMMUNE and officer is None
        else [],
        "crumbs": selectors_crumbs(request, unit),
        "trail": "Chất lượng dữ liệu",
        "can_assign": can(request.user, Action.ASSIGN_OFFICERS, commune),
        "parts": RoundPart.objects.visible_to(request.user)
        .filter(commune=commune, round__closed_at__isnull=True)
        .select_related("round")
        .order_by("due_on"),
    }
    return render(request, "quality/unit.html", context)


def selectors_crumbs(request: HttpRequest, unit: Area) -> list[Any]:
    from areas.selectors import breadcrumbs

    return breadcrumbs(unit, request.user)


# ---------------------------------------------------------------- reconciliation rounds


@login_required
def rounds(request: HttpRequest) -> HttpResponse:
    """The rounds the user may follow: those opened in their unit's subtree, and their commune's
    parts of rounds opened above."""
    opened = (
        ReconciliationRound.objects.visible_to(request.user)
        .select_related("area", "body")
        .order_by("-starts_on", "-pk")[:100]
    )
    parts = (
        RoundPart.objects.visible_to(request.user)
        .exclude(round__in=ReconciliationRound.objects.visible_to(request.user))
        .select_related("round", "round__body", "commune")
        .order_by("-round__starts_on", "commune__name")[:100]
    )
    today = timezone.localdate()
    context = {
        "opened": opened,
        "parts": [(part, part.is_late(today)) for part in parts],
        "can_open": can(request.user, Action.OPEN_ROUND, request.user.area if request.user.area_id else None),
        "crumbs": _crumbs(("Chất lượng dữ liệu", reverse("quality:ranking"))),
        "trail": "Đợt rà soát",
    }
    return render(request, "quality/rounds.html", context)


@login_required
def round_open(request: HttpRequest) -> HttpResponse:
    require(request.user, Action.OPEN_ROUND, request.user.area if request.user.area_id else None)
    form = OpenRoundForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            round_ = services.open_round(
                user=request.user,
                title=data["title"],
                starts_on=data["starts_on"],
                due_on=data["due_on"],
                communes=list(data["communes"]),
                instructions=data["instructions"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"Đã mở đợt rà soát cho {round_.parts.count()} xã.")
            return redirect("quality:round", pk=round_.pk)
    context = {
        "form": form,
        "crumbs": _crumbs(("Đợt rà soát", reverse("quality:rounds"))),
        "trail": "Mở đợt rà soát",
    }
    return render(request, "quality/round_open.html", context)


@login_required
def round_detail(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = get_visible_or_404(
        ReconciliationRound.objects.select_related("body", "area"), request.user, pk=pk
    )
    summary = selectors.round_summary(round_)
    context = {
        "round": round_,
        "s": summary,
        "outcomes": list(OUTCOME_HEADS.items()),
        "can_close": round_.closed_at is None and can(request.user, Action.OPEN_ROUND, round_),
        "crumbs": _crumbs(("Đợt rà soát", reverse("quality:rounds"))),
        "trail": round_.title,
    }
    return render(request, "quality/round_detail.html", context)


@login_required
def round_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = get_visible_or_404(
        ReconciliationRound.objects.select_related("body", "area__parent"), request.user, pk=pk
    )
    summary = selectors.round_summary(round_)
    area = round_.area
    parent_body, issuing_body = documents.police_header(area)
    round_title = round_.title[:1].lower() + round_.title[1:]
    today = timezone.localdate()
    context = {
        "s": summary,
        "round": round_,
        "outcomes": list(OUTCOME_HEADS.items()),
        "parent_body": parent_body,
        "issuing_body": issuing_body,
        "number": "\u00a0" * 6 + f"/BC-{round_.body.symbol}",
        "place_date": documents.place_and_date(documents.short_name(area), today),
        "title_kind": "BÁO CÁO",
        "title_subject": f"Kết quả {round_title}",
        "round_title": round_title,
        "recipients": [f"Các xã tham gia đợt rà soát ({len(summary.parts)} xã)", "Lưu: VT, hồ sơ rà soát"],
        "signature_for": "",
        "signature_title": round_.body.head_title.upper(),
        "signer_name": "",
    }
    pdf = documents.render_pdf("quality/round_pdf.html", context)
    log_access(
        request=request,
        action=AccessAction.EXPORT,
        object_type="reconciliation_round",
        object_id=round_.pk,
        area=area,
        description=f"Báo cáo kết quả đợt rà soát ({len(summary.parts)} xã)",
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="ket-qua-ra-soat-{round_.pk}.pdf"'
    return response


@login_required
@require_POST
def round_close(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = get_visible_or_404(ReconciliationRound.objects.all(), request.user, pk=pk)
    try:
        services.close_round(user=request.user, round_=round_)
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, "Đã kết thúc đợt rà soát.")
    return redirect("quality:round", pk=round_.pk)


@login_required
def part_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A commune's part of a round: each person with this round's verification, and the form to
    record one."""
    part = get_visible_or_404(
        RoundPart.objects.select_related("round", "round__body", "commune"), request.user, pk=pk
    )
    this_round = FieldVerification.objects.filter(part=part, person=OuterRef("pk"))
    persons = (
        Person.objects.visible_to(request.user)
        .filter(village__parent=part.commune)
        .select_related("village")
        .annotate(
            outcome=Subquery(this_round.values("outcome")[:1]),
            verified_on=Subquery(this_round.values("verified_on")[:1]),
            verification_note=Subquery(this_round.values("note")[:1]),
        )
        .order_by("village__name", "name_search", "pk")
    )
    if request.GET.get("chua-xac-minh"):
        persons = persons.filter(outcome__isnull=True)
    page = Paginator(persons, PER_PAGE).get_page(request.GET.get("page"))
    if page.object_list:
        log_person_read(
            request,
            object_type="reconciliation_part",
            object_id=part.pk,
            area=part.commune,
            description=f"Rà soát: danh sách {len(page.object_list)} đối tượng",
        )
    labels = dict(Outcome.choices)
    today = timezone.localdate()
    can_work = (
        part.closed_at is None
        and part.round.closed_at is None
        and can(request.user, Action.WORK_ROUND, part.commune)
    )
    context = {
        "part": part,
        "page": page,
        "rows": [(p, labels.get(p.outcome, "")) for p in page.object_list],
        "outcomes": Outcome.choices,
        "today": today,
        "late": part.is_late(today),
        "can_work": can_work,
        "only_open": bool(request.GET.get("chua-xac-minh")),
        "query": "chua-xac-minh=1" if request.GET.get("chua-xac-minh") else "",
        "crumbs": _crumbs(("Đợt rà soát", reverse("quality:rounds"))),
        "trail": f"{part.round.title} — {part.commune.name}",
    }
    return render(request, "quality/part_detail.html", context)


@login_required
@require_POST
def part_verify(request: HttpRequest, pk: int) -> HttpResponse:
    part = get_visible_or_404(RoundPart.objects.select_related("commune"), request.user, pk=pk)
    form = VerifyForm(request.POST)
    back = reverse("quality:part", args=[part.pk])
    if request.POST.get("page", "").isdigit():
        back += f"?page={request.POST['page']}"
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect(back)
    person = get_visible_or_404(
        Person.objects.select_related("village"), request.user, pk=form.cleaned_data["person"]
    )
    try:
        services.verify_person(
            user=request.user,
            person=person,
            verified_on=form.cleaned_data["verified_on"],
            outcome=form.cleaned_data["outcome"],
            note=form.cleaned_data["note"],
            part=part,
        )
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, f"Đã ghi kết quả xác minh hồ sơ #{person.pk}.")
    return redirect(back)


@login_required
@require_POST
def part_close(request: HttpRequest, pk: int) -> HttpResponse:
    part = get_visible_or_404(RoundPart.objects.all(), request.user, pk=pk)
    try:
        services.close_part(user=request.user, part=part)
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, "Đã kết thúc phần rà soát của xã.")
    return redirect("quality:part", pk=part.pk)


# ---------------------------------------------------------------- responsible officers


@login_required
def handover(request: HttpRequest) -> HttpResponse:
    """Hand every record of one officer over to another, in the user's commune."""
    commune = request.user.area if request.user.area_id else None
    require(request.user, Action.ASSIGN_OFFICERS, commune)
    if commune is None or commune.level != Level.COMMUNE:
        raise Http404
    officers = commune_officers(commune)
    holder_ids = Person.objects.visible_to(request.user).filter(village__parent=commune).values("officer_id")
    holders = User.objects.filter(pk__in=holder_ids).order_by("full_name", "username")
    form = HandoverForm(request.POST or None, holders=holders, officers=officers)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            moved = hand_over(
                user=request.user,
                commune=commune,
                from_officer=data["from_officer"],
                to_officer=data["to_officer"],
                reason=data["reason"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                f"Đã bàn giao {moved} đối tượng từ {data['from_officer'].display_name} "
                f"cho {data['to_officer'].display_name}.",
            )
            return redirect("quality:handover")
    counts = {row["officer_id"]: row["n"] for row in selectors.officer_counts(request.user, commune)}
    context = {
        "form": form,
        "commune": commune,
        "holders": [(u, counts.get(u.pk, 0)) for u in holders],
        "unassigned": counts.get(None, 0),
        "crumbs": _crumbs(("Chất lượng dữ liệu", reverse("quality:unit", args=[commune.pk]))),
        "trail": "Bàn giao cán bộ phụ trách",
    }
    return render(request, "quality/handover.html", context)


@login_required
@require_POST
def assign(request: HttpRequest, pk: int) -> HttpResponse:
    """Give one person's record to an officer (from the person's page)."""
    person = get_visible_or_404(Person.objects.select_related("village__parent"), request.user, pk=pk)
    form = AssignForm(request.POST, officers=commune_officers(person.village.parent))
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    else:
        try:
            change = assign_officer(
                user=request.user,
                person=person,
                officer=form.cleaned_data["officer"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            messages.error(request, _error_text(error))
        else:
            messages.success(
                request, "Đã đổi cán bộ phụ trách." if change else "Cán bộ phụ trách không thay đổi."
            )
    return redirect("subjects:person_detail", pk=person.pk)
