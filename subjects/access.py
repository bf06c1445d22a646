"""Writing the access log: every read of a person's record, every page naming persons, and
every export."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from areas.models import Area
from config.client_ip import client_ip

from .models import AccessAction, AccessLog


def log_area(user: Any) -> Area | None:
    """The unit a list, a page naming persons or an export is logged against: the user's own (a
    superuser has none, so the first top unit)."""
    return user.area or Area.objects.filter(parent__isnull=True).order_by("pk").first()


def log_person_read(
    request: HttpRequest,
    *,
    object_type: str,
    description: str,
    area: Area | None = None,
    object_id: int | None = None,
    action: AccessAction | str = AccessAction.VIEW,
) -> AccessLog | None:
    """Record that the page answering `request` names persons: one row per request whatever the
    number of persons (a second call in the same request writes nothing more). `area` defaults
    to the user's own unit."""
    if getattr(request, "_person_read_logged", False):
        return None
    area = area or log_area(request.user)
    if area is None:
        return None
    request._person_read_logged = True  # type: ignore[attr-defined]
    return log_access(
        request=request,
        action=action,
        object_type=object_type,
        object_id=object_id,
        area=area,
        description=description,
    )


def log_access(
    *,
    request: HttpRequest,
    action: AccessAction | str,
    object_type: str,
    area: Area,
    object_id: int | None = None,
    description: str = "",
    user: Any = None,
) -> AccessLog:
    """Record that the requesting user read or exported something of `area`.

    `description` must not carry personal data (no names, ID numbers): say what kind of list or
    record and how many rows, and give the record's id in `object_id`."""
    return AccessLog.objects.create(
        user=user or request.user,
        action=action,
        object_type=object_type,
        object_id=object_id,
        description=description[:255],
        ip_address=client_ip(request),
        area=area,
    )


def log_scorecard_read(request: HttpRequest, cards: Any, *, area: Area, object_type: str) -> AccessLog | None:
    """A page showing scorecards (`criteria.scoring.Scorecard`, live or frozen) names the persons
    among their failing records: log it, once for the request, when it does."""
    named = {
        record.pk
        for card in cards
        if card is not None
        for result in card.results
        for record in result.failing
        if record.model == "person"
    }
    if not named:
        return None
    return log_person_read(
        request,
        object_type=object_type,
        object_id=area.pk,
        area=area,
        description=f"Đánh giá tiêu chí: nêu tên {len(named)} đối tượng",
    )
