"""The register pages (subjects/views.py): lists, detail with timeline, forms, history,
export, the index and the home-page tasks."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from subjects import models as m
from subjects.registers import LIST_PAGES
from tests import factories as f

LIST_BUILDERS = {
    "person": lambda village, n: f.PersonStatusFactory(
        person=f.PersonFactory(village=village, cccd=f"0010900{n:05d}"), kind=m.StatusKind.ADDICT
    ),
    "point": lambda village, n: f.DrugPointFactory(village=village),
    "group": lambda village, n: f.CriminalGroupFactory(village=village).members.add(
        f.PersonFactory(village=village)
    ),
    "case": lambda village, n: f.DrugCaseFactory(village=village).persons.add(
        f.PersonFactory(village=village)
    ),
    "cultivation": lambda village, n: f.CultivationIncidentFactory(village=village),
    "commitment": lambda village, n: f.HouseholdCommitmentFactory(
        village=village, as_of=dt.date(2020, 1, 1) + dt.timedelta(days=n)
    ),
    "board": lambda village, n: f.HotlineBoardFactory(village=village),
    "prevention": lambda village, n: f.PreventionModelFactory(area=village),
    "file": lambda village, n: f.ManagementFileFactory(person=f.PersonFactory(village=village)),
    "treatment": lambda village, n: f.TreatmentFactory(person=f.PersonFactory(village=village)),
    "test": lambda village, n: f.DrugTestFactory(person=f.PersonFactory(village=village)),
}


def test_every_list_page_has_a_builder_for_the_query_count_test():
    assert {r.key for r in LIST_PAGES} == set(LIST_BUILDERS)


@pytest.mark.parametrize("key", sorted(LIST_BUILDERS))
def test_list_page_runs_a_constant_number_of_queries(key, tree, people, login):
    client = login(people.commune_police)
    url = reverse(f"subjects:{key}_list")
    build = LIST_BUILDERS[key]
    for n in range(2):
        build(tree.ta_leng, n)
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    for n in range(2, 32):
        build(tree.ho_sao if n % 2 else tree.ta_leng, n)
    with CaptureQueriesContext(connection) as large:
        response = client.get(url)
    assert response.status_code == 200
    assert len(response.context["rows"]) == 25  # a full page: the length really grew
    assert len(large.captured_queries) == len(small.captured_queries)


@pytest.mark.parametrize("key", sorted(LIST_BUILDERS))
def test_list_page_filters_by_village(key, tree, people, login):
    build = LIST_BUILDERS[key]
    build(tree.ta_leng, 1)
    build(tree.ho_sao, 2)
    build(tree.ho_sao, 3)
    field = "area" if key == "prevention" else "village"
    response = login(people.commune_police).get(reverse(f"subjects:{key}_list"), {field: tree.ho_sao.pk})
    assert response.status_code == 200
    assert response.context["page"].paginator.count == 2


def test_person_list_masks_cccd_and_paginates(tree, people, login):
    for n in range(30):
        f.PersonFactory(village=tree.ta_leng, cccd=f"0010900{n:05d}")
    client = login(people.commune_police)
    body = client.get(reverse("subjects:person_list")).content.decode()
    assert "001090000000" not in body
    assert "••••••••0000" in body
    second = client.get(reverse("subjects:person_list"), {"page": 2})
    assert len(second.context["rows"]) == 5


def _names(response) -> set[str]:
    return {p.full_name for p in response.context["page"].object_list}


def test_person_list_filters_by_status_active_today(tree, people, login):
    today = timezone.localdate()
    addict = f.PersonFactory(village=tree.ta_leng, full_name="Đang Nghiện")
    f.PersonStatusFactory(person=addict, kind=m.StatusKind.ADDICT, start_date=today - dt.timedelta(days=10))
    former = f.PersonFactory(village=tree.ta_leng, full_name="Từng Nghiện")
    f.PersonStatusFactory(
        person=former,
        kind=m.StatusKind.ADDICT,
        start_date=today - dt.timedelta(days=400),
        end_date=today - dt.timedelta(days=1),
    )
    user = f.PersonFactory(village=tree.ta_leng, full_name="Người Sử Dụng")
    f.PersonStatusFactory(person=user, kind=m.StatusKind.USER, start_date=today - dt.timedelta(days=10))
    client = login(people.commune_police)
    assert _names(client.get(reverse("subjects:person_list"), {"status": "addict"})) == {"Đang Nghiện"}
    both = client.get(reverse("subjects:person_list"), {"status": ["addict", "user"]})
    assert _names(both) == {"Đang Nghiện", "Người Sử Dụng"}


def test_person_list_filters_by_presence(tree, people, login):
    f.PersonFactory(village=tree.ta_leng, full_name="Có Mặt")
    f.PersonFactory(village=tree.ta_leng, full_name="Vắng Mặt", presence=m.Presence.ABSENT)
    response = login(people.commune_police).get(reverse("subjects:person_list"), {"presence": "absent"})
    assert _names(response) == {"Vắng Mặt"}


def test_person_list_finds_those_without_a_negative_test_in_30_days(tree, people, login):
    today = timezone.localdate()
    recent = f.PersonFactory(village=tree.ta_leng, full_name="Âm Tính Gần Đây")
    f.DrugTestFactory(person=recent, tested_on=today - dt.timedelta(days=29))
    old = f.PersonFactory(village=tree.ta_leng, full_name="Âm Tính Đã Lâu")
    f.DrugTestFactory(person=old, tested_on=today - dt.timedelta(days=30))
    positive = f.PersonFactory(village=tree.ta_leng, full_name="Dương Tính")
    f.DrugTestFactory(person=positive, tested_on=today, result=m.TestResult.POSITIVE)
    f.PersonFactory(village=tree.ta_leng, full_name="Chưa Xét Nghiệm")
    response = login(people.commune_police).get(reverse("subjects:person_list"), {"no_negative_30d": "on"})
    assert _names(response) == {"Âm Tính Đã Lâu", "Dương Tính", "Chưa Xét Nghiệm"}


def test_person_list_finds_addicts_without_a_management_file(tree, people, login):
    today = timezone.localdate()
    filed = f.PersonFactory(village=tree.ta_leng, full_name="Có Hồ Sơ")
    f.PersonStatusFactory(person=filed, start_date=today - dt.timedelta(days=60))
    f.ManagementFileFactory(person=filed, opened_on=today - dt.timedelta(days=50))
    closed = f.PersonFactory(village=tree.ta_leng, full_name="Hồ Sơ Đã Đóng")
    f.PersonStatusFactory(person=closed, start_date=today - dt.timedelta(days=60))
    f.ManagementFileFactory(
        person=closed, opened_on=today - dt.timedelta(days=50), closed_on=today - dt.timedelta(days=5)
    )
    unfiled = f.PersonFactory(village=tree.ta_leng, full_name="Chưa Có Hồ Sơ")
    f.PersonStatusFactory(person=unfiled, start_date=today - dt.timedelta(days=60))
    f.PersonFactory(village=tree.ta_leng, full_name="Không Nghiện")
    response = login(people.commune_police).get(
        reverse("subjects:person_list"), {"addict_without_file": "on"}
    )
    assert _names(response) == {"Hồ Sơ Đã Đóng", "Chưa Có Hồ Sơ"}


def test_person_list_search_ignores_accents(tree, people, login):
    f.PersonFactory(village=tree.ta_leng, full_name="Nguyễn Văn A")
    f.PersonFactory(village=tree.ta_leng, full_name="Lò Thị Bình")
    response = login(people.commune_police).get(reverse("subjects:person_list"), {"q": "nguyen van a"})
    assert _names(response) == {"Nguyễn Văn A"}


def test_person_detail_shows_the_timeline_and_logs_the_view(records, people, login):
    client = login(people.commune_police)
    response = client.get(reverse("subjects:person_detail", args=[records.person.pk]))
    assert response.status_code == 200
    kinds = [entry.kind for entry, _, _ in response.context["timeline"]]
    assert sorted(kinds) == ["case", "file", "group", "status", "test", "treatment"]
    days = [entry.day for entry, _, _ in response.context["timeline"]]
    assert days == sorted(days, reverse=True)
    log = m.AccessLog.objects.get()
    assert (log.user, log.action, log.object_type, log.object_id) == (
        people.commune_police,
        m.AccessAction.VIEW,
        "person",
        records.person.pk,
    )
    assert log.area == records.person.village
    assert "Ánh" not in log.description


def test_full_cccd_only_for_the_commune_police(records, people, login):
    url = reverse("subjects:person_detail", args=[records.person.pk])
    assert "001090001234" in login(people.commune_police).get(url).content.decode()
    for reader in (people.commune_chair, people.district_police, people.province):
        body = login(reader).get(url).content.decode()
        assert "001090001234" not in body
        assert "••••••••1234" in body


def test_person_detail_runs_a_constant_number_of_queries(records, people, login):
    client = login(people.commune_police)
    url = reverse("subjects:person_detail", args=[records.person.pk])
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    for day in range(10):
        f.DrugTestFactory(person=records.person, tested_on=dt.date(2024, 4, 1) + dt.timedelta(days=day))
        f.PersonStatusFactory(person=records.person, kind=m.StatusKind.USER)
    with CaptureQueriesContext(connection) as large:
        client.get(url)
    assert len(large.captured_queries) == len(small.captured_queries)


def test_commune_police_adds_a_person_and_lands_on_the_record(tree, people, login):
    client = login(people.commune_police)
    response = client.post(
        reverse("subjects:person_create"),
        {
            "full_name": "  lò   văn  dũng ",
            "birth_date": "12/05/1995",
            "sex": "male",
            "cccd": "",
            "village": tree.ho_sao.pk,
            "residence_type": "permanent",
            "resident_since": "1995-05-12",
            "presence": "present",
        },
    )
    person = m.Person.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("subjects:person_detail", args=[person.pk])
    assert person.full_name == "Lò Văn Dũng"
    assert person.cccd is None
    assert person.birth_date == dt.date(1995, 5, 12)
    assert person.history.get().history_user == people.commune_police


def test_person_records_are_added_from_the_person_page(records, people, login):
    client = login(people.commune_police)
    person = records.person
    response = client.post(
        reverse("subjects:test_create", args=[person.pk]),
        {"tested_on": "01/06/2024", "result": "negative", "method": "kit", "reason": "sudden"},
    )
    assert response.status_code == 302
    assert response.url == reverse("subjects:person_detail", args=[person.pk])
    assert person.tests.filter(tested_on=dt.date(2024, 6, 1), reason="sudden").exists()


def test_editing_a_record_keeps_who_changed_what(records, people, login):
    client = login(people.commune_police)
    response = client.post(
        reverse("subjects:point_edit", args=[records.point.pk]),
        {
            "village": records.point.village_id,
            "kind": "retail",
            "description": records.point.description,
            "found_on": "2023-06-01",
            "eliminated_on": "2024-01-15",
        },
    )
    assert response.status_code == 302
    history = client.get(reverse("subjects:point_history", args=[records.point.pk]))
    newest = history.context["versions"][0]
    assert newest.user == people.commune_police
    assert [(c.label, c.old, c.new) for c in newest.changes] == [("ngày triệt xóa", "", dt.date(2024, 1, 15))]
    assert "15/01/2024" in history.content.decode()


def test_person_history_names_the_village_and_is_logged(records, people, login, tree):
    client = login(people.commune_police)
    client.post(
        reverse("subjects:person_edit", args=[records.person.pk]),
        {
            "full_name": records.person.full_name,
            "birth_date": "1990-03-04",
            "sex": "male",
            "cccd": "001090001234",
            "village": tree.ho_sao.pk,
            "residence_type": "permanent",
            "resident_since": "2010-01-01",
            "presence": "absent",
        },
    )
    m.AccessLog.objects.all().delete()
    response = client.get(reverse("subjects:person_history", args=[records.person.pk]))
    changes = {(c.label, c.old, c.new) for c in response.context["versions"][0].changes}
    assert ("thôn, bản nơi cư trú", "Bản Tả Lèng", "Bản Hô Sáo") in changes
    assert ("tình trạng có mặt", "Có mặt tại địa phương", "Vắng mặt") in changes
    assert m.AccessLog.objects.get().action == m.AccessAction.HISTORY


def test_group_detail_lists_its_members(records, people, login):
    response = login(people.district_police).get(reverse("subjects:group_detail", args=[records.group.pk]))
    assert response.context["persons"] == [records.person]


def test_export_sends_the_filtered_list_and_logs_no_personal_data(tree, people, login):
    import io

    from openpyxl import load_workbook

    f.PersonFactory(village=tree.ta_leng, full_name="Nguyễn Văn A")
    f.PersonFactory(village=tree.ho_sao, full_name="Lò Thị Bình")
    client = login(people.commune_police)
    response = client.get(reverse("subjects:person_export"), {"village": tree.ho_sao.pk, "q": "binh"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = list(load_workbook(io.BytesIO(response.content)).worksheets[0].iter_rows(values_only=True))
    assert len(rows) == 2 and "Lò Thị Bình" in rows[1]
    log = m.AccessLog.objects.get()
    assert log.action == m.AccessAction.EXPORT
    assert "1 dòng" in log.description and "q, village" in log.description
    assert "Bình" not in log.description and "binh" not in log.description


def test_index_counts_records_in_the_users_jurisdiction(records, people, login, tree):
    f.PersonFactory(village=tree.co_muong)  # another commune
    response = login(people.commune_police).get(reverse("subjects:index"))
    counts = {register.key: count for register, count, _ in response.context["registers"]}
    assert counts["person"] == 1
    assert counts["point"] == 1
    district = login(people.district_police).get(reverse("subjects:index"))
    assert {r.key: c for r, c, _ in district.context["registers"]}["person"] == 2


def test_home_tells_commune_police_what_waits(tree, people, login):
    today = timezone.localdate()
    addict = f.PersonFactory(village=tree.ta_leng)
    f.PersonStatusFactory(person=addict, start_date=today - dt.timedelta(days=3))
    response = login(people.commune_police).get(reverse("home"))
    tasks = {t.title: t for t in response.context["tasks"]}
    unfiled = tasks["Người nghiện chưa có hồ sơ quản lý"]
    assert unfiled.count == 1
    assert unfiled.url == reverse("subjects:person_list") + "?addict_without_file=on"
    assert tasks["Chưa xét nghiệm âm tính trong 30 ngày"].count == 1
    listed = login(people.commune_police).get(tasks["Chưa xét nghiệm âm tính trong 30 ngày"].url)
    assert listed.context["page"].paginator.count == 1


def test_home_tasks_run_a_constant_number_of_queries(tree, people, login):
    client = login(people.commune_police)
    with CaptureQueriesContext(connection) as small:
        client.get(reverse("home"))
    for _ in range(20):
        f.PersonStatusFactory(person=f.PersonFactory(village=tree.ta_leng))
    with CaptureQueriesContext(connection) as large:
        client.get(reverse("home"))
    assert len(large.captured_queries) == len(small.captured_queries)


def test_home_has_no_register_tasks_for_other_roles(tree, people, login):
    response = login(people.commune_chair).get(reverse("home"))
    assert "Người nghiện chưa có hồ sơ quản lý" not in {t.title for t in response.context["tasks"]}


@pytest.mark.parametrize(
    ("key", "kept", "dropped", "query"),
    [
        ("point", {}, {"eliminated_on": dt.date(2024, 1, 1)}, {"not_eliminated": "on"}),
        ("group", {}, {"dismantled_on": dt.date(2024, 1, 1)}, {"active": "on"}),
        ("cultivation", {}, {"eradicated_on": dt.date(2024, 3, 1)}, {"not_eradicated": "on"}),
        ("board", {}, {"removed_on": dt.date(2024, 3, 1)}, {"in_place": "on"}),
        ("commitment", {"signed": 70}, {"as_of": dt.date(2024, 5, 1)}, {"incomplete": "on"}),
        ("case", {"severity": m.Severity.VERY_SERIOUS}, {}, {"severity": "very_serious"}),
        ("prevention", {"is_active": False, "ended_on": dt.date(2024, 1, 1)}, {}, {"is_active": "false"}),
    ],
)
def test_register_specific_filters_keep_only_matching_rows(key, kept, dropped, query, tree, people, login):
    factory = {
        "point": f.DrugPointFactory,
        "group": f.CriminalGroupFactory,
        "cultivation": f.CultivationIncidentFactory,
        "board": f.HotlineBoardFactory,
        "commitment": f.HouseholdCommitmentFactory,
        "case": f.DrugCaseFactory,
        "prevention": f.PreventionModelFactory,
    }[key]
    place = {"area": tree.ta_leng} if key == "prevention" else {"village": tree.ta_leng}
    wanted = factory(**place, **kept)
    factory(**place, **dropped)
    response = login(people.commune_police).get(reverse(f"subjects:{key}_list"), query)
    assert [obj.pk for obj in response.context["page"].object_list] == [wanted.pk]


def test_list_search_matches_text_columns(tree, people, login):
    f.DrugPointFactory(village=tree.ta_leng, description="Khu lán trại đầu bản")
    f.DrugPointFactory(village=tree.ta_leng, description="Nhà văn hóa cũ")
    response = login(people.commune_police).get(reverse("subjects:point_list"), {"q": "lán trại"})
    assert [p.description for p in response.context["page"].object_list] == ["Khu lán trại đầu bản"]


def test_group_history_names_members_added(records, people, login, tree):
    newcomer = f.PersonFactory(village=tree.ho_sao, full_name="Vàng A Sử")
    group = records.group
    client = login(people.commune_police)
    response = client.post(
        reverse("subjects:group_edit", args=[group.pk]),
        {
            "village": group.village_id,
            "kind": group.kind,
            "name": group.name,
            "found_on": "2023-06-01",
            "members": [records.person.pk, newcomer.pk],
        },
    )
    assert response.status_code == 302
    history = client.get(reverse("subjects:group_history", args=[group.pk]))
    changes = [c for v in history.context["versions"] for c in v.changes if c.label == "thành viên"]
    assert any("Vàng A Sử" in str(c.new) and "Vàng A Sử" not in str(c.old) for c in changes)


def test_timeline_leaves_out_cases_of_another_commune(records, people, login, tree):
    elsewhere = f.DrugCaseFactory(village=tree.co_muong, summary="Vụ ở xã khác")
    elsewhere.persons.add(records.person)
    response = login(people.commune_police).get(reverse("subjects:person_detail", args=[records.person.pk]))
    cases = [entry.record for entry, _, _ in response.context["timeline"] if entry.kind == "case"]
    assert cases == [records.case]


def test_exports_by_readers_leave_out_the_cccd(records, people, login):
    import io

    from openpyxl import load_workbook

    def exported(user) -> str:
        response = login(user).get(reverse("subjects:person_export"))
        sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
        return repr(list(sheet.iter_rows(values_only=True)))

    assert "001090001234" in exported(people.commune_police)
    district = exported(people.district_police)
    assert "001090001234" not in district and "Nguyễn Văn Ánh" in district


def test_index_runs_a_constant_number_of_queries(records, people, login, tree):
    client = login(people.district_police)
    with CaptureQueriesContext(connection) as small:
        client.get(reverse("subjects:index"))
    for n in range(10):
        for key, build in LIST_BUILDERS.items():
            build(tree.co_muong, 100 + n if key != "person" else 500 + n)
    with CaptureQueriesContext(connection) as large:
        response = client.get(reverse("subjects:index"))
    assert {r.key: c for r, c, _ in response.context["registers"]}["point"] == 11
    assert len(large.captured_queries) == len(small.captured_queries)


def test_opening_a_persons_record_for_editing_is_logged(records, people, login):
    client = login(people.commune_police)
    client.get(reverse("subjects:person_edit", args=[records.person.pk]))
    client.get(reverse("subjects:test_edit", args=[records.test.pk]))
    client.get(reverse("subjects:point_edit", args=[records.point.pk]))  # not a person's record
    logged = list(m.AccessLog.objects.order_by("pk").values_list("action", "object_type", "object_id"))
    assert logged == [("view", "person", records.person.pk), ("view", "drugtest", records.test.pk)]


# ---------------------------------------------------------------- files, treatments, tests across persons


def test_treatment_list_finds_breaking_and_unrecorded_patients(tree, people, login):
    today = timezone.localdate()
    keeps = f.PersonFactory(village=tree.ta_leng, full_name="Chấp Hành Tốt")
    f.TreatmentFactory(person=keeps, complies_with_rules=True, uses_other_drugs=False)
    breaks = f.PersonFactory(village=tree.ta_leng, full_name="Dùng Ma Túy Khác")
    f.TreatmentFactory(person=breaks, complies_with_rules=True, uses_other_drugs=True)
    unknown = f.PersonFactory(village=tree.ta_leng, full_name="Chưa Ghi Nhận")
    f.TreatmentFactory(person=unknown, complies_with_rules=None, uses_other_drugs=False)
    ended = f.PersonFactory(village=tree.ta_leng, full_name="Đã Kết Thúc")
    f.TreatmentFactory(
        person=ended,
        start_date=today - dt.timedelta(days=100),
        end_date=today - dt.timedelta(days=1),
        complies_with_rules=True,
        uses_other_drugs=False,
    )
    client = login(people.commune_police)
    url = reverse("subjects:treatment_list")

    def persons(query):
        return {t.person.full_name for t in client.get(url, query).context["page"].object_list}

    assert persons({"breaking": "on"}) == {"Dùng Ma Túy Khác"}
    assert persons({"unrecorded": "on"}) == {"Chưa Ghi Nhận"}
    assert persons({"running": "on"}) == {"Chấp Hành Tốt", "Dùng Ma Túy Khác", "Chưa Ghi Nhận"}
    body = client.get(url).content.decode()
    assert "(chưa ghi nhận)" in body and "Có sử dụng" in body


def test_test_list_filters_by_result_and_dates_and_finds_the_person_without_accents(tree, people, login):
    today = timezone.localdate()
    person = f.PersonFactory(village=tree.ta_leng, full_name="Nguyễn Văn Ánh")
    f.DrugTestFactory(person=person, tested_on=today - dt.timedelta(days=40), result=m.TestResult.POSITIVE)
    f.DrugTestFactory(person=person, tested_on=today - dt.timedelta(days=3), result=m.TestResult.NEGATIVE)
    f.DrugTestFactory(person=f.PersonFactory(village=tree.ta_leng, full_name="Lò Văn Khác"), tested_on=today)
    client = login(people.commune_police)
    url = reverse("subjects:test_list")

    def count(query):
        return client.get(url, query).context["page"].paginator.count

    assert count({"q": "nguyen van anh"}) == 2
    assert count({"q": "nguyen van anh", "result": "positive"}) == 1
    assert count({"tested_from": (today - dt.timedelta(days=7)).isoformat()}) == 2
    assert count({"tested_to": (today - dt.timedelta(days=7)).isoformat()}) == 1
    rows = client.get(url, {"q": "nguyen"}).context["rows"]
    assert rows[0][0] == reverse("subjects:person_detail", args=[person.pk])  # newest first, to the person


def test_file_list_keeps_open_files_and_offers_no_create_button(tree, people, login):
    today = timezone.localdate()
    f.ManagementFileFactory(person=f.PersonFactory(village=tree.ta_leng, full_name="Đang Quản Lý"))
    f.ManagementFileFactory(
        person=f.PersonFactory(village=tree.ta_leng, full_name="Đã Thôi Quản Lý"),
        opened_on=today - dt.timedelta(days=300),
        closed_on=today - dt.timedelta(days=2),
    )
    client = login(people.commune_police)
    response = client.get(reverse("subjects:file_list"), {"open_now": "on"})
    assert {r.person.full_name for r in response.context["page"].object_list} == {"Đang Quản Lý"}
    assert "/them/" not in response.content.decode()


@pytest.mark.parametrize("key", ["file", "treatment", "test"])
def test_person_record_lists_hold_only_the_users_jurisdiction(key, tree, people, login):
    LIST_BUILDERS[key](tree.ta_leng, 1)
    LIST_BUILDERS[key](tree.co_muong, 2)  # another commune
    own = login(people.commune_police).get(reverse(f"subjects:{key}_list"))
    assert own.context["page"].paginator.count == 1
    district = login(people.district_police).get(reverse(f"subjects:{key}_list"))
    assert district.context["page"].paginator.count == 2


def test_test_list_export_is_logged_without_the_search_text(tree, people, login):
    f.DrugTestFactory(person=f.PersonFactory(village=tree.ta_leng, full_name="Lò Thị Xuất"))
    client = login(people.commune_police)
    response = client.get(reverse("subjects:test_export"), {"q": "Lò Thị Xuất"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    entry = m.AccessLog.objects.get(action=m.AccessAction.EXPORT)
    assert entry.object_type == "drugtest"
    assert "1 dòng" in entry.description and "Xuất" not in entry.description
