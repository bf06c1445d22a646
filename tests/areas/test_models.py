import pytest
from django.core.exceptions import ValidationError

from areas.models import Area
from tests.factories import AreaFactory, UserFactory


def test_path_follows_the_parent_and_moves_descendants(tree):
    tree.hoang_then.parent = tree.lai_chau
    tree.hoang_then.save()
    tree.ta_leng.refresh_from_db()
    assert tree.ta_leng.path == f"/{tree.lai_chau.pk}/{tree.hoang_then.pk}/{tree.ta_leng.pk}/"
    assert tree.ta_leng in Area.objects.subtree(tree.lai_chau)
    assert tree.ta_leng not in Area.objects.subtree(tree.phong_tho)


def test_ancestors_are_listed_top_first(tree):
    assert tree.ta_leng.ancestors() == [tree.lai_chau, tree.phong_tho, tree.hoang_then]


@pytest.mark.parametrize(
    ("level", "parent_name", "message"),
    [
        ("village", "phong_tho", "không thể trực thuộc"),
        ("commune", "hoang_then", "không thể trực thuộc"),
        ("district", None, "phải có đơn vị cấp trên"),
    ],
)
def test_a_unit_sits_only_under_an_allowed_level(tree, level, parent_name, message):
    parent = getattr(tree, parent_name) if parent_name else None
    area = Area(level=level, kind="x", name="Thử", parent=parent)
    with pytest.raises(ValidationError) as exc:
        area.full_clean()
    assert message in str(exc.value)


def test_commune_may_sit_directly_under_a_province(tree):
    Area(level="commune", kind="xã", name="Xã Mới", parent=tree.hai_phong).full_clean()


def test_a_body_closes_with_its_unit_and_names_the_successor_that_acts_for_it(tree):
    import datetime as dt

    police = tree.bodies.district_police
    assert police.is_open_on(dt.date(2025, 6, 30))
    tree.phong_tho.closed_on = dt.date(2025, 7, 1)
    tree.phong_tho.save()
    police.refresh_from_db()
    assert police.is_open_on(dt.date(2025, 6, 30)) and not police.is_open_on(dt.date(2025, 7, 1))
    assert "chưa ghi nhận cơ quan kế thừa" in police.closed_message(dt.date(2025, 7, 1))
    police.successor = tree.bodies.lai_chau_police
    police.save()
    assert police.acting_successor(dt.date(2025, 7, 1)) == tree.bodies.lai_chau_police
    assert police.closed_message(dt.date(2025, 7, 1)) == (
        "Công an huyện Phong Thổ đã thôi hoạt động từ ngày 01/07/2025; cơ quan kế thừa: Công an tỉnh Lai Châu."
    )


def test_the_commune_level_is_named_as_the_administration_stood_that_day():
    import datetime as dt

    from areas.models import commune_level_words

    assert commune_level_words(dt.date(2025, 6, 30)) == "xã, phường, thị trấn"
    assert commune_level_words(dt.date(2025, 7, 1)) == "xã, phường, đặc khu"


def test_a_user_acts_for_a_body_of_their_own_unit_and_of_their_roles_kind(tree):
    user = UserFactory.build(
        username="y", role="appraising_police", area=tree.phong_tho, body=tree.bodies.city_police
    )
    with pytest.raises(ValidationError, match="phải thuộc đơn vị"):
        user.full_clean()
    user = UserFactory.build(
        username="z", role="appraising_police", area=tree.phong_tho, body=tree.bodies.district_committee
    )
    with pytest.raises(ValidationError, match="không thực hiện tại"):
        user.full_clean()


def test_role_must_match_the_level_of_its_unit(tree):
    user = UserFactory.build(username="x", role="commune_police", area=tree.phong_tho)
    with pytest.raises(ValidationError) as exc:
        user.full_clean()
    assert "không gắn với" in str(exc.value)


def test_unit_codes_are_unique(tree):
    with pytest.raises(ValidationError):
        AreaFactory.build(level="province", kind="tỉnh", name="Trùng", code="12").full_clean()
