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
from areas.models import Area, Body, Level, Role
from areas.permissions import COMMUNE_ROLES, Action
from criteria.services import Status, score_area, score_areas
from programmes.models import Phase
from programmes.selectors import governing_programme, missing_programme_message, route_for

from . import selectors
from .decisions import issue_signed_decision
from .exceptions import MoveRefused
from .models import (
    AppraisalFinding,
    CouncilVote,
    Dossier,
    DossierDocument,
    DossierEvent,
    Notification,
    Opinion,
    Registration,
    WatchAlert,
)
from .route import (
    FREEZES_SCORECARD,
    OPINION_STATES,
    REASON_REQUIRED,
    TRANSITIONS,
    VOTING_STATES,
    Move,
    State,
    acting_roles,
    applies,
)
from .uploads import removed_if_rolled_back, save_file, validate_upload

# ---------------------------------------------------------------- registration


@transaction.atomic
def register(
    *,
    user: Any,
    area: Area,
    target_date: dt.date,
    phase: Phase | None = None,
    registered_on: dt.date | None = None,
    is_demo: bool = False,
) -> Dossier:
    """Register a village or commune to build "không có ma túy" and open its dossier in draft,
    freezing the register counts of the day as the baseline, and the programme that governs the
    unit that day with the bodies its route names."""
    if not permissions.can(user, Action.REGISTER_DOSSIER, area):
        raise MoveRefused("Chỉ Công an xã được đăng ký xây dựng cho đơn vị thuộc xã mình.")
    if area.level not in (Level.VILLAGE, Level.COMMUNE):
        raise MoveRefused("Chỉ đăng ký xây dựng cho thôn, bản, tổ dân phố hoặc xã, phường, đặc khu.")
    registered_on = registered_on or timezone.localdate()
    commune = area if area.level == Level.COMMUNE else area.parent
    if commune is None:
        raise MoveRefused(f"{area} chưa gắn với xã nào.")
    for unit in {area, commune}:
        if not unit.is_open_on(registered_on):
            raise MoveRefused(
                f"{unit} đã giải thể, sáp nhập từ ngày {unit.closed_on:%d/%m/%Y}; không đăng ký mới."
            )
    programme = governing_programme(area, registered_on)
    if programme is None:
        raise MoveRefused(missing_programme_message(area, registered_on))
    route = route_for(programme, area.level)
    problems = route.problems()
    if problems:
        raise MoveRefused(" ".join(problems))
    appraiser, decider = route.body("appraise"), route.body("decide")
    assert appraiser is not None and decider is not None  # route.problems() said so otherwise
    for body in (appraiser, decider, route.body("council")):
        if body is not None and not body.is_open_on(registered_on):
            raise MoveRefused(body.closed_message(registered_on))
    if phase is not None and phase.programme_id != programme.pk:
        raise MoveRefused(f"Giai đoạn đã chọn không thuộc {programme}, kế hoạch đang áp dụng cho {area}.")
    if Dossier.objects.open().filter(area=area).exists():
        raise MoveRefused(f"{area} đã có hồ sơ đang xử lý hoặc đã được công nhận.")
    if target_date < registered_on:
        raise MoveRefused("Thời hạn đạt tiêu chí không được trước ngày đăng ký.")
    counts = selectors.baseline_counts(area=area, as_of=registered_on)
    registration = Registration.objects.create(
        area=area,
        phase=phase,
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
                programme=programme,
                appraiser=appraiser,
                council=route.body("council"),
                decider=decider,
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
        at=_moment(registered_on),
    )
    return dossier


def _moment(day: dt.date) -> dt.datetime:
    """Now, or noon of `day` when a past step is recorded (the demo's history)."""
    now = timezone.now()
    if day >= timezone.localdate(now):
        return now
    return timezone.make_aware(dt.datetime.combine(day, dt.time(12, 0)))


# ---------------------------------------------------------------- the route


