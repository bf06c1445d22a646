"""The register page: a body's own staff read it and enter numbers typed by hand; nobody reads
another body's register unless they follow its jurisdiction; bad input keeps what was typed."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from registry import services
from registry.models import DocumentKind, OutgoingEntry

URL = reverse("registry:outgoing")


def test_the_chair_reads_the_committee_register(tree, people, login):
    services.take_number(
        body=tree.bodies.district_committee,
        kind=DocumentKind.DECISION,
        on=dt.date.today(),
        summary="Về việc công nhận bản Tả Lèng",
    )
    page = login(people.district_chair).get(URL)
    assert page.status_code == 200
    assert "01/QĐ-UBND" in page.content.decode() and "bản Tả Lèng" in page.content.decode()


def test_a_reserved_number_is_entered_and_a_taken_one_refused_keeping_the_input(tree, people, login):
    client = login(people.district_chair)
    today = dt.date.today()
    form = {"kind": "QĐ", "number": "7", "issued_on": today.strftime("%d/%m/%Y"), "summary": "Số sổ giấy"}
    assert client.post(URL, form).status_code == 302
    assert OutgoingEntry.objects.get(number=7).reserved_by_hand
    again = client.post(URL, {**form, "summary": "Lần thứ hai gõ lại"})
    assert again.status_code == 400
    text = again.content.decode()
    assert f"Số 07/QĐ-UBND năm {today.year} đã có trong sổ văn bản đi." in text
    assert "Lần thứ hai gõ lại" in text


def test_another_body_register_is_not_found(tree, people, login):
    services.take_number(
        body=tree.bodies.city_committee, kind=DocumentKind.DECISION, on=dt.date.today(), summary="Hải Phòng"
    )
    client = login(people.district_chair)
    assert client.get(URL, {"co-quan": tree.bodies.city_committee.pk}).status_code == 404
    assert client.get(URL, {"co-quan": tree.bodies.district_police.pk}).status_code == 404


def test_the_observer_reads_registers_in_the_province_but_cannot_reserve(tree, people, login):
    client = login(people.province)
    assert client.get(URL, {"co-quan": tree.bodies.district_committee.pk}).status_code == 200
    assert client.get(URL, {"co-quan": tree.bodies.city_committee.pk}).status_code == 404
    refused = client.post(
        URL,
        {"kind": "QĐ", "number": "3", "issued_on": "01/02/2026", "summary": "x"},
    )
    assert refused.status_code == 403
    assert not OutgoingEntry.objects.exists()
