"""Report periods: what each kind of report covers, when it is due, what it is compared with, and
how it is named.

The calendar is the governing programme's (`programmes.ReportingWindow`: e.g. 6-month figures
15/12 of the year before to 14/6, due 20/6; the Action Month 01/6–30/6, communes due 02/7, the
city 08/7). Where a programme sets no window for a kind, the calendar months stand in and the
report says so: the first half 01/01–30/6, the second 01/7–31/12, the year, June for the Action
Month; no due date is invented. Phase summaries cover their phase and are due on the phase's
date (10/12 in plan 174/KH-UBND); the final summary covers the whole plan.

Comparisons are like for like: a periodic report is compared with the same window a year
earlier, cut on the same day when the period has not ended; a summary with the same number of
days just before its period. The text says which.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from areas.models import DISTRICTS_CEASED_ON, Area, commune_level_words
from programmes.models import Phase, Programme, ReportingWindow, ReportKind

SUMMARY_KINDS = {ReportKind.PHASE_SUMMARY, ReportKind.FINAL_SUMMARY}
PERIODIC_KINDS = [ReportKind.SIX_MONTH, ReportKind.ANNUAL, ReportKind.ACTION_MONTH]
# How many calendar years back the request form offers periodic reports.
YEARS_OFFERED = 3


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date

    @property
    def text(self) -> str:
        return f"từ ngày {self.start:%d/%m/%Y} đến ngày {self.end:%d/%m/%Y}"


def shift_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29/02 → 28/02
        return day.replace(year=day.year + years, day=28)


@dataclass(frozen=True)
class Comparison:
    period: Period
    text: str  # "cùng kỳ năm trước (từ ngày … đến ngày …)"


def comparison_for(kind: str, period: Period, as_of: dt.date) -> tuple[Period, Comparison]:
    """(the period the figures cover, what they are compared with). The figures stop at `as_of`
    when the period has not ended; the comparison stops on the same day a year earlier."""
    covered = Period(period.start, min(period.end, max(as_of, period.start)))
    if kind in SUMMARY_KINDS:
        end = covered.start - dt.timedelta(days=1)
        before = Period(end - (covered.end - covered.start), end)
        return covered, Comparison(before, f"cùng khoảng thời gian liền trước kỳ báo cáo ({before.text})")
    before = Period(shift_years(covered.start, -1), shift_years(covered.end, -1))
    return covered, Comparison(before, f"cùng kỳ năm trước ({before.text})")


@dataclass(frozen=True)
class ReportPeriod:
    """One period a unit reports on: its key in the request form, its words, dates and due date."""

    kind: str
    key: str
    name: str  # "06 tháng đầu năm 2026", "năm 2026", "sơ kết giai đoạn 01 (01/04/2024 – 31/12/2024)"
    slug: str  # "6-thang-2026" — the period in file names
    start: dt.date
    end: dt.date
    due: dt.date | None
    source: str  # where the window and due date come from
    phase: Phase | None = None

    @property
    def period(self) -> Period:
        return Period(self.start, self.end)

    @property
    def choice_label(self) -> str:
        due = f", hạn gửi {self.due:%d/%m/%Y}" if self.due else ""
        return f"{self.name[:1].upper()}{self.name[1:]} — số liệu {self.period.text}{due}"


# ---------------------------------------------------------------- the unit's calendar


def _chain(unit: Area) -> list[int]:
    return [int(part) for part in unit.path.strip("/").split("/") if part]


def _programmes_of(unit_ids: Iterable[int]):
    return (
        Programme.objects.filter(issuing_unit_id__in=set(unit_ids), is_active=True)
        .select_related("issuing_unit")
        .prefetch_related("reporting_windows", "phases")
        .order_by("-valid_from", "-pk")
    )


class Calendar:
    """The programmes over a unit (itself and its ancestors), with their windows and phases, read
    once (three queries); the programme governing a day is chosen in Python as
    `programmes.selectors.governing_programme` does: the nearest unit's valid plan."""

    def __init__(self, unit: Area, programmes: list[Programme] | None = None) -> None:
        self.unit = unit
        chain = _chain(unit)
        self.depth = {unit_id: index for index, unit_id in enumerate(chain)}
        if programmes is None:
            programmes = list(_programmes_of(chain))
        self.programmes = [p for p in programmes if p.issuing_unit_id in self.depth]

    def governing(self, day: dt.date) -> Programme | None:
        valid = [
            p
            for p in self.programmes
            if p.valid_from <= day and (p.valid_until is None or p.valid_until >= day)
        ]
        if not valid:
            return None
        deepest = max(self.depth[p.issuing_unit_id] for p in valid)
        return next(p for p in valid if self.depth[p.issuing_unit_id] == deepest)

    def window(self, kind: str, year: int) -> tuple[ReportingWindow | None, Programme | None]:
        nominal = dt.date(year, 12, 31) if kind == ReportKind.ANNUAL else dt.date(year, 6, 30)
        programme = self.governing(nominal)
        if programme is None:
            return None, None
        window = next((w for w in programme.reporting_windows.all() if w.kind == kind), None)
        return window, programme

    def phases(self) -> list[Phase]:
        found = []
        for programme in self.programmes:
            for phase in programme.phases.all():
                phase.programme = programme  # the instance whose phases are already read
                found.append(phase)
        return sorted(found, key=lambda ph: (ph.programme.signed_on or ph.starts_on, ph.number))


