"""The national view (Cục C04): every province's commune-level units recognised against its
yearly target and the national 50 % of 2030, from the nightly snapshots; and the dashboards'
"recognised but at risk" read from the snapshots too."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from areas.models import Body, BodyKind, Level, Role
from areas.services import ensure_national_root
from programmes.models import ProvinceTarget, TargetKind
from reports import selectors as report_selectors
from snapshots import selectors, services
from snapshots.models import ScoreSnapshot
from subjects.models import DrugPoint
from tests.factories import AreaFactory, UserFactory

DAY = dt.date(2026, 3, 2)


@pytest.fixture
def c04(db):
    nation = ensure_national_root()
    body = Body.objects.create(
        area=nation,
        kind=BodyKind.POLICE,
        name="Cục Cảnh sát điều tra tội phạm về ma túy",
        head_title="Cục trưởng",
        symbol="C04",
    )
    return UserFactory(username="c04", role=Role.NATIONAL_OBSERVER, area=nation, body=body)


def _snapshot(area, province, day, *, recognised=False, met=True):
    return ScoreSnapshot.objects.create(
        area=area,
        province=province,
        level=area.level,
        day=day,
        status="met" if met else "not_met",
        recognised=recognised,
        met_count=8 if met else 7,
        criteria_count=8,
        computed_at=timezone.now(),
    )


@pytest.fixture
def country(tree):
    """Lai Châu: 4 communes (the two of the tree and two more), 1 recognised on DAY, 2 meeting the
    criteria; Hải Phòng: 1 commune, recognised. Targets for the year: Lai Châu 50 % (2 of 4),
    Hải Phòng 1 commune. A year earlier, on 31/12/2025: nothing recognised."""
    extra = [
        AreaFactory(level=Level.COMMUNE, kind="xã", name=f"Xã Thử {n}", parent=tree.lai_chau) for n in (1, 2)
    ]
    lai_chau = [tree.hoang_then, tree.muong_so, *extra]
    for n, commune in enumerate(lai_chau):
        _snapshot(commune, tree.lai_chau, DAY, recognised=n == 0, met=n < 2)
        _snapshot(commune, tree.lai_chau, dt.date(2025, 12, 31), met=n == 0)
    _snapshot(tree.tan_an, tree.hai_phong, DAY, recognised=True)
    _snapshot(tree.tan_an, tree.hai_phong, dt.date(2025, 12, 31), met=False)
    _snapshot(tree.ta_leng, tree.lai_chau, DAY, recognised=True)  # a village: not counted
    ProvinceTarget.objects.create(province=tree.lai_chau, year=2026, target_value=Decimal(50))
    ProvinceTarget.objects.create(
        province=tree.hai_phong, year=2026, target_kind=TargetKind.COUNT, target_value=Decimal(1)
    )
    ProvinceTarget.objects.create(province=tree.lai_chau, year=2025, target_value=Decimal(25))
    return tree


def test_national_view_counts_each_provinces_communes_against_its_target(country):
    view = selectors.national_view(DAY)
    assert view.day == DAY
    rows = {row.province.name: row for row in view.provinces}
    lai_chau, hai_phong = rows["Tỉnh Lai Châu"], rows["Thành phố Hải Phòng"]
    assert (lai_chau.communes, lai_chau.recognised, lai_chau.meeting) == (4, 1, 2)
    assert lai_chau.target_count == 2 and lai_chau.behind and lai_chau.shortfall == 1
    assert (hai_phong.communes, hai_phong.recognised, hai_phong.target_count) == (1, 1, 1)
    assert not hai_phong.behind
    assert [row.province.name for row in view.behind] == ["Tỉnh Lai Châu"]
    assert (view.communes, view.recognised, view.recognised_percent) == (5, 2, Decimal("40.0"))
    assert view.goal_count == 3  # 50 % of 5, rounded up
    # The trend: each year's last snapshot day, the country's share and its registered targets.
    assert [(p.year, p.day, p.recognised, p.meeting, p.communes) for p in view.years] == [
        (2025, dt.date(2025, 12, 31), 0, 1, 5),
        (2026, DAY, 2, 3, 5),
    ]
    assert view.years[0].target_count == 1  # Lai Châu 25 % of 4; Hải Phòng registered no 2025 target
    assert view.years[1].target_count == 3


def test_national_view_of_an_earlier_day_reads_that_days_snapshots(country):
    view = selectors.national_view(dt.date(2026, 1, 15))
    assert view.day == dt.date(2025, 12, 31)
    assert view.recognised == 0 and view.meeting == 1
    assert [p.year for p in view.years] == [2025]


def test_national_page_for_c04_with_a_link_to_every_province(client, country, c04):
    client.force_login(c04)
    response = client.get(reverse("reports:national"), {"ngay": "02/03/2026"})
    assert response.status_code == 200
    text = response.content.decode()
    assert "Toàn quốc: xã, phường, đặc khu không ma túy" in text
    assert f'href="/bao-cao/?don-vi={country.lai_chau.pk}"' in text
    assert f'href="/bao-cao/?don-vi={country.hai_phong.pk}"' in text
    assert "Chậm tiến độ" in text and "Đạt chỉ tiêu" in text
    assert "<svg" in text
    # and the province's dashboard opens
    assert client.get(reverse("reports:index"), {"don-vi": country.lai_chau.pk}).status_code == 200


def test_c04_lands_on_the_national_view_and_writes_nothing(client, country, c04):
    client.force_login(c04)
    assert client.get(reverse("home")).url == reverse("reports:index")
    assert client.get(reverse("reports:index")).url == reverse("reports:national")
    from areas.permissions import Action, can

    assert not can(c04, Action.EDIT_REGISTERS, country.ta_leng)
    assert not can(c04, Action.REQUEST_REPORT, country.lai_chau)


def test_national_page_is_refused_to_every_other_role(client, country, people):
    for user in (people.province, people.commune_police, people.district_police):
        client.force_login(user)
        assert client.get(reverse("reports:national")).status_code == 403


def test_national_page_queries_do_not_grow_with_the_country(
    client, country, c04, django_assert_max_num_queries
):
    client.force_login(c04)
    url = reverse("reports:national")
    with django_assert_max_num_queries(12) as small:
        client.get(url, {"ngay": "02/03/2026"})
    for n in range(6):
        province = AreaFactory(level=Level.PROVINCE, kind="tỉnh", name=f"Tỉnh Thêm {n}")
        commune = AreaFactory(level=Level.COMMUNE, kind="xã", name=f"Xã Thêm {n}", parent=province)
        _snapshot(commune, province, DAY)
        ProvinceTarget.objects.create(province=province, year=2026, target_value=Decimal(10))
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(url, {"ngay": "02/03/2026"})
    assert "Tỉnh Thêm 5" in response.content.decode()


def test_dashboard_at_risk_reads_the_snapshot_not_a_live_score(tree, recognised_ta_leng, monkeypatch):
    DrugPoint.objects.create(
        village=tree.ta_leng, kind="hotspot", description="Bãi đất trống", found_on=dt.date(2025, 1, 5)
    )
    services.snapshot_province(province_id=tree.lai_chau.pk, day=DAY, watch=False)
    rows = [d for d in report_selectors.dossiers_as_of(tree.phong_tho, DAY) if d.recognised]

    def no_live_scoring(*args, **kwargs):
        raise AssertionError("the dashboard scored live although a snapshot exists")

    monkeypatch.setattr(report_selectors, "_live_scorecards", no_live_scoring)
    [risk] = report_selectors.at_risk(rows, DAY)
    assert risk.area_name == "Bản Tả Lèng"
    # Named by the criterion's short name (or "TC n"), as the scorecards name it.
    assert risk.broken[0].startswith("Không có điểm ma túy: ")
    # The next day, before the nightly run reaches it, reads the night before's.
    assert report_selectors.at_risk(rows, DAY + dt.timedelta(days=1))[0].area_id == tree.ta_leng.pk
    with pytest.raises(AssertionError, match="scored live"):  # older snapshots are not read
        report_selectors.at_risk(rows, DAY + dt.timedelta(days=2))


def test_dashboard_at_risk_scores_live_a_unit_without_snapshot(tree, recognised_ta_leng):
    DrugPoint.objects.create(
        village=tree.ta_leng, kind="hotspot", description="Bãi đất trống", found_on=dt.date(2025, 1, 5)
    )
    rows = [d for d in report_selectors.dossiers_as_of(tree.phong_tho, DAY) if d.recognised]
    [risk] = report_selectors.at_risk(rows, DAY)
    assert risk.area_id == tree.ta_leng.pk


def test_province_links_carry_the_bare_id_whatever_its_size(client, country, c04):
    # Seen failing: the Vietnamese number format wrote id 2590 as "2.590" in the link.
    big = AreaFactory(pk=12345, level=Level.PROVINCE, kind="tỉnh", name="Tỉnh Mã Lớn")
    _snapshot(AreaFactory(level=Level.COMMUNE, kind="xã", name="Xã Mã Lớn", parent=big), big, DAY)
    ProvinceTarget.objects.create(province=big, year=2026, target_value=Decimal(10))
    client.force_login(c04)
    text = client.get(reverse("reports:national"), {"ngay": "02/03/2026"}).content.decode()
    assert 'href="/bao-cao/?don-vi=12345"' in text
    assert "12.345" not in text


def test_dashboard_unit_choice_carries_the_bare_id_whatever_its_size(client, country, c04):
    big = AreaFactory(pk=12345, level=Level.PROVINCE, kind="tỉnh", name="Tỉnh Mã Lớn")
    client.force_login(c04)
    text = client.get(reverse("reports:index"), {"don-vi": big.pk}).content.decode()
    assert '<option value="12345" selected>Tỉnh Mã Lớn</option>' in text


def test_c04_sees_every_province_and_its_area_pages_list_them(client, country, c04):
    from areas.models import Area

    assert set(Area.objects.visible_to(c04).filter(level=Level.PROVINCE)) == {
        country.lai_chau,
        country.hai_phong,
    }
    assert Area.objects.visible_to(c04).filter(pk=country.trai_mua.pk).exists()
    client.force_login(c04)
    assert client.get(reverse("areas:mine")).url == reverse("areas:list")
    text = client.get(reverse("areas:list")).content.decode()
    assert "Tỉnh Lai Châu" in text and "Thành phố Hải Phòng" in text
    assert f'href="{c04.area.get_absolute_url()}"' not in text  # the national unit is not a province
    detail = client.get(reverse("areas:detail", args=[c04.area_id])).content.decode()
    assert "Tỉnh Lai Châu" in detail and "Thành phố Hải Phòng" in detail
