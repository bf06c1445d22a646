"""Which reports a unit owes and when: ten days before a due date the unit that owes a report sees
it on its home page and on the notifications page; once the date has passed without an issued
report, the superior body sees it in its list of overdue reports.

Due dates come from the reporting calendar of each unit's governing programme (`reports.periods`):
a period with no due date in the plan is never "overdue". Computed on every read — nothing is
stored — with a fixed number of queries whatever the number of units.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from areas.models import Area
from programmes.models import ReportKind

from .models import REPORT_UNIT_LEVELS, ReportRequest, ReportStatus
from .periods import ReportPeriod, due_periods

REMIND_DAYS_BEFORE = 10
# Overdue reports older than this are the archive's business, not a reminder's.
OVERDUE_LOOKBACK_DAYS = 366


@dataclass(frozen=True)
class OwedReport:
    unit: Area
    period: ReportPeriod
    report: ReportRequest | None  # the latest version, when someone has started it
    today: dt.date

    @property
    def due(self) -> dt.date:
        assert self.period.due is not None
        return self.period.due

    @property
    def overdue(self) -> bool:
        return self.due < self.today

    @property
    def days(self) -> int:
        """Days left (positive) or days late (negative)."""
        return (self.due - self.today).days

    @property
    def days_late(self) -> int:
        return max(0, -self.days)

    @property
    def kind_label(self) -> str:
        return ReportKind(self.period.kind).label

    @property
    def title(self) -> str:
        return f"Báo cáo {self.period.name}"

    @property
    def when_text(self) -> str:
        if self.days > 0:
            return f"hạn gửi {self.due:%d/%m/%Y} (còn {self.days} ngày)"
        if self.days == 0:
            return f"hạn gửi hôm nay, {self.due:%d/%m/%Y}"
        return f"quá hạn {-self.days} ngày (hạn {self.due:%d/%m/%Y})"


def owed(units: Iterable[Area], today: dt.date, *, upcoming: bool = True) -> list[OwedReport]:
    """The reports `units` owe around `today` and have not issued: due within the next ten days
    (with `upcoming`) or overdue within the last year. Three queries for the calendars, one for
    the reports, whatever the number of units."""
    units = [u for u in units if u.level in REPORT_UNIT_LEVELS]
    if not units:
        return []
    calendars = due_periods(units, {today.year - 1, today.year})
    latest: dict[tuple[int, str, dt.date, dt.date], ReportRequest] = {}
    issued: set[tuple[int, str, dt.date, dt.date]] = set()
    for report in ReportRequest.objects.filter(
        unit__in=units, period_end__gte=today - dt.timedelta(days=OVERDUE_LOOKBACK_DAYS + 366)
    ).order_by("version"):
        key = (report.unit_id, report.kind, report.period_start, report.period_end)
        latest[key] = report
        if report.status == ReportStatus.DONE:
            issued.add(key)
    found = []
    horizon = today + dt.timedelta(days=REMIND_DAYS_BEFORE if upcoming else -1)
    for unit in units:
        for period in calendars[unit.pk]:
            if period.due is None or period.start > today:
                continue
            if not today - dt.timedelta(days=OVERDUE_LOOKBACK_DAYS) <= period.due <= horizon:
                continue
            if unit.closed_on is not None and unit.closed_on <= period.due:
                continue
            key = (unit.pk, period.kind, period.start, period.end)
            if key in issued:
                continue
            found.append(OwedReport(unit, period, latest.get(key), today))
    return sorted(found, key=lambda o: (o.due, o.unit.path))


def owed_by(unit: Area, today: dt.date) -> list[OwedReport]:
    """What `unit` itself owes: due within ten days, or overdue."""
    return owed([unit], today)


def overdue_below(unit: Area, today: dt.date) -> list[OwedReport]:
    """The overdue reports of the units under `unit` (its communes, and districts if any)."""
    below = (
        Area.objects.subtree(unit)
        .filter(level__in=REPORT_UNIT_LEVELS)
        .exclude(pk=unit.pk)
        .open_on(today)
        .order_by("path")
    )
    return owed(list(below), today, upcoming=False)
