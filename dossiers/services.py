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
    DocumentKind,
    Dossier,
    DossierDocument,
    DossierEvent,
    Notification,
    Opinion,
    OpinionRequest,
    RecognitionReview,
    Registration,
    ReviewOutcome,
    WatchAlert,
)
from .route import (
    FREEZES_SCORECARD,
    NOTICES,
    NOTIFY_COMMUNE,
    OPINION_STATES,
    REASON_REQUIRED,
    RETURNS,
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
    if move == Move.PROPOSE_REVOCATION and not files:
        raise MoveRefused("Đề nghị thu hồi công nhận phải gửi kèm tài liệu chứng minh.")
    for _kind, upload in files:
        validate_upload(upload)
    fix_criteria = [int(n) for n in extra.pop("fix_criteria", None) or []]
    fix_documents = [str(k) for k in extra.pop("fix_documents", None) or []]

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
        to_state, role = transition
        previous = dossier.events.filter(move__in=Move.values).order_by("-at", "-pk").first()
        sender_role = previous.actor_role if previous is not None else ""
        if not selectors.acts_for(user, dossier, role):
            # A move some other role takes from this state (a recall belongs to its sender).
            raise MoveRefused(f"Vai trò của bạn không được thực hiện thao tác “{move.label}” ở bước này.")
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
        if move in RETURNS and (fix_criteria or fix_documents):
            event.details = _what_to_fix(dossier, fix_criteria, fix_documents)
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
        dossier.save(
            update_fields=[
                "state",
                "state_since",
                "submission_scorecard",
                "appraisal_scorecard",
                "shortfall_explanation",
                "review_due_on",
            ]
        )
        _notify_move(dossier, move, event, sender_role=sender_role)
    return dossier


def _what_to_fix(dossier: Dossier, numbers: list[int], kinds: list[str]) -> dict[str, Any]:
    """The criteria (number and text, from the dossier's own set) and the papers a return names."""
    texts = {r["number"]: r["text"] for r in (dossier.submission_scorecard or {}).get("results", [])}
    criteria_set = selectors.criteria_set_of(dossier)
    if criteria_set is not None:
        texts.update({c.number: c.text for c in criteria_set.criteria.all()})
    unknown = [n for n in numbers if n not in texts]
    if unknown:
        raise MoveRefused(f"Bộ tiêu chí của hồ sơ không có tiêu chí số {', '.join(map(str, unknown))}.")
    labels = dict(DocumentKind.choices)
    if any(k not in labels for k in kinds):
        raise MoveRefused("Loại tài liệu cần bổ sung không hợp lệ.")
    return {
        "fix_criteria": [{"number": n, "text": texts[n]} for n in sorted(set(numbers))],
        "fix_documents": [labels[k] for k in dict.fromkeys(kinds)],
    }


def _notify_move(dossier: Dossier, move: str, event: DossierEvent, *, sender_role: str) -> None:
    """Tell whoever now has a step to take, whoever sent the dossier to the actor (a recall, an
    acceptance, a return answer them), the commune of an outcome, and on a recall whoever had
    the dossier; the text names the move, the dossier and the reason."""
    actor: Any = event.actor
    who = actor.body.name if actor.body_id else actor.display_name
    text = f"Hồ sơ {dossier.area} {NOTICES.get(move, Move(move).label.lower())} ({who})"
    if event.comment:
        text += f". Lý do: {event.comment}"
    roles = acting_roles(dossier.state, has_council=dossier.has_council)
    if sender_role:
        roles.add(sender_role)
    if move in NOTIFY_COMMUNE:
        roles |= COMMUNE_ROLES
    if move == Move.RECALL:
        roles |= acting_roles(event.from_state, has_council=dossier.has_council)
    _notify(dossier, text, roles=roles - permissions.CO_APPRAISING_ROLES, exclude=actor)


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


criteria_set_of = selectors.criteria_set_of
proposal_date = selectors.proposal_date


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


def _check_ready(
    *, dossier: Dossier, event: DossierEvent, user: Any, day: dt.date, explanation: str = "", **_extra: Any
) -> None:
    """A dossier goes up only with every paper its programme requires; with a score below "đạt"
    only with a written explanation, kept on the dossier and shown to everyone after."""
    ready = selectors.readiness(dossier, day)
    refusals = ready.refusals()
    if refusals:
        raise MoveRefused(" ".join(refusals))
    explanation = (explanation or "").strip()
    if ready.score_passed:
        dossier.shortfall_explanation = ""
        return
    if not explanation:
        raise MoveRefused(
            f"Kết quả chấm điểm hiện tại là “{ready.score_label}”: muốn gửi hồ sơ phải ghi giải trình "
            "vì sao vẫn đề nghị."
        )
    dossier.shortfall_explanation = explanation
    event.details = {**event.details, "explanation": explanation, "score": ready.score_label}


def _check_pass(*, dossier: Dossier, event: DossierEvent, user: Any, day: dt.date, **extra: Any) -> None:
    """A pass needs every criterion met, and a recorded reason when a co-appraising body's latest
    opinion disagrees."""
    _check_appraisal_passes(dossier=dossier, event=event, user=user, day=day, **extra)
    against = [row.body for row in selectors.opinion_summary(dossier) if row.answer == "disagrees"]
    if against and not event.comment:
        raise MoveRefused(
            f"{', '.join(against)} không thống nhất: kết luận đạt phải ghi rõ lý do không theo ý kiến này."
        )
    if against:
        event.details = {**event.details, "against_opinions": against}


def _record_tally(*, dossier: Dossier, event: DossierEvent, **extra: Any) -> None:
    members, agree, against = council_tally(dossier)
    event.details = {**event.details, "tally": {"members": members, "agree": agree, "against": against}}


def _council_pass(*, dossier: Dossier, event: DossierEvent, **extra: Any) -> None:
    _check_council_majority(dossier=dossier, **extra)
    _record_tally(dossier=dossier, event=event)


def one_year_after(day: dt.date) -> dt.date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year + 1, day=28)


