"""Demo dossiers at every stage of the route, walked through the real services by the demo users,
each step on its own day so that the history reads as it happened.

Phong Thổ, 2024 – first half of 2025, under the district's plan 174/KH-UBND: four villages
recognised by signed decisions of UBND huyện Phong Thổ, one not recognised, and one forwarded to
Công an huyện days before the district ceased (01/07/2025), waiting for its successor to take it
over. Phong Thổ's communes in 2026, under Lai Châu's programme: dossiers with Công an tỉnh and UBND
tỉnh at every step. Tân An (Hải Phòng, no district) in 2026 under its own programme: one village
recognised, one under appraisal, one returned. Phường Hàm Rồng (Thanh Hóa) under appraisal with
Thanh Hóa's criteria. The deciding chairs get a demo certificate and a TOTP device whose secret is
printed so a person can sign from an authenticator app. Idempotent: a unit that already has a
dossier is left alone.
"""

from __future__ import annotations

import base64
import datetime as dt
from typing import Any

from django.core.files.base import ContentFile
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from areas.models import Area, User
from programmes.models import RouteFunction
from programmes.selectors import governing_programme
from subjects.models import (
    BoardKind,
    CommitmentKind,
    HotlineBoard,
    HouseholdCommitment,
    ModelKind,
    PreventionModel,
)

from . import services
from .models import Dossier
from .route import SENDS_UP, Move, State
from .selectors import components_present
from .services import MoveRefused
from .signing import ensure_signer

D = dt.date

# (commune key, village name or n for "the n-th other village", stage to reach, the days of the
# steps: registration, then one day per move taken). Phong Thổ's history runs under plan 174 of
# the district, closed on 01/07/2025; what is under way in 2026 runs under Lai Châu's programme.
PLAN: list[tuple[str, str | None, str, list[dt.date]]] = [
    (
        "Xã Hoang Thèn",
        "Bản Tả Lèng",
        State.RECOGNISED,
        [D(2024, 6, 10), D(2024, 7, 1), D(2024, 7, 5), D(2024, 7, 10), D(2024, 8, 15), D(2024, 9, 5)],
    ),
    (
        "Xã Mường So",
        "Bản Co Muông",
        State.RECOGNISED,
        [D(2024, 6, 12), D(2024, 7, 2), D(2024, 7, 8), D(2024, 7, 15), D(2024, 9, 20), D(2024, 10, 18)],
    ),
    (
        "Xã Hoang Thèn",
        "Bản Seo Pho",
        State.NOT_RECOGNISED,
        [D(2024, 6, 20), D(2024, 8, 1), D(2024, 8, 5), D(2024, 8, 12), D(2024, 10, 1), D(2024, 11, 4)],
    ),
    (
        "Xã Hoang Thèn",
        "Bản Seo Khèn",
        State.RECOGNISED,
        [D(2025, 1, 6), D(2025, 2, 3), D(2025, 2, 7), D(2025, 2, 12), D(2025, 3, 6), D(2025, 3, 20)],
    ),
    (
        "Xã Mường So",
        "Bản Nà Phình",
        State.RECOGNISED,
        [D(2025, 2, 10), D(2025, 3, 10), D(2025, 3, 14), D(2025, 3, 20), D(2025, 5, 5), D(2025, 5, 15)],
    ),
    # Forwarded to Công an huyện Phong Thổ shortly before the district ceased: its successor takes it over.
    ("Xã Mường So", "Bản Nà Sáng", State.FORWARDED, [D(2025, 5, 26), D(2025, 6, 16), D(2025, 6, 23)]),
    (
        "Xã Hoang Thèn",
        "Bản Seo Chồ",
        State.UNDER_APPRAISAL,
        [D(2026, 9, 1), D(2026, 10, 1), D(2026, 10, 6), D(2026, 10, 12)],
    ),
    ("Xã Mường So", "Bản Nà Sả", State.FORWARDED, [D(2026, 9, 8), D(2026, 10, 20), D(2026, 10, 27)]),
    ("Xã Hoang Thèn", "Bản Seo Lìn", State.SUBMITTED, [D(2026, 10, 5), D(2026, 11, 16)]),
    ("Xã Hoang Thèn", "Bản Seo Lùng", State.DRAFT, [D(2026, 11, 2)]),
    (
        "Xã Mường So",
        "Bản Nà Pho",
        State.APPRAISED_PASS,
        [D(2026, 8, 3), D(2026, 9, 7), D(2026, 9, 11), D(2026, 9, 16), D(2026, 11, 20)],
    ),
    (
        "Xã Tân An",
        "Thôn Kim Chuế",
        State.RECOGNISED,
        [D(2026, 5, 4), D(2026, 10, 5), D(2026, 10, 9), D(2026, 10, 14), D(2026, 11, 20), D(2026, 11, 27)],
    ),
    (
        "Xã Tân An",
        "Thôn Trại Mũa",
        State.UNDER_APPRAISAL,
        [D(2026, 5, 11), D(2026, 9, 14), D(2026, 9, 18), D(2026, 11, 25)],
    ),
    (
        "Xã Tân An",
        "Thôn Vân Cầu",
        State.RETURNED,
        [D(2026, 5, 11), D(2026, 9, 14), D(2026, 9, 18), D(2026, 9, 24), D(2026, 10, 15)],
    ),
    (
        "Phường Hàm Rồng",
        None,
        State.UNDER_APPRAISAL,
        [D(2025, 9, 15), D(2025, 10, 1), D(2025, 10, 6), D(2025, 10, 10)],
    ),
]

