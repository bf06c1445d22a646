"""The recognition decision (QUYẾT ĐỊNH) and the appraisal minutes (BIÊN BẢN THẨM ĐỊNH) as
official documents; the decision is signed digitally after a fresh OTP code from the signer."""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid
from typing import Any

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from areas.models import DISTRICTS_CEASED_ON, commune_level_words

from .documents import committee_name, document_number, place_and_date, render_pdf, short_name
from .exceptions import MoveRefused
from .models import Decision, Dossier
from .route import State
from .uploads import save_file


def lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def unit_phrase(dossier: Dossier) -> str:
    """ "bản Tả Lèng, xã Hoang Thèn" for a village, "xã Hoang Thèn" for a commune."""
    if dossier.area_id == dossier.commune_id:
        return lower_first(dossier.commune.name)
    return f"{lower_first(dossier.area.name)}, {lower_first(dossier.commune.name)}"


def decision_context(
    *, dossier: Dossier, number: str, decided_on: dt.date, signer: Any, signed_at: dt.datetime | None
) -> dict[str, Any]:
    """The decision's text: its legal bases are the governing programme's, its bodies and titles
    those the programme's route names."""
    decider, appraiser = dossier.decider, dossier.appraiser
    parent_body, issuing_body = decider.header_lines()
    appraised = dossier.events.filter(to_state=State.APPRAISED_PASS).order_by("-at").first()
    appraised_on = f" ngày {timezone.localtime(appraised.at):%d/%m/%Y}" if appraised else ""
    unit = unit_phrase(dossier)
    commune_committee = committee_name(dossier.commune)
    above = dossier.commune.parent
    stamp = []
    if signed_at is not None:
        local = timezone.localtime(signed_at)
        stamp = [
            f"Ký số bởi: {signer.display_name}",
            f"Cơ quan: {decider.name}",
            f"Thời gian ký: {local:%d/%m/%Y %H:%M:%S}",
        ]
    subject = "không có ma túy" if decided_on < DISTRICTS_CEASED_ON else "không ma túy"
    head_of_appraiser = appraiser.head_of
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
            f"Theo đề nghị của {head_of_appraiser} tại Biên bản thẩm định{appraised_on} và hồ sơ đề nghị "
            f"công nhận của {commune_committee}",
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
    decision_number: str = "",
    decided_on: dt.date | None = None,
    signed_at: dt.datetime | None = None,
    otp_token: str = "",
    **_extra: Any,
) -> Decision:
    """Render the decision, sign it with the chair's certificate and store it unchanged.
    Refused without a valid fresh OTP code, a number, or a certificate."""
    from .signing import SigningUnavailable, sign_pdf

    number_part = (decision_number or "").strip()
    if not number_part.isdigit():
        raise MoveRefused("Số quyết định phải là số (ví dụ 125); ký hiệu /QĐ-UBND được thêm tự động.")
    number = f"{document_number(number_part)}/QĐ-{dossier.decider.symbol}"
    decided_on = decided_on or timezone.localdate()
    taken = Decision.objects.filter(issuer=dossier.decider, number=number, year=decided_on.year)
    if taken.exists():
        raise MoveRefused(f"Số quyết định {number} năm {decided_on.year} đã được dùng.")
    if not verify_otp(user, otp_token):
        raise MoveRefused(
            "Mã xác thực (OTP) không đúng hoặc đã dùng; hãy nhập mã mới trên ứng dụng xác thực."
        )
    signed_at = signed_at or timezone.now()
    context = decision_context(
        dossier=dossier, number=number, decided_on=decided_on, signer=user, signed_at=signed_at
    )
    pdf = render_pdf("documents/decision.html", context)
    try:
        signed = sign_pdf(
            pdf,
            user=user,
            reason=f"Quyết định công nhận {unit_phrase(dossier)} đạt tiêu chí không có ma túy",
            location=short_name(dossier.decider.area),
        )
    except SigningUnavailable as exc:
        raise MoveRefused(str(exc)) from exc
    decision = Decision(
        dossier=dossier,
        number=number,
        decided_on=decided_on,
        issuer=dossier.decider,
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
    except IntegrityError as exc:  # another signing took the number since it was checked
        raise MoveRefused(f"Số quyết định {number} năm {decided_on.year} đã được dùng.") from exc
    return decision


def appraisal_minutes_pdf(dossier: Dossier) -> bytes:
    """BIÊN BẢN THẨM ĐỊNH: the criteria one by one (computed and appraised result, with the
    appraiser's reasons) and the co-appraising bodies' opinions, from the frozen data; it cites
    the legal bases of the dossier's programme only."""
    body = dossier.appraiser
    parent_body, issuing_body = body.header_lines()
    conclusion = (
        dossier.events.filter(to_state__in=[State.APPRAISED_PASS, State.APPRAISED_FAIL])
        .order_by("-at")
        .first()
    )
    card = dossier.appraisal_scorecard or dossier.submission_scorecard or {"results": []}
    findings = {f.number: f for f in dossier.findings.all()}
    rows = []
    for result in card.get("results", []):
        finding = findings.get(result["number"])
        rows.append(
            {
                "number": result["number"],
                "text": result["text"],
                "figures": result.get("figures", ""),
                "computed": _status_label(result["status"]),
                "appraised": _status_label(finding.status if finding else result["status"]),
                "reason": finding.reason if finding else "",
            }
        )
    day = timezone.localdate(conclusion.at) if conclusion else timezone.localdate()
    appraiser = conclusion.actor if conclusion else None
    context = {
        "title_kind": "BIÊN BẢN THẨM ĐỊNH",
        "title_subject": f"Hồ sơ đề nghị công nhận {unit_phrase(dossier)} đạt tiêu chí “không có ma túy”",
        "parent_body": parent_body,
        "issuing_body": issuing_body,
        "number": f"{dossier.pk:02d}/BB-{body.symbol}",
        "place_date": place_and_date(short_name(body.area), day),
        "bases": dossier.programme.basis_lines(day),
        "rows": rows,
        "opinions": list(dossier.opinions.select_related("author", "body")),
        "conclusion": conclusion,
        "criteria_set_name": card.get("criteria_set_name", ""),
        "recipients": [
            f"{dossier.decider.name} (để quyết định)",
            f"{committee_name(dossier.commune)}",
            "Lưu: VT, CA",
        ],
        "signature_for": "",
        "signature_title": "NGƯỜI THẨM ĐỊNH",
        "signature_stamp": [],
        "signer_name": appraiser.display_name if appraiser else "",
        "unit": unit_phrase(dossier),
    }
    return render_pdf("documents/appraisal_minutes.html", context)


def _status_label(status: str) -> str:
    from criteria.scoring import Status

    try:
        return Status(status).label
    except ValueError:
        return status
