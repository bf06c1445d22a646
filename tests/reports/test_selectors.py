import datetime as dt
from decimal import Decimal

import pytest

from dossiers.route import State
from programmes.models import TargetKind, TargetLevel, required_count
from reports import formatting, selectors
from reports.periods import Period
from tests.factories import AreaFactory

pytestmark = pytest.mark.django_db


def test_fraction_text_is_vietnamese_with_comma_decimal():
    before, after = dt.date(2024, 12, 31), dt.date(2025, 7, 1)
    assert formatting.fraction_text(27, 170, TargetLevel.VILLAGE, before) == "27/170 thôn, bản = 15,9 %"
    assert formatting.fraction_text(0, 0, TargetLevel.COMMUNE, before) == "0/0 xã, phường, thị trấn = 0,0 %"
    # The commune level is named as the administration stood that day.
    assert formatting.fraction_text(3, 51, TargetLevel.COMMUNE, after) == "3/51 xã, phường, đặc khu = 5,9 %"


def test_vn_number_groups_thousands_with_dots():
    assert formatting.vn_number(1234567.25, 1) == "1.234.567,3"
    assert formatting.vn_number(1500, 0) == "1.500"


@pytest.mark.parametrize(
    ("kind", "value", "total", "expected"),
    [
        (TargetKind.COUNT, Decimal(27), 170, 27),
        (TargetKind.PERCENT, Decimal(60), 17, 11),  # 10.2 rounds up: "at least 60 %"
        (TargetKind.PERCENT, Decimal(50), 16, 8),
        (TargetKind.PERCENT, Decimal(100), 170, 170),
    ],
)
def test_required_count_rounds_percentages_up(kind, value, total, expected):
    assert required_count(kind, value, total) == expected


def test_state_as_of_a_day_follows_the_route_steps(tree, recognised_ta_leng):
    rows = {d.area_id: d for d in selectors.dossiers_as_of(tree.phong_tho, dt.date(2024, 6, 16))}
    assert rows[tree.ta_leng.pk].state == State.FORWARDED
    assert not rows[tree.ta_leng.pk].recognised
    later = selectors.dossiers_as_of(tree.phong_tho, dt.date(2024, 7, 10))[0]
    assert later.recognised and later.decision_number == "125/QĐ-UBND"


def test_dossier_registered_after_the_day_is_not_counted(tree, recognised_ta_leng):
    assert selectors.dossiers_as_of(tree.phong_tho, dt.date(2024, 5, 31)) == []


def test_revoked_unit_no_longer_counts_as_recognised(tree, make_dossier):
    make_dossier(
        tree.co_muong,
        [
            (State.DRAFT, dt.date(2024, 6, 1)),
            (State.RECOGNISED, dt.date(2024, 7, 1)),
            (State.REVOKED, dt.date(2024, 9, 1)),
        ],
        decision=("130/QĐ-UBND", dt.date(2024, 7, 1)),
    )
    assert selectors.dossiers_as_of(tree.phong_tho, dt.date(2024, 8, 1))[0].recognised
    row = selectors.dossiers_as_of(tree.phong_tho, dt.date(2024, 9, 2))[0]
    assert not row.recognised and row.state == State.REVOKED


def test_phase_progress_counts_recognised_villages_against_target(tree, plan, recognised_ta_leng):
    phase_1, phase_2 = selectors.plan_progress(plan, dt.date(2025, 1, 15))
    assert phase_1.progress.target_text == "2/3 thôn, bản = 66,7 %"
    assert phase_1.progress.actual_text == "1/3 thôn, bản = 33,3 %"
    assert not phase_1.progress.on_track
    assert phase_1.status_text == "Chưa đạt chỉ tiêu"
    named = {n.name: n for n in phase_1.named}
    assert named["Bản Tả Lèng"].recognised and named["Bản Tả Lèng"].decision_number == "125/QĐ-UBND"
    assert named["Bản Co Muông"].state_label == "Chưa đăng ký"
    # 60 % of the district's 2 communes is 2 communes.
    assert phase_2.progress.target_text == "2/2 xã, phường, thị trấn = 100,0 %"