# The personas of each commune: (commune police, commune chair, appraising police, deciding chair,
# co-appraisers) — before and after the district ceased for Phong Thổ's communes.
ACTORS = {
    "Xã Hoang Thèn": ("cax_hoangthen", "ctx_hoangthen"),
    "Xã Mường So": ("cax_muongso", "ctx_muongso"),
    "Xã Tân An": ("cax_tanan", "ctx_tanan"),
    "Phường Hàm Rồng": ("cax_hamrong", "ctx_hamrong"),
}
BODY_USERS = {
    "Công an huyện Phong Thổ": "cah_phongtho",
    "Ủy ban nhân dân huyện Phong Thổ": "cth_phongtho",
    "Phòng Lao động - Thương binh và Xã hội huyện Phong Thổ": "ldtbxh_phongtho",
    "Trung tâm Y tế huyện Phong Thổ": "yte_phongtho",
    "Công an tỉnh Lai Châu": "ca_laichau",
    "Ủy ban nhân dân tỉnh Lai Châu": "ct_laichau",
    "Công an thành phố Hải Phòng": "catp_haiphong",
    "Sở Y tế thành phố Hải Phòng": "syt_haiphong",
    "Ủy ban nhân dân thành phố Hải Phòng": "cttp_haiphong",
    "Công an tỉnh Thanh Hóa": "ca_thanhhoa",
    "Ủy ban nhân dân tỉnh Thanh Hóa": "ct_thanhhoa",
}
DECIDING_CHAIRS = ["cth_phongtho", "ct_laichau", "cttp_haiphong", "ct_thanhhoa"]


def otp_device(user: User) -> TOTPDevice:
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Ứng dụng xác thực (minh họa)", confirmed=True)
    return device


def current_code(device: TOTPDevice) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = timezone.now().timestamp()
    return f"{totp.token():0{device.digits}d}"


