"""The responsible officer: assigned with history, handed over in one step, filtered on."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from subjects.models import OfficerChange, Person
from subjects.officers import assign_officer, hand_over
from tests import factories as f


@pytest.fixture
def second_officer(tree, people):
    return f.UserFactory(
        username="cax_pho",
        full_name="Phó Công an xã",
        role=people.commune_police.role,
        area=tree.hoang_then,
        body=people.commune_police.body,
    )


def test_assigning_an_officer_writes_its_history(tree, people, second_officer):
    person = f.PersonFactory(village=tree.ta_leng, officer=people.commune_police)
    change = assign_officer(
        user=people.commune_police, person=person, officer=second_officer, reason="Phân công lại"
    )
    person.refresh_from_db()
    assert person.officer == second_officer
    assert (change.from_officer, change.to_officer, change.changed_by) == (
        people.commune_police,
        second_officer,
        people.commune_police,
    )
    assert (
        assign_officer(user=people.commune_police, person=person, officer=second_officer) is None
    )  # no change, no row
    assert OfficerChange.objects.filter(person=person).count() == 1


def test_an_officer_of_another_commune_cannot_be_given_a_record(tree, people):
    person = f.PersonFactory(village=tree.ta_leng)
    with pytest.raises(ValidationError):
        assign_officer(user=people.commune_police, person=person, officer=people.other_police)
    with pytest.raises(PermissionDenied):
        assign_officer(user=people.other_police, person=person, officer=people.other_police)
    with pytest.raises(PermissionDenied):
        assign_officer(user=people.commune_chair, person=person, officer=people.commune_police)


def test_a_handover_moves_every_record_in_one_step_with_history(
    tree, people, second_officer, django_assert_max_num_queries
):
    mine = [
        f.PersonFactory(village=v, officer=people.commune_police)
        for v in (tree.ta_leng, tree.ho_sao, tree.ho_sao)
    ]
    kept = f.PersonFactory(village=tree.ta_leng, officer=second_officer)
    elsewhere = f.PersonFactory(village=tree.co_muong, officer=people.commune_police)  # not of this commune
    with django_assert_max_num_queries(12):
        moved = hand_over(
            user=people.commune_police,
            commune=tree.hoang_then,
            from_officer=people.commune_police,
            to_officer=second_officer,
            reason="Chuyển công tác",
        )
    assert moved == 3
    assert set(Person.objects.filter(officer=second_officer)) == {*mine, kept}
    elsewhere.refresh_from_db()
    assert elsewhere.officer == people.commune_police
    changes = OfficerChange.objects.filter(is_handover=True)
    assert {c.person_id for c in changes} == {p.pk for p in mine}
    assert all(c.reason == "Chuyển công tác" and c.from_officer == people.commune_police for c in changes)


def test_a_handover_is_refused_whole_when_its_input_is_wrong(tree, people, second_officer):
    f.PersonFactory(village=tree.ta_leng, officer=people.commune_police)
    with pytest.raises(ValidationError):
        hand_over(
            user=people.commune_police,
            commune=tree.hoang_then,
            from_officer=people.commune_police,
            to_officer=people.commune_police,
            reason="x",
        )
    with pytest.raises(ValidationError):
        hand_over(
            user=people.commune_police,
            commune=tree.hoang_then,
            from_officer=people.commune_police,
            to_officer=second_officer,
            reason=" ",
        )
    with pytest.raises(PermissionDenied):
        hand_over(
            user=people.province,
            commune=tree.hoang_then,
            from_officer=people.commune_police,
            to_officer=second_officer,
            reason="x",
        )
    assert not OfficerChange.objects.exists()


def test_the_handover_page(tree, people, second_officer, login):
    f.PersonFactory(village=tree.ta_leng, officer=people.commune_police)
    client = login(people.commune_police)
    assert client.get(reverse("quality:handover")).status_code == 200
    response = client.post(
        reverse("quality:handover"),
        {
            "from_officer": people.commune_police.pk,
            "to_officer": second_officer.pk,
            "reason": "Nghỉ phép dài ngày",
        },
        follow=True,
    )
    assert "Đã bàn giao 1 đối tượng" in response.content.decode()
    refused = client.post(
        reverse("quality:handover"),
        {"from_officer": second_officer.pk, "to_officer": people.other_police.pk, "reason": "x"},
    )
    assert (
        refused.status_code == 200
    )  # the form again, with its error: an officer of another commune is no choice
    assert not Person.objects.filter(officer=people.other_police).exists()
    for user in (people.commune_chair, people.district_police, people.province):
        assert login(user).get(reverse("quality:handover")).status_code == 403


def test_the_person_page_changes_the_officer(tree, people, second_officer, login):
    person = f.PersonFactory(village=tree.ta_leng)
    client = login(people.commune_police)
    page = client.get(reverse("subjects:person_detail", args=[person.pk])).content.decode()
    assert "Đổi cán bộ phụ trách" in page
    client.post(
        reverse("quality:assign", args=[person.pk]), {"officer": second_officer.pk, "reason": "Phân công"}
    )
    person.refresh_from_db()
    assert person.officer == second_officer
    # The chair reads the page without the form, and cannot post it.
    chair = login(people.commune_chair)
    assert (
        "Đổi cán bộ phụ trách"
        not in chair.get(reverse("subjects:person_detail", args=[person.pk])).content.decode()
    )
    chair.post(reverse("quality:assign", args=[person.pk]), {"officer": ""})
    person.refresh_from_db()
    assert person.officer == second_officer
    # Another commune's police: the person does not exist for them.
    assert (
        login(people.other_police)
        .post(reverse("quality:assign", args=[person.pk]), {"officer": ""})
        .status_code
        == 404
    )