def test_phase_counts_only_recognitions_by_its_end(tree, plan, make_dossier):
    make_dossier(
        tree.ho_sao,
        [(State.DRAFT, dt.date(2024, 6, 1)), (State.RECOGNISED, dt.date(2025, 2, 1))],
        decision=("9/QĐ-UBND", dt.date(2025, 2, 1)),
    )
    phase_1 = selectors.plan_progress(plan, dt.date(2025, 3, 1))[0]
    assert phase_1.progress.achieved == 0


def test_overdue_dossier_is_listed_by_the_deadline_its_programme_sets(tree, make_dossier):
    from programmes.models import RouteFunction, RouteStep

    RouteStep.objects.create(
        programme=tree.programmes.phong_tho,
        unit_level="village",
        function=RouteFunction.REVIEW,
        deadline_days=15,
    )
    make_dossier(tree.co_muong, [(State.DRAFT, dt.date(2024, 6, 1)), (State.SUBMITTED, dt.date(2024, 6, 5))])
    late = selectors.overdue(
        selectors.dossiers_as_of(tree.phong_tho, dt.date(2024, 7, 1)), dt.date(2024, 7, 1)
    )
    assert [d.area_name for d in late] == ["Bản Co Muông"]
    on_time = selectors.overdue(
        selectors.dossiers_as_of(tree.phong_tho, dt.date(2024, 6, 10)), dt.date(2024, 6, 10)
    )
    assert on_time == []


def test_province_years_compare_registered_target_with_recognised_communes(tree, people, make_dossier):
    from programmes.models import ProvinceTarget

    ProvinceTarget.objects.create(
        province=tree.lai_chau, year=2024, target_kind=TargetKind.PERCENT, target_value=50
    )
    ProvinceTarget.objects.create(
        province=tree.lai_chau, year=2025, target_kind=TargetKind.PERCENT, target_value=100
    )
    make_dossier(
        tree.hoang_then,
        [(State.DRAFT, dt.date(2024, 6, 1)), (State.RECOGNISED, dt.date(2024, 11, 1))],
        decision=("77/QĐ-UBND", dt.date(2024, 11, 1)),
    )
    years = selectors.province_years(tree.lai_chau, dt.date(2025, 6, 1))
    assert [(y.year, y.achieved, y.progress.required, y.progress.on_track) for y in years] == [
        (2024, 1, 1, True),
        (2025, 1, 2, False),
    ]


def test_situation_counts_register_figures_with_change(tree):
    from tests.factories import DrugPointFactory, PersonStatusFactory

    PersonStatusFactory(person__village=tree.ta_leng, start_date=dt.date(2024, 1, 10))
    PersonStatusFactory(person__village=tree.co_muong, start_date=dt.date(2024, 8, 1))
    PersonStatusFactory(person__village=tree.trai_mua, start_date=dt.date(2024, 1, 1))  # other province
    DrugPointFactory(village=tree.ta_leng, found_on=dt.date(2024, 2, 1), eliminated_on=dt.date(2024, 9, 1))

    rows = selectors.situation_with_change(
        tree.phong_tho,
        Period(dt.date(2024, 7, 1), dt.date(2024, 12, 31)),
        Period(dt.date(2024, 1, 1), dt.date(2024, 6, 30)),
    )
    by_key = {r.key: r for r in rows}
    assert (by_key["addicts"].current, by_key["addicts"].previous, by_key["addicts"].change) == (2, 1, 1)
    assert (by_key["points_active"].current, by_key["points_active"].previous) == (0, 1)
    assert by_key["points_eliminated"].current == 1


def test_dashboard_runs_a_constant_number_of_queries(tree, plan, make_dossier, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    make_dossier(tree.ta_leng, [(State.DRAFT, dt.date(2024, 6, 1))])
    with CaptureQueriesContext(connection) as small:
        selectors.dashboard(tree.phong_tho, dt.date(2025, 1, 1))
    for i in range(6):
        village = AreaFactory(parent=tree.muong_so, name=f"Bản Thêm {i}")
        make_dossier(village, [(State.DRAFT, dt.date(2024, 6, 1)), (State.SUBMITTED, dt.date(2024, 6, 5))])
    with CaptureQueriesContext(connection) as large:
        selectors.dashboard(tree.phong_tho, dt.date(2025, 1, 1))
    assert len(large) == len(small)
