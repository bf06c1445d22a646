"""The reads of the exchange API and the bulk export: for each kind, the records a principal may
see (always `visible_to`, the gate of the pages), each with the moment it last changed (`sync_at`),
ordered by (sync_at, id) for cursor pagination and incremental sync.

`sync_at` is the record's own `updated_at`, except where a record is shown with others: a person
changes when one of their statuses is added, changed or deleted (the statuses' history), a dossier
when an event of its route is written.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.db.models import F, Max, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone

from areas.models import Area
from dossiers.models import Decision, Dossier, DossierEvent
from subjects.models import DrugTest, ManagementFile, Person, PersonStatus, Treatment

from . import shapes


class BadParameter(ValueError):
    """A query parameter the API refuses (400, with this message in Vietnamese)."""


class BadCursor(BadParameter):
    """A cursor this API did not give out."""


def encode_cursor(sync_at: dt.datetime, pk: int) -> str:
    raw = f"{sync_at.isoformat()}|{pk}".encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[dt.datetime, int]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        stamp, pk = raw.rsplit("|", 1)
        moment = dt.datetime.fromisoformat(stamp)
        if timezone.is_naive(moment):
            raise ValueError
        # In UTC, as the API wrote it: a forged offset beyond ±15:59 would not reach PostgreSQL.
        return moment.astimezone(dt.UTC), int(pk)
    except (ValueError, OverflowError, binascii.Error, UnicodeDecodeError) as exc:
        raise BadCursor(
            "Con trỏ trang (cursor) không hợp lệ: dùng đúng giá trị next_cursor API đã trả về."
        ) from exc


def _max_of(model: Any, fk: str, field: str) -> Subquery:
    """The latest `field` among the rows of `model` pointing (by `fk`) at the outer row."""
    return Subquery(
        model.objects.filter(**{fk: OuterRef("pk")})
        .order_by()
        .values(fk)
        .annotate(latest=Max(field))
        .values("latest")[:1],
        output_field=models.DateTimeField(),
    )


def _units(principal: Any) -> models.QuerySet:
    return Area.objects.visible_to(principal).annotate(sync_at=F("updated_at"))


def _persons(principal: Any) -> models.QuerySet:
    history = PersonStatus.history.model
    own = F("updated_at")
    return (
        Person.objects.visible_to(principal)
        .annotate(
            sync_at=Greatest(
                own,
                Coalesce(_max_of(PersonStatus, "person", "updated_at"), own),
                # the statuses' history also holds the deletions
                Coalesce(_max_of(history, "person_id", "history_date"), own),
            )
        )
        .prefetch_related(
            models.Prefetch("statuses", queryset=PersonStatus.objects.order_by("start_date", "pk"))
        )
    )


def _plain(model: Any) -> Callable[[Any], models.QuerySet]:
    def queryset(principal: Any) -> models.QuerySet:
        return model.objects.visible_to(principal).annotate(sync_at=F("updated_at"))

    return queryset


def _dossiers(principal: Any) -> models.QuerySet:
    return (
        Dossier.objects.visible_to(principal)
        .select_related("programme", "appraiser", "decider", "registration", "decision")
        .annotate(
            sync_at=Greatest(
                F("state_since"),
                F("created_at"),
                Coalesce(_max_of(DossierEvent, "dossier", "at"), F("created_at")),
            )
        )
    )


def _decisions(principal: Any) -> models.QuerySet:
    return (
        Decision.objects.visible_to(principal)
        .select_related("dossier", "issuer")
        .annotate(sync_at=F("signed_at"))
    )


@dataclass(frozen=True)
class Kind:
    """One kind of record other systems read: its name (the API path and the export's file), the
    records a principal may see, and its shape."""

    name: str
    title: str
    queryset: Callable[[Any], models.QuerySet]
    shape: Callable[..., dict[str, Any]]


KINDS: dict[str, Kind] = {
    kind.name: kind
    for kind in (
        Kind("units", "Đơn vị hành chính", _units, shapes.unit),
        Kind("persons", "Đối tượng và diện quản lý", _persons, shapes.person),
        Kind("management-files", "Hồ sơ quản lý", _plain(ManagementFile), shapes.management_file),
        Kind("treatments", "Cai nghiện, điều trị", _plain(Treatment), shapes.treatment),
        Kind("drug-tests", "Xét nghiệm chất ma túy", _plain(DrugTest), shapes.drug_test),
        Kind("dossiers", "Hồ sơ đề nghị công nhận", _dossiers, shapes.dossier),
        Kind("decisions", "Quyết định công nhận", _decisions, shapes.decision),
    )
}


def records(
    kind: Kind,
    principal: Any,
    *,
    updated_since: dt.datetime | None = None,
    after: tuple[dt.datetime, int] | None = None,
) -> models.QuerySet:
    """The records of `kind` the principal may see, changed at or after `updated_since`, after the
    cursor position `after`, in (sync_at, id) order."""
    queryset = kind.queryset(principal)
    if updated_since is not None:
        queryset = queryset.filter(sync_at__gte=updated_since)
    if after is not None:
        moment, pk = after
        queryset = queryset.filter(Q(sync_at__gt=moment) | Q(sync_at=moment, pk__gt=pk))
    return queryset.order_by("sync_at", "pk")


@dataclass
class Page:
    rows: list[Any]
    next_cursor: str | None


def page(
    kind: Kind,
    principal: Any,
    *,
    limit: int,
    cursor: str | None = None,
    updated_since: dt.datetime | None = None,
) -> Page:
    """One page of `kind`: at most `limit` rows and the cursor of the next page (None at the end)."""
    after = decode_cursor(cursor) if cursor else None
    rows = list(records(kind, principal, updated_since=updated_since, after=after)[: limit + 1])
    more = len(rows) > limit
    rows = rows[:limit]
    next_cursor = encode_cursor(rows[-1].sync_at, rows[-1].pk) if more and rows else None
    return Page(rows=rows, next_cursor=next_cursor)


def scorable_units(principal: Any, level: str | None = None) -> models.QuerySet:
    """The villages and communes in reach whose scorecards the API serves, in id order."""
    levels = [level] if level else ["village", "commune"]
    return Area.objects.visible_to(principal).filter(level__in=levels).order_by("pk")


def encode_unit_cursor(pk: int) -> str:
    return base64.urlsafe_b64encode(f"unit|{pk}".encode()).decode().rstrip("=")


def decode_unit_cursor(cursor: str) -> int:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        tag, pk = raw.split("|", 1)
        if tag != "unit":
            raise ValueError
        return int(pk)
    except (ValueError, binascii.Error, UnicodeDecodeError) as exc:
        raise BadCursor(
            "Con trỏ trang (cursor) không hợp lệ: dùng đúng giá trị next_cursor API đã trả về."
        ) from exc
