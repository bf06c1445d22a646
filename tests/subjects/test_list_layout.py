"""Register lists on a phone: the filters fold behind a button (open when a filter is in use) so
the list comes first."""

from __future__ import annotations

from django.urls import reverse


def test_filters_are_folded_behind_a_button_until_one_is_in_use(records, people, login):
    client = login(people.commune_police)
    html = client.get(reverse("subjects:person_list")).content.decode()
    assert 'data-bs-target="#filters"' in html and 'aria-controls="filters"' in html
    assert 'class="collapse d-xxl-block" id="filters" data-filters-active="0"' in html
    html = client.get(reverse("subjects:person_list"), {"q": "Ánh"}).content.decode()
    assert 'data-filters-active="1"' in html and "đang lọc" in html
