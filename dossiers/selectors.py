"""Reads of the route that carry logic: baseline counts, who may act, each user's inbox."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.db.models import Count, Q, QuerySet

from areas import permissions
from areas.models import Area
from areas.permissions import COMMUNE_ROLES, Action, acts_for  # noqa: F401 (the services read it from here)
from criteria.facts import Baseline
from programmes.models import RouteFunction, RouteStep
from subjects.models import CultivationIncident, DrugPoint, PersonStatus, StatusKind

from .models import Dossier, Notification, Registration
from .route import ROLE_FUNCTION, acting_states


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
    """Dossiers waiting for `user`'s role, at the body the user acts for."""
    states = acting_states(user.role)
    if not states or user.area_id is None:
        return Q(pk__in=[])
    if permissions.has_role(user, COMMUNE_ROLES):
        return Q(state__in=states)  # the jurisdiction gate already keeps the user's own commune
    if user.body_id is None:
        return Q(pk__in=[])
    function = ROLE_FUNCTION.get(user.role, "")
    fields: dict[str, str] = {
        RouteFunction.APPRAISE: "appraiser_id",
        RouteFunction.COUNCIL: "council_id",
        RouteFunction.DECIDE: "decider_id",
    }
    field = fields.get(function)
    if field is not None:
        return Q(state__in=states, **{field: user.body_id})
    co_appraised = RouteStep.objects.filter(function=RouteFunction.CO_APPRAISE, body_id=user.body_id).values(
        "programme_id"
    )
    return Q(state__in=states, programme_id__in=co_appraised)


def inbox(user: Any) -> QuerySet[Dossier]:
    """ "Việc cần xử lý": the dossiers on which the user has a step to take, oldest first."""
    return (
        Dossier.objects.visible_to(user)
        .filter(_acting_q(user))
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