def _village_facts(village: Area, since: dt.date) -> None:
    """What a target village had done by `since` (commitments, hotline board, a prevention model),
    so its scorecard on that day passes where the registers hold nothing against it."""
    if not HouseholdCommitment.objects.filter(
        village=village, kind=CommitmentKind.DRUG_FREE, as_of__lte=since
    ).exists():
        HouseholdCommitment.objects.create(
            village=village,
            kind=CommitmentKind.DRUG_FREE,
            as_of=since - dt.timedelta(days=60),
            households=86,
            signed=86,
            is_demo=True,
        )
    if not HotlineBoard.objects.filter(
        village=village, kind=BoardKind.HOTLINE, installed_on__lte=since
    ).exists():
        HotlineBoard.objects.create(
            village=village,
            kind=BoardKind.HOTLINE,
            location="Nhà văn hóa",
            installed_on=since - dt.timedelta(days=90),
            is_demo=True,
        )
    if not PreventionModel.objects.filter(area=village, established_on__lte=since).exists():
        PreventionModel.objects.create(
            area=village,
            name=f"Dòng họ không ma túy {village.name}",
            kind=ModelKind.CLAN,
            lead_organisation="Mặt trận Tổ quốc xã",
            established_on=since - dt.timedelta(days=120),
            is_active=True,
            last_evaluated_on=since - dt.timedelta(days=30),
            evaluated_effective=True,
            is_demo=True,
        )


# Names written in the demo papers where no user stands for the person (village heads, secretaries).
DEMO_VILLAGE_HEADS = ["Lò Văn Minh", "Vàng A Sử", "Tẩn Láo Lở", "Giàng A Chứ", "Phạm Văn Hòa"]
DEMO_SECRETARIES = ["Lò Thị Mai", "Sùng A Páo", "Vàng Thị Dung", "Lý A Sang", "Nguyễn Thị Lan"]


def _commune_papers(dossier: Dossier, actors: dict[str, Any], submitted_on: dt.date, index: int) -> None:
    """The papers of the commune before it submits the dossier, each on its own day: the village
    meeting and the public posting where the programme asks for them, and the unit's report."""
    from papers import services as papers
    from papers.models import PaperKind
    from papers.specs import SPECS, asked_for

    police, chair = actors["police"], actors["chair"]
    head, secretary = DEMO_VILLAGE_HEADS[index % 5], DEMO_SECRETARIES[index % 5]
    vote = "Số hộ dự họp biểu quyết đồng ý: 100%."
    day = submitted_on - dt.timedelta(days=12)
    if asked_for(SPECS[PaperKind.VILLAGE_MINUTES], dossier):
        papers.issue(
            dossier_id=dossier.pk,
            kind=PaperKind.VILLAGE_MINUTES,
            user=police,
            finaliser=chair,
            on=day,
            chair_name=head,
            secretary_name=secretary,
            vote=vote,
        )
    if asked_for(SPECS[PaperKind.POSTING], dossier):
        days = dossier.programme.posting_days or 1
        papers.issue(
            dossier_id=dossier.pk,
            kind=PaperKind.POSTING,
            user=police,
            finaliser=chair,
            on=day + dt.timedelta(days=days + 1),
            posted_from=(day + dt.timedelta(days=1)).isoformat(),
            posted_until=(day + dt.timedelta(days=days)).isoformat(),
            opinions="Không nhận được ý kiến phản ánh, khiếu nại.",
        )
    papers.issue(
        dossier_id=dossier.pk, kind=PaperKind.UNIT_REPORT, user=police, finaliser=chair, on=submitted_on
    )


def _review_papers(dossier: Dossier, chair: User, forwarded_on: dt.date) -> None:
    """The commune's review meeting and its tờ trình, the day the chair forwards the dossier."""
    from papers import services as papers
    from papers.models import PaperKind

    papers.issue(
        dossier_id=dossier.pk,
        kind=PaperKind.REVIEW_MINUTES,
        user=chair,
        on=forwarded_on,
        vote="Số người dự họp biểu quyết đồng ý: 100%.",
    )
    papers.issue(dossier_id=dossier.pk, kind=PaperKind.COMMUNE_SUBMISSION, user=chair, on=forwarded_on)