def move(
    *,
    dossier_id: int,
    move: str,
    user: Any,
    comment: str = "",
    files: Sequence[tuple[str, File]] = (),
    on: dt.date | None = None,
    **extra: Any,
) -> Dossier:
    """Take one step of the route. `files` are (document kind, file) pairs attached to the step;
    `extra` carries what a step needs (the decision number and OTP code for `recognise`). `on`
    records a step taken on an earlier day (the demo's history); pages never pass it."""
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
            .select_related("area", "commune", "programme", "appraiser", "decider")
            .filter(pk=dossier_id)
            .first()
        )
        if dossier is None or not selectors.acts_for(user, dossier, user.role):
            raise MoveRefused("Hồ sơ không thuộc địa bàn bạn được giao xử lý.")
        transition = TRANSITIONS.get((dossier.state, move))
        if transition is not None and not applies(dossier.state, move, has_council=dossier.has_council):
            transition = None
        if transition is None:
            raise MoveRefused(
                f"Hồ sơ đang ở trạng thái “{State(dossier.state).label}”, không thể “{move.label}”. "
                "Có thể thao tác này vừa được thực hiện; hãy tải lại trang."
            )
        to_state, _role = transition
        day = on or timezone.localdate()
        _check_acting_body_open(dossier, user, day)
        now = _moment(day)
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
            effect(dossier=dossier, event=event, user=user, day=day, **extra)
        frozen = FREEZES_SCORECARD.get(move)
        if frozen:
            event.scorecard = _score(dossier, day, proposing=frozen == "submission")
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


def _check_acting_body_open(dossier: Dossier, user: Any, day: dt.date) -> None:
    """A body closed on `day` (a district after 01/07/2025) takes no step; the refusal names the
    body that now acts in its place."""
    if permissions.has_role(user, COMMUNE_ROLES):
        if not dossier.commune.is_open_on(day):
            raise MoveRefused(
                f"{dossier.commune} đã giải thể, sáp nhập từ ngày {dossier.commune.closed_on:%d/%m/%Y}."
            )
        return
    body_id = dossier.body_id_for(permissions.role_of(user))
    if body_id is None:
        return
    body = Body.objects.select_related("area", "successor__area").get(pk=body_id)
    if not body.is_open_on(day):
        raise MoveRefused(body.closed_message(day))


def criteria_set_of(dossier: Dossier) -> Any:
    """The criteria set the dossier's programme names for its level (None if it names none)."""
    from criteria.models import CriteriaSet

    set_id = dossier.programme.criteria_set_id_for(dossier.area.level)
    return CriteriaSet.objects.filter(pk=set_id).prefetch_related("criteria").first() if set_id else None


def proposal_date(dossier: Dossier) -> dt.date | None:
    """The day the dossier was last proposed (submitted or resubmitted), frozen with its submission
    scorecard: windows such as "a negative test within 30 days before the proposal" count back
    from it however long the appraisal takes."""
    frozen = (dossier.submission_scorecard or {}).get("proposal_date")
    return dt.date.fromisoformat(frozen) if frozen else None


def _score(dossier: Dossier, day: dt.date, *, proposing: bool) -> dict:
    """The scorecard frozen by a move on `day`, with the dossier's own programme's set; a
    submission is a new proposal, an appraisal counts back from the last one."""
    proposal = day if proposing else proposal_date(dossier)
    card = score_area(
        area=dossier.area, as_of=day, criteria_set=criteria_set_of(dossier), proposal_date=proposal
    )
    card.programme_name = f"{dossier.programme} của {dossier.programme.issuing_body}"
    return card.to_dict()


def current_results(dossier: Dossier, day: dt.date | None = None) -> list[dict]:
    """The unit's criteria scored on `day` (today by default) with the dossier's own programme's
    set and against its proposal date, as plain values (what the appraiser checks)."""
    day = day or timezone.localdate()
    card = score_area(
        area=dossier.area,
        as_of=day,
        criteria_set=criteria_set_of(dossier),
        proposal_date=proposal_date(dossier),
    )
    return card.to_dict()["results"]


def _check_appraisal_passes(
    *, dossier: Dossier, event: DossierEvent, user: Any, day: dt.date, **_extra: Any
) -> None:
    """An appraisal concludes "đạt" only when every criterion is met, by the computed result
    or by the appraiser's reasoned finding."""
    results = current_results(dossier, day)
    findings = {f.number: f.status for f in dossier.findings.all()}
    failing = [str(r["number"]) for r in results if findings.get(r["number"], r["status"]) != Status.MET]
    if failing:
        raise MoveRefused(
            f"Tiêu chí số {', '.join(failing)} chưa đạt theo kết quả thẩm định; không thể kết luận đạt."
        )


