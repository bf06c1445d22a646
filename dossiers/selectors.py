"""Reads of the route that carry logic: baseline counts, who may act, each user's inbox."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery

from areas import permissions
from areas.models import Area
from areas.permissions import COMMUNE_ROLES, Action, acts_for  # noqa: F401 (the services read it from here)
from criteria.facts import Baseline
from programmes.models import RouteFunction
from subjects.models import CultivationIncident, DrugPoint, PersonStatus, StatusKind

from .models import Dossier, Notification, OpinionRequest, RecognitionReview, Registration
from .route import ANSWERS_RETURN, OPINION_STATES, RETURNS, ROLE_FUNCTION, State, acting_states


def baseline_counts(*, area: Area, as_of: dt.date) -> dict[str, int]:
    """The register counts of `area` (a village, or a commune over its villages) on `as_of`, in
    three queries: persons by status, drug points not yet eliminated, cultivation not eradicated."""
    in_area = {"person__village__path__startswith": area.path}
    active = Q(start_date__lte=as_of) & (Q(end_date__isnull=True) | Q(end_date__gte=as_of))
    persons = PersonStatus.objects.filter(active, **in_area).aggregate(
        addicts=Count("person", filter=Q(kind=StatusKind.ADDICT), distinct=True),
        users=Count("person", filter=Q(kind=StatusKind.USER), distinct=True),
        addicts_or_users=Count(
            "person", filter=Q(kind__in=[StatusKind.ADDICT, StatusKind.USER]), distinct=True
        ),
        post_rehab=Count("person", filter=Q(kind=StatusKind.POST_REHAB), distinct=True),
        suspected=Count("person", filter=Q(kind=StatusKind.SUSPECTED), distinct=True),
    )
    points = (
        DrugPoint.objects.filter(village__path__startswith=area.path, found_on__lte=as_of)
        .filter(Q(eliminated_on__isnull=True) | Q(eliminated_on__gt=as_of))
        .count()
    )
    cultivation = (
        CultivationIncident.objects.filter(village__path__startswith=area.path, found_on__lte=as_of)
        .filter(Q(eradicated_on__isnull=True) | Q(eradicated_on__gt=as_of))
        .count()
    )
    return {**persons, "points": points, "cultivation": cultivation}


def registration_baselines(area_ids: Sequence[int], as_of: dt.date) -> dict[int, Baseline]:
    """For the criteria engine (`criteria.baselines`): each unit's latest registration on or
    before `as_of`, as the number of addicts and users it had then; one query."""
    found: dict[int, Baseline] = {}
    registrations = (
        Registration.objects.filter(area_id__in=list(area_ids), registered_on__lte=as_of)
        .order_by("area_id", "-registered_on", "-pk")
        .values_list("area_id", "registered_on", "baseline_addicts_or_users")
    )
    for area_id, registered_on, count in registrations:
        found.setdefault(area_id, Baseline(registered_on=registered_on, count=count))
    return found


def acting_body_ids(dossier: Dossier, role: str) -> list[int]:
    return dossier.acting_body_ids(role)


def available_moves(user: Any, dossier: Dossier) -> list[tuple[str, str]]:
    """The moves `user` may take on `dossier` now, as (move, to state): the policy's answer."""
    return permissions.dossier_moves(user, dossier)


def may_give_opinion(user: Any, dossier: Dossier) -> bool:
    return permissions.can(user, Action.GIVE_OPINION, dossier)


def may_vote(user: Any, dossier: Dossier) -> bool:
    return permissions.can(user, Action.VOTE_IN_COUNCIL, dossier)


def may_add_documents(user: Any, dossier: Dossier) -> bool:
    return permissions.can(user, Action.ADD_DOSSIER_DOCUMENTS, dossier)


