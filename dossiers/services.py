"""Every write of the recognition route.

`move` is the only way a dossier changes state: it checks the role and the jurisdiction, locks
the dossier row, checks the state it starts from, and writes the event, the frozen scorecard, the
documents and the new state in one transaction. Anything refused raises `MoveRefused` with a
Vietnamese message and changes nothing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from areas import permissions
from areas.models import Area, Level, Role
from areas.permissions import Action
from criteria.services import score_area, score_areas

from . import selectors
from .models import (
    AppraisalFinding,
    Dossier,
    DossierDocument,
    DossierEvent,
    Notification,
    Opinion,
    Registration,
    WatchAlert,
)
from .route import (
    COMMUNE_ROLES,
    FREEZES_SCORECARD,
    OPINION_STATES,
    REASON_REQUIRED,
    TRANSITIONS,
    Move,
    State,
    acting_roles,
)
from .uploads import removed_if_rolled_back, save_file, validate_upload

MET = "met"


class MoveRefused(Exception):
    """A step that may not be taken; `message` says why, in Vietnamese."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


# ---------------------------------------------------------------- registration


@transaction.atomic
def register(
    *,
    user: Any,
    area: Area,
    phase_label: str,
    target_date: dt.date,
    registered_on: dt.date | None = None,
    is_demo: bool = False,
) -> Dossier:
    """Register a village or commune to build "không có ma túy" and open its dossier in draft,
    freezing the register counts of the day as the baseline."""
    if not permissions.can(user, Action.REGISTER_DOSSIER, area):
        raise MoveRefused("Chỉ Công an xã được đăng ký xây dựng cho đơn vị thuộc xã mình.")
    if area.level not in (Level.VILLAGE, Level.COMMUNE):
        raise MoveRefused("Chỉ đăng ký xây dựng cho thôn, bản, tổ dân phố hoặc xã, phường, thị trấn.")
    commune = area if area.level == Level.COMMUNE else area.parent
    appraising_body = commune.deciding_level_ancestor()
    if appraising_body is None:
        raise MoveRefused("Xã chưa gắn với huyện hoặc tỉnh nên không xác định được cấp thẩm định.")
    if Dossier.objects.open().filter(area=area).exists():
        raise MoveRefused(f"{area} đã có hồ sơ đang xử lý hoặc đã được công nhận.")
    registered_on = registered_on or timezone.localdate()
    if target_date < registered_on:
        raise MoveRefused("Thời hạn đạt tiêu chí không được trước ngày đăng ký.")
    counts = selectors.baseline_counts(area=area, as_of=registered_on)
    registration = Registration.objects.create(
        area=area,
        phase_label=phase_label,
        target_date=target_date,
        registered_on=registered_on,
        registered_by=user,
        is_demo=is_demo,
        **{f"baseline_{key}": value for key, value in counts.items()},
    )
    try:
        with transaction.atomic():
            dossier = Dossier.objects.create(
                registration=registration,
                area=area,
                commune=commune,
                appraising_body=appraising_body,
                is_demo=is_demo,
            )
    except IntegrityError as exc:
        raise MoveRefused(f"{area} đã có hồ sơ đang xử lý hoặc đã được công nhận.") from exc
    DossierEvent.objects.create(
        dossier=dossier,
        move="register",
        from_state="",
        to_state=State.DRAFT,
        actor=user,
        actor_role=user.role,
    )
    return dossier


# ---------------------------------------------------------------- the route


def move(
    *,
    dossier_id: int,
    move: str,
    user: Any,
    comment: str = "",
    files: Sequence[tuple[str, File]] = (),
    **extra: Any,
) -> Dossier:
    """Take one step of the route. `files` are (document kind, file) pairs attached to the step;
    `extra` carries what a step needs (the decision number, date and OTP code for `recognise`)."""
    try:
        move = Move(move)
    except ValueError as exc:
        raise MoveRefused("Thao tác không hợp lệ.") from exc
    if not permissions.takes_move(user, move):
        raise MoveRefused(f"Vai trò của bạn không được thực hiện thao tác “{move.label}”.")
    comment = comment.strip()
    if move in REASON_REQUIRED and not comment:
        raise MoveRefused(f"Thao tác “{move.label}” phải ghi rõ lý do.")
    for _kind, upload in files:
        validate_upload(upload)

    with removed_if_rolled_back(), transaction.atomic():
        dossier = (
            Dossier.objects.visible_to(user)
            .select_for_update(of=("self",))
            .select_related("area", "commune", "appraising_body")
            .filter(pk=dossier_id)
            .first()
        )
        if dossier is None or not selectors.acts_for(user, dossier, user.role):
            raise MoveRefused("Hồ sơ không thuộc địa bàn bạn được giao xử lý.")
        transition = TRANSITIONS.get((dossier.state, move))
        if transition is None:
            raise MoveRefused(
                f"Hồ sơ đang ở trạng thái “{State(dossier.state).label}”, không thể “{move.label}”. "
                "Có thể thao tác này vừa được thực hiện; hãy tải lại trang."
            )
        to_state, _role = transition
        now = timezone.now()
        event = DossierEvent(
            dossier=dossier,
            move=move,
            from_state=dossier.state,
            to_state=to_state,
            actor=user,
            actor_role=user.role,
            at=now,
            comment=comment,
        )
        effect = EFFECTS.get(move)
        if effect is not None:
            effect(dossier=dossier, event=event, user=user, **extra)
        frozen = FREEZES_SCORECARD.get(move)
        if frozen:
            event.scorecard = _score(dossier)
            setattr(dossier, f"{frozen}_scorecard", event.scorecard)
        event.save()
        for kind, upload in files:
            _store_document(dossier=dossier, event=event, user=user, kind=kind, upload=upload)
        dossier.state = to_state
        dossier.state_since = now
        dossier.save(update_fields=["state", "state_since", "submission_scorecard", "appraisal_scorecard"])
        _notify_actors(
            dossier, f"{dossier.area}: {State(to_state).label} ({user.display_name}).", exclude=user
        )
    return dossier


