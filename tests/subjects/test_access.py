"""Who may see and change the registers: the stories of the commune's own police, its chair,
the district, the province observer and an outsider from another commune."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import URLPattern, URLResolver, reverse
from openpyxl import load_workbook

from areas.models import Area
from subjects import models as m
from subjects import services, urls
from subjects.forms import DrugPointForm


def _patterns(patterns):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from _patterns(entry.url_patterns)
        elif isinstance(entry, URLPattern) and entry.name:
            yield entry


# Actions on a record that are not a register page: their access is walked by the whole-site
# matrix (tests/areas/test_endpoints.py) and told as stories in test_transfers.py.
NOT_REGISTER_PAGES = {"transfer_decide"}


def object_urls(records):
    """Every subjects URL that names a record, filled with the records of Xã Hoang Thèn."""
    found = []
    for pattern in _patterns(urls.urlpatterns):
        params = set(pattern.pattern.converters)
        if not params or pattern.name in NOT_REGISTER_PAGES:
            continue
        key = pattern.name.split("_")[0]
        kwargs = {}
        if "pk" in params:
            kwargs["pk"] = getattr(records, key).pk
        if "person_pk" in params:
            kwargs["person_pk"] = records.person.pk
        assert set(kwargs) == params, f"no record to walk {pattern.name} with"
        found.append((pattern.name, reverse(f"subjects:{pattern.name}", kwargs=kwargs)))
    return found


def list_urls():
    return [
        reverse(f"subjects:{p.name}")
        for p in _patterns(urls.urlpatterns)
        if not p.pattern.converters and p.name.endswith(("_list", "_export"))
    ]


def test_outsider_gets_404_on_every_record_page(records, people, login):
    client = login(people.other_police)
    walked = object_urls(records)
    assert len(walked) >= 36  # 3 person pages, 3 per village register, 3 per person record
    for name, url in walked:
        assert client.get(url).status_code == 404, name
        assert client.post(url, {}).status_code in (404, 405), name
    assert not m.AccessLog.objects.exists()


def test_outsider_lists_show_none_of_the_other_communes_records(records, people, login):
    client = login(people.tanan_police)
    for url in list_urls():
        response = client.get(url)
        assert response.status_code == 200, url
        if response.context is None:  # an export: the header row only
            sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
            assert len(list(sheet.iter_rows())) == 1, url
        else:
            assert response.context["page"].paginator.count == 0, url


@pytest.mark.parametrize(
    "persona", ["commune_chair", "district_police", "labour", "health", "district_chair", "province"]
)
def test_readers_read_every_record_but_change_nothing(persona, records, people, login):
    client = login(getattr(people, persona))
    for name, url in object_urls(records):
        action = name.rsplit("_", 1)[1]
        if action in ("edit", "create"):
            assert client.get(url).status_code == 403, name
            assert client.post(url, {"note": "x"}).status_code == 403, name
        else:
            assert client.get(url).status_code == 200, name
    for url in list_urls():
        assert client.get(url).status_code == 200, url
    for name in ("person_create", "point_create", "prevention_create"):
        assert client.get(reverse(f"subjects:{name}")).status_code == 403


def test_readers_see_no_add_or_edit_buttons(records, people, login):
    client = login(people.district_police)
    body = client.get(reverse("subjects:person_detail", args=[records.person.pk])).content.decode()
    assert reverse("subjects:person_edit", args=[records.person.pk]) not in body
    assert reverse("subjects:test_create", args=[records.person.pk]) not in body
    listing = client.get(reverse("subjects:point_list")).content.decode()
    assert reverse("subjects:point_create") not in listing


def test_signed_out_visitors_are_sent_to_the_login_page(records, client):
    response = client.get(reverse("subjects:person_detail", args=[records.person.pk]))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_a_record_cannot_be_saved_out_of_the_users_reach(tree, people):
    """Restrict-after-save: even if a form let an outside village through, the write is undone."""
    form = DrugPointForm(
        data={"village": tree.co_muong.pk, "kind": "retail", "description": "Lều", "found_on": "2024-01-01"},
        user=people.commune_police,
    )
    form.fields["village"].queryset = Area.objects.all()
    assert form.is_valid(), form.errors
    with pytest.raises(PermissionDenied):
        services.save_register_record(user=people.commune_police, form=form)
    assert not m.DrugPoint.objects.exists()


def test_only_commune_police_may_save(tree, people):
    form = DrugPointForm(
        data={"village": tree.ta_leng.pk, "kind": "retail", "description": "Lều", "found_on": "2024-01-01"},
        user=people.district_police,
    )
    assert form.is_valid(), form.errors
    with pytest.raises(PermissionDenied):
        services.save_register_record(user=people.district_police, form=form)
    assert not m.DrugPoint.objects.exists()


# ---------------------------------------------------------------- the access log page


def _log(user, area, action=m.AccessAction.VIEW):
    return m.AccessLog.objects.create(user=user, area=area, action=action, object_type="person", object_id=1)


def test_district_police_read_the_log_of_their_jurisdiction(tree, people, login):
    _log(people.commune_police, tree.ta_leng)
    _log(people.other_police, tree.co_muong, m.AccessAction.EXPORT)
    _log(people.tanan_police, tree.trai_mua)
    client = login(people.district_police)
    response = client.get(reverse("subjects:access_log"))
    assert response.status_code == 200
    assert {e.user for e in response.context["page"]} == {people.commune_police, people.other_police}
    assert "Đối tượng #1" in response.content.decode()
    exports = client.get(reverse("subjects:access_log"), {"action": "export"})
    assert [e.user for e in exports.context["page"]] == [people.other_police]
    by_user = client.get(reverse("subjects:access_log"), {"user": people.commune_police.pk})
    assert [e.user for e in by_user.context["page"]] == [people.commune_police]


def test_access_log_filters_by_date(tree, people, login):
    import datetime as dt

    from django.utils import timezone

    old = _log(people.commune_police, tree.ta_leng)
    m.AccessLog.objects.filter(pk=old.pk).update(at=timezone.now() - dt.timedelta(days=40))
    _log(people.commune_police, tree.ta_leng)
    since = (timezone.localdate() - dt.timedelta(days=7)).isoformat()
    response = login(people.province).get(reverse("subjects:access_log"), {"date_from": since})
    assert response.context["page"].paginator.count == 1


def test_city_police_do_not_see_another_provinces_log(tree, people, login):
    _log(people.commune_police, tree.ta_leng)
    response = login(people.city_police).get(reverse("subjects:access_log"))
    assert response.context["page"].paginator.count == 0


@pytest.mark.parametrize("persona", ["commune_police", "commune_chair", "labour", "district_chair"])
def test_other_roles_get_403_on_the_access_log(persona, tree, people, login):
    assert login(getattr(people, persona)).get(reverse("subjects:access_log")).status_code == 403


def test_access_log_page_runs_a_constant_number_of_queries(tree, people, login):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = login(people.district_police)
    _log(people.commune_police, tree.ta_leng)
    with CaptureQueriesContext(connection) as small:
        client.get(reverse("subjects:access_log"))
    for persona in ("commune_police", "other_police", "commune_chair"):
        for _ in range(30):
            _log(getattr(people, persona), tree.ho_sao)
    with CaptureQueriesContext(connection) as large:
        response = client.get(reverse("subjects:access_log"))
    assert len(response.context["page"]) == 50
    assert len(large.captured_queries) == len(small.captured_queries)


def test_outsiders_records_are_absent_from_readers_other_province(records, people, login):
    response = login(people.city_police).get(reverse("subjects:person_detail", args=[records.person.pk]))
    assert response.status_code == 404


# ---------------------------------------------------------------- names never cross the gate


@pytest.fixture
def outsider_in_case(records, tree):
    """A Mường So person recorded on Hoang Thèn's case and group (they are real: people travel)."""
    from tests.factories import PersonFactory

    outsider = PersonFactory(full_name="Tao Văn Ngoài", village=tree.co_muong)
    records.case.persons.add(outsider)
    records.group.members.add(outsider)
    return outsider


