"""A CCCD number held outside the user's jurisdiction is never revealed: the person form answers
the same for it as for an unused number, and a collision becomes a transfer request
(chuyển quản lý) that the lowest body above both communes decides."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from subjects import models as m
from subjects import services
from tests.factories import DrugTestFactory, PersonFactory

HELD = "001090001234"
UNUSED = "001090009999"


@pytest.fixture(autouse=True)
def _fresh_quota(settings):
    from django.core.cache import cache

    cache.clear()
    settings.CCCD_LOOKUPS_PER_HOUR = 60


@pytest.fixture
def held(tree):
    """A Hoang Thèn person (Lai Châu) with a test on record."""
    person = PersonFactory(full_name="Nguyễn Văn Ánh", cccd=HELD, village=tree.ta_leng)
    DrugTestFactory(person=person)
    return person


def person_data(village, cccd, **extra):
    data = {
        "full_name": "Lò Văn Dũng",
        "birth_date": "1995-05-12",
        "sex": "male",
        "cccd": cccd,
        "village": village.pk,
        "residence_type": "permanent",
        "resident_since": "2024-05-12",
        "presence": "present",
    }
    data.update(extra)
    return data


def _without_tokens(html: str) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)


@pytest.mark.parametrize("persona", ["tanan_police", "other_police"])
def test_an_invalid_person_form_answers_the_same_for_a_held_and_an_unused_number(
    persona, held, tree, people, login
):
    user = getattr(people, persona)
    village = tree.trai_mua if persona == "tanan_police" else tree.co_muong
    client = login(user)
    answers = []
    for number in (HELD, UNUSED):
        response = client.post(reverse("subjects:person_create"), person_data(village, number, sex="robot"))
        assert response.status_code == 200
        answers.append(_without_tokens(response.content.decode()).replace(number, "NUMBER"))
    assert answers[0] == answers[1]
    assert "đã có trong sổ theo dõi" not in answers[0]


def test_a_held_number_inside_the_jurisdiction_is_a_duplicate_the_officer_is_told_of(
    held, tree, people, login
):
    response = login(people.commune_police).post(
        reverse("subjects:person_create"), person_data(tree.ho_sao, HELD)
    )
    assert response.status_code == 200
    assert "Số CCCD này đã có trong sổ theo dõi." in response.content.decode()
    assert m.Person.objects.count() == 1


def test_the_transfer_page_answers_the_same_whether_or_not_the_number_is_held(held, tree, people, login):
    client = login(people.other_police)
    answers = []
    for number in (HELD, UNUSED):
        data = {"cccd": number, "village": tree.co_muong.pk, "reason": "Chuyển đến từ 01/2025"}
        response = client.post(reverse("subjects:transfers"), data, follow=True)
        assert response.redirect_chain == [(reverse("subjects:transfers"), 302)]
        messages = [str(message) for message in response.context["messages"]]
        answers.append(messages)
    assert answers[0] == answers[1] == [services.TRANSFER_SENT_MESSAGE]
    page = client.get(reverse("subjects:transfers")).content.decode()
    assert "Nguyễn Văn Ánh" not in page and "Bản Tả Lèng" not in page and "Hoang Thèn" not in page
    assert page.count("Đang chờ xử lý") == 2


def test_a_valid_person_form_with_a_number_held_elsewhere_sends_a_transfer_request(held, tree, people, login):
    client = login(people.other_police)
    response = client.post(reverse("subjects:person_create"), person_data(tree.co_muong, HELD), follow=True)
    assert response.redirect_chain[-1][0] == reverse("subjects:transfers")
    assert services.TRANSFER_SENT_MESSAGE in response.content.decode()
    assert "Nguyễn Văn Ánh" not in response.content.decode()
    transfer = m.TransferRequest.objects.get()
    assert (transfer.person, transfer.deciding_body, transfer.village) == (
        held,
        tree.phong_tho,
        tree.co_muong,
    )
    assert m.Person.objects.count() == 1


def test_the_district_accepts_and_the_record_moves_with_its_history(held, tree, people, login):
    login(people.other_police).post(
        reverse("subjects:transfers"), {"cccd": HELD, "village": tree.co_muong.pk, "reason": "Chuyển đến"}
    )
    transfer = m.TransferRequest.objects.get()
    versions_before = held.history.count()
    client = login(people.district_police)
    inbox = client.get(reverse("subjects:transfers"))
    assert "Nguyễn Văn Ánh" in inbox.content.decode()
    assert m.AccessLog.objects.filter(user=people.district_police, object_type="transferrequest").count() == 1
    client.post(reverse("subjects:transfer_decide", args=[transfer.pk]), {"accept": "1", "note": ""})
    held.refresh_from_db()
    transfer.refresh_from_db()
    assert held.village == tree.co_muong
    assert transfer.status == m.TransferStatus.ACCEPTED and transfer.decided_by == people.district_police
    assert held.history.count() == versions_before + 1
    assert held.tests.count() == 1
    # The new commune now keeps the record; the old one no longer reaches it.
    assert (
        login(people.other_police).get(reverse("subjects:person_detail", args=[held.pk])).status_code == 200
    )
    assert (
        login(people.commune_police).get(reverse("subjects:person_detail", args=[held.pk])).status_code == 404
    )


def test_refusing_needs_a_reason_and_moves_nothing(held, tree, people, login):
    login(people.other_police).post(
        reverse("subjects:transfers"), {"cccd": HELD, "village": tree.co_muong.pk, "reason": "Chuyển đến"}
    )
    transfer = m.TransferRequest.objects.get()
    client = login(people.district_police)
    client.post(reverse("subjects:transfer_decide", args=[transfer.pk]), {"accept": "0", "note": ""})
    transfer.refresh_from_db()
    assert transfer.status == m.TransferStatus.PENDING
    client.post(
        reverse("subjects:transfer_decide", args=[transfer.pk]), {"accept": "0", "note": "Chưa đủ giấy tờ"}
    )
    transfer.refresh_from_db()
    held.refresh_from_db()
    assert transfer.status == m.TransferStatus.REFUSED and held.village == tree.ta_leng
    page = login(people.other_police).get(reverse("subjects:transfers")).content.decode()
    assert "Không chấp nhận" in page and "Chưa đủ giấy tờ" in page


@pytest.mark.parametrize(
    "persona", ["commune_police", "tanan_police", "city_police", "province", "district_chair"]
)
def test_outsiders_neither_see_nor_decide_a_request(persona, held, tree, people, login):
    login(people.other_police).post(
        reverse("subjects:transfers"), {"cccd": HELD, "village": tree.co_muong.pk, "reason": "Chuyển đến"}
    )
    transfer = m.TransferRequest.objects.get()
    client = login(getattr(people, persona))
    page = client.get(reverse("subjects:transfers"))
    assert page.status_code in (200, 403)
    assert HELD not in page.content.decode()
    response = client.post(reverse("subjects:transfer_decide", args=[transfer.pk]), {"accept": "1"})
    assert response.status_code in (403, 404)
    transfer.refresh_from_db()
    held.refresh_from_db()
    assert transfer.status == m.TransferStatus.PENDING and held.village == tree.ta_leng


def test_post_2025_the_province_decides_between_its_communes(tree, people, login):
    from tests.factories import AreaFactory

    other = AreaFactory(level="commune", kind="xã", name="Xã Tân Bình", parent=tree.hai_phong)
    other_village = AreaFactory(level="village", kind="thôn", name="Thôn Một", parent=other)
    PersonFactory(cccd=HELD, village=other_village)
    login(people.tanan_police).post(
        reverse("subjects:transfers"), {"cccd": HELD, "village": tree.trai_mua.pk, "reason": "Chuyển đến"}
    )
    assert m.TransferRequest.objects.get().deciding_body == tree.hai_phong


def test_every_lookup_is_logged_without_the_number(held, tree, people, login):
    client = login(people.other_police)
    client.post(reverse("subjects:transfers"), {"cccd": UNUSED, "village": tree.co_muong.pk, "reason": "x"})
    client.post(reverse("subjects:person_create"), person_data(tree.co_muong, HELD))
    rows = m.AccessLog.objects.filter(user=people.other_police, object_type="cccd_lookup")
    assert rows.count() == 2
    assert not any(HELD in r.description or UNUSED in r.description for r in rows)


def test_lookups_are_rate_limited_with_a_vietnamese_message(held, tree, people, login, settings):
    settings.CCCD_LOOKUPS_PER_HOUR = 2
    client = login(people.other_police)
    for number in ("001090000001", "001090000002"):
        client.post(
            reverse("subjects:transfers"), {"cccd": number, "village": tree.co_muong.pk, "reason": "x"}
        )
    response = client.post(
        reverse("subjects:transfers"), {"cccd": HELD, "village": tree.co_muong.pk, "reason": "x"}
    )
    assert response.status_code == 400
    assert "quá 2 lần trong một giờ" in response.content.decode()
    assert m.TransferRequest.objects.count() == 2


def test_the_import_preview_answers_the_same_for_a_held_and_an_unused_number_and_a_collision_becomes_a_request(
    held, tree, people, login, settings, tmp_path
):
    """Issue 12 #2, the import side: a number held in another province is previewed exactly as
    an unused one; on confirmation it becomes a transfer request, not a duplicate; the lookup is
    logged once for the file."""
    from tests.subjects.test_excel import PERSON_HEADERS, person_row, xlsx

    settings.MEDIA_ROOT = tmp_path
    client = login(people.tanan_police)

    def preview(cccd: str):
        content = xlsx(PERSON_HEADERS, [person_row("Lò Văn Dũng", cccd=cccd, village="Thôn Trại Mũa")])
        return client.post(
            reverse("subjects:import_start"),
            {"kind": "persons", "file": SimpleUploadedFile("danh-sach.xlsx", content.getvalue())},
        )

    unused_page = preview(UNUSED)
    held_page = preview(HELD)  # the session keeps the latest upload: this one is confirmed below
    assert held_page.status_code == unused_page.status_code == 200
    assert held_page.context["check"].problems == unused_page.context["check"].problems == []
    logged = m.AccessLog.objects.filter(object_type="cccd_lookup", user=people.tanan_police)
    assert logged.count() == 2 and not any(HELD in (row.description or "") for row in logged)

    confirmed = client.post(reverse("subjects:import_confirm"), {"token": held_page.context["token"]})
    assert confirmed.status_code == 302
    assert m.Person.objects.filter(cccd=HELD).count() == 1  # no second person, no 500
    transfer = m.TransferRequest.objects.get(cccd=HELD)
    assert transfer.village == tree.trai_mua and transfer.person == held
    assert "yêu cầu tiếp nhận" in client.get(confirmed.url).content.decode()