def _source(window: ReportingWindow | None, programme: Programme | None) -> str:
    if window is not None and programme is not None:
        return f"theo lịch báo cáo của {programme}"
    return "theo tháng dương lịch (kế hoạch chưa quy định lịch báo cáo cho loại báo cáo này)"


def periodic(calendar: Calendar, kind: str, year: int, half: int = 1) -> ReportPeriod:
    """The 6-month (`half` 1 or 2), annual or Action Month period of `year` for the calendar's unit."""
    level = calendar.unit.level
    if kind == ReportKind.SIX_MONTH and half == 2:
        first_window, first_programme = calendar.window(ReportKind.SIX_MONTH, year)
        year_window, year_programme = calendar.window(ReportKind.ANNUAL, year)
        if first_window is not None and year_window is not None:
            _s, first_end, _d = first_window.window(year, level)
            _s, end, due = year_window.window(year, level)
            start, source = first_end + dt.timedelta(days=1), _source(year_window, year_programme)
        else:
            start, end, due, source = dt.date(year, 7, 1), dt.date(year, 12, 31), None, _source(None, None)
        return ReportPeriod(
            kind, f"{kind}:{year}:2", f"06 tháng cuối năm {year}", f"6-thang-cuoi-nam-{year}",
            start, end, due, source,
        )  # fmt: skip
    window, programme = calendar.window(kind, year)
    if window is not None:
        start, end, due = window.window(year, level)
    else:
        start, end = {
            ReportKind.SIX_MONTH: (dt.date(year, 1, 1), dt.date(year, 6, 30)),
            ReportKind.ANNUAL: (dt.date(year, 1, 1), dt.date(year, 12, 31)),
            ReportKind.ACTION_MONTH: (dt.date(year, 6, 1), dt.date(year, 6, 30)),
        }[ReportKind(kind)]
        due = None
    name, slug = {
        ReportKind.SIX_MONTH: (f"06 tháng đầu năm {year}", f"6-thang-{year}"),
        ReportKind.ANNUAL: (f"năm {year}", f"nam-{year}"),
        ReportKind.ACTION_MONTH: (
            f"Tháng hành động phòng, chống ma túy năm {year}",
            f"thang-hanh-dong-{year}",
        ),
    }[ReportKind(kind)]
    key = f"{kind}:{year}:1" if kind == ReportKind.SIX_MONTH else f"{kind}:{year}"
    return ReportPeriod(kind, key, name, slug, start, end, due, _source(window, programme))


