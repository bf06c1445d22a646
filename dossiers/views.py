from __future__ import annotations

import hashlib
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from areas.jurisdiction import get_visible_or_404
from areas.models import Role
from areas.permissions import Action, can
from areas.selectors import breadcrumbs
from criteria.scoring import Scorecard
from subjects.access import log_scorecard_read

from . import selectors, services
from .decisions import decision_download_name
from .forms import (
    DocumentForm,
    FindingFormSet,
    OpinionForm,
    OpinionRequestForm,
    RegistrationForm,
    ReviewForm,
    VoteForm,
    move_form_class,
)
from .models import Decision, Dossier, DossierDocument, RevocationDecision
from .route import SENDS_UP, Move, State
from .services import MoveRefused


def _dossier(request: HttpRequest, pk: int) -> Dossier:
    return get_visible_or_404(
        Dossier.objects.select_related(
            "area",
            "commune",
            "programme",
            "appraiser",
            "council",
            "decider",
            "registration__registered_by",
            "registration__phase",
        ).prefetch_related("programme__route_steps"),
        request.user,
        pk=pk,
    )


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    waiting = list(selectors.inbox(request.user))
    notifications = list(selectors.unread_notifications(request.user)[:20])
    context = {"waiting": waiting, "notifications": notifications}
    return render(request, "dossiers/inbox.html", context)


@login_required
def dossier_list(request: HttpRequest) -> HttpResponse:
    state = request.GET.get("trang_thai", "")
    if state not in State.values:
        state = ""
    context = {
        "dossiers": selectors.dossier_list(request.user, state=state),
        "states": State.choices,
        "state": state,
    }
    return render(request, "dossiers/dossier_list.html", context)


@login_required
def register(request: HttpRequest) -> HttpResponse:
    form = RegistrationForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            dossier = services.register(user=request.user, **form.cleaned_data)
        except MoveRefused as refusal:
            form.add_error(None, refusal.message)
        else:
            messages.success(request, f"Đã đăng ký xây dựng và lập hồ sơ cho {dossier.area}.")
            return redirect(dossier)
    return render(request, "dossiers/register.html", {"form": form})


def _appraisal_formset(dossier: Dossier, data: Any = None) -> Any:
    findings = {f.number: f for f in dossier.findings.all()}
    initial = []
    results = services.current_results(dossier)
    for result in results:
        finding = findings.get(result["number"])
        initial.append(
            {
                "number": result["number"],
                "computed": result["status"],
                "status": finding.status if finding else result["status"],
                "reason": finding.reason if finding else "",
            }
        )
    formset = FindingFormSet(data, initial=initial, prefix="tc")
    rows = [
        {"result": result, "finding": findings.get(result["number"]), "form": form}
        for result, form in zip(results, formset.forms, strict=False)
    ]
    return formset, rows