def _score(dossier: Dossier) -> dict:
    today = timezone.localdate()
    return score_area(area=dossier.area, as_of=today, proposal_date=today).to_dict()


def current_results(dossier: Dossier) -> list[dict]:
    """The unit's criteria scored today, as plain values (what the appraiser checks)."""
    return score_area(area=dossier.area, as_of=timezone.localdate()).to_dict()["results"]


def _check_appraisal_passes(*, dossier: Dossier, event: DossierEvent, user: Any, **_extra: Any) -> None:
    """An appraisal concludes "đạt" only when every criterion is met, by the computed result
    or by the appraiser's reasoned finding."""
    results = current_results(dossier)
    findings = {f.number: f.status for f in dossier.findings.all()}
    failing = [str(r["number"]) for r in results if findings.get(r["number"], r["status"]) != MET]
    if failing:
        raise MoveRefused(
            f"Tiêu chí số {', '.join(failing)} chưa đạt theo kết quả thẩm định; không thể kết luận đạt."
        )


def _issue_decision(*, dossier: Dossier, event: DossierEvent, user: Any, **extra: Any) -> None:
    from .decisions import issue_signed_decision

    issue_signed_decision(dossier=dossier, user=user, **extra)


EFFECTS: dict[str, Callable[..., None]] = {
    Move.APPRAISE_PASS: _check_appraisal_passes,
    Move.RECOGNISE: _issue_decision,
}


def _notify_actors(dossier: Dossier, text: str, *, exclude: Any = None) -> None:
    """Tell the users who now have a step to take on `dossier` (it reached them or came back)."""
    roles = acting_roles(dossier.state)
    _notify(dossier, text, roles=roles, exclude=exclude)


def _notify(dossier: Dossier, text: str, *, roles: set[str], exclude: Any = None) -> None:
    from areas.models import User

    commune_roles = roles & COMMUNE_ROLES
    body_roles = roles - COMMUNE_ROLES
    recipients = User.objects.filter(is_active=True).filter(
        Q(role__in=commune_roles, area=dossier.commune_id)
        | Q(role__in=body_roles, area=dossier.appraising_body_id)
    )
    if exclude is not None:
        recipients = recipients.exclude(pk=exclude.pk)
    Notification.objects.bulk_create(
        Notification(user=recipient, dossier=dossier, text=text[:255]) for recipient in recipients
    )


# ---------------------------------------------------------------- documents, opinions, findings


def _store_document(
    *, dossier: Dossier, event: DossierEvent | None, user: Any, kind: str, upload: File
) -> DossierDocument:
    content_type = validate_upload(upload)
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    document = DossierDocument(
        dossier=dossier,
        event=event,
        kind=kind,
        title=(getattr(upload, "name", "") or "tài liệu")[:255],
        content_type=content_type,
        size=upload.size,
        sha256=digest.hexdigest(),
        uploaded_by=user,
    )
    save_file(document.file, upload.name, upload)
    document.save()
    return document


@removed_if_rolled_back()
@transaction.atomic
def add_document(*, dossier_id: int, user: Any, kind: str, upload: File) -> DossierDocument:
    """Attach a paper to the dossier; whoever has a step to take on it may."""
    validate_upload(upload)
    dossier = _locked_visible(dossier_id, user)
    if not selectors.may_add_documents(user, dossier):
        raise MoveRefused("Bạn không thể bổ sung tài liệu cho hồ sơ ở trạng thái này.")
    return _store_document(dossier=dossier, event=None, user=user, kind=kind, upload=upload)