def _issue_decision(*, dossier: Dossier, event: DossierEvent, user: Any, day: dt.date, **extra: Any) -> None:
    decided_on = extra.pop("decided_on", None) or day
    issue_signed_decision(dossier=dossier, user=user, decided_on=decided_on, signed_at=event.at, **extra)


def council_tally(dossier: Dossier) -> tuple[int, int, int]:
    """(members, in favour, against) of the dossier's council."""
    from areas.models import User

    if dossier.council_id is None:
        return 0, 0, 0
    members = User.objects.filter(
        is_active=True, role=Role.COUNCIL_MEMBER, body_id=dossier.council_id
    ).count()
    votes = list(dossier.votes.values_list("agrees", flat=True))
    return members, sum(1 for v in votes if v), sum(1 for v in votes if not v)


def _check_council_majority(*, dossier: Dossier, **_extra: Any) -> None:
    """The council recommends recognition only when more than half of its members voted for it."""
    members, agree, against = council_tally(dossier)
    if agree * 2 <= members:
        raise MoveRefused(
            f"Chưa đủ quá nửa thành viên Hội đồng đồng ý ({agree}/{members} đồng ý, {against} không đồng ý)."
        )


EFFECTS: dict[str, Callable[..., None]] = {
    Move.APPRAISE_PASS: _check_appraisal_passes,
    Move.COUNCIL_PASS: _check_council_majority,
    Move.RECOGNISE: _issue_decision,
}


def _notify_actors(dossier: Dossier, text: str, *, exclude: Any = None) -> None:
    """Tell the users who now have a step to take on `dossier` (it reached them or came back)."""
    roles = acting_roles(dossier.state, has_council=dossier.has_council)
    _notify(dossier, text, roles=roles, exclude=exclude)


def _notify(dossier: Dossier, text: str, *, roles: set[str], exclude: Any = None) -> None:
    """Notify the users holding `roles` for this dossier: the commune's own for commune roles,
    the users of the body the programme's route gives each other role."""
    from areas.models import User

    who = Q(pk__in=[])
    if roles & COMMUNE_ROLES:
        who |= Q(role__in=roles & COMMUNE_ROLES, area=dossier.commune_id)
    for role in roles - COMMUNE_ROLES:
        body_ids = selectors.acting_body_ids(dossier, role)
        if body_ids:
            who |= Q(role=role, body_id__in=body_ids)
    recipients = User.objects.filter(is_active=True).filter(who)
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
    """A co-appraising body of the dossier's programme gives its opinion while the dossier is
    under appraisal."""
    if not permissions.has_role(user, permissions.CO_APPRAISING_ROLES):
        raise MoveRefused("Chỉ cơ quan phối hợp thẩm định theo kế hoạch cho ý kiến phối hợp thẩm định.")
    text = text.strip()
    if not text:
        raise MoveRefused("Hãy ghi nội dung ý kiến.")
    dossier = _locked_visible(dossier_id, user)
    if not selectors.may_give_opinion(user, dossier):
        raise MoveRefused("Chỉ cho ý kiến khi hồ sơ đang thẩm định, thuộc địa bàn của cơ quan bạn.")
    opinion = Opinion.objects.create(
        dossier=dossier, author=user, role=user.role, body_id=user.body_id, agrees=agrees, text=text
    )
    _notify(
        dossier,
        f"{dossier.area}: {opinion.body_name} đã cho ý kiến thẩm định.",
        roles={Role.APPRAISING_POLICE},
    )
    return opinion


@transaction.atomic
def cast_vote(*, dossier_id: int, user: Any, agrees: bool, comment: str = "") -> CouncilVote:
    """A member of the dossier's council votes (or changes their vote) while it is before the
    council."""
    if not permissions.has_role(user, permissions.COUNCIL_ROLES):
        raise MoveRefused("Chỉ thành viên Hội đồng xét duyệt biểu quyết.")
    dossier = _locked_visible(dossier_id, user)
    if dossier.state not in VOTING_STATES or not selectors.acts_for(user, dossier, user.role):
        raise MoveRefused("Chỉ biểu quyết khi hồ sơ đang trình Hội đồng mà bạn là thành viên.")
    vote, _ = CouncilVote.objects.update_or_create(
        dossier=dossier,
        member=user,
        defaults={"agrees": agrees, "comment": comment.strip(), "at": timezone.now()},
    )
    return vote


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