def _detail_context(request: HttpRequest, dossier: Dossier, **bound: Any) -> dict[str, Any]:
    user = request.user
    today = timezone.localdate()
    move_forms = [
        bound.get(f"move_{move}") or move_form_class(move)(move=move, dossier=dossier)
        for move, _to in selectors.available_moves(user, dossier)
        if move not in SENDS_UP
    ]
    send_up_moves = [Move(move) for move, _to in selectors.available_moves(user, dossier) if move in SENDS_UP]
    findings = list(dossier.findings.select_related("appraiser"))
    appraisal_formset, appraisal_rows = None, []
    if can(user, Action.APPRAISE_CRITERIA, dossier):
        appraisal_formset, appraisal_rows = bound.get("appraisal") or _appraisal_formset(dossier)
    events = list(dossier.events.select_related("actor__body", "actor__area").prefetch_related("documents"))
    may_request = can(user, Action.APPRAISE_CRITERIA, dossier) and bool(
        dossier.acting_body_ids(Role.CO_APPRAISER)
    )
    review = selectors.open_review(dossier)
    may_review = review is not None and can(user, Action.CONCLUDE_REVIEW, dossier)
    return {
        "dossier": dossier,
        "crumbs": breadcrumbs(dossier.area, user),
        "trail": "Hồ sơ công nhận",
        "events": events,
        "open_return": selectors.open_return(dossier, events),
        "documents": dossier.documents.select_related("uploaded_by"),
        "submission_card": Scorecard.from_dict(dossier.submission_scorecard)
        if dossier.submission_scorecard
        else None,
        "appraisal_card": Scorecard.from_dict(dossier.appraisal_scorecard)
        if dossier.appraisal_scorecard
        else None,
        "move_forms": move_forms,
        "send_up_moves": send_up_moves,
        "may_add_documents": selectors.may_add_documents(user, dossier),
        "document_form": bound.get("document") or DocumentForm(),
        "opinion_form": (bound.get("opinion") or OpinionForm())
        if selectors.may_give_opinion(user, dossier)
        else None,
        "opinion_summary": selectors.opinion_summary(dossier),
        "request_form": (bound.get("opinion_request") or OpinionRequestForm(dossier=dossier))
        if may_request
        else None,
        "vote_form": (bound.get("vote") or VoteForm()) if selectors.may_vote(user, dossier) else None,
        "votes": dossier.votes.select_related("member") if dossier.has_council else [],
        "council_tally": services.council_tally(dossier) if dossier.has_council else None,
        "findings": findings,
        "appraisal_formset": appraisal_formset,
        "appraisal_rows": appraisal_rows,
        "decision": Decision.objects.filter(dossier=dossier).select_related("signer").first(),
        "revocation": RevocationDecision.objects.filter(dossier=dossier).first(),
        "review": review,
        "review_form": (bound.get("review") or ReviewForm()) if may_review else None,
        "alerts": dossier.alerts.all(),
        "closed_notices": [
            body.closed_message(today)
            for body in dict.fromkeys([dossier.appraiser, dossier.decider])
            if not body.is_open_on(today)
        ]
        if dossier.state not in (State.RECOGNISED, State.NOT_RECOGNISED, State.REVOKED)
        else [],
        "may_take_over": bool(services.closed_bodies_taken_over_by(user, dossier, today)),
    }


@login_required
def dossier_detail(request: HttpRequest, pk: int) -> HttpResponse:
    dossier = _dossier(request, pk)
    services.mark_notifications_read(user=request.user, dossier_id=dossier.pk)
    context = _detail_context(request, dossier)
    cards = [context["submission_card"], context["appraisal_card"]]
    log_scorecard_read(request, cards, area=dossier.area, object_type="dossier")
    return render(request, "dossiers/dossier_detail.html", context)


@login_required
@require_POST
def take_move(request: HttpRequest, pk: int, move: str) -> HttpResponse:
    dossier = _dossier(request, pk)
    if move not in Move.values:
        raise Http404
    if move in SENDS_UP:
        return send_up(request, pk, move)  # its confirmation page shows what is missing
    form = move_form_class(move)(request.POST, request.FILES, move=move, dossier=dossier)
    if form.is_valid():
        try:
            services.move(
                dossier_id=dossier.pk,
                move=move,
                user=request.user,
                comment=form.cleaned_data["comment"],
                files=form.attachments(),
                **form.extra(),
            )
        except MoveRefused as refusal:
            form.add_error(None, refusal.message)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"Đã thực hiện: {Move(move).label}.")
            return redirect(dossier)
    # The step's own form may no longer be on the page (someone else took it): say why here too.
    reasons = " ".join(
        [
            *(str(error) for error in form.non_field_errors()),
            *(
                f"{form[name].label}: {' '.join(errors)}"
                for name, errors in form.errors.items()
                if name != "__all__"
            ),
        ]
    )
    messages.error(request, f"Chưa thực hiện được thao tác: {reasons}")
    dossier.refresh_from_db()
    context = _detail_context(request, dossier, **{f"move_{move}": form})
    return render(request, "dossiers/dossier_detail.html", context, status=400)


