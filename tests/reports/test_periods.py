import datetime as dt

import pytest

from programmes.models import ReportKind
from reports.periods import Period, period_end_kinds, period_for, previous_period

D = dt.date


@pytest.mark.parametrize(
    ("period", "expected"),
    [
        (Period(D(2025, 1, 1), D(2025, 6, 30)), Period(D(2024, 7, 1), D(2024, 12, 31))),
        (Period(D(2025, 1, 1), D(2025, 12, 31)), Period(D(2024, 1, 1), D(2024, 12, 31))),
        (Period(D(2024, 6, 1), D(2024, 6, 30)), Period(D(2024, 5, 1), D(2024, 5, 31))),
        (Period(D(2024, 4, 1), D(2024, 12, 31)), Period(D(2023, 7, 1), D(2024, 3, 31))),
        (Period(D(2024, 4, 10), D(2024, 4, 19)), Period(D(2024, 3, 31), D(2024, 4, 9))),
    ],
)
def test_previous_period_is_the_same_span_just_before(period, expected):
    assert previous_period(period) == expected


def test_periodic_kinds_cover_the_seed_periods():
    assert period_for(kind=ReportKind.SIX_MONTH, year=2025) == Period(D(2025, 1, 1), D(2025, 6, 30))
    assert period_for(kind=ReportKind.ANNUAL, year=2025) == Period(D(2025, 1, 1), D(2025, 12, 31))
    assert period_for(kind=ReportKind.ACTION_MONTH, year=2024) == Period(D(2024, 6, 1), D(2024, 6, 30))


def test_period_ends_are_30_june_and_31_december_only():
    assert period_end_kinds(D(2025, 6, 30)) == [(ReportKind.SIX_MONTH, 2025), (ReportKind.ACTION_MONTH, 2025)]
    assert period_end_kinds(D(2025, 12, 31)) == [(ReportKind.ANNUAL, 2025)]
    assert period_end_kinds(D(2025, 12, 30)) == []