def demo_pdf(title: str) -> bytes:
    """A one-page PDF standing for a paper of a demo dossier (its text says so; ASCII only, in the
    PDF's built-in font)."""
    text = f"{title} - tai lieu minh hoa (du lieu demo, khong co gia tri phap ly)"
    stream = f"BT /F1 14 Tf 60 760 Td ({text}) Tj ET".encode("ascii", "replace")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> "
        b"/Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def attach_required_papers(dossier: Dossier, user: User) -> None:
    """The papers the dossier's programme requires, as demo PDFs, so that it may go up."""
    present = components_present(dossier)
    for component in dossier.programme.required_components.filter(unit_level=dossier.area.level):
        if component.kind in present:
            continue
        label = component.get_kind_display()
        upload = ContentFile(demo_pdf(ascii_name(label)), name=f"{label} (minh họa).pdf")
        services.add_document(dossier_id=dossier.pk, user=user, kind=component.kind, upload=upload)


def ascii_name(text: str) -> str:
    import unicodedata

    return (
        unicodedata.normalize("NFKD", text.replace("đ", "d").replace("Đ", "D"))
        .encode("ascii", "ignore")
        .decode()
    )


def _walk(dossier: Dossier, target: str, days: list[dt.date], actors: dict[str, Any], number: int) -> Dossier:
    """Take the dossier to `target`, one move per day of `days` (after the registration day), each
    by the user who holds the move's role for this dossier. A dossier that will be recognised gets
    its papers written, finalised and numbered on the way, as its bodies would have issued them."""
    from papers import services as papers
    from papers.models import PaperKind

    writes_papers = target == State.RECOGNISED
    police, chair = actors["police"], actors["chair"]
    appraiser = actors["by_body"].get(dossier.appraiser.name)
    decider = actors["by_body"].get(dossier.decider.name)
    steps: list[tuple[str, User | None, str, dict[str, Any]]] = [
        (Move.SUBMIT, police, "Kính trình Chủ tịch UBND xã xem xét hồ sơ.", {}),
        (Move.FORWARD, chair, "UBND xã đã họp xét, thống nhất đề nghị thẩm định.", {}),
        (Move.ACCEPT, appraiser, "Đã tiếp nhận hồ sơ.", {}),
    ]
    if target == State.RETURNED:
        steps.append(
            (
                Move.REQUEST_SUPPLEMENT,
                appraiser,
                "Đề nghị bổ sung biên bản họp xét có chữ ký các thành viên.",
                {},
            )
        )
    elif target == State.NOT_RECOGNISED:
        steps += [
            (Move.APPRAISE_FAIL, appraiser, "Chưa có mô hình phòng, chống ma túy hoạt động hiệu quả.", {}),
            (Move.REFUSE, decider, "Chưa đạt tiêu chí số 7 theo kết luận thẩm định.", {}),
        ]
    else:
        steps += [
            (Move.APPRAISE_PASS, appraiser, "Hồ sơ đạt đủ tiêu chí.", {}),
            (Move.RECOGNISE, decider, "", {}),
        ]
    for (move, user, comment, extra), day in zip(steps, days[1:], strict=False):
        if dossier.state == target or user is None:
            break
        if move == Move.SUBMIT:
            if writes_papers:
                _commune_papers(dossier, actors, day, number)
                _review_papers(dossier, actors["chair"], day)
            attach_required_papers(dossier, police)
        if writes_papers and move == Move.RECOGNISE and appraiser is not None:
            papers.issue(
                dossier_id=dossier.pk,
                kind=PaperKind.APPRAISAL_SUBMISSION,
                user=appraiser,
                on=day - dt.timedelta(days=2),
            )
        if move in SENDS_UP:
            # Used only when the unit's score is below "đạt" (the dossiers that end refused).
            extra = {
                **extra,
                "explanation": "Đề nghị thẩm định để được hướng dẫn khắc phục tiêu chí chưa đạt.",
            }
        if move == Move.RECOGNISE:
            device = otp_device(user)
            # The demo signs several historic decisions within one 30-second step, and each code
            # works once: clear the device's replay marker first (demo loading only).
            TOTPDevice.objects.filter(pk=device.pk).update(last_t=-1)
            device.refresh_from_db()
            extra = {**extra, "otp_token": current_code(device)}
        dossier = services.move(dossier_id=dossier.pk, move=move, user=user, comment=comment, on=day, **extra)
        if writes_papers and move == Move.APPRAISE_PASS:
            papers.issue(
                dossier_id=dossier.pk,
                kind=PaperKind.APPRAISAL_MINUTES,
                user=user,
                on=day,
                secretary_name=DEMO_SECRETARIES[(number + 2) % 5],
            )
        if dossier.state == State.UNDER_APPRAISAL:
            for co_appraiser in actors["co_appraisers"](dossier):
                services.add_opinion(
                    dossier_id=dossier.pk,
                    user=co_appraiser,
                    agrees=True,
                    text="Thống nhất với kết quả rà soát người nghiện, người sau cai nghiện.",
                )
    return dossier