@login_required
@require_POST
def add_document(request: HttpRequest, pk: int) -> HttpResponse:
    dossier = _dossier(request, pk)
    form = DocumentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.add_document(
                dossier_id=dossier.pk,
                user=request.user,
                kind=form.cleaned_data["kind"],
                upload=form.cleaned_data["file"],
            )
        except MoveRefused as refusal:
            form.add_error(None, refusal.message)
        else:
            messages.success(request, "Đã bổ sung tài liệu.")
            return redirect(dossier)
    return render(
        request, "dossiers/dossier_detail.html", _detail_context(request, dossier, document=form), status=400
    )


@login_required
@require_POST
def add_opinion(request: HttpRequest, pk: int) -> HttpResponse:
    dossier = _dossier(request, pk)
    form = OpinionForm(request.POST)
    if form.is_valid():
        try:
            services.add_opinion(dossier_id=dossier.pk, user=request.user, **form.cleaned_data)
        except MoveRefused as refusal:
            form.add_error(None, refusal.message)
        else:
            messages.success(request, "Đã gửi ý kiến phối hợp thẩm định.")
            return redirect(dossier)
    return render(
        request, "dossiers/dossier_detail.html", _detail_context(request, dossier, opinion=form), status=400
    )


@login_required
@require_POST
def take_over(request: HttpRequest, pk: int) -> HttpResponse:
    dossier = _dossier(request, pk)
    try:
        services.take_over(dossier_id=dossier.pk, user=request.user)
    except MoveRefused as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, "Cơ quan của bạn đã tiếp nhận hồ sơ.")
    return redirect(dossier)


@login_required
@require_POST
def cast_vote(request: HttpRequest, pk: int) -> HttpResponse:
    dossier = _dossier(request, pk)
    form = VoteForm(request.POST)
    if form.is_valid():
        try:
            services.cast_vote(dossier_id=dossier.pk, user=request.user, **form.cleaned_data)
        except MoveRefused as refusal:
            form.add_error(None, refusal.message)
        else:
            messages.success(request, "Đã ghi biểu quyết của bạn.")
            return redirect(dossier)
    return render(
        request, "dossiers/dossier_detail.html", _detail_context(request, dossier, vote=form), status=400
    )


@login_required
def send_up(request: HttpRequest, pk: int, move: str) -> HttpResponse:
    """The confirmation step before a dossier goes up: the readiness panel, then the move."""
    dossier = _dossier(request, pk)
    if move not in SENDS_UP:
        raise Http404
    if request.method != "POST" and move not in dict(selectors.available_moves(request.user, dossier)):
        raise Http404
    # A POST goes to the service whatever the page showed: a step someone just took is refused
    # with its reason (reload the page), not with a missing page.
    form = move_form_class(move)(request.POST or None, request.FILES or None, move=move, dossier=dossier)
    if request.method == "POST" and form.is_valid():
        try:
            services.move(
                dossier_id=dossier.pk,
                move=move,
                user=request.user,
                comment=form.cleaned_data["comment"],
                files=form.attachments(),
                **form.extra(),
            )
        except MoveRefused as refusal:
            form.add_error(None, refusal.message)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"Đã thực hiện: {Move(move).label}.")
            return redirect(dossier)
    if form.errors:
        reasons = " ".join(str(error) for errors in form.errors.values() for error in errors)
        messages.error(request, f"Chưa thực hiện được thao tác: {reasons}")
    context = {
        "dossier": dossier,
        "crumbs": breadcrumbs(dossier.area, request.user),
        "trail": "Hồ sơ công nhận",
        "move": Move(move),
        "form": form,
        "ready": selectors.readiness(dossier),
    }
    return render(request, "dossiers/send_up.html", context, status=400 if form.errors else 200)