def _acting_q(user: Any) -> Q:
    """Dossiers waiting for `user`'s role, at the body the user acts for: a step of the route, an
    opinion its body was asked for, a yearly review open at the appraising body."""
    states = acting_states(user.role)
    if not states or user.area_id is None:
        return Q(pk__in=[])
    if permissions.has_role(user, COMMUNE_ROLES):
        return Q(state__in=states)  # the jurisdiction gate already keeps the user's own commune
    if user.body_id is None:
        return Q(pk__in=[])
    if permissions.has_role(user, permissions.CO_APPRAISING_ROLES):
        asked = OpinionRequest.objects.filter(
            dossier=OuterRef("pk"), body_id=user.body_id, opinion__isnull=True
        )
        return Q(Exists(asked), state__in=OPINION_STATES)
    function = ROLE_FUNCTION.get(user.role, "")
    fields: dict[str, str] = {
        RouteFunction.APPRAISE: "appraiser_id",
        RouteFunction.COUNCIL: "council_id",
        RouteFunction.DECIDE: "decider_id",
    }
    field_name = fields.get(function)
    if field_name is None:
        return Q(pk__in=[])
    waiting = Q(state__in=states, **{field_name: user.body_id})
    if function == RouteFunction.APPRAISE:
        reviewing = RecognitionReview.objects.filter(dossier=OuterRef("pk"), outcome="pending")
        waiting |= Q(Exists(reviewing), state=State.RECOGNISED, appraiser_id=user.body_id)
    return waiting


def inbox(user: Any) -> QuerySet[Dossier]:
    """ "Việc cần xử lý": the dossiers on which the user's body must act, oldest first, each with
    the due date of the opinion its body was asked for (`opinion_due`), if any."""
    asked_due = OpinionRequest.objects.filter(
        dossier=OuterRef("pk"), body_id=user.body_id, opinion__isnull=True
    ).values("due_on")[:1]
    review_due = RecognitionReview.objects.filter(dossier=OuterRef("pk"), outcome="pending").values("due_on")[
        :1
    ]
    dossiers: QuerySet[Dossier] = Dossier.objects.visible_to(user)
    return (
        dossiers.filter(_acting_q(user))
        .annotate(opinion_due=Subquery(asked_due), review_due=Subquery(review_due))
        .select_related("area", "commune", "programme", "appraiser", "decider")
        .prefetch_related("programme__route_steps")
        .order_by("state_since")
    )


def dossier_list(user: Any, *, state: str = "") -> QuerySet[Dossier]:
    dossiers = (
        Dossier.objects.visible_to(user)
        .select_related(
            "area", "commune", "appraiser", "decider", "registration__phase__programme", "decision"
        )
        .prefetch_related("programme__route_steps")
    )
    if state:
        dossiers = dossiers.filter(state=state)
    return dossiers.order_by("commune__name", "area__name")


def unread_notifications(user: Any) -> QuerySet[Notification]:
    return Notification.objects.filter(user=user, read=False).select_related("dossier__area")


def all_notifications(user: Any) -> QuerySet[Notification]:
    return Notification.objects.filter(user=user).select_related("dossier__area")


# ---------------------------------------------------------------- readiness before a dossier goes up


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


def components_present(dossier: Dossier) -> dict[str, list[Any]]:
    """The papers the dossier holds, by kind (two queries): the documents uploaded, and the papers
    the app generated and finalised (`papers`), each counted for the kind it stands for. The one
    place that says what counts as present."""
    from papers.selectors import finalised_papers_by_component

    present: dict[str, list[Any]] = {}
    for document in dossier.documents.order_by("uploaded_at", "pk"):
        present.setdefault(document.kind, []).append(document)
    for kind, papers in finalised_papers_by_component(dossier).items():
        present.setdefault(kind, []).extend(papers)
    return present


@dataclass
class Component:
    kind: str
    label: str
    note: str
    documents: list[Any]  # uploaded documents and finalised papers

    @property
    def present(self) -> bool:
        return bool(self.documents)


@dataclass
class Attestation:
    number: int
    text: str
    officer: str
    attested_on: dt.date
    valid_until: dt.date | None
    expired: bool


@dataclass
class Readiness:
    """What the programme requires of the dossier before it goes up, and where it stands."""

    components: list[Component]
    scorecard: Any  # criteria.scoring.Scorecard
    attestations: list[Attestation] = field(default_factory=list)

    @property
    def missing(self) -> list[Component]:
        return [c for c in self.components if not c.present]

    @property
    def ready(self) -> bool:
        return not self.missing

    @property
    def score_passed(self) -> bool:
        return bool(self.scorecard.passed)

    @property
    def score_label(self) -> str:
        card = self.scorecard
        verdict = "Đạt" if card.passed else "Chưa đạt"
        return f"{verdict} · {card.met_count}/{len(card.results)}"

    def refusals(self) -> list[str]:
        """Why the dossier may not go up (empty: it may)."""
        if not self.missing:
            return []
        names = ", ".join(c.label.lower() for c in self.missing)
        return [f"Hồ sơ còn thiếu thành phần bắt buộc theo kế hoạch: {names}."]


