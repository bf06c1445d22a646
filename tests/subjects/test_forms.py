"""Bad input on the register forms (subjects/forms.py, through the pages): a clear Vietnamese
message, and the form comes back with what was typed."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import models as django_models
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
        "Ngày kết thúc quản lý không được trước ngày lập hồ sơ."
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


# ---------------------------------------------------------------- identity input (issue 12 #7)


@pytest.mark.parametrize(
    "cccd",
    [
        "０１２０９２０００１１１",  # full-width digits
        "٠١٢٠٩٢٠٠٠١١١",  # Arabic-Indic digits
        "۰۱۲۰۹۲۰۰۰۱۱۱",  # extended Arabic-Indic digits
    ],
)
def test_cccd_accepts_ascii_digits_only(tree, people, login, cccd):
    response = post_person(login(people.commune_police), tree, cccd=cccd)
    assert response.context["form"].errors["cccd"] == ["Số CCCD phải gồm đúng 12 chữ số."]
    assert not m.Person.objects.exists()


@pytest.mark.parametrize("invisible", ["\u200b", "\u200d", "\u00ad", "\u2060", "\u202e", "\ufeff"])
def test_invisible_characters_do_not_get_past_the_cccd_duplicate_check(tree, people, login, invisible):
    f.PersonFactory(village=tree.ho_sao, cccd="012092000111")
    response = post_person(login(people.commune_police), tree, cccd=f"0120920{invisible}00111")
    assert response.context["form"].errors["cccd"] == ["Số CCCD này đã có trong sổ theo dõi."]
    assert m.Person.objects.count() == 1


@pytest.mark.parametrize("invisible", ["\u200b", "\u200d", "\u00ad", "\u2060", "\u202e"])
def test_invisible_characters_do_not_get_past_the_same_person_check(tree, people, login, invisible):
    f.PersonFactory(full_name="Giàng A Páo", birth_date=dt.date(1992, 4, 3), village=tree.ta_leng, cccd=None)
    response = post_person(login(people.commune_police), tree, full_name=f"Giàng A P{invisible}áo", cccd="")
    assert response.context["form"].non_field_errors() == [
        "Đã có người cùng họ tên, ngày sinh ở thôn, bản này."
    ]


def test_a_name_is_stored_in_nfc_without_invisible_characters(tree, people, login):
    decomposed = "Gia\u0300ng A\u200b Pa\u0301o\u202e"
    response = post_person(login(people.commune_police), tree, full_name=decomposed)
    assert response.status_code == 302
    person = m.Person.objects.get()
    assert person.full_name == "Giàng A Páo"
    assert person.name_search == "giang a pao"


@pytest.mark.parametrize("name", ["\u200b\u200b", "\u202e\u2060", "123 456", "...", "\u0301\u0301"])
def test_a_name_without_a_visible_letter_is_refused(tree, people, login, name):
    response = post_person(login(people.commune_police), tree, full_name=name)
    assert response.status_code == 200
    assert "full_name" in response.context["form"].errors
    assert not m.Person.objects.exists()


# ---------------------------------------------------------------- bounds (issue 12 #14)


def test_a_birth_date_before_1900_is_refused(tree, people, login):
    response = post_person(login(people.commune_police), tree, birth_date="0001-01-01", resident_since="")
    assert response.context["form"].errors["birth_date"] == [
        "Ngày 01/01/0001 không hợp lệ: phải từ năm 1900."
    ]


def test_a_note_is_bounded(tree, people, login):
    response = post_person(login(people.commune_police), tree, note="x" * (1024 * 1024))
    [message] = response.context["form"].errors["note"]
    assert "2000" in message
    assert not m.Person.objects.exists()


# ---------------------------------------------------------------- one rule for a person's dates


def test_a_status_cannot_start_before_the_birth_date(records, people, login):
    response = login(people.commune_police).post(
        reverse("subjects:status_create", args=[records.person.pk]),
        {"kind": "addict", "start_date": "1985-01-01", "basis": "Biên bản"},
    )
    assert response.context["form"].errors["start_date"] == ["Ngày bắt đầu diện không được trước ngày sinh."]
    assert not m.PersonStatus.objects.filter(start_date=dt.date(1985, 1, 1)).exists()


def test_a_test_cannot_be_before_the_birth_date(records, people, login):
    response = login(people.commune_police).post(
        reverse("subjects:test_create", args=[records.person.pk]),
        {"tested_on": "1985-01-01", "result": "negative", "method": "kit", "reason": "periodic"},
    )
    assert response.context["form"].errors["tested_on"] == ["Ngày xét nghiệm không được trước ngày sinh."]


# ---------------------------------------------------------------- double submit (issue 12 #13)


def test_the_same_test_sent_twice_is_recorded_once(records, people, login):
    client = login(people.commune_police)
    url = reverse("subjects:test_create", args=[records.person.pk])
    data = {"tested_on": "2024-06-03", "result": "negative", "method": "kit", "reason": "periodic"}
    responses = [client.post(url, data) for _ in range(10)]
    assert [r.status_code for r in responses] == [302] + [200] * 9
    assert responses[1].context["form"].non_field_errors() == [
        "Đối tượng đã có kết quả xét nghiệm bằng phương pháp này trong ngày này."
    ]
    assert records.person.tests.filter(tested_on=dt.date(2024, 6, 3)).count() == 1


def test_a_positive_and_a_negative_quick_test_on_one_day_are_refused_but_a_lab_confirmation_is_kept(
    records, people, login
):
    client = login(people.commune_police)
    url = reverse("subjects:test_create", args=[records.person.pk])
    day = {"tested_on": "2024-06-03", "reason": "periodic"}
    assert client.post(url, {**day, "result": "positive", "method": "kit"}).status_code == 302
    refused = client.post(url, {**day, "result": "negative", "method": "kit"})
    assert refused.status_code == 200
    assert client.post(url, {**day, "result": "positive", "method": "lab"}).status_code == 302
    assert records.person.tests.filter(tested_on=dt.date(2024, 6, 3)).count() == 2


def test_the_same_point_sent_twice_is_recorded_once(tree, people, login):
    client = login(people.commune_police)
    data = {"village": tree.ta_leng.pk, "kind": "retail", "description": "Lều rẫy", "found_on": "2024-05-01"}
    responses = [client.post(reverse("subjects:point_create"), data) for _ in range(10)]
    assert [r.status_code for r in responses] == [302] + [200] * 9
    assert m.DrugPoint.objects.count() == 1


def test_a_constraint_that_refuses_at_save_time_shows_on_the_form(records, people):
    """Two submits checked at once: the second reaches the database after the first committed."""
    from subjects import services
    from subjects.forms import DrugTestForm

    data = {"tested_on": "2024-06-03", "result": "negative", "method": "kit", "reason": "periodic"}
    forms = [
        DrugTestForm(data, instance=m.DrugTest(person=records.person), user=people.commune_police)
        for _ in range(2)
    ]
    assert all(form.is_valid() for form in forms)
    assert services.save_register_record(user=people.commune_police, form=forms[0]) is not None
    assert services.save_register_record(user=people.commune_police, form=forms[1]) is None
    assert forms[1].non_field_errors() == [
        "Đối tượng đã có kết quả xét nghiệm bằng phương pháp này trong ngày này."
    ]
    assert records.person.tests.filter(tested_on=dt.date(2024, 6, 3)).count() == 1


# ---------------------------------------------------------------- periods: one declaration


@pytest.mark.parametrize(
    ("model", "start", "end"),
    [
        (m.PersonStatus, "start_date", "end_date"),
        (m.ManagementFile, "opened_on", "closed_on"),
        (m.Treatment, "start_date", "end_date"),
        (m.DrugPoint, "found_on", "eliminated_on"),
        (m.CriminalGroup, "found_on", "dismantled_on"),
        (m.CultivationIncident, "found_on", "eradicated_on"),
        (m.HotlineBoard, "installed_on", "removed_on"),
        (m.PreventionModel, "established_on", "ended_on"),
    ],
)
def test_every_period_has_its_database_constraint_and_the_same_message_in_clean(model, start, end):
    [constraint] = [
        c
        for c in model._meta.constraints
        if isinstance(c, django_models.CheckConstraint) and end in str(c.condition)
    ]
    record = model(**{start: dt.date(2024, 5, 2), end: dt.date(2024, 5, 1)})
    with pytest.raises(ValidationError) as raised:
        record.clean()
    assert raised.value.message_dict[end] == [constraint.violation_error_message]


# ---------------------------------------------------------------- one rule, two doors (issue 18)

_IMPORT_HEADERS = {
    "full_name": "Họ và tên",
    "birth_date": "Ngày sinh",
    "sex": "Giới tính",
    "cccd": "Số CCCD",
    "village": "Thôn, bản",
    "residence_type": "Loại cư trú",
    "resident_since": "Cư trú từ ngày",
    "note": "Ghi chú",
}
_FORM_TO_CELL = {
    "birth_date": lambda v: (
        dt.date.fromisoformat(v).strftime("%d/%m/%Y") if v[:4] >= "1000" else "01/01/0999"
    ),
    "resident_since": lambda v: dt.date.fromisoformat(v).strftime("%d/%m/%Y"),
    "sex": lambda v: {"male": "Nam", "female": "Nữ"}[v],
    "residence_type": lambda v: {"permanent": "Thường trú", "temporary": "Tạm trú"}[v],
}


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"cccd": "０１２０９２０００１１１"}, "cccd"),
        ({"cccd": "٠١٢٠٩٢٠٠٠١١١"}, "cccd"),
        ({"cccd": "01209200011"}, "cccd"),
        ({"full_name": "\u200b\u2060\u202e"}, "full_name"),
        ({"full_name": "12345"}, "full_name"),
        ({"birth_date": "1899-12-31"}, "birth_date"),
        ({"birth_date": (timezone.localdate() + dt.timedelta(days=1)).isoformat()}, "birth_date"),
        ({"resident_since": "1980-01-01"}, "resident_since"),
        ({"note": "x" * 2001}, "note"),
    ],
)
def test_the_form_and_the_import_refuse_the_same_person_for_the_same_reason(tree, people, overrides, field):
    import io

    from openpyxl import Workbook

    from subjects import services

    data = person_data(tree, **overrides)
    form = PersonForm(data=data, user=people.commune_police)
    assert not form.is_valid()
    form_messages = form.errors[field]

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(list(_IMPORT_HEADERS.values()))
    cells = []
    for key in _IMPORT_HEADERS:
        value = data[key]
        if key == "village":
            value = tree.ta_leng.name
        elif key in _FORM_TO_CELL:
            value = _FORM_TO_CELL[key](value)
        cells.append(value)
    sheet.append(cells)
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    check = services.check_import(kind="persons", file=buffer, user=people.commune_police)
    import_messages = [p.message for p in check.problems if p.column == _IMPORT_HEADERS[field]]
    assert import_messages == form_messages


_STATUS_ROW = {
    "Họ và tên": "Người Mới",
    "Ngày sinh": "04/03/1990",
    "Giới tính": "Nam",
    "Thôn, bản": "Bản Tả Lèng",
    "Loại cư trú": "Thường trú",
    "Cư trú từ ngày": "01/01/2000",
    "Diện quản lý": "Người nghiện ma túy",
    "Diện từ ngày": "01/01/1985",
}


@pytest.mark.parametrize(
    ("url_name", "data", "field", "kind", "cells", "column"),
    [
        (  # a status comes in with its person
            "status_create",
            {"kind": "addict", "start_date": "1985-01-01"},
            "start_date",
            "persons",
            _STATUS_ROW,
            "Diện từ ngày",
        ),
        (
            "test_create",
            {"tested_on": "1985-01-01", "result": "negative", "method": "kit", "reason": "periodic"},
            "tested_on",
            "tests",
            {"Số CCCD": "001090001234", "Ngày xét nghiệm": "01/01/1985", "Kết quả": "Âm tính"},
            "Ngày xét nghiệm",
        ),
        (
            "file_create",
            {
                "kind": "addict",
                "opened_on": "2024-03-01",
                "closed_on": "2024-01-01",
                "responsible": "Gia đình",
            },
            "closed_on",
            "files",
            {
                "Số CCCD": "001090001234",
                "Loại hồ sơ": "Người nghiện ma túy",
                "Ngày lập": "01/03/2024",
                "Người, tổ chức được giao quản lý": "Gia đình",
                "Ngày kết thúc quản lý": "01/01/2024",
            },
            "Ngày kết thúc quản lý",
        ),
        (
            "treatment_create",
            {"kind": "compulsory", "medication": "methadone", "start_date": "2024-01-10"},
            "medication",
            "treatments",
            {
                "Số CCCD": "001090001234",
                "Hình thức": "Cai nghiện bắt buộc tại cơ sở",
                "Thuốc thay thế": "Methadone",
                "Ngày bắt đầu": "10/01/2024",
            },
            "Thuốc thay thế",
        ),
    ],
)
def test_the_form_and_the_import_refuse_a_persons_record_for_the_same_reason(
    records, people, login, url_name, data, field, kind, cells, column
):
    import io

    from openpyxl import Workbook

    from subjects import services

    response = login(people.commune_police).post(
        reverse(f"subjects:{url_name}", args=[records.person.pk]), data
    )
    form_messages = response.context["form"].errors[field]
    workbook = Workbook()
    workbook.active.append(list(cells))
    workbook.active.append(list(cells.values()))
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    check = services.check_import(kind=kind, file=buffer, user=people.commune_police)
    assert [p.message for p in check.problems if p.column == column] == form_messages


@pytest.mark.parametrize(
    ("url_name", "data", "field", "kind", "cells", "column"),
    [
        (
            "commitment_create",
            {"kind": "drug_free", "as_of": "2024-04-01", "households": "80", "signed": "81"},
            "signed",
            "commitments",
            {"Thôn, bản": "Bản Tả Lèng", "Tính đến ngày": "01/04/2024", "Tổng số hộ": 80, "Số hộ đã ký": 81},
            "Số hộ đã ký",
        ),
        (
            "point_create",
            {"kind": "retail", "description": "Lều", "found_on": "2024-05-01", "eliminated_on": "2024-04-01"},
            "eliminated_on",
            "points",
            {
                "Thôn, bản": "Bản Tả Lèng",
                "Loại điểm": "Điểm bán lẻ",
                "Mô tả, vị trí": "Lều",
                "Ngày phát hiện": "01/05/2024",
                "Ngày triệt xóa": "01/04/2024",
            },
            "Ngày triệt xóa",
        ),
        (
            "point_create",
            {"kind": "retail", "description": "Lều", "found_on": "1899-05-01"},
            "found_on",
            "points",
            {
                "Thôn, bản": "Bản Tả Lèng",
                "Loại điểm": "Điểm bán lẻ",
                "Mô tả, vị trí": "Lều",
                "Ngày phát hiện": "01/05/1899",
            },
            "Ngày phát hiện",
        ),
    ],
)
def test_the_form_and_the_import_refuse_a_villages_record_for_the_same_reason(
    tree, people, login, url_name, data, field, kind, cells, column
):
    import io

    from openpyxl import Workbook

    from subjects import services

    response = login(people.commune_police).post(
        reverse(f"subjects:{url_name}"), {"village": tree.ta_leng.pk, **data}
    )
    form_messages = response.context["form"].errors[field]
    workbook = Workbook()
    workbook.active.append(list(cells))
    workbook.active.append(list(cells.values()))
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    check = services.check_import(kind=kind, file=buffer, user=people.commune_police)
    assert [p.message for p in check.problems if p.column == column] == form_messages