@transaction.atomic
def add_opinion(*, dossier_id: int, user: Any, agrees: bool, text: str) -> Opinion:
    """A co-appraising department gives its opinion while the dossier is under appraisal."""
    if not permissions.has_role(user, permissions.CO_APPRAISING_ROLES):
        raise MoveRefused("Chỉ Phòng LĐ-TB&XH và Trung tâm Y tế cho ý kiến phối hợp thẩm định.")
    text = text.strip()
    if not text:
        raise MoveRefused("Hãy ghi nội dung ý kiến.")
    dossier = _locked_visible(dossier_id, user)
    if not selectors.may_give_opinion(user, dossier):
        raise MoveRefused("Chỉ cho ý kiến khi hồ sơ đang thẩm định, thuộc địa bàn của cơ quan bạn.")
    opinion = Opinion.objects.create(dossier=dossier, author=user, role=user.role, agrees=agrees, text=text)
    _notify(
        dossier,
        f"{dossier.area}: {opinion.get_role_display()} đã cho ý kiến thẩm định.",
        roles={Role.APPRAISING_POLICE},
    )
    return opinion


@transaction.atomic
def record_finding(
    *, dossier_id: int, user: Any, number: int, status: str, reason: str = ""
) -> AppraisalFinding:
    """The appraiser's result for criterion `number`; a result other than the computed one
    needs a written reason."""
    if not permissions.has_role(user, permissions.APPRAISING_ROLES):
        raise MoveRefused("Chỉ cơ quan công an thẩm định ghi kết quả thẩm định từng tiêu chí.")
    dossier = _locked_visible(dossier_id, user)
    if dossier.state not in OPINION_STATES or not selectors.acts_for(user, dossier, user.role):
        raise MoveRefused("Chỉ ghi kết quả thẩm định khi hồ sơ đang thẩm định tại cơ quan bạn.")
    results = {r["number"]: r for r in current_results(dossier)}
    if number not in results:
        raise MoveRefused(f"Bộ tiêu chí không có tiêu chí số {number}.")
    computed = results[number]["status"]
    reason = reason.strip()
    if status != computed and not reason:
        raise ValidationError({"reason": "Kết quả thẩm định khác kết quả tính toán phải ghi rõ lý do."})
    finding, _ = AppraisalFinding.objects.update_or_create(
        dossier=dossier,
        number=number,
        defaults={
            "criterion_text": results[number]["text"],
            "computed_status": computed,
            "status": status,
            "reason": reason,
            "appraiser": user,
            "at": timezone.now(),
        },
    )
    return finding


def _locked_visible(dossier_id: int, user: Any) -> Dossier:
    dossier = (
        Dossier.objects.visible_to(user)
        .select_for_update(of=("self",))
        .select_related("area", "commune", "appraising_body")
        .filter(pk=dossier_id)
        .first()
    )
    if dossier is None:
        raise MoveRefused("Hồ sơ không thuộc địa bàn của bạn.")
    return dossier


@transaction.atomic
def mark_notifications_read(*, user: Any, dossier_id: int | None = None) -> int:
    notifications = Notification.objects.filter(user=user, read=False)
    if dossier_id is not None:
        notifications = notifications.filter(dossier_id=dossier_id)
    return notifications.update(read=True)


# ---------------------------------------------------------------- the watch after recognition


def watch_recognised(*, as_of: dt.date | None = None) -> list[WatchAlert]:
    """Re-score every recognised unit in one batch; a unit no longer meeting a criterion gets an
    alert (once, until resolved) and its commune and appraising body are told. An open alert is
    resolved on the day its unit meets every criterion again, and they are told that too."""
    as_of = as_of or timezone.localdate()
    dossiers = list(
        Dossier.objects.filter(state=State.RECOGNISED).select_related("area", "commune", "appraising_body")
    )
    if not dossiers:
        return []
    scorecards = score_areas(areas=[d.area for d in dossiers], as_of=as_of)
    open_alerts = set(
        WatchAlert.objects.filter(dossier__in=dossiers, resolved_on__isnull=True).values_list(
            "dossier_id", flat=True
        )
    )
    alerts = []
    with transaction.atomic():
        mended = [
            d for d in dossiers if d.pk in open_alerts and (card := scorecards.get(d.area_id)) and card.passed
        ]
        WatchAlert.objects.filter(dossier__in=mended, resolved_on__isnull=True).update(resolved_on=as_of)
        for dossier in mended:
            _notify(
                dossier,
                f"{dossier.area} đã đạt lại đủ tiêu chí; cảnh báo sau công nhận được đóng.",
                roles={Role.COMMUNE_POLICE, Role.COMMUNE_CHAIR, Role.APPRAISING_POLICE},
            )
        for dossier in dossiers:
            card = scorecards.get(dossier.area_id)
            if card is None or card.passed:
                continue
            if dossier.pk in open_alerts:
                continue
            data = card.to_dict()
            broken = "; ".join(
                f"Tiêu chí {r['number']}: {r.get('figures') or r['text']}"
                for r in data["results"]
                if r["status"] != MET
            )
            alert = WatchAlert.objects.create(
                dossier=dossier, detected_on=as_of, broken=broken, scorecard=data
            )
            alerts.append(alert)
            _notify(
                dossier,
                f"{dossier.area} (đã công nhận) không còn đạt tiêu chí — cần kiểm tra.",
                roles={Role.COMMUNE_POLICE, Role.COMMUNE_CHAIR, Role.APPRAISING_POLICE},
            )
    return alerts