def readiness(dossier: Dossier, day: dt.date | None = None) -> Readiness:
    """The readiness panel: the programme's required papers (present or missing), the unit's score
    today (against a new proposal while the commune holds the dossier, against the frozen one after)
    and the attestations that settle criteria, with the day each stops being valid."""
    from django.utils import timezone

    from criteria.services import score_area

    day = day or timezone.localdate()
    level = dossier.area.level
    required = [c for c in dossier.programme.required_components.all() if c.unit_level == level]
    present = components_present(dossier)
    components = [
        Component(
            kind=c.kind,
            label=c.get_kind_display(),
            note=c.note,
            documents=present.get(c.kind, []),
        )
        for c in required
    ]
    proposing = dossier.state in (State.DRAFT, State.RETURNED)
    card = score_area(
        area=dossier.area,
        as_of=day,
        criteria_set=criteria_set_of(dossier),
        proposal_date=day if proposing else proposal_date(dossier),
    )
    attestations = [
        Attestation(
            number=r.number,
            text=r.text,
            officer=r.evidence.officer,
            attested_on=r.evidence.attested_date,
            valid_until=r.evidence.valid_until_date,
            expired=r.evidence.expired,
        )
        for r in card.results
        if r.evidence is not None
    ]
    return Readiness(components=components, scorecard=card, attestations=attestations)


# ---------------------------------------------------------------- returns and opinions


@dataclass
class Return:
    """The last return (or refusal) of a dossier, shown at its top until it is sent on again."""

    move_label: str
    actor: str
    body: str
    at: dt.datetime
    reason: str
    criteria: list[dict]
    documents: list[str]


def open_return(dossier: Dossier, events: Sequence[Any]) -> Return | None:
    """The latest return in `events` (the dossier's history, oldest first) that no later
    submission or conclusion has answered."""
    for event in reversed(list(events)):
        if event.move in ANSWERS_RETURN:
            return None
        if event.move in RETURNS:
            details = event.details or {}
            actor = event.actor
            return Return(
                move_label=event.move_label,
                actor=actor.display_name,
                body=actor.body.name if actor.body_id else (actor.area.name if actor.area_id else ""),
                at=event.at,
                reason=event.comment,
                criteria=details.get("fix_criteria", []),
                documents=details.get("fix_documents", []),
            )
    return None


@dataclass
class OpinionStatus:
    body: str
    requested: OpinionRequest | None
    answer: str  # "agrees", "disagrees" or "" (no answer)
    text: str
    at: dt.datetime | None


def opinion_summary(dossier: Dossier) -> list[OpinionStatus]:
    """Each co-appraising body asked or answering: whether it agreed, disagreed or did not answer
    (its latest opinion counts). Two queries."""
    latest: dict[int | None, Any] = {}
    for given in dossier.opinions.select_related("body").order_by("at", "pk"):
        latest[given.body_id] = given
    requests: dict[int, OpinionRequest] = {}
    for asked in dossier.opinion_requests.select_related("body").order_by("requested_at", "pk"):
        requests[asked.body_id] = asked
    rows = []
    for body_id in dict.fromkeys([*requests, *latest]):
        opinion: Any = latest.get(body_id)
        request: OpinionRequest | None = requests.get(body_id) if body_id is not None else None
        name = opinion.body_name if opinion is not None else request.body.name if request else ""
        rows.append(
            OpinionStatus(
                body=name,
                requested=request,
                answer=("agrees" if opinion.agrees else "disagrees") if opinion is not None else "",
                text=opinion.text if opinion is not None else "",
                at=opinion.at if opinion is not None else None,
            )
        )
    return rows


def open_opinion_requests(user: Any) -> QuerySet[OpinionRequest]:
    """The requests for an opinion addressed to the user's body and not yet answered."""
    if not permissions.has_role(user, permissions.CO_APPRAISING_ROLES) or user.body_id is None:
        return OpinionRequest.objects.none()
    return (
        OpinionRequest.objects.visible_to(user)
        .filter(body_id=user.body_id, opinion__isnull=True, dossier__state__in=OPINION_STATES)
        .select_related("dossier__area", "dossier__commune")
        .order_by("due_on", "pk")
    )


def open_review(dossier: Dossier) -> RecognitionReview | None:
    return dossier.reviews.filter(outcome="pending").first()
