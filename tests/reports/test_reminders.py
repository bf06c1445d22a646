"""Ten days before a due date the unit that owes a report sees it (home page, notifications page);
after the date, its superior body sees it overdue — until the report is issued."""

import datetime as dt

import pytest
from django.urls import reverse

from programmes.models import ReportingWindow, ReportKind
from reports import reminders
from tests.reports.conftest import OFFICER_TEXT

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def action_month(tree):
    """Hải Phòng's Action Month: communes report by 02/7, the city by 08/7 (seed 001), under a
    plan in force from 2026 (so nothing of 2025 is owed)."""
    tree.programmes.hai_phong.valid_from = D(2026, 1, 1)
    tree.programmes.hai_phong.save(update_fields=["valid_from"])
    return ReportingWindow.objects.create(
        programme=tree.programmes.hai_phong,
        kind=ReportKind.ACTION_MONTH,
        opens_month=6,
        opens_day=1,
        closes_month=6,
        closes_day=30,
        due_month=7,
        due_day=8,
        commune_due_month=7,
        commune_due_day=2,
    )


def _titles(items):
    return [(i.unit.name, i.period.kind, i.due) for i in items]


def test_the_commune_is_reminded_from_ten_days_before_its_due_date(tree, action_month):
    assert reminders.owed_by(tree.tan_an, D(2026, 6, 21)) == []  # eleven days before
    (item,) = reminders.owed_by(tree.tan_an, D(2026, 6, 22))  # ten days before 02/7
    assert _titles([item]) == [("Xã Tân An", ReportKind.ACTION_MONTH, D(2026, 7, 2))]
    assert not item.overdue and item.days == 10 and "còn 10 ngày" in item.when_text
    (late,) = reminders.owed_by(tree.tan_an, D(2026, 7, 3))
    assert late.overdue and "quá hạn 1 ngày" in late.when_text


def test_the_superior_body_sees_its_communes_overdue_reports_until_they_are_issued(
    tree, people, action_month, issue, monkeypatch
):
    assert reminders.overdue_below(tree.hai_phong, D(2026, 7, 2)) == []  # due today: not late yet
    late = reminders.overdue_below(tree.hai_phong, D(2026, 7, 3))
    assert _titles(late) == [("Xã Tân An", ReportKind.ACTION_MONTH, D(2026, 7, 2))]
    # The city owes its own by 08/7: not its communes' list, but its own reminder.
    assert _titles(reminders.owed_by(tree.hai_phong, D(2026, 7, 3))) == [
        ("Thành phố Hải Phòng", ReportKind.ACTION_MONTH, D(2026, 7, 8))
    ]
    # Issued (late), the report leaves every list.
    monkeypatch.setattr(reminders, "OVERDUE_LOOKBACK_DAYS", 366)
    issue(people.tanan_police, kind=ReportKind.ACTION_MONTH, unit=tree.tan_an, year=2026, texts=OFFICER_TEXT)
    assert reminders.overdue_below(tree.hai_phong, D(2026, 7, 3)) == []
    assert reminders.owed_by(tree.tan_an, D(2026, 7, 3)) == []


def test_no_due_date_in_the_plan_means_no_reminder(tree):
    # Phong Thổ's plan sets no reporting window: nothing is invented.
    assert reminders.owed_by(tree.hoang_then, D(2025, 6, 25)) == []
    assert reminders.overdue_below(tree.phong_tho, D(2025, 7, 25)) == []


def test_a_phase_summary_is_due_on_its_date(tree, plan):
    (item,) = reminders.owed_by(tree.phong_tho, D(2024, 11, 30))
    assert (item.period.kind, item.due) == (ReportKind.PHASE_SUMMARY, D(2024, 12, 10))
    assert reminders.owed_by(tree.phong_tho, D(2024, 11, 29)) == []


def test_home_and_notifications_show_the_reminder_and_the_superior_its_overdue_list(
    login, people, tree, action_month, monkeypatch
):
    from django.utils import timezone

    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: D(2026, 6, 25))
    commune = login(people.tanan_police)
    home = commune.get(reverse("home")).content.decode()
    assert "Sắp đến hạn: Báo cáo Tháng hành động phòng, chống ma túy năm 2026" in home
    assert "hạn gửi 02/07/2026 (còn 7 ngày)" in home
    notifications = commune.get(reverse("dossiers:notifications")).content.decode()
    assert 'data-testid="report-owed"' in notifications and "hạn gửi 02/07/2026" in notifications

    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: D(2026, 7, 5))
    city = login(people.city_police)
    home = city.get(reverse("home")).content.decode()
    assert "Báo cáo của đơn vị cấp dưới quá hạn" in home
    page = city.get(reverse("reports:overdue")).content.decode()
    assert page.count('data-testid="overdue-row"') == 1 and "Xã Tân An" in page and "3 ngày" in page
    # An outsider's list does not show Hải Phòng's communes.
    other = login(people.district_police).get(reverse("reports:overdue")).content.decode()
    assert "Xã Tân An" not in other


def test_the_overdue_page_runs_a_constant_number_of_queries(login, people, tree, action_month, monkeypatch):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from tests.factories import AreaFactory

    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: D(2026, 7, 5))
    client = login(people.city_police)
    client.get(reverse("reports:overdue"))
    with CaptureQueriesContext(connection) as small:
        client.get(reverse("reports:overdue"))
    for i in range(5):
        AreaFactory(level="commune", kind="xã", name=f"Xã Thêm {i}", parent=tree.hai_phong)
    with CaptureQueriesContext(connection) as large:
        page = client.get(reverse("reports:overdue")).content.decode()
    assert page.count('data-testid="overdue-row"') == 6
    assert len(large) == len(small)
