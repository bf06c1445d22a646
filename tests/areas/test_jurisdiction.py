"""Who sees which unit: every role against units inside and outside its subtree."""

import datetime as dt

import pytest
from django.urls import reverse

from areas.jurisdiction import jurisdiction_paths
from areas.models import Area
from areas.services import close_area
from tests.factories import AreaFactory, UserFactory

# persona → units it must see; every other unit of the tree must be hidden.
EXPECTED_VISIBLE = {
    "commune_police": {"hoang_then", "ta_leng", "ho_sao"},
    "commune_chair": {"hoang_then", "ta_leng", "ho_sao"},
    "other_police": {"muong_so", "co_muong"},
    "district_police": {"phong_tho", "hoang_then", "ta_leng", "ho_sao", "muong_so", "co_muong"},
    "labour": {"phong_tho", "hoang_then", "ta_leng", "ho_sao", "muong_so", "co_muong"},
    "health": {"phong_tho", "hoang_then", "ta_leng", "ho_sao", "muong_so", "co_muong"},
    "district_chair": {"phong_tho", "hoang_then", "ta_leng", "ho_sao", "muong_so", "co_muong"},
    "province": {"lai_chau", "phong_tho", "hoang_then", "ta_leng", "ho_sao", "muong_so", "co_muong"},
    "tanan_police": {"tan_an", "trai_mua"},
    "city_police": {"hai_phong", "tan_an", "trai_mua"},
    "city_chair": {"hai_phong", "tan_an", "trai_mua"},
}
UNITS = [
    "lai_chau",
    "phong_tho",
    "hoang_then",
    "ta_leng",
    "ho_sao",
    "muong_so",
    "co_muong",
    "hai_phong",
    "tan_an",
    "trai_mua",
]


@pytest.mark.parametrize("persona", sorted(EXPECTED_VISIBLE))
def test_each_role_sees_exactly_its_subtree(tree, people, persona):
    user = getattr(people, persona)
    visible = set(Area.objects.visible_to(user).values_list("pk", flat=True))
    expected = {getattr(tree, name).pk for name in EXPECTED_VISIBLE[persona]}
    assert visible == expected


@pytest.mark.parametrize("persona", sorted(EXPECTED_VISIBLE))
@pytest.mark.parametrize("unit", UNITS)
def test_unit_page_answers_404_outside_the_subtree(tree, people, login, persona, unit):
    client = login(getattr(people, persona))
    response = client.get(reverse("areas:detail", args=[getattr(tree, unit).pk]))
    assert response.status_code == (200 if unit in EXPECTED_VISIBLE[persona] else 404)


def test_anonymous_visitor_is_sent_to_login(tree, client):
    response = client.get(reverse("areas:detail", args=[tree.hoang_then.pk]))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_user_without_unit_sees_nothing(tree):
    nobody = UserFactory(username="nobody")
    assert not Area.objects.visible_to(nobody).exists()


def test_inactive_user_sees_nothing(tree, people):
    people.commune_police.is_active = False
    assert not Area.objects.visible_to(people.commune_police).exists()


def test_superuser_sees_every_unit(tree):
    admin = UserFactory(username="root", is_superuser=True, is_staff=True)
    assert Area.objects.visible_to(admin).count() == Area.objects.count()


def test_closed_commune_stays_reachable_from_its_successor(tree, people):
    """A village recognised under a commune that was later merged shows under the successor."""
    merged_into = AreaFactory(level="commune", kind="xã", name="Xã Phong Thổ mới", parent=tree.lai_chau)
    successor_police = UserFactory(username="cax_moi", role="commune_police", area=merged_into)
    close_area(
        area=tree.hoang_then, on=dt.date(2025, 7, 1), successors=[merged_into], basis="NQ 1670/NQ-UBTVQH15"
    )

    visible = set(Area.objects.visible_to(successor_police).values_list("name", flat=True))
    assert {"Xã Phong Thổ mới", "Xã Hoang Thèn", "Bản Tả Lèng", "Bản Hô Sáo"} <= visible
    assert "Xã Mường So" not in visible
    # The old commune's own police keep their history too.
    assert tree.ta_leng in Area.objects.visible_to(people.commune_police)


def test_succession_chains_are_followed(tree):
    first = AreaFactory(level="commune", kind="xã", name="Xã A", parent=tree.lai_chau)
    second = AreaFactory(level="commune", kind="xã", name="Xã B", parent=tree.lai_chau)
    close_area(area=tree.hoang_then, on=dt.date(2025, 7, 1), successors=[first])
    close_area(area=first, on=dt.date(2027, 1, 1), successors=[second])
    user = UserFactory(username="cax_b", role="commune_police", area=second)
    assert tree.ta_leng in Area.objects.visible_to(user)
    assert len(jurisdiction_paths(user)) == 3
