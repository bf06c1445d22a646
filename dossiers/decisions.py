"""The recognition decision (QUYẾT ĐỊNH) as an official document, numbered in the deciding body's
register of outgoing documents and signed digitally by the chair and by the organisation after a
fresh OTP code from the chair. The other papers of a dossier (tờ trình, báo cáo, biên bản) are in
the `papers` app."""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from areas.models import DISTRICTS_CEASED_ON, commune_level_words

from .documents import committee_name, place_and_date, render_pdf, short_name
from .exceptions import MoveRefused
from .models import Decision, Dossier
from .uploads import save_file


def lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def unit_phrase(dossier: Dossier) -> str:
    """ "bản Tả Lèng, xã Hoang Thèn" for a village, "xã Hoang Thèn" for a commune."""
    if dossier.area_id == dossier.commune_id:
        return lower_first(dossier.commune.name)
    return f"{lower_first(dossier.area.name)}, {lower_first(dossier.commune.name)}"


def decision_context(
    *,
    dossier: Dossier,
    number: str,
    decided_on: dt.date,
    signer: Any,
    signed_at: dt.datetime | None,
    proposal: Any = None,
) -> dict[str, Any]:
    """The decision's text: its legal bases are the governing programme's (with their dates, e.g.
    "Luật Tổ chức chính quyền địa phương ngày 16 tháng 6 năm 2025"), its bodies and head titles
    those the programme's route names, and it acts on the appraising police's tờ trình `proposal`
    (a finalised `papers.Paper`, cited by its number in the register)."""
    decider, appraiser = dossier.decider, dossier.appraiser
    parent_body, issuing_body = decider.header_lines()
    unit = unit_phrase(dossier)
    commune_committee = committee_name(dossier.commune)
    above = dossier.commune.parent
    stamp: list[str] = []
    organisation_stamp: list[str] = []
    if signed_at is not None:
        local = timezone.localtime(signed_at)
        stamp = [
            f"Ký số bởi: {signer.display_name}",
            f"Thời gian ký: {local:%d/%m/%Y %H:%M:%S}",
        ]
        organisation_stamp = [
            f"Ký số bởi: {decider.name}",
            f"Thời gian ký: {local:%d/%m/%Y %H:%M:%S}",
        ]
    subject = "không có ma túy" if decided_on < DISTRICTS_CEASED_ON else "không ma túy"
    head_of_appraiser = appraiser.head_of
    if proposal is not None and proposal.entry is not None:
        proposed = f"tại Tờ trình số {proposal.entry.reference} ngày {proposal.issued_on:%d/%m/%Y}"
    else:
        proposed = "tại hồ sơ đề nghị công nhận"
    return {
        "title_kind": "QUYẾT ĐỊNH",
        "title_subject": f"Về việc công nhận {unit} đạt tiêu chí “{subject}”",
        "parent_body": parent_body,
        "issuing_body": issuing_body,
        "number": number,
        "place_date": place_and_date(short_name(decider.area), decided_on),
        "authority": f"{decider.head_title} {decider.name}".upper()
        if decider.kind != "committee"
        else decider.name.upper(),
        "bases": [
            *dossier.programme.basis_lines(decided_on),
            f"Theo đề nghị của {head_of_appraiser} {proposed}",
        ],
        "articles": [
            f"Công nhận {unit}{', ' + lower_first(above.name) if above else ''} đạt tiêu chí “{subject}” "
            f"năm {decided_on.year}.",
            f"{commune_committee} có trách nhiệm chỉ đạo duy trì, giữ vững kết quả; {appraiser.name} theo dõi, "
            "kiểm tra. Đơn vị không còn đáp ứng tiêu chí sẽ bị xem xét thu hồi Quyết định công nhận.",
            f"Quyết định này có hiệu lực kể từ ngày ký. Chánh Văn phòng {decider.name}, {head_of_appraiser}, "
            f"Chủ tịch {commune_committee} và các cơ quan, đơn vị, cá nhân có liên quan chịu trách nhiệm "
            "thi hành Quyết định này./.",
        ],
        "recipients": [
            "Như Điều 3",
            appraiser.parent.name if appraiser.parent else "Bộ Công an (để báo cáo)",
            f"Chủ tịch, các Phó Chủ tịch {decider.name}",
            "Lưu: VT, CA",
        ],
        "signature_for": "TM. ỦY BAN NHÂN DÂN"
        if decider.kind == "committee"
        else f"TM. {decider.name.upper()}",
        "signature_title": decider.head_title.upper(),
        "signature_stamp": stamp,
        "organisation_stamp": organisation_stamp,
        "signer_name": signer.display_name,
        "commune_level_words": commune_level_words(decided_on),
    }


