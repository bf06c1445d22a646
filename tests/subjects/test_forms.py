"""Bad input on the register forms (subjects/forms.py, through the pages): a clear Vietnamese
message, and the form comes back with what was typed."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from subjects import models as m
from subjects.forms import PersonForm
from tests import factories as f


def person_data(tree, **overrides):
    data = {
        "full_name": "Giàng A Páo",
        "birth_date": "1992-04-03",
        "sex": "male",
        "cccd": "012092000111",
        "village": tree.ta_leng.pk,
        "address": "Nhà số 7",
        "residence_type": "permanent",
        "resident_since": "2000-01-01",
        "presence": "present",
        "note": "",
    }
    data.update(overrides)
    return data


def post_person(client, tree, **overrides):
    return client.post(reverse("subjects:person_create"), person_data(tree, **overrides))


def test_cccd_must_be_12_digits_and_the_form_keeps_what_was_typed(tree, people, login):
    response = post_person(login(people.commune_police), tree, cccd="01209200011")
    assert response.status_code == 200
    assert response.context["form"].errors["cccd"] == ["Số CCCD phải gồm đúng 12 chữ số."]
    body = response.content.decode()
    assert 'value="01209200011"' in body and 'value="Giàng A Páo"' in body and 'value="Nhà số 7"' in body
    assert not m.Person.objects.exists()


def test_cccd_must_be_unique(tree, people, login):
    f.PersonFactory(village=tree.ho_sao, cccd="012092000111")
    response = post_person(login(people.commune_police), tree)
    assert response.context["form"].errors["cccd"] == ["Số CCCD này đã có trong sổ theo dõi."]


def test_birth_date_cannot_be_in_the_future(tree, people, login):
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    response = post_person(login(people.commune_police), tree, birth_date=tomorrow.isoformat())
    assert response.context["form"].errors["birth_date"] == ["Ngày không được sau ngày hôm nay."]
    assert f'value="{tomorrow.isoformat()}"' in response.content.decode()


def test_residence_cannot_start_before_birth(tree, people, login):
    response = post_person(login(people.commune_police), tree, resident_since="1980-01-01")
    assert response.context["form"].errors["resident_since"] == ["Ngày cư trú không được trước ngày sinh."]


def test_same_name_birth_date_and_village_is_refused_whatever_the_accents(tree, people, login):
    f.PersonFactory(full_name="Giàng A Páo", birth_date=dt.date(1992, 4, 3), village=tree.ta_leng, cccd=None)
    response = post_person(login(people.commune_police), tree, full_name="giang a pao", cccd="")
    assert response.context["form"].non_field_errors() == [
        "Đã có người cùng họ tên, ngày sinh ở thôn, bản này."
    ]


def test_hand_typed_dd_mm_yyyy_dates_are_read_day_first(tree, people):
    form = PersonForm(data=person_data(tree, birth_date="03/04/1992"), user=people.commune_police)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["birth_date"] == dt.date(1992, 4, 3)


def test_village_of_another_commune_is_not_a_choice(tree, people, login):
    response = post_person(login(people.commune_police), tree, village=tree.co_muong.pk)
    assert "village" in response.context["form"].errors
    assert tree.co_muong not in response.context["form"].fields["village"].queryset


def test_status_cannot_end_before_it_starts(records, people, login):
    response = login(people.commune_police).post(
        reverse("subjects:status_create", args=[records.person.pk]),
        {"kind": "addict", "start_date": "2024-03-01", "end_date": "2024-02-01", "basis": "Biên bản"},
    )
    assert response.context["form"].errors["end_date"] == ["Ngày kết thúc không được trước ngày bắt đầu."]
    assert 'value="Biên bản"' in response.content.decode()


def test_management_file_cannot_close_before_it_opens(records, people, login):
    response = login(people.commune_police).post(
        reverse("subjects:file_create", args=[records.person.pk]),
        {"kind": "addict", "opened_on": "2024-03-01", "closed_on": "2024-01-01", "responsible": "Gia đình"},
    )
    assert response.context["form"].errors["closed_on"] == [
        "Ngày kết thúc quản lý không được trước ngày bắt đầu."
    ]


def test_substitution_treatment_needs_a_medication(records, people, login):
    response = login(people.commune_police).post(
        reverse("subjects:treatment_create", args=[records.person.pk]),
        {"kind": "substitution", "medication": "", "start_date": "2024-01-10", "facility": "Cơ sở Methadone"},
    )
    assert response.context["form"].errors["medication"] == [
        "Điều trị thay thế phải ghi rõ thuốc (Methadone hoặc Buprenorphine)."
    ]
    assert 'value="Cơ sở Methadone"' in response.content.decode()


def test_a_test_result_is_only_positive_or_negative(records, people, login):
    response = login(people.commune_police).post(
        reverse("subjects:test_create", args=[records.person.pk]),
        {"tested_on": "2024-01-10", "result": "unclear", "method": "kit", "reason": "periodic"},
    )
    [message] = response.context["form"].errors["result"]
    assert "unclear" in message and "lựa chọn" in message.lower()


def test_signed_households_never_above_the_households(tree, people, login):
    response = login(people.commune_police).post(
        reverse("subjects:commitment_create"),
        {
            "village": tree.ta_leng.pk,
            "kind": "drug_free",
            "as_of": "2024-04-01",
            "households": "80",
            "signed": "81",
        },
    )
    assert response.context["form"].errors["signed"] == ["Số hộ đã ký không được lớn hơn tổng số hộ."]
    body = response.content.decode()
    assert 'value="80"' in body and 'value="81"' in body


def test_cultivation_needs_an_area_or_a_plant_count(tree, people, login):
    response = login(people.commune_police).post(
        reverse("subjects:cultivation_create"),
        {"village": tree.ta_leng.pk, "plant": "poppy", "season": "2018-2019", "found_on": "2019-02-20"},
    )
    assert response.context["form"].non_field_errors() == ["Ghi diện tích hoặc số cây phát hiện."]


def test_group_members_come_only_from_the_users_jurisdiction(tree, people, login):
    outsider = f.PersonFactory(village=tree.co_muong)
    response = login(people.commune_police).post(
        reverse("subjects:group_create"),
        {
            "village": tree.ta_leng.pk,
            "kind": "group",
            "name": "Ổ nhóm A",
            "found_on": "2024-01-01",
            "members": [outsider.pk],
        },
    )
    assert "members" in response.context["form"].errors
    assert not m.CriminalGroup.objects.exists()


@pytest.mark.parametrize(
    ("url_name", "data", "field"),
    [
        (
            "point_create",
            {"kind": "retail", "description": "Lều", "found_on": "2024-05-01", "eliminated_on": "2024-04-01"},
            "eliminated_on",
        ),
        (
            "board_create",
            {
                "kind": "hotline",
                "location": "Nhà văn hóa",
                "installed_on": "2024-05-01",
                "removed_on": "2024-04-01",
            },
            "removed_on",
        ),
    ],
)
def test_an_end_is_never_before_its_start(url_name, data, field, tree, people, login):
    response = login(people.commune_police).post(
        reverse(f"subjects:{url_name}"), {"village": tree.ta_leng.pk, **data}
    )
    assert response.status_code == 200
    [message] = response.context["form"].errors[field]
    assert "không được trước" in message


def test_editing_a_group_keeps_members_the_user_cannot_see(tree, people, login):
    from tests.factories import CriminalGroupFactory

    group = CriminalGroupFactory(village=tree.ta_leng)
    insider = f.PersonFactory(village=tree.ta_leng)
    outsider = f.PersonFactory(village=tree.co_muong)
    group.members.add(insider, outsider)
    response = login(people.commune_police).post(
        reverse("subjects:group_edit", args=[group.pk]),
        {
            "village": tree.ta_leng.pk,
            "kind": "group",
            "name": "Đổi tên",
            "found_on": "2023-06-01",
            "members": [],
        },
    )
    assert response.status_code == 302
    assert set(group.members.all()) == {outsider}
