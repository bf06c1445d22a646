from __future__ import annotations

import hashlib

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from areas import permissions
from areas.jurisdiction import get_visible_or_404
from areas.permissions import Action
from dossiers.documents import render_pdf
from dossiers.exceptions import MoveRefused
from dossiers.models import Dossier

from . import content, services
from .forms import PaperForm
from .models import Paper, PaperKind
from .specs import SPECS


def _paper(request: HttpRequest, pk: int) -> Paper:
    return get_visible_or_404(
        Paper.objects.select_related(
            "dossier__area",
            "dossier__commune",
            "dossier__programme",
            "dossier__appraiser__area",
            "dossier__decider__area",
            "issuer__area",
            "issuer__parent",
            "entry__body",
            "replaces__entry__body",
            "created_by",
            "updated_by",
            "finalised_by",
        ).prefetch_related("dossier__programme__route_steps"),
        request.user,
        pk=pk,
    )


@login_required
@require_POST
def start_draft(request: HttpRequest, dossier_pk: int, kind: str) -> HttpResponse:
    dossier = get_visible_or_404(Dossier.objects.all(), request.user, pk=dossier_pk)
    try:
        paper = services.start_draft(dossier_id=dossier.pk, kind=kind, user=request.user)
    except MoveRefused as refusal:
        messages.error(request, refusal.message)
        return redirect(dossier)
    return redirect(paper)


def _page(request: HttpRequest, paper: Paper, form: PaperForm | None, status: int = 200) -> HttpResponse:
    spec = SPECS[paper.kind]
    user = request.user
    context = {
        "paper": paper,
        "dossier": paper.dossier,
        "label": PaperKind(paper.kind).label,
        "form": form,
        "may_prepare": not paper.is_final and permissions.can(user, Action.PREPARE_PAPER, paper),
        "may_finalise": not paper.is_final and permissions.can(user, Action.FINALISE_PAPER, paper),
        "may_replace": paper.is_final
        and paper.superseded_at is None
        and permissions.can(user, Action.PREPARE_PAPER, paper),
        "sections": [(section, paper.sections.get(section.key, "")) for section in spec.sections],
        "download_name": _download_name(paper) if paper.is_final else "",
    }
    return render(request, "papers/paper.html", context, status=status)


def _download_name(paper: Paper) -> str:
    assert paper.entry is not None
    return content.download_name(
        kind=paper.entry.kind, number=paper.entry.number, year=paper.entry.year, dossier=paper.dossier
    )


@login_required
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    paper = _paper(request, pk)
    spec = SPECS[paper.kind]
    editable = not paper.is_final and permissions.can(request.user, Action.PREPARE_PAPER, paper)
    if request.method == "POST":
        if not editable:
            messages.error(request, permissions.REFUSALS[Action.PREPARE_PAPER])
            return redirect(paper)
        form = PaperForm(request.POST, spec=spec)
        if form.is_valid():
            try:
                services.save_draft(paper_id=paper.pk, user=request.user, sections=form.cleaned_data)
            except MoveRefused as refusal:
                form.add_error(None, refusal.message)
            except ValidationError as error:
                _add_errors(form, error)
            else:
                messages.success(request, "Đã lưu bản nháp.")
                return redirect(paper)
        return _page(request, paper, form, status=400)
    form = PaperForm(initial=paper.sections, spec=spec) if editable else None
    return _page(request, paper, form)


def _add_errors(form: PaperForm, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


@login_required
@require_POST
def finalise(request: HttpRequest, pk: int) -> HttpResponse:
    paper = _paper(request, pk)
    try:
        paper = services.finalise(paper_id=paper.pk, user=request.user)
    except MoveRefused as refusal:
        messages.error(request, refusal.message)
    except ValidationError as error:
        spec = SPECS[paper.kind]
        form = PaperForm(initial=paper.sections, spec=spec)
        form.is_bound = False
        messages.error(request, "Chưa hoàn thành được văn bản: " + " ".join(error.messages))
        return _page(request, paper, form, status=400)
    else:
        assert paper.entry is not None
        messages.success(request, f"Đã hoàn thành văn bản, vào sổ số {paper.entry.reference}.")
    return redirect(paper)


@login_required
@require_POST
def replace(request: HttpRequest, pk: int) -> HttpResponse:
    paper = _paper(request, pk)
    try:
        draft = services.start_replacement(paper_id=paper.pk, user=request.user)
    except MoveRefused as refusal:
        messages.error(request, refusal.message)
        return redirect(paper)
    messages.success(
        request, "Đã lập bản nháp thay thế; văn bản cũ còn hiệu lực đến khi bản thay thế vào sổ."
    )
    return redirect(draft)


@login_required
def preview(request: HttpRequest, pk: int) -> HttpResponse:
    """The draft drawn as it would be issued today, marked as a draft and without a number."""
    paper = _paper(request, pk)
    if paper.is_final:
        return redirect("papers:file", pk=paper.pk)
    spec = SPECS[paper.kind]
    context = content.document_context(
        paper, number=content.draft_number(paper, spec.register_kind), day=timezone.localdate(), draft=True
    )
    response = HttpResponse(render_pdf(spec.template, context), content_type="application/pdf")
    response["Content-Disposition"] = 'inline; filename="ban-nhap.pdf"'
    return response


@login_required
def paper_file(request: HttpRequest, pk: int) -> HttpResponse:
    paper = _paper(request, pk)
    if not paper.is_final:
        return redirect("papers:preview", pk=paper.pk)
    with paper.file.open("rb") as handle:
        data = handle.read()
    if hashlib.sha256(data).hexdigest() != paper.sha256:
        return render(request, "papers/tampered.html", {"paper": paper}, status=409)
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{_download_name(paper)}"'
    return response