def _issue_decision(*, dossier: Dossier, event: DossierEvent, user: Any, day: dt.date, **extra: Any) -> None:
    decided_on = extra.pop("decided_on", None) or day
    issue_signed_decision(dossier=dossier, user=user, decided_on=decided_on, signed_at=event.at, **extra)
    # A recognition carries the date of its first yearly review ("giữ vững").
    dossier.review_due_on = one_year_after(decided_on)


def _issue_revocation(
    *, dossier: Dossier, event: DossierEvent, user: Any, day: dt.date, otp_token: str = "", **extra: Any
) -> None:
    from .revocation import issue_revocation

    proposal = dossier.events.filter(move=Move.PROPOSE_REVOCATION).order_by("-at", "-pk").first()
    issue_revocation(
        dossier=dossier,
        user=user,
        reason=event.comment,
        proposal=proposal,
        decided_on=extra.get("decided_on") or day,
        signed_at=event.at,
        otp_token=otp_token,
    )
    dossier.review_due_on = None


def council_tally(dossier: Dossier) -> tuple[int, int, int]:
    """(members, in favour, against) of the dossier's council."""
    from areas.models import User

    if dossier.council_id is None:
        return 0, 0, 0
    member_ids = set(
        User.objects.filter(is_active=True, role=Role.COUNCIL_MEMBER, body_id=dossier.council_id).values_list(
            "pk", flat=True
        )
    )
    # Only the votes of those who are members now count: a member who left takes their vote along.
    votes = [
        agrees
        for member_id, agrees in dossier.votes.values_list("member_id", "agrees")
        if member_id in member_ids
    ]
    return len(member_ids), sum(1 for v in votes if v), sum(1 for v in votes if not v)


def _check_council_majority(*, dossier: Dossier, **_extra: Any) -> None:
    """The council recommends recognition only when more than half of its members voted for it."""
    members, agree, against = council_tally(dossier)
    if agree * 2 <= members:
        raise MoveRefused(
            f"Chưa đủ quá nửa thành viên Hội đồng đồng ý ({agree}/{members} đồng ý, {against} không đồng ý)."
        )


