"""Numbers from a body's register of outgoing documents.

`take_number` gives the next number of the body's series for the year, inside the caller's
transaction: the body's row is locked so that two signings of one body wait for each other, and
the unique constraint on (body, year, series, number) refuses a duplicate whatever happens. If the
caller's transaction rolls back, its number was never issued and the next document takes it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction

from areas.models import Body

from .models import SINGLE_SERIES, DocumentKind, OutgoingEntry, reference


def series_for(body: Body, kind: str) -> str:
    """The series a document of `kind` is numbered in: the body's one series, or the kind's own."""
    return kind if body.numbers_per_kind else SINGLE_SERIES


def next_number(*, body: Body, kind: str, year: int) -> int:
    """The number the next document of `kind` would take (shown before signing; not a promise)."""
    last = OutgoingEntry.objects.filter(body=body, year=year, series=series_for(body, kind)).aggregate(
        last=models.Max("number")
    )["last"]
    return (last or 0) + 1


@transaction.atomic
def take_number(
    *,
    body: Body,
    kind: str,
    on: dt.date,
    summary: str,
    by: Any = None,
    document: models.Model | None = None,
    reservation: OutgoingEntry | None = None,
) -> OutgoingEntry:
    """Enter a document in `body`'s register and return its entry (its number is `entry.reference`).

    With `reservation`, the document takes that number typed by hand earlier; otherwise the next
    number of the series. `document`, when given, is linked to the entry (see `attach`)."""
    kind = DocumentKind(kind)
    Body.objects.select_for_update().filter(pk=body.pk).first()
    if reservation is not None:
        entry = OutgoingEntry.objects.select_for_update().get(pk=reservation.pk)
        if entry.body_id != body.pk or entry.year != on.year or entry.series != series_for(body, kind):
            raise ValidationError("Số giữ chỗ này không thuộc sổ của cơ quan, năm và loại văn bản này.")
        if not entry.is_free:
            raise ValidationError(f"Số {entry.reference} đã được dùng cho một văn bản khác.")
        entry.kind, entry.issued_on, entry.summary = kind, on, summary
        entry.save(update_fields=["kind", "issued_on", "summary"])
    else:
        entry = OutgoingEntry.objects.create(
            body=body,
            year=on.year,
            series=series_for(body, kind),
            number=next_number(body=body, kind=kind, year=on.year),
            kind=kind,
            issued_on=on,
            summary=summary,
            created_by=by,
        )
    if document is not None:
        attach(entry, document)
    return entry


def attach(entry: OutgoingEntry, document: models.Model) -> None:
    """Link the issued document to its entry (one entry per document, a constraint)."""
    entry.document_type = ContentType.objects.get_for_model(document)
    entry.document_id = document.pk
    entry.save(update_fields=["document_type", "document_id"])


def reserve_number(
    *, body: Body, kind: str, number: int, on: dt.date, summary: str, by: Any
) -> OutgoingEntry:
    """Enter a number typed by hand (taken in the paper register), so the app never issues it again.

    A number already in the register is refused with its reference, whether it was taken by the
    app or reserved before; the database constraint decides when two people type it at once."""
    kind = DocumentKind(kind)
    if number < 1:
        raise ValidationError({"number": "Số văn bản bắt đầu từ 01."})
    entry = OutgoingEntry(
        body=body,
        year=on.year,
        series=series_for(body, kind),
        number=number,
        kind=kind,
        issued_on=on,
        summary=summary,
        reserved_by_hand=True,
        created_by=by,
    )
    taken = ValidationError(
        {"number": f"Số {reference(number, kind, body.symbol)} năm {on.year} đã có trong sổ văn bản đi."}
    )
    try:
        with transaction.atomic():
            entry.save()
    except IntegrityError as exc:
        raise taken from exc
    return entry