def summary(phase: Phase) -> ReportPeriod:
    """The phase summary of `phase`, or the final summary when it is the plan's last phase."""
    if phase.is_final:
        first = min(p.starts_on for p in phase.programme.phases.all())
        return ReportPeriod(
            ReportKind.FINAL_SUMMARY,
            f"{ReportKind.FINAL_SUMMARY}:{phase.pk}",
            f"tổng kết Kế hoạch số {phase.programme.number} ({first:%d/%m/%Y} – {phase.ends_on:%d/%m/%Y})",
            f"tong-ket-{phase.ends_on.year}",
            first,
            phase.ends_on,
            phase.report_due_on,
            f"theo {phase.programme}",
            phase,
        )
    return ReportPeriod(
        ReportKind.PHASE_SUMMARY,
        f"{ReportKind.PHASE_SUMMARY}:{phase.pk}",
        f"sơ kết giai đoạn {phase.number:02d} ({phase.period_text})",
        f"so-ket-giai-doan-{phase.number}-{phase.ends_on.year}",
        phase.starts_on,
        phase.ends_on,
        phase.report_due_on,
        f"theo {phase.programme}",
        phase,
    )


def offered(unit: Area, today: dt.date, calendar: Calendar | None = None) -> list[ReportPeriod]:
    """The periods the request form offers for `unit`: every periodic period of the last years
    that has begun, and the phases of the plans over the unit that have begun; newest first."""
    calendar = calendar or Calendar(unit)
    found: list[ReportPeriod] = []
    for year in range(today.year, today.year - YEARS_OFFERED, -1):
        candidates = [
            periodic(calendar, ReportKind.ANNUAL, year),
            periodic(calendar, ReportKind.SIX_MONTH, year, 2),
            periodic(calendar, ReportKind.ACTION_MONTH, year),
            periodic(calendar, ReportKind.SIX_MONTH, year, 1),
        ]
        found.extend(p for p in candidates if p.start <= today)
    found.extend(summary(phase) for phase in reversed(calendar.phases()) if phase.starts_on <= today)
    return found


def resolve(unit: Area, key: str, today: dt.date) -> ReportPeriod | None:
    """The period `key` names for `unit`, if the form would offer it."""
    return next((p for p in offered(unit, today) if p.key == key), None)


def due_periods(units: Iterable[Area], years: Iterable[int]) -> dict[int, list[ReportPeriod]]:
    """Every period each unit owes in `years` (periodic kinds) and every phase of its plans, with
    their due dates — what the reminders compare with the reports sent."""
    units = list(units)
    programmes = list(_programmes_of(i for unit in units for i in _chain(unit)))
    result: dict[int, list[ReportPeriod]] = {}
    for unit in units:
        calendar = Calendar(unit, programmes)
        items = [periodic(calendar, kind, year) for year in years for kind in PERIODIC_KINDS]
        items.extend(summary(phase) for phase in calendar.phases())
        result[unit.pk] = items
    return result


def report_subject(kind: str, period: Period, phase: Phase | None, name: str = "") -> str:
    """The subject line under "BÁO CÁO", stating the period."""
    # The words of the administration as it stood at the period's end.
    drug_free = "không có ma túy" if period.end < DISTRICTS_CEASED_ON else "không ma túy"
    building = f"công tác xây dựng “thôn, bản, tổ dân phố, {commune_level_words(period.end)} {drug_free}”"
    if kind == ReportKind.SIX_MONTH:
        return f"Kết quả {building} {name or f'06 tháng đầu năm {period.end.year}'}"
    if kind == ReportKind.ANNUAL:
        return f"Kết quả {building} năm {period.end.year}"
    if kind == ReportKind.ACTION_MONTH:
        return f"Kết quả thực hiện Tháng hành động phòng, chống ma túy năm {period.end.year}"
    assert phase is not None
    if kind == ReportKind.PHASE_SUMMARY:
        return (
            f"Sơ kết giai đoạn {phase.number:02d} ({phase.period_text}) thực hiện Kế hoạch số "
            f"{phase.programme.number} về {building}"
        )
    return f"Tổng kết thực hiện Kế hoạch số {phase.programme.number} về {building}"
