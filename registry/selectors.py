"""Reads of the registers of outgoing documents."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from areas.models import Body

from .models import OutgoingEntry
from .services import series_for


def registers_visible_to(user: Any) -> QuerySet[Body]:
    """The bodies whose registers `user` may read: their own body and the bodies in their reach."""
    return Body.objects.visible_to(user).order_by("area__path", "kind", "name")


def entries_of(body: Body, year: int) -> QuerySet[OutgoingEntry]:
    return (
        OutgoingEntry.objects.filter(body=body, year=year)
        .select_related("body", "created_by", "document_type")
        .order_by("series", "-number")
    )


def free_reservations(*, body: Body, kind: str, year: int) -> QuerySet[OutgoingEntry]:
    """Numbers typed by hand that no document has used yet, offered when a document is issued."""
    return OutgoingEntry.objects.filter(
        body=body, year=year, series=series_for(body, kind), document_id__isnull=True
    ).order_by("number")
