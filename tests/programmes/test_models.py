"""What a programme holds and refuses: citations, overlaps, route bodies, calendars."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from programmes.models import LegalBasis, Programme, ReportingWindow, ReportKind, RouteFunction, RouteStep


def test_a_law_and_a_plan_are_cited_as_vietnamese_documents_cite_them(tree):
    programme = tree.programmes.phong_tho
    law = LegalBasis(
        programme=programme,
        document_kind="Luật",
        title="Tổ chức chính quyền địa phương",
        issued_on=dt.date(2025, 6, 16),
    )
    plan = LegalBasis(
        programme=programme,
        document_kind="Kế hoạch",
        number="1246/KH-UBND",
        issued_on=dt.date(2024, 4, 9),
        issuer="UBND tỉnh Lai Châu",
        title="về việc xây dựng “thôn, bản, tổ dân phố, xã, thị trấn không có ma túy”",
    )
    assert law.citation == "Căn cứ Luật Tổ chức chính quyền địa phương ngày 16 tháng 6 năm 2025"
    assert plan.citation == (
        "Căn cứ Kế hoạch số 1246/KH-UBND ngày 09 tháng 4 năm 2024 của UBND tỉnh Lai Châu về việc xây dựng "
        "“thôn, bản, tổ dân phố, xã, thị trấn không có ma túy”"
    )


def test_a_basis_is_cited_only_on_the_days_it_applies(tree):
    programme = tree.programmes.phong_tho
    LegalBasis.objects.all().delete()
    for position, (issued, until, since) in enumerate(
        [
            (dt.date(2015, 6, 19), dt.date(2025, 6, 30), None),
            (dt.date(2025, 6, 16), None, dt.date(2025, 7, 1)),
        ],
        1,
    ):
        LegalBasis.objects.create(
            programme=programme,
            position=position,
            document_kind="Luật",
            title="Tổ chức chính quyền địa phương",
            issued_on=issued,
            cited_until=until,
            cited_from=since,
        )
    assert programme.basis_lines(dt.date(2025, 6, 30)) == [
        "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015"
    ]
    assert programme.basis_lines(dt.date(2025, 7, 1)) == [
        "Căn cứ Luật Tổ chức chính quyền địa phương ngày 16 tháng 6 năm 2025"
    ]


def test_two_active_programmes_of_one_unit_may_not_overlap(tree):
    overlapping = Programme(
        issuing_unit=tree.phong_tho,
        number="200/KH-UBND",
        issuing_body="UBND huyện Phong Thổ",
        title="Kế hoạch trùng thời gian",
        valid_from=dt.date(2025, 1, 1),
    )
    with pytest.raises(ValidationError, match="đang áp dụng trong cùng thời gian"):
        overlapping.full_clean()
    previous = tree.programmes.phong_tho
    previous.valid_until = dt.date(2024, 12, 31)
    previous.save()
    overlapping.full_clean()  # once the old one ends the day before, the new one may start


def test_a_programme_may_not_use_a_set_bound_to_another_province(tree):
    programme = tree.programmes.hai_phong
    programme.village_criteria_set = tree.programmes.phong_tho.village_criteria_set  # bound to Lai Châu
    with pytest.raises(ValidationError, match="chỉ áp dụng trong Tỉnh Lai Châu"):
        programme.full_clean()


@pytest.mark.parametrize(
    ("function", "body_name", "message"),
    [
        (RouteFunction.APPRAISE, "district_committee", "cơ quan công an thực hiện"),
        (RouteFunction.DECIDE, "district_police", "ủy ban nhân dân thực hiện"),
        (RouteFunction.APPRAISE, "city_police", "không có thẩm quyền trên địa bàn"),
        (RouteFunction.PREPARE, "district_police", "không chọn cơ quan"),
    ],
)
def test_a_route_step_takes_a_body_of_the_right_kind_with_authority_over_the_units(
    tree, function, body_name, message
):
    step = RouteStep(
        programme=tree.programmes.phong_tho,
        unit_level="village",
        function=function,
        body=getattr(tree.bodies, body_name),
    )
    with pytest.raises(ValidationError, match=message):
        step.full_clean()


def test_a_reporting_window_reaches_back_into_the_previous_year_and_refuses_impossible_days(tree):
    window = ReportingWindow(
        programme=tree.programmes.hai_phong,
        kind=ReportKind.SIX_MONTH,
        opens_previous_year=True,
        opens_month=12,
        opens_day=15,
        closes_month=6,
        closes_day=14,
        due_month=6,
        due_day=20,
    )
    assert window.window(2026) == (dt.date(2025, 12, 15), dt.date(2026, 6, 14), dt.date(2026, 6, 20))
    window.due_month, window.due_day = 2, 31
    with pytest.raises(ValidationError, match="không có thật"):
        window.full_clean()