EFFECTS: dict[str, Callable[..., None]] = {
    Move.SUBMIT: _check_ready,
    Move.RESUBMIT: _check_ready,
    Move.FORWARD: _check_ready,
    Move.APPRAISE_PASS: _check_pass,
    Move.COUNCIL_PASS: _council_pass,
    Move.COUNCIL_FAIL: _record_tally,
    Move.RECOGNISE: _issue_decision,
    Move.REVOKE: _issue_revocation,
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
    answered = OpinionRequest.objects.filter(
        dossier=dossier, body_id=user.body_id, opinion__isnull=True
    ).update(opinion=opinion)
    answer = "thống nhất" if agrees else "không thống nhất"
    _history(
        dossier,
        user,
        "opinion",
        f"{opinion.body_name}: {answer}. {text}",
        details={"agrees": agrees, "answers_request": bool(answered)},
    )
    _notify(
        dossier,
        f"Hồ sơ {dossier.area}: {opinion.body_name} {answer} ({text})",
        roles={Role.APPRAISING_POLICE},
    )
    return opinion


def _history(
    dossier: Dossier, user: Any, move: str, comment: str, *, details: dict | None = None
) -> DossierEvent:
    """An event beside the route's moves (the state stays as it is)."""
    return DossierEvent.objects.create(
        dossier=dossier,
        move=move,
        from_state=dossier.state,
        to_state=dossier.state,
        actor=user,
        actor_role=user.role or "",
        comment=comment,
        details=details or {},
    )


@transaction.atomic
def request_opinions(
    *, dossier_id: int, user: Any, body_ids: Sequence[int], due_on: dt.date, note: str = ""
) -> list[OpinionRequest]:
    """The appraising body asks co-appraising bodies of the dossier's programme for their opinion
    by `due_on`; each sees the request in its inbox. A body already asked and not yet answering
    is not asked twice."""
    if not permissions.has_role(user, permissions.APPRAISING_ROLES):
        raise MoveRefused("Chỉ cơ quan chủ trì thẩm định đề nghị cơ quan phối hợp cho ý kiến.")
    dossier = _locked_visible(dossier_id, user)
    if dossier.state not in OPINION_STATES or not selectors.acts_for(user, dossier, user.role):
        raise MoveRefused("Chỉ đề nghị cho ý kiến khi hồ sơ đang thẩm định tại cơ quan bạn.")
    if not body_ids:
        raise MoveRefused("Hãy chọn ít nhất một cơ quan phối hợp thẩm định.")
    if due_on < timezone.localdate():
        raise MoveRefused("Hạn trả lời không được trước hôm nay.")
    allowed = set(dossier.acting_body_ids(Role.CO_APPRAISER))
    if not set(body_ids) <= allowed:
        raise MoveRefused("Chỉ đề nghị các cơ quan phối hợp thẩm định mà kế hoạch của hồ sơ quy định.")
    waiting = set(
        OpinionRequest.objects.filter(dossier=dossier, opinion__isnull=True).values_list("body_id", flat=True)
    )
    bodies = list(Body.objects.filter(pk__in=set(body_ids) - waiting).order_by("name"))
    if not bodies:
        raise MoveRefused("Các cơ quan đã chọn đang có đề nghị chưa trả lời.")
    note = note.strip()
    requests = [
        OpinionRequest.objects.create(dossier=dossier, body=body, requested_by=user, due_on=due_on, note=note)
        for body in bodies
    ]
    names = ", ".join(b.name for b in bodies)
    _history(
        dossier,
        user,
        "request_opinion",
        f"Đề nghị {names} cho ý kiến trước ngày {due_on:%d/%m/%Y}." + (f" {note}" if note else ""),
        details={"bodies": [b.name for b in bodies], "due_on": due_on.isoformat()},
    )
    from areas.models import User

    recipients = User.objects.filter(is_active=True, role=Role.CO_APPRAISER, body__in=bodies)
    Notification.objects.bulk_create(
        Notification(
            user=recipient,
            dossier=dossier,
            text=f"Hồ sơ {dossier.area}: {user.body.name} đề nghị cho ý kiến phối hợp thẩm định, "
            f"hạn {due_on:%d/%m/%Y}."[:255],
        )
        for recipient in recipients
    )
    return requests


@transaction.atomic
def cast_vote(*, dossier_id: int, user: Any, agrees: bool, comment: str = "") -> CouncilVote:
    """A member of the dossier's council votes (or changes their vote) while it is before the
    council."""
    if not permissions.has_role(user, permissions.COUNCIL_ROLES):
        raise MoveRefused("Chỉ thành viên Hội đồng xét duyệt biểu quyết.")
    dossier = _locked_visible(dossier_id, user)
    if dossier.state not in VOTING_STATES or not selectors.acts_for(user, dossier, user.role):
        raise MoveRefused("Chỉ biểu quyết khi hồ sơ đang trình Hội đồng mà bạn là thành viên.")
    vote, created = CouncilVote.objects.update_or_create(
        dossier=dossier,
        member=user,
        defaults={"agrees": agrees, "comment": comment.strip(), "at": timezone.now()},
    )
    answer = "đồng ý" if agrees else "không đồng ý"
    _history(
        dossier,
        user,
        "vote",
        f"{'Biểu quyết' if created else 'Thay đổi biểu quyết'}: {answer} đề nghị công nhận."
        + (f" {vote.comment}" if vote.comment else ""),
        details={"agrees": agrees},
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


@transaction.atomic
def record_findings(
    *, dossier_id: int, user: Any, rows: Sequence[tuple[int, str, str]]
) -> list[AppraisalFinding]:
    """The appraisal of every criterion in one save: (number, status, reason) rows, all written or
    none. A result other than the computed one needs a reason; the errors name each criterion
    (a ValidationError keyed by its number)."""
    if not permissions.has_role(user, permissions.APPRAISING_ROLES):
        raise MoveRefused("Chỉ cơ quan công an thẩm định ghi kết quả thẩm định từng tiêu chí.")
    dossier = _locked_visible(dossier_id, user)
    if dossier.state not in OPINION_STATES or not selectors.acts_for(user, dossier, user.role):
        raise MoveRefused("Chỉ ghi kết quả thẩm định khi hồ sơ đang thẩm định tại cơ quan bạn.")
    results = {r["number"]: r for r in current_results(dossier)}
    errors: dict[str, str] = {}
    for number, status, reason in rows:
        if number not in results:
            errors[str(number)] = f"Bộ tiêu chí không có tiêu chí số {number}."
        elif status != results[number]["status"] and not reason.strip():
            errors[str(number)] = (
                f"Tiêu chí {number}: kết quả thẩm định khác kết quả tính toán phải ghi rõ lý do."
            )
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    findings = []
    for number, status, reason in rows:
        finding, _ = AppraisalFinding.objects.update_or_create(
            dossier=dossier,
            number=number,
            defaults={
                "criterion_text": results[number]["text"],
                "computed_status": results[number]["status"],
                "status": status,
                "reason": reason.strip(),
                "appraiser": user,
                "at": now,
            },
        )
        findings.append(finding)
    return findings


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


# ---------------------------------------------------------------- the yearly review ("giữ vững")

REVIEW_DAYS = 30


def open_due_reviews(*, as_of: dt.date | None = None) -> list[RecognitionReview]:
    """Open the yearly review of every recognised unit whose review date has come (seed 000, mục
    III.6: "định kỳ hằng năm … rà soát, đánh giá … thẩm định"): the unit is scored, the review
    waits in the appraising body's inbox for its outcome. Idempotent: one review per unit and year,
    a second run opens nothing."""
    as_of = as_of or timezone.localdate()
    due = list(
        Dossier.objects.filter(state=State.RECOGNISED, review_due_on__lte=as_of)
        .exclude(reviews__year=as_of.year)
        .select_related("area", "commune", "programme")
    )
    if not due:
        return []
    cards = score_areas(areas=[d.area for d in due], as_of=as_of)
    opened = []
    for dossier in due:
        card = cards.get(dossier.area_id)
        with transaction.atomic():
            review, created = RecognitionReview.objects.get_or_create(
                dossier=dossier,
                year=as_of.year,
                defaults={
                    "opened_on": as_of,
                    "due_on": as_of + dt.timedelta(days=REVIEW_DAYS),
                    "scorecard": card.to_dict() if card is not None else None,
                },
            )
            if not created:
                continue
            verdict = (
                f"{'đạt' if card.passed else 'chưa đạt'} {card.met_count}/{len(card.results)} tiêu chí"
                if card is not None
                else "chưa chấm được điểm"
            )
            DossierEvent.objects.create(
                dossier=dossier,
                move="review_opened",
                from_state=dossier.state,
                to_state=dossier.state,
                actor=None,  # the schedule opens it, nobody in person
                comment=f"Rà soát năm {as_of.year}, hạn kết luận {review.due_on:%d/%m/%Y}; "
                f"chấm điểm ngày mở: {verdict}.",
                details={"review_id": review.pk},
            )
            _notify(
                dossier,
                f"Hồ sơ {dossier.area}: mở đợt rà soát “giữ vững” năm {as_of.year}, hạn {review.due_on:%d/%m/%Y}.",
                roles={Role.APPRAISING_POLICE, Role.COMMUNE_POLICE, Role.COMMUNE_CHAIR},
            )
            opened.append(review)
    return opened


@removed_if_rolled_back()
@transaction.atomic
def conclude_review(
    *,
    review_id: int,
    user: Any,
    outcome: str,
    note: str,
    files: Sequence[tuple[str, File]] = (),
) -> RecognitionReview:
    """The appraising body records the yearly review's outcome: the unit keeps its recognition
    (its next review a year on), or a revocation is proposed (the route's move, with the note as
    its reason and the files as its evidence)."""
    if not permissions.has_role(user, permissions.APPRAISING_ROLES):
        raise MoveRefused("Chỉ cơ quan chủ trì thẩm định kết luận đợt rà soát.")
    review = (
        RecognitionReview.objects.visible_to(user)
        .select_for_update(of=("self",))
        .select_related("dossier")
        .filter(pk=review_id)
        .first()
    )
    if review is None or not selectors.acts_for(user, review.dossier, user.role):
        raise MoveRefused("Đợt rà soát không thuộc cơ quan bạn.")
    if review.outcome != ReviewOutcome.PENDING:
        raise MoveRefused("Đợt rà soát này đã có kết luận.")
    note = note.strip()
    if not note:
        raise MoveRefused("Hãy ghi nhận xét của đợt rà soát.")
    if outcome == ReviewOutcome.MAINTAINED:
        dossier = _locked_visible(review.dossier_id, user)
        if dossier.state != State.RECOGNISED:
            raise MoveRefused("Đơn vị không còn ở trạng thái đã công nhận.")
        dossier.review_due_on = one_year_after(review.opened_on)
        dossier.save(update_fields=["review_due_on"])
        _history(dossier, user, "review_maintained", f"Rà soát năm {review.year}: giữ vững. {note}")
        _notify(
            dossier,
            f"Hồ sơ {dossier.area}: rà soát năm {review.year} kết luận giữ vững.",
            roles={Role.COMMUNE_POLICE, Role.COMMUNE_CHAIR, Role.DECIDING_CHAIR},
            exclude=user,
        )
    elif outcome == ReviewOutcome.REVOCATION_PROPOSED:
        move(
            dossier_id=review.dossier_id,
            move=Move.PROPOSE_REVOCATION,
            user=user,
            comment=f"Rà soát năm {review.year}: {note}",
            files=files,
        )
    else:
        raise MoveRefused("Kết luận rà soát không hợp lệ.")
    review.outcome = outcome
    review.note = note
    review.concluded_by = user
    review.concluded_at = timezone.now()
    review.save(update_fields=["outcome", "note", "concluded_by", "concluded_at"])
    return review
