"""A CCCD found by its last digits, for those who may see CCCD numbers (the commune's own police);
others still find a person only by the whole number."""

from __future__ import annotations

from django.urls import reverse

from tests import factories as f


def _found(client, text):
    response = client.get(reverse("subjects:person_list"), {"q": text})
    return [cells[0][1] for _url, cells in response.context["rows"]]


def _people(tree):
    f.PersonFactory(full_name="Lò Văn Một", village=tree.ta_leng, cccd="001090001234")
    f.PersonFactory(full_name="Lò Văn Hai", village=tree.ta_leng, cccd="001090005678")
    f.PersonFactory(full_name="Lò Văn Ba", village=tree.ho_sao, cccd=None)


def test_commune_police_find_a_person_by_the_last_digits_of_the_cccd(tree, people, login):
    _people(tree)
    client = login(people.commune_police)
    assert _found(client, "1234") == ["Lò Văn Một"]
    assert _found(client, " 0001234") == ["Lò Văn Một"]
    assert _found(client, "001090001234") == ["Lò Văn Một"]
    assert _found(client, "9999") == []


def test_readers_who_see_masked_numbers_find_only_by_the_whole_number(tree, people, login):
    _people(tree)
    client = login(people.district_police)
    assert _found(client, "01234") == []
    assert _found(client, "001090001234") == ["Lò Văn Một"]


def test_the_person_records_lists_also_take_the_last_digits(tree, people, login):
    _people(tree)
    person = f.PersonFactory(full_name="Lò Thị Bốn", village=tree.ta_leng, cccd="001090004444")
    f.DrugTestFactory(person=person)
    client = login(people.commune_police)
    response = client.get(reverse("subjects:test_list"), {"q": "4444"})
    assert response.context["page"].paginator.count == 1