@pytest.mark.parametrize("page", ["case_detail", "group_detail", "case_history", "group_history"])
def test_case_and_group_pages_name_only_persons_inside_the_jurisdiction(
    page, records, outsider_in_case, people, login
):
    record = records.case if page.startswith("case") else records.group
    client = login(people.commune_police)
    assert client.get(reverse("subjects:person_detail", args=[outsider_in_case.pk])).status_code == 404
    body = client.get(reverse(f"subjects:{page}", args=[record.pk])).content.decode()
    assert "Tao Văn Ngoài" not in body and "Bản Co Muông" not in body
    assert records.person.full_name in body
    # The district sees both communes, so both names.
    district = (
        login(people.district_police).get(reverse(f"subjects:{page}", args=[record.pk])).content.decode()
    )
    assert "Tao Văn Ngoài" in district


# ---------------------------------------------------------------- the admin


def _verified(client, user):
    from tests.conftest import otp_login

    return otp_login(client, user)


def test_the_admin_needs_a_superuser_verified_by_otp(records, client, django_user_model):
    root = django_user_model.objects.create_user("root", password="x", is_staff=True, is_superuser=True)
    staff = django_user_model.objects.create_user("staff", password="x", is_staff=True)
    person_page = reverse("admin:subjects_person_change", args=[records.person.pk])
    client.force_login(root)
    assert client.get(person_page).status_code == 302  # signed in, but no one-time code yet
    assert _verified(client, staff).get(person_page).status_code == 302  # staff is not enough
    assert "Nguyễn Văn Ánh" not in client.get(reverse("admin:subjects_person_changelist")).content.decode()
    response = _verified(client, root).get(person_page)
    assert response.status_code == 200


def test_admin_reads_of_person_data_are_logged(records, client, django_user_model):
    root = django_user_model.objects.create_user("root", password="x", is_staff=True, is_superuser=True)
    client = _verified(client, root)
    client.get(reverse("admin:subjects_person_change", args=[records.person.pk]))
    client.get(reverse("admin:subjects_person_changelist"))
    client.get(reverse("admin:subjects_drugcase_change", args=[records.case.pk]))
    rows = list(m.AccessLog.objects.filter(user=root).order_by("pk"))
    assert [(r.object_type, r.object_id) for r in rows] == [
        ("person", records.person.pk),
        ("person", None),
        ("drugcase", records.case.pk),
    ]
    assert all("Nguyễn" not in r.description for r in rows)


# ---------------------------------------------------------------- a filter out of reach is an error


@pytest.mark.parametrize("register", ["person", "point", "test"])
def test_a_filter_naming_another_communes_village_is_an_error_not_the_whole_list(
    register, records, tree, people, login
):
    client = login(people.commune_police)
    listing = client.get(reverse(f"subjects:{register}_list"), {"village": tree.co_muong.pk})
    assert listing.status_code == 400
    assert listing.context["page"].paginator.count == 0
    assert "Bộ lọc không hợp lệ" in listing.content.decode()
    export = client.get(reverse(f"subjects:{register}_export"), {"village": tree.co_muong.pk})
    assert export.status_code == 400
    assert not export.get("Content-Disposition")
    assert "Bộ lọc không hợp lệ" in export.content.decode()
    assert not m.AccessLog.objects.filter(action=m.AccessAction.EXPORT).exists()