def verify_otp(user: Any, token: str) -> bool:
    """A fresh TOTP code of one of the user's confirmed devices (each code works once)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    token = (token or "").strip()
    if not token.isdigit():
        return False
    # The device rows are locked until the signing transaction ends, so a code that several
    # sessions send at once is checked (and marked used) by one of them at a time.
    devices = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=True).order_by("pk")
    return any(device.verify_token(token) for device in devices)


def issue_signed_decision(
    *,
    dossier: Dossier,
    user: Any,
    reserved_number: str | int = "",
    decided_on: dt.date | None = None,
    signed_at: dt.datetime | None = None,
    otp_token: str = "",
    **_extra: Any,
) -> Decision:
    """Render the decision, sign it with the chair's certificate and the organisation's, and store
    it unchanged. Its number comes from the deciding body's register of outgoing documents: the
    next one, or `reserved_number`, a number reserved by hand there that no document has used.
    Refused without the appraising police's finalised tờ trình, a valid fresh OTP code, or the
    certificates. Runs inside the caller's transaction (`services.move`): the register's lock on
    the body is held until the decision is saved, so parallel signings get distinct numbers."""
    from papers.models import PaperKind
    from papers.selectors import current_paper
    from registry.models import DocumentKind
    from registry.selectors import free_reservations
    from registry.services import attach, take_number

    from .signing import SigningUnavailable, sign_official_pdf

    decided_on = decided_on or timezone.localdate()
    decider = dossier.decider
    reservation = None
    wanted = str(reserved_number or "").strip()
    if wanted:
        if not wanted.isdigit():
            raise MoveRefused("Số giữ chỗ chỉ gồm chữ số (ví dụ 125).")
        reservation = (
            free_reservations(body=decider, kind=DocumentKind.DECISION, year=decided_on.year)
            .filter(number=int(wanted))
            .first()
        )
        if reservation is None:
            raise MoveRefused(
                f"Số {int(wanted):02d} chưa được giữ chỗ (hoặc đã dùng) trong sổ văn bản đi năm {decided_on.year} "
                f"của {decider.name}; để trống để lấy số tiếp theo của sổ."
            )
    proposal = current_paper(dossier, PaperKind.APPRAISAL_SUBMISSION)
    if proposal is None:
        raise MoveRefused(
            f"Chưa có Tờ trình đề nghị công nhận của {dossier.appraiser.name} (đã hoàn thành, vào sổ); "
            "quyết định công nhận được ban hành theo tờ trình đó."
        )
    if not verify_otp(user, otp_token):
        raise MoveRefused(
            "Mã xác thực (OTP) không đúng hoặc đã dùng; hãy nhập mã mới trên ứng dụng xác thực."
        )
    signed_at = signed_at or timezone.now()
    unit = unit_phrase(dossier)
    try:
        entry = take_number(
            body=decider,
            kind=DocumentKind.DECISION,
            on=decided_on,
            summary=f"Công nhận {unit} đạt tiêu chí không ma túy",
            by=user,
            reservation=reservation,
        )
    except ValidationError as exc:  # the reserved number was used by a signing at the same instant
        raise MoveRefused(" ".join(exc.messages)) from exc
    context = decision_context(
        dossier=dossier,
        number=entry.reference,
        decided_on=decided_on,
        signer=user,
        signed_at=signed_at,
        proposal=proposal,
    )
    pdf = render_pdf("documents/decision.html", context)
    try:
        signed = sign_official_pdf(
            pdf,
            person=user,
            organisation_body=decider,
            reason=f"Quyết định công nhận {unit} đạt tiêu chí không ma túy",
            location=short_name(decider.area),
        )
    except SigningUnavailable as exc:
        raise MoveRefused(str(exc)) from exc
    decision = Decision(
        dossier=dossier,
        number=entry.reference,
        decided_on=decided_on,
        issuer=decider,
        year=decided_on.year,
        signer=user,
        signer_name=user.display_name,
        sha256=hashlib.sha256(signed).hexdigest(),
        signed_at=signed_at,
    )
    save_file(decision.file, f"{uuid.uuid4().hex}.pdf", ContentFile(signed))
    try:
        with transaction.atomic():
            decision.save()
    except IntegrityError as exc:  # a number entered in the old way by another path
        raise MoveRefused(f"Số quyết định {entry.reference} năm {decided_on.year} đã được dùng.") from exc
    attach(entry, decision)
    return decision


def decision_download_name(decision: Decision) -> str:
    """ "QD-215-2026-ban-ta-leng-xa-hoang-then.pdf": the decision's number, kind, year and unit."""
    from papers.content import ascii_slug

    number = decision.number.split("/", 1)[0]
    return f"QD-{number}-{decision.year}-{ascii_slug(unit_phrase(decision.dossier))}.pdf"
