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


def test_deciding_body_is_the_district_where_one_exists_else_the_province(tree):
    assert tree.hoang_then.deciding_level_ancestor() == tree.phong_tho
    assert tree.tan_an.deciding_level_ancestor() == tree.hai_phong


def test_role_must_match_the_level_of_its_unit(tree):
    user = UserFactory.build(username="x", role="commune_police", area=tree.phong_tho)
    with pytest.raises(ValidationError) as exc:
        user.full_clean()
    assert "không gắn với" in str(exc.value)


def test_unit_codes_are_unique(tree):
    with pytest.raises(ValidationError):
        AreaFactory.build(level="province", kind="tỉnh", name="Trùng", code="12").full_clean()
