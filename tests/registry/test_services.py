"""The register of outgoing documents: numbers per body and year from 01, one series or one per
kind, never reused, reservations typed by hand."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from registry import services
from registry.models import DocumentKind, OutgoingEntry

DAY = dt.date(2026, 3, 2)


def take(body, kind=DocumentKind.DECISION, on=DAY):
    return services.take_number(body=body, kind=kind, on=on, summary="Về việc công nhận bản không ma túy")


def test_numbers_run_from_one_per_body_and_year(tree):
    committee = tree.bodies.district_committee
    assert [take(committee).reference for _ in range(3)] == ["01/QĐ-UBND", "02/QĐ-UBND", "03/QĐ-UBND"]
    assert take(tree.bodies.city_committee).reference == "01/QĐ-UBND"
    assert take(committee, on=dt.date(2027, 1, 2)).reference == "01/QĐ-UBND"


def test_one_series_for_every_kind_unless_the_body_numbers_per_kind(tree):
    police = tree.bodies.district_police
    assert take(police, DocumentKind.SUBMISSION).reference == "01/TTr-CAH"
    assert take(police, DocumentKind.MINUTES).reference == "02/BB-CAH"
    police.numbers_per_kind = True
    police.save()
    assert take(police, DocumentKind.REPORT).reference == "01/BC-CAH"
    assert take(police, DocumentKind.REPORT).reference == "02/BC-CAH"
    assert take(police, DocumentKind.SUBMISSION).reference == "01/TTr-CAH"


def test_a_number_typed_by_hand_is_never_issued_again(tree, people):
    committee = tree.bodies.district_committee
    take(committee)
    reserved = services.reserve_number(
        body=committee,
        kind=DocumentKind.DECISION,
        number=2,
        on=DAY,
        summary="Số lấy ở sổ giấy",
        by=people.district_chair,
    )
    assert reserved.reserved_by_hand and reserved.is_free
    assert take(committee).reference == "03/QĐ-UBND"
    with pytest.raises(ValidationError) as refused:
        services.reserve_number(
            body=committee,
            kind=DocumentKind.DECISION,
            number=3,
            on=DAY,
            summary="Trùng",
            by=people.district_chair,
        )
    assert refused.value.message_dict["number"] == ["Số 03/QĐ-UBND năm 2026 đã có trong sổ văn bản đi."]


def test_a_document_takes_a_reserved_number_once(tree, people):
    committee = tree.bodies.district_committee
    reserved = services.reserve_number(
        body=committee,
        kind=DocumentKind.DECISION,
        number=215,
        on=DAY,
        summary="Giữ số",
        by=people.district_chair,
    )
    document = people.district_chair  # any saved model stands for the issued document
    entry = services.take_number(
        body=committee,
        kind=DocumentKind.DECISION,
        on=DAY,
        summary="Công nhận",
        document=document,
        reservation=reserved,
    )
    assert entry.pk == reserved.pk and entry.reference == "215/QĐ-UBND" and not entry.is_free
    with pytest.raises(ValidationError, match="đã được dùng"):
        services.take_number(
            body=committee, kind=DocumentKind.DECISION, on=DAY, summary="Lần hai", reservation=reserved
        )
    with pytest.raises(ValidationError, match="không thuộc sổ"):
        other = services.reserve_number(
            body=tree.bodies.city_committee,
            kind=DocumentKind.DECISION,
            number=9,
            on=DAY,
            summary="x",
            by=people.city_chair,
        )
        services.take_number(
            body=committee, kind=DocumentKind.DECISION, on=DAY, summary="x", reservation=other
        )


def test_the_database_refuses_a_duplicate_number(tree):
    entry = take(tree.bodies.district_committee)
    with pytest.raises(IntegrityError), transaction.atomic():
        OutgoingEntry.objects.create(
            body=entry.body,
            year=entry.year,
            series=entry.series,
            number=entry.number,
            kind=entry.kind,
            issued_on=DAY,
            summary="Trùng số",
        )


def test_a_number_taken_in_a_rolled_back_transaction_is_given_again(tree):
    committee = tree.bodies.district_committee
    with pytest.raises(RuntimeError), transaction.atomic():
        take(committee)
        raise RuntimeError("the signing failed after the number was taken")
    assert take(committee).reference == "01/QĐ-UBND"
