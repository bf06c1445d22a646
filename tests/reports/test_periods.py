"""Periods, due dates and comparisons of every kind of report, from the programme's calendar."""

import datetime as dt

import pytest

from programmes.models import ReportingWindow, ReportKind
from reports import periods
from reports.periods import Calendar, Period, comparison_for

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def hai_phong_calendar(tree):
    """Hải Phòng's calendar as the issue states it: 6-month figures 15/12–14/6, annual 15/12–14/12,
    the Action Month 1–30/6 with communes due 02/7 and the city 08/7 (seed 001)."""
    plan = tree.programmes.hai_phong
    for kind, previous, o, c, due, commune_due in [
        (ReportKind.SIX_MONTH, True, (12, 15), (6, 14), (6, 20), None),
        (ReportKind.ANNUAL, True, (12, 15), (12, 14), (12, 20), None),
        (ReportKind.ACTION_MONTH, False, (6, 1), (6, 30), (7, 8), (7, 2)),
    ]:
        ReportingWindow.objects.create(
            programme=plan,
            kind=kind,
            opens_previous_year=previous,
            opens_month=o[0],
            opens_day=o[1],
            closes_month=c[0],
            closes_day=c[1],
            due_month=due[0],
            due_day=due[1],
            commune_due_month=commune_due[0] if commune_due else None,
            commune_due_day=commune_due[1] if commune_due else None,
        )
    return plan


def _dates(period):
    return period.start, period.end, period.due


def test_windows_and_due_dates_come_from_the_programmes_calendar(tree, hai_phong_calendar):
    commune = Calendar(tree.tan_an)
    assert _dates(periods.periodic(commune, ReportKind.SIX_MONTH, 2026)) == (
        D(2025, 12, 15),
        D(2026, 6, 14),
        D(2026, 6, 20),
    )
    # The second half runs from the day after the first closes to the annual closing, due with it.
    assert _dates(periods.periodic(commune, ReportKind.SIX_MONTH, 2026, half=2)) == (
        D(2026, 6, 15),
        D(2026, 12, 14),
        D(2026, 12, 20),
    )
    assert _dates(periods.periodic(commune, ReportKind.ANNUAL, 2026)) == (
        D(2025, 12, 15),
        D(2026, 12, 14),
        D(2026, 12, 20),
    )
    # Action Month: communes by 02/7, the city that issued the plan by 08/7.
    assert _dates(periods.periodic(commune, ReportKind.ACTION_MONTH, 2026)) == (
        D(2026, 6, 1),
        D(2026, 6, 30),
        D(2026, 7, 2),
    )
    city = Calendar(tree.hai_phong)
    assert periods.periodic(city, ReportKind.ACTION_MONTH, 2026).due == D(2026, 7, 8)
    assert "Kế hoạch số" in periods.periodic(commune, ReportKind.ANNUAL, 2026).source


def test_without_a_window_the_calendar_months_stand_in_and_no_due_date_is_invented(tree):
    calendar = Calendar(tree.hoang_then)
    assert _dates(periods.periodic(calendar, ReportKind.SIX_MONTH, 2025)) == (
        D(2025, 1, 1),
        D(2025, 6, 30),
        None,
    )
    assert _dates(periods.periodic(calendar, ReportKind.SIX_MONTH, 2025, 2)) == (
        D(2025, 7, 1),
        D(2025, 12, 31),
        None,
    )
    assert _dates(periods.periodic(calendar, ReportKind.ANNUAL, 2025)) == (
        D(2025, 1, 1),
        D(2025, 12, 31),
        None,
    )
    assert _dates(periods.periodic(calendar, ReportKind.ACTION_MONTH, 2024)) == (
        D(2024, 6, 1),
        D(2024, 6, 30),
        None,
    )
    assert "tháng dương lịch" in periods.periodic(calendar, ReportKind.ANNUAL, 2025).source


def test_phase_summaries_are_due_on_the_phase_date_and_the_final_covers_the_plan(tree, plan):
    phase_1, phase_2 = plan.phases.order_by("number")
    summary = periods.summary(phase_1)
    assert summary.kind == ReportKind.PHASE_SUMMARY
    assert _dates(summary) == (D(2024, 4, 1), D(2024, 12, 31), D(2024, 12, 10))
    assert summary.name.startswith("sơ kết giai đoạn 01")
    final = periods.summary(phase_2)
    assert final.kind == ReportKind.FINAL_SUMMARY
    assert _dates(final) == (D(2024, 4, 1), D(2025, 12, 31), D(2025, 12, 10))


def test_a_periodic_report_is_compared_with_the_same_window_a_year_earlier(tree):
    covered, comparison = comparison_for(
        ReportKind.SIX_MONTH, Period(D(2025, 12, 15), D(2026, 6, 14)), as_of=D(2026, 6, 14)
    )
    assert covered == Period(D(2025, 12, 15), D(2026, 6, 14))
    assert comparison.period == Period(D(2024, 12, 15), D(2025, 6, 14))
    assert comparison.text.startswith("cùng kỳ năm trước (từ ngày 15/12/2024 đến ngày 14/06/2025)")


def test_an_unfinished_year_is_compared_with_the_same_days_of_the_year_before(tree):
    # The issue: an annual report asked for on 05/12 compared 01/01–05/12 with a whole year.
    covered, comparison = comparison_for(
        ReportKind.ANNUAL, Period(D(2026, 1, 1), D(2026, 12, 31)), as_of=D(2026, 12, 5)
    )
    assert covered == Period(D(2026, 1, 1), D(2026, 12, 5))
    assert comparison.period == Period(D(2025, 1, 1), D(2025, 12, 5))


def test_a_summary_is_compared_with_as_many_days_just_before_it(tree):
    covered, comparison = comparison_for(
        ReportKind.PHASE_SUMMARY, Period(D(2024, 4, 1), D(2024, 12, 31)), as_of=D(2024, 12, 31)
    )
    assert comparison.period == Period(D(2023, 7, 1), D(2024, 3, 31))
    assert (covered.end - covered.start) == (comparison.period.end - comparison.period.start)
    assert comparison.text.startswith("cùng khoảng thời gian liền trước kỳ báo cáo")


def test_the_form_offers_only_periods_that_have_begun_and_resolves_their_keys(tree, hai_phong_calendar):
    offered = periods.offered(tree.tan_an, D(2026, 3, 1))
    keys = [p.key for p in offered]
    assert "six_month:2026:1" in keys and "annual:2026" in keys
    assert "action_month:2026" not in keys  # June has not come
    assert "six_month:2026:2" not in keys
    assert "action_month:2025" in keys
    found = periods.resolve(tree.tan_an, "six_month:2026:1", D(2026, 3, 1))
    assert found is not None and found.due == D(2026, 6, 20)
    assert periods.resolve(tree.tan_an, "six_month:2019:1", D(2026, 3, 1)) is None
    assert periods.resolve(tree.tan_an, "01/01/2026-30/06/2026", D(2026, 3, 1)) is None
