"""Demo dossiers at every stage of the route, walked through the real services by the demo users.

Phong Thổ (with a district): Bản Tả Lèng recognised with a signed decision, other villages of
Xã Hoang Thèn waiting at each step. Tân An (no district, Hải Phòng appraises and decides): one
village recognised, one under appraisal, one returned for supplementation. The deciding chairs get
a demo certificate and a TOTP device whose secret is printed so a person can sign from an
authenticator app. Idempotent: a unit that already has a dossier is left alone.
"""

from __future__ import annotations

import base64
import datetime as dt
from typing import Any

from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from areas.models import Area, User
from subjects.models import (
    BoardKind,
    CommitmentKind,
    HotlineBoard,
    HouseholdCommitment,
    ModelKind,
    PreventionModel,
)

from . import services
from .documents import committee_name
from .models import Dossier
from .route import Move, State
from .services import MoveRefused
from .signing import ensure_signer

PHASE_PHONG_THO = "Giai đoạn 3 (2026 - 2028) — Kế hoạch 174/KH-UBND ngày 24/5/2024 của UBND huyện Phong Thổ"
PHASE_TAN_AN = "Năm 2026 — Kế hoạch xây dựng xã không ma túy của UBND xã Tân An"

# (commune key, village name or None for "the n-th other village", stage to reach)
PLAN: list[tuple[str, str | int, str]] = [
    ("Xã Hoang Thèn", "Bản Tả Lèng", State.RECOGNISED),
    ("Xã Hoang Thèn", 1, State.APPRAISED_PASS),
    ("Xã Hoang Thèn", 2, State.UNDER_APPRAISAL),
    ("Xã Hoang Thèn", 3, State.FORWARDED),
    ("Xã Hoang Thèn", 4, State.SUBMITTED),
    ("Xã Hoang Thèn", 5, State.DRAFT),
    ("Xã Hoang Thèn", 6, State.NOT_RECOGNISED),
    ("Xã Mường So", "Bản Co Muông", State.SUBMITTED),
    ("Xã Tân An", "Thôn Kim Chuế", State.RECOGNISED),
    ("Xã Tân An", "Thôn Trại Mũa", State.UNDER_APPRAISAL),
    ("Xã Tân An", "Thôn Vân Cầu", State.RETURNED),
]

# The personas of each commune: (commune police, commune chair, appraising police, deciding chair)
ACTORS = {
    "Xã Hoang Thèn": ("cax_hoangthen", "ctx_hoangthen", "cah_phongtho", "cth_phongtho"),
    "Xã Mường So": ("cax_muongso", None, "cah_phongtho", "cth_phongtho"),
    "Xã Tân An": ("cax_tanan", "ctx_tanan", "catp_haiphong", "cttp_haiphong"),
}
DECIDING_CHAIRS = ["cth_phongtho", "cttp_haiphong"]


def otp_device(user: User) -> TOTPDevice:
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Ứng dụng xác thực (minh họa)", confirmed=True)
    return device


def current_code(device: TOTPDevice) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = timezone.now().timestamp()
    return f"{totp.token():0{device.digits}d}"


def _village_facts(village: Area) -> None:
    """What a target village has done (commitments, hotline board, a prevention model), so its
    scorecard passes where the registers hold nothing against it."""
    if not HouseholdCommitment.objects.filter(village=village, kind=CommitmentKind.DRUG_FREE).exists():
        HouseholdCommitment.objects.create(
            village=village,
            kind=CommitmentKind.DRUG_FREE,
            as_of=dt.date(2025, 3, 1),
            households=86,
            signed=86,
            is_demo=True,
        )
    if not HotlineBoard.objects.filter(village=village, kind=BoardKind.HOTLINE).exists():
        HotlineBoard.objects.create(
            village=village,
            kind=BoardKind.HOTLINE,
            location="Nhà văn hóa",
            installed_on=dt.date(2024, 9, 1),
            is_demo=True,
        )
    if not PreventionModel.objects.filter(area=village).exists():
        PreventionModel.objects.create(
            area=village,
            name=f"Dòng họ không ma túy {village.name}",
            kind=ModelKind.CLAN,
            lead_organisation="Mặt trận Tổ quốc xã",
            established_on=dt.date(2024, 8, 1),
            is_active=True,
            last_evaluated_on=dt.date(2025, 6, 30),
            evaluated_effective=True,
            is_demo=True,
        )


