"""Report periods: what each kind of report covers, the period before it, and how it is named.

A programme's reporting calendar sets the data window of its periodic reports (e.g. 15/12 of the
year before to 14/6); without one, the 6-month report covers 01/01–30/6, the annual one the
calendar year, the Action Month report 01/6–30/6 (seed 001); phase summaries cover their phase,
the final summary the whole plan.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from areas.models import DISTRICTS_CEASED_ON, commune_level_words
from programmes.models import Phase, ReportingWindow, ReportKind


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date

    @property
    def text(self) -> str:
        return f"từ ngày {self.start:%d/%m/%Y} đến ngày {self.end:%d/%m/%Y}"


def period_for(
    *, kind: str, year: int | None = None, phase: Phase | None = None, window: ReportingWindow | None = None
) -> Period:
    """The period a report of `kind` covers, for a year (periodic kinds) or a phase (summaries).
    Where the governing programme's calendar sets the data window of a periodic kind (`window`),
    that window; otherwise the calendar months."""
    if window is not None and year is not None:
        start, end, _due = window.window(year)
        return Period(start, end)
    if kind == ReportKind.SIX_MONTH:
        return Period(dt.date(year, 1, 1), dt.date(year, 6, 30))
    if kind == ReportKind.ANNUAL:
        return Period(dt.date(year, 1, 1), dt.date(year, 12, 31))
    if kind == ReportKind.ACTION_MONTH:
        return Period(dt.date(year, 6, 1), dt.date(year, 6, 30))
    if kind == ReportKind.PHASE_SUMMARY:
        return Period(phase.starts_on, phase.ends_on)
    if kind == ReportKind.FINAL_SUMMARY:
        first = min(p.starts_on for p in phase.programme.phases.all())
        return Period(first, phase.ends_on)
    raise ValueError(f"unknown report kind {kind!r}")


def previous_period(period: Period) -> Period:
    """The period just before `period`: the previous whole months when `period` is made of whole
    months (01/01–30/6 → 01/7–31/12 of the year before), else the same number of days before."""
    end = period.start - dt.timedelta(days=1)
    next_day = period.end + dt.timedelta(days=1)
    if period.start.day == 1 and next_day.day == 1:
        months = (next_day.year - period.start.year) * 12 + next_day.month - period.start.month
        index = period.start.year * 12 + period.start.month - 1 - months
        return Period(dt.date(index // 12, index % 12 + 1, 1), end)
    return Period(end - (period.end - period.start), end)


def period_end_kinds(day: dt.date) -> list[tuple[str, int]]:
    """The periodic reports whose period ends on `day`, as (kind, year)."""
    if (day.month, day.day) == (6, 30):
        return [(ReportKind.SIX_MONTH, day.year), (ReportKind.ACTION_MONTH, day.year)]
    if (day.month, day.day) == (12, 31):
        return [(ReportKind.ANNUAL, day.year)]
    return []


def report_subject(kind: str, period: Period, phase: Phase | None) -> str:
    """The subject line under "BÁO CÁO"."""
    # The words of the administration as it stood at the period's end.
    drug_free = "không có ma túy" if period.end < DISTRICTS_CEASED_ON else "không ma túy"
    building = f"công tác xây dựng “thôn, bản, tổ dân phố, {commune_level_words(period.end)} {drug_free}”"
    if kind == ReportKind.SIX_MONTH:
        return f"Kết quả {building} 06 tháng đầu năm {period.end.year}"
    if kind == ReportKind.ANNUAL:
        return f"Kết quả {building} năm {period.end.year}"
    if kind == ReportKind.ACTION_MONTH:
        return f"Kết quả thực hiện Tháng hành động phòng, chống ma túy năm {period.end.year}"
    if kind == ReportKind.PHASE_SUMMARY:
        return f"Sơ kết giai đoạn {phase.number:02d} ({phase.period_text}) thực hiện Kế hoạch số {phase.programme.number} về {building}"
    return f"Tổng kết thực hiện Kế hoạch số {phase.programme.number} về {building}"