def closed_bodies_taken_over_by(user: Any, dossier: Dossier, day: dt.date) -> list[str]:
    """The dossier's roles whose body has closed by `day` and whose acting successor is the
    user's body (and the user holds that role): what `take_over` would move to the user's body."""
    if user.body_id is None or dossier.state in (State.RECOGNISED, State.NOT_RECOGNISED, State.REVOKED):
        return []
    # The closed body must be the one that holds the user's own role on the dossier.
    own_body_id = dossier.body_id_for(permissions.role_of(user))
    fields = []
    for field in ("appraiser", "decider"):
        body = getattr(dossier, field)
        if body.pk == own_body_id and not body.is_open_on(day):
            successor = body.acting_successor(day)
            if successor is not None and successor.pk == user.body_id:
                fields.append(field)
    return fields


@transaction.atomic
def take_over(*, dossier_id: int, user: Any) -> Dossier:
    """The successor of a closed body (Công an tỉnh after Công an huyện ceased on 01/07/2025) takes
    over an open dossier: the dossier's appraising and deciding bodies become the successors acting
    today, and the programme that governs the unit today becomes the dossier's programme (its legal
    bases are what the papers now cite). Written as an event; nothing else changes."""
    today = timezone.localdate()
    dossier = _locked_visible(dossier_id, user)
    fields = closed_bodies_taken_over_by(user, dossier, today)
    if not fields:
        raise MoveRefused(
            "Cơ quan của bạn không phải cơ quan kế thừa của cơ quan đã thôi hoạt động trên hồ sơ này."
        )
    programme = governing_programme(dossier.area, today)
    if programme is None:
        raise MoveRefused(missing_programme_message(dossier.area, today))
    before = {f: getattr(dossier, f) for f in ("appraiser", "decider")}
    for field in ("appraiser", "decider"):
        body = getattr(dossier, field)
        if not body.is_open_on(today):
            successor = body.acting_successor(today)
            if successor is None:
                raise MoveRefused(body.closed_message(today))
            setattr(dossier, field, successor)
    dossier.programme = programme
    dossier.save(update_fields=["appraiser", "decider", "programme"])
    changed = "; ".join(
        f"{before[f].name} → {getattr(dossier, f).name}"
        for f in ("appraiser", "decider")
        if before[f] != getattr(dossier, f)
    )
    DossierEvent.objects.create(
        dossier=dossier,
        move="take_over",
        from_state=dossier.state,
        to_state=dossier.state,
        actor=user,
        actor_role=user.role,
        comment=f"Cơ quan kế thừa tiếp nhận hồ sơ ({changed}); áp dụng {programme}.",
    )
    _notify_actors(dossier, f"{dossier.area}: hồ sơ được {user.body.name} tiếp nhận.", exclude=user)
    return dossier


def _locked_visible(dossier_id: int, user: Any) -> Dossier:
    dossier = (
        Dossier.objects.visible_to(user)
        .select_for_update(of=("self",))
        .select_related("area", "commune", "programme", "appraiser__area", "decider__area")
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


def watch_recognised(
    *, as_of: dt.date | None = None, within: Area | None = None, scorecards: dict[int, Any] | None = None
) -> list[WatchAlert]:
    """Re-score every recognised unit (of `within`'s subtree, when given) in one batch; a unit no
    longer meeting a criterion gets an alert (once, until resolved) and its commune and appraising
    body are told. An open alert is resolved on the day its unit meets every criterion again, and
    they are told that too. The nightly scoring (`snapshots`) passes the scorecards it has just
    computed for the province, so a unit is scored once a night."""
    as_of = as_of or timezone.localdate()
    recognised = Dossier.objects.filter(state=State.RECOGNISED)
    if within is not None:
        recognised = recognised.filter(area__path__startswith=within.path)
    dossiers = list(recognised.select_related("area", "commune", "programme"))
    if not dossiers:
        return []
    missing = [d.area for d in dossiers if scorecards is None or d.area_id not in scorecards]
    scorecards = {**(scorecards or {}), **(score_areas(areas=missing, as_of=as_of) if missing else {})}
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
                if r["status"] != Status.MET
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