def _walk(dossier: Dossier, target: str, users: dict[str, User | None], number: int) -> Dossier:
    police, chair, appraiser, decider = (users[k] for k in ("police", "chair", "appraiser", "decider"))
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
            (Move.APPRAISE_PASS, appraiser, "Hồ sơ đạt đủ 8 tiêu chí.", {}),
            (Move.RECOGNISE, decider, "", {"decision_number": str(number)}),
        ]
    for move, user, comment, extra in steps:
        if dossier.state == target or user is None:
            break
        if move == Move.RECOGNISE:
            extra = {**extra, "otp_token": current_code(otp_device(user))}
        dossier = services.move(dossier_id=dossier.pk, move=move, user=user, comment=comment, **extra)
        if dossier.state == State.UNDER_APPRAISAL and users.get("labour"):
            services.add_opinion(
                dossier_id=dossier.pk,
                user=users["labour"],
                agrees=True,
                text="Thống nhất với kết quả rà soát người nghiện.",
            )
    return dossier


def load(units: dict[str, Area]) -> str:
    users = {
        u.username: u for u in User.objects.filter(username__in=[n for a in ACTORS.values() for n in a if n])
    }
    labour = User.objects.filter(username="ldtbxh_phongtho").first()
    signer_lines = []
    for username in DECIDING_CHAIRS:
        chair = users.get(username)
        if chair is None:
            continue
        ensure_signer(chair, organisation=committee_name(chair.area))
        device = otp_device(chair)
        secret = base64.b32encode(device.bin_key).decode()
        signer_lines.append(f"{username}: khóa TOTP {secret} (nhập vào ứng dụng xác thực để lấy mã ký số)")

    created, stopped = 0, []
    number = 100
    for commune_key, village_ref, target in PLAN:
        commune = units.get(commune_key)
        if commune is None:
            continue
        villages = list(Area.objects.filter(parent=commune).order_by("name"))
        if isinstance(village_ref, str):
            village = next((v for v in villages if v.name == village_ref), None)
        else:
            others = [v for v in villages if v.name not in {r for _c, r, _t in PLAN if isinstance(r, str)}]
            village = others[village_ref] if village_ref < len(others) else None
        if village is None or Dossier.objects.filter(area=village).exists():
            continue
        police, chair, appraiser, decider = (users.get(n) if n else None for n in ACTORS[commune_key])
        if police is None:
            continue
        if target != State.NOT_RECOGNISED:
            _village_facts(village)
        phase = PHASE_TAN_AN if commune_key == "Xã Tân An" else PHASE_PHONG_THO
        dossier = services.register(
            user=police,
            area=village,
            phase_label=phase,
            target_date=max(dt.date(2026, 12, 31), timezone.localdate() + dt.timedelta(days=90)),
            registered_on=timezone.localdate() - dt.timedelta(days=60),
            is_demo=True,
        )
        Dossier.objects.filter(pk=dossier.pk).update(is_demo=True)
        number += 1
        actors = {"police": police, "chair": chair, "appraiser": appraiser, "decider": decider}
        actors["labour"] = labour if commune_key != "Xã Tân An" else None
        try:
            dossier = _walk(dossier, target, actors, number)
        except MoveRefused as refusal:
            dossier.refresh_from_db()
            stopped.append(f"{village}: dừng ở “{dossier.get_state_display()}” ({refusal.message})")
        created += 1

    lines = [f"{created} hồ sơ minh họa mới."]
    lines += stopped
    lines += signer_lines
    return "\n".join(lines)
