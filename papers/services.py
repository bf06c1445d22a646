"""Every write of a dossier's papers: a draft pre-filled from the registers and the route, its
text saved, its finalisation (a number from the issuing body's register of outgoing documents,
the PDF and its SHA-256, in one transaction), and a replacement for a finalised paper.

Refusals raise `MoveRefused` (a Vietnamese message) or `ValidationError` (per section) and change
nothing. A finalised paper is never edited: a correction is a new paper that replaces it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from areas import permissions
from areas.permissions import Action
from dossiers.documents import render_pdf
from dossiers.exceptions import MoveRefused
from dossiers.models import Dossier
from dossiers.uploads import removed_if_rolled_back, save_file
from registry.models import OutgoingEntry
from registry.services import take_number

from . import content
from .models import Paper, PaperKind, PaperState
from .specs import SPECS, PaperSpec, Section, asked_for

MAX_SECTION_CHARS = 20_000


@dataclass(frozen=True)
class Slot:
    """A paper not written yet: what the policy is asked about before a draft exists."""

    dossier: Dossier
    kind: str


def _spec(kind: str) -> PaperSpec:
    try:
        return SPECS[PaperKind(kind)]
    except ValueError as exc:
        raise MoveRefused("Loại văn bản không hợp lệ.") from exc


def _visible_dossier(dossier_id: int, user: Any, *, lock: bool = False) -> Dossier:
    dossiers = Dossier.objects.visible_to(user).select_related(
        "area", "commune", "programme", "appraiser__area", "decider__area", "registration"
    )
    if lock:
        dossiers = dossiers.select_for_update(of=("self",))
    dossier = dossiers.filter(pk=dossier_id).first()
    if dossier is None:
        raise MoveRefused("Hồ sơ không thuộc địa bàn của bạn.")
    return dossier


def _locked_paper(paper_id: int, user: Any) -> Paper:
    paper = (
        Paper.objects.visible_to(user)
        .select_for_update(of=("self",))
        .select_related(
            "dossier__area", "dossier__commune", "dossier__programme", "issuer__area", "issuer__parent"
        )
        .filter(pk=paper_id)
        .first()
    )
    if paper is None:
        raise MoveRefused("Văn bản không thuộc địa bàn của bạn.")
    return paper


def _check(user: Any, action: Action, obj: Any) -> None:
    if not permissions.can(user, action, obj):
        raise MoveRefused(permissions.REFUSALS[action])


@transaction.atomic
def start_draft(*, dossier_id: int, kind: str, user: Any, on: dt.date | None = None) -> Paper:
    """The draft of `kind` for the dossier, pre-filled; the draft already open is returned as it is."""
    spec = _spec(kind)
    dossier = _visible_dossier(dossier_id, user, lock=True)
    _check(user, Action.PREPARE_PAPER, Slot(dossier, spec.kind))
    if not asked_for(spec, dossier):
        raise MoveRefused(f"Kế hoạch của hồ sơ không yêu cầu {PaperKind(spec.kind).label.lower()}.")
    existing = Paper.objects.filter(dossier=dossier, kind=spec.kind, state=PaperState.DRAFT).first()
    if existing is not None:
        return existing
    current = Paper.objects.filter(
        dossier=dossier, kind=spec.kind, state=PaperState.FINAL, superseded_at__isnull=True
    ).first()
    if current is not None:
        raise MoveRefused(
            f"Hồ sơ đã có {PaperKind(spec.kind).label.lower()} số {current.entry.reference if current.entry else ''}; "
            "muốn sửa thì lập văn bản thay thế."
        )
    day = on or timezone.localdate()
    issuer = content.issuer_for(spec, dossier, day)
    return Paper.objects.create(
        dossier=dossier,
        kind=spec.kind,
        issuer=issuer,
        sections=content.prefill(spec, dossier, issuer, day),
        created_by=user,
        updated_by=user,
    )


def clean_sections(spec: PaperSpec, data: dict[str, Any], *, final: bool) -> dict[str, str]:
    """The sections of `spec` from `data`, stripped; on finalisation every required section must
    be written and the dates must be real dates in order. Errors name the section."""
    errors: dict[str, str] = {}
    cleaned: dict[str, str] = {}
    for section in spec.sections:
        value = data.get(section.key, "")
        if isinstance(value, dt.date):
            value = value.isoformat()
        value = str(value or "").replace("\r\n", "\n").strip()
        if section.widget == "line":
            value = " ".join(value.split())
        if len(value) > MAX_SECTION_CHARS:
            errors[section.key] = f"“{section.label}” dài quá {MAX_SECTION_CHARS:,} ký tự.".replace(",", ".")
        if section.widget == "date" and value:
            try:
                dt.date.fromisoformat(value)
            except ValueError:
                errors[section.key] = f"“{section.label}” không phải ngày hợp lệ."
        if final and section.required and not value:
            errors[section.key] = f"Hãy ghi “{section.label}” trước khi hoàn thành văn bản."
        cleaned[section.key] = value
    if not errors and {"posted_from", "posted_until"} <= cleaned.keys():
        _check_posting(cleaned, errors)
    if errors:
        raise ValidationError(errors)
    return cleaned


def _check_posting(cleaned: dict[str, str], errors: dict[str, str]) -> None:
    if not cleaned["posted_from"] or not cleaned["posted_until"]:
        return
    start, end = dt.date.fromisoformat(cleaned["posted_from"]), dt.date.fromisoformat(cleaned["posted_until"])
    if end < start:
        errors["posted_until"] = "Ngày kết thúc niêm yết không được trước ngày bắt đầu."


@transaction.atomic
def save_draft(*, paper_id: int, user: Any, sections: dict[str, Any]) -> Paper:
    """Save the text of a draft (incomplete text is kept; it is checked when finalised)."""
    paper = _locked_paper(paper_id, user)
    if paper.is_final:
        raise MoveRefused("Văn bản đã hoàn thành, vào sổ; không sửa được. Hãy lập văn bản thay thế.")
    _check(user, Action.PREPARE_PAPER, paper)
    paper.sections = clean_sections(SPECS[paper.kind], sections, final=False)
    paper.updated_by, paper.updated_at = user, timezone.now()
    paper.save(update_fields=["sections", "updated_by", "updated_at"])
    return paper


def finalise(
    *,
    paper_id: int,
    user: Any,
    on: dt.date | None = None,
    reservation: OutgoingEntry | None = None,
) -> Paper:
    """Number the draft in its issuer's register (the next number, or a number reserved by hand),
    draw its PDF with that number and store it with its SHA-256; a paper it replaces stops being
    the dossier's paper of its kind. All or nothing: a failure leaves the draft and the register
    as they were."""
    with removed_if_rolled_back(), transaction.atomic():
        paper = _locked_paper(paper_id, user)
        if paper.is_final:
            raise MoveRefused("Văn bản này đã hoàn thành, vào sổ.")
        _check(user, Action.FINALISE_PAPER, paper)
        spec = SPECS[paper.kind]
        paper.sections = clean_sections(spec, paper.sections, final=True)
        if not paper.issuer.is_open_on(on or timezone.localdate()):
            raise MoveRefused(paper.issuer.closed_message(on or timezone.localdate()))
        day = on or timezone.localdate()
        _check_dates(paper, day)
        entry = take_number(
            body=paper.issuer,
            kind=spec.register_kind,
            on=day,
            summary=paper.sections.get("subject", "")[:500] or PaperKind(paper.kind).label,
            by=user,
            reservation=reservation,
        )
        pdf = render_pdf(spec.template, content.document_context(paper, number=entry.reference, day=day))
        paper.state, paper.entry, paper.issued_on = PaperState.FINAL, entry, day
        paper.sha256 = hashlib.sha256(pdf).hexdigest()
        paper.finalised_by, paper.finalised_at = user, timezone.now()
        save_file(paper.file, "van-ban.pdf", ContentFile(pdf))
        if paper.replaces_id is not None:
            Paper.objects.filter(pk=paper.replaces_id).update(superseded_at=timezone.now())
        try:
            with transaction.atomic():
                paper.save()
        except IntegrityError as exc:
            raise MoveRefused("Hồ sơ đã có văn bản này; hãy tải lại trang.") from exc
        from registry.services import attach

        attach(entry, paper)
    return paper


def _check_dates(paper: Paper, day: dt.date) -> None:
    s = paper.sections
    if paper.kind == PaperKind.POSTING:
        days = paper.dossier.programme.posting_days or 0
        start, end = dt.date.fromisoformat(s["posted_from"]), dt.date.fromisoformat(s["posted_until"])
        if (end - start).days + 1 < days:
            raise ValidationError(
                {
                    "posted_until": f"Kế hoạch yêu cầu niêm yết ít nhất {days} ngày; mới có {(end - start).days + 1} ngày."
                }
            )
        if end >= day:
            raise ValidationError(
                {"posted_until": "Biên bản kết thúc niêm yết lập sau ngày cuối cùng của thời gian niêm yết."}
            )


@transaction.atomic
def start_replacement(*, paper_id: int, user: Any) -> Paper:
    """A draft that will replace the finalised `paper`, starting from its text."""
    old = _locked_paper(paper_id, user)
    if not old.is_final or old.superseded_at is not None:
        raise MoveRefused("Chỉ lập văn bản thay thế cho văn bản đã hoàn thành, đang có hiệu lực.")
    _check(user, Action.PREPARE_PAPER, old)
    if Paper.objects.filter(dossier=old.dossier, kind=old.kind, state=PaperState.DRAFT).exists():
        raise MoveRefused("Đã có bản nháp thay thế đang soạn; hãy mở bản nháp đó.")
    return Paper.objects.create(
        dossier=old.dossier,
        kind=old.kind,
        issuer=old.issuer,
        sections=dict(old.sections),
        replaces=old,
        created_by=user,
        updated_by=user,
    )


def issue(
    *,
    dossier_id: int,
    kind: str,
    user: Any,
    finaliser: Any = None,
    on: dt.date | None = None,
    **sections: str,
) -> Paper:
    """Draft, complete and finalise a paper in one go (the demo's history and the tests): the
    pre-filled text with `sections` written over it, finalised by `finaliser` (default `user`)."""
    paper = start_draft(dossier_id=dossier_id, kind=kind, user=user, on=on)
    if sections:
        paper = save_draft(paper_id=paper.pk, user=user, sections={**paper.sections, **sections})
    return finalise(paper_id=paper.pk, user=finaliser or user, on=on)


def section_fields(kind: str) -> tuple[Section, ...]:
    return SPECS[kind].sections
