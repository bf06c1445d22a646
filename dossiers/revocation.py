"""The revocation decision (QUYẾT ĐỊNH thu hồi Quyết định công nhận): its text, and its issue
through the same path as the recognition decision — the official form of `documents/decision.html`
(`dossiers.documents.render_pdf`), the chair's fresh OTP code (`decisions.verify_otp`), the
chair's and the organisation's signatures (`signing.sign_official_pdf`) — numbered in the
deciding body's register of outgoing documents (`registry.services.take_number`)."""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid
from typing import Any

from django.core.files.base import ContentFile
from django.utils import timezone

from areas.models import DISTRICTS_CEASED_ON
from registry.models import DocumentKind as RegisterKind
from registry.services import attach, take_number

from .decisions import lower_first, unit_phrase, verify_otp
from .documents import committee_name, place_and_date, render_pdf, short_name
from .exceptions import MoveRefused
from .models import Decision, Dossier, RevocationDecision
from .uploads import save_file


def revocation_context(
    *,
    dossier: Dossier,
    number: str,
    decided_on: dt.date,
    reason: str,
    proposal: Any,
    signer: Any,
    signed_at: dt.datetime | None,
) -> dict[str, Any]:
    """The text: the bases of the dossier's programme, the recognition decision it revokes, the
    police's proposal and the reason; bodies and titles from the programme's route."""
    decider, appraiser = dossier.decider, dossier.appraiser
    parent_body, issuing_body = decider.header_lines()
    unit = unit_phrase(dossier)
    subject = "không có ma túy" if decided_on < DISTRICTS_CEASED_ON else "không ma túy"
    recognition = Decision.objects.filter(dossier=dossier).first()
    recognised_by = (
        f"Quyết định số {recognition.number} ngày {recognition.decided_on:%d/%m/%Y} của {recognition.issuer.name}"
        if recognition is not None
        else "Quyết định công nhận"
    )
    proposed_on = f" ngày {timezone.localtime(proposal.at):%d/%m/%Y}" if proposal is not None else ""
    stamp = []
    if signed_at is not None:
        local = timezone.localtime(signed_at)
        stamp = [
            f"Ký số bởi: {signer.display_name}",
            f"Cơ quan: {decider.name}",
            f"Thời gian ký: {local:%d/%m/%Y %H:%M:%S}",
        ]
    commune_committee = committee_name(dossier.commune)
    return {
        "title_kind": "QUYẾT ĐỊNH",
        "title_subject": f"Về việc thu hồi {lower_first(recognised_by)} công nhận {unit} đạt tiêu chí “{subject}”",
        "parent_body": parent_body,
        "issuing_body": issuing_body,
        "number": number,
        "place_date": place_and_date(short_name(decider.area), decided_on),
        "authority": f"{decider.head_title} {decider.name}".upper()
        if decider.kind != "committee"
        else decider.name.upper(),
        "bases": [
            *dossier.programme.basis_lines(decided_on),
            f"Căn cứ {recognised_by}",
            f"Theo đề nghị của {appraiser.head_of}{proposed_on}",
        ],
        "articles": [
            f"Thu hồi {recognised_by} công nhận {unit} đạt tiêu chí “{subject}”. Lý do: {reason.rstrip('.')}.",
            f"{commune_committee} có trách nhiệm chỉ đạo khắc phục; {appraiser.name} theo dõi, hướng dẫn "
            "xây dựng lại theo kế hoạch.",
            f"Quyết định này có hiệu lực kể từ ngày ký. Chánh Văn phòng {decider.name}, {appraiser.head_of}, "
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
        "signer_name": signer.display_name,
    }


def issue_revocation(
    *,
    dossier: Dossier,
    user: Any,
    reason: str,
    proposal: Any,
    decided_on: dt.date,
    signed_at: dt.datetime,
    otp_token: str = "",
) -> RevocationDecision:
    """Number, render, sign and store the revocation decision, inside the caller's transaction
    (a refusal rolls the number back). Refused without a valid fresh OTP code or a certificate."""
    from .signing import SigningUnavailable, sign_official_pdf

    if not verify_otp(user, otp_token):
        raise MoveRefused(
            "Mã xác thực (OTP) không đúng hoặc đã dùng; hãy nhập mã mới trên ứng dụng xác thực."
        )
    entry = take_number(
        body=dossier.decider,
        kind=RegisterKind.DECISION,
        on=decided_on,
        summary=f"Thu hồi công nhận {unit_phrase(dossier)} đạt tiêu chí không ma túy",
        by=user,
    )
    number = entry.reference
    context = revocation_context(
        dossier=dossier,
        number=number,
        decided_on=decided_on,
        reason=reason,
        proposal=proposal,
        signer=user,
        signed_at=signed_at,
    )
    pdf = render_pdf("documents/decision.html", context)
    try:
        signed = sign_official_pdf(
            pdf,
            person=user,
            organisation_body=dossier.decider,
            reason=f"Quyết định thu hồi công nhận {unit_phrase(dossier)}",
            location=short_name(dossier.decider.area),
        )
    except SigningUnavailable as exc:
        raise MoveRefused(str(exc)) from exc
    revocation = RevocationDecision(
        dossier=dossier,
        number=number,
        decided_on=decided_on,
        issuer=dossier.decider,
        reason=reason,
        signer=user,
        signer_name=user.display_name,
        sha256=hashlib.sha256(signed).hexdigest(),
        signed_at=signed_at,
    )
    save_file(revocation.file, f"{uuid.uuid4().hex}.pdf", ContentFile(signed))
    revocation.save()
    attach(entry, revocation)
    return revocation