@login_required
@require_POST
def appraise(request: HttpRequest, pk: int) -> HttpResponse:
    """The appraisal of every criterion, one form and one save (a draft: nothing is concluded)."""
    dossier = _dossier(request, pk)
    formset, rows = _appraisal_formset(dossier, request.POST)
    if formset.is_valid():
        try:
            services.record_findings(
                dossier_id=dossier.pk,
                user=request.user,
                rows=[
                    (f.cleaned_data["number"], f.cleaned_data["status"], f.cleaned_data["reason"])
                    for f in formset
                ],
            )
        except MoveRefused as refusal:
            formset._non_form_errors = formset.error_class([refusal.message])
        except ValidationError as error:
            by_number = {str(f.cleaned_data.get("number")): f for f in formset}
            for number, messages_ in error.message_dict.items():
                target = by_number.get(number)
                if target is not None:
                    target.add_error("reason", messages_)
        else:
            messages.success(request, "Đã lưu kết quả thẩm định các tiêu chí (chưa kết luận).")
            return redirect(f"{dossier.get_absolute_url()}#tham-dinh")
    context = _detail_context(request, dossier, appraisal=(formset, rows))
    return render(request, "dossiers/dossier_detail.html", context, status=400)


@login_required
@require_POST
def request_opinions(request: HttpRequest, pk: int) -> HttpResponse:
    dossier = _dossier(request, pk)
    form = OpinionRequestForm(request.POST, dossier=dossier)
    if form.is_valid():
        try:
            services.request_opinions(
                dossier_id=dossier.pk,
                user=request.user,
                body_ids=form.cleaned_data["bodies"],
                due_on=form.cleaned_data["due_on"],
                note=form.cleaned_data["note"],
            )
        except MoveRefused as refusal:
            form.add_error(None, refusal.message)
        else:
            messages.success(request, "Đã gửi đề nghị cho ý kiến phối hợp thẩm định.")
            return redirect(f"{dossier.get_absolute_url()}#y-kien")
    return render(
        request,
        "dossiers/dossier_detail.html",
        _detail_context(request, dossier, opinion_request=form),
        status=400,
    )


@login_required
@require_POST
def conclude_review(request: HttpRequest, pk: int) -> HttpResponse:
    dossier = _dossier(request, pk)
    review = selectors.open_review(dossier)
    if review is None:
        raise Http404
    form = ReviewForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.conclude_review(
                review_id=review.pk,
                user=request.user,
                outcome=form.cleaned_data["outcome"],
                note=form.cleaned_data["note"],
                files=[("evidence", f) for f in form.cleaned_data["evidence"]],
            )
        except MoveRefused as refusal:
            form.add_error(None, refusal.message)
        else:
            messages.success(request, "Đã ghi kết luận rà soát.")
            return redirect(dossier)
    return render(
        request, "dossiers/dossier_detail.html", _detail_context(request, dossier, review=form), status=400
    )


@login_required
def revocation_file(request: HttpRequest, pk: int) -> HttpResponse:
    revocation = get_visible_or_404(RevocationDecision.objects.all(), request.user, dossier_id=pk)
    with revocation.file.open("rb") as handle:
        data = handle.read()
    if hashlib.sha256(data).hexdigest() != revocation.sha256:
        return render(request, "dossiers/decision_tampered.html", {"decision": revocation}, status=409)
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="quyet-dinh-thu-hoi-{revocation.pk}.pdf"'
    return response


@login_required
def document_file(request: HttpRequest, pk: int, document_pk: int) -> FileResponse:
    document = get_visible_or_404(DossierDocument.objects.all(), request.user, pk=document_pk, dossier_id=pk)
    extension = document.file.name.rsplit(".", 1)[-1]
    return FileResponse(
        document.file.open("rb"),
        content_type=document.content_type,
        as_attachment=request.GET.get("tai") == "1",
        filename=f"ho-so-{pk}-tai-lieu-{document.pk}.{extension}",
    )


@login_required
def decision_file(request: HttpRequest, pk: int) -> HttpResponse:
    decision = get_visible_or_404(
        Decision.objects.select_related("dossier__area", "dossier__commune"), request.user, dossier_id=pk
    )
    with decision.file.open("rb") as handle:
        data = handle.read()
    if hashlib.sha256(data).hexdigest() != decision.sha256:
        return render(request, "dossiers/decision_tampered.html", {"decision": decision}, status=409)
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{decision_download_name(decision)}"'
    return response


@login_required
def notifications(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        services.mark_notifications_read(user=request.user)
        return redirect("dossiers:notifications")
    items = selectors.all_notifications(request.user)[:100]
    return render(request, "dossiers/notifications.html", {"items": items})