def load(units: dict[str, Area]) -> str:
    users = {u.username: u for u in User.objects.filter(role__isnull=False).select_related("body", "area")}
    by_body = {body: users.get(username) for body, username in BODY_USERS.items()}
    signer_lines = []
    for username in DECIDING_CHAIRS:
        chair = users.get(username)
        if chair is None:
            continue
        ensure_signer(chair, organisation=chair.body.name if chair.body else "")
        device = otp_device(chair)
        secret = base64.b32encode(device.bin_key).decode()
        signer_lines.append(f"{username}: khóa TOTP {secret} (nhập vào ứng dụng xác thực để lấy mã ký số)")

    def co_appraisers(dossier: Dossier) -> list[User]:
        names = dossier.programme.route_steps.filter(
            function=RouteFunction.CO_APPRAISE, unit_level=dossier.area.level
        ).values_list("body__name", flat=True)
        return [user for name in names if (user := by_body.get(name)) is not None]

    created, stopped = 0, []
    number = 100
    for commune_key, village_ref, target, days in PLAN:
        commune = units.get(commune_key)
        if commune is None:
            continue
        area = (
            commune if village_ref is None else Area.objects.filter(parent=commune, name=village_ref).first()
        )
        if area is None or Dossier.objects.filter(area=area).exists():
            continue
        police_name, chair_name = ACTORS[commune_key]
        police = users.get(police_name)
        if police is None:
            continue
        registered_on = days[0]
        for village in [area] if area.level == "village" else list(area.children.all()):
            if target != State.NOT_RECOGNISED:
                _village_facts(village, registered_on)
        programme = governing_programme(area, registered_on)
        phase = (
            programme.phases.filter(starts_on__lte=registered_on, ends_on__gte=registered_on).first()
            if programme
            else None
        )
        try:
            dossier = services.register(
                user=police,
                area=area,
                phase=phase,
                target_date=phase.ends_on if phase else registered_on + dt.timedelta(days=365),
                registered_on=registered_on,
                is_demo=True,
            )
        except MoveRefused as refusal:
            stopped.append(f"{area}: không đăng ký được ({refusal.message})")
            continue
        Dossier.objects.filter(pk=dossier.pk).update(is_demo=True)
        number += 1
        actors = {
            "police": police,
            "chair": users.get(chair_name),
            "by_body": by_body,
            "co_appraisers": co_appraisers,
        }
        try:
            dossier = _walk(dossier, target, days, actors, number)
        except MoveRefused as refusal:
            dossier.refresh_from_db()
            stopped.append(f"{area}: dừng ở “{dossier.get_state_display()}” ({refusal.message})")
        created += 1

    lines = [f"{created} hồ sơ minh họa mới."]
    lines += stopped
    lines += signer_lines
    return "\n".join(lines)
