"""The data-quality checks (“đúng, đủ, sạch, sống”, seed 002): one registry of small functions.

Each check reads the facts gathered for a set of villages (`Facts`, built by a constant number of
set-based queries in `quality.selectors.gather`) and returns the records that fail it, each with
a short Vietnamese detail. A check is registered with its indicator and label by `@check`; the
windows it needs (test, field check, absent check) come from the programme that governs each
village's commune, and a check whose window the programme leaves empty is not run there.

Scores: for each indicator, the share of checked records (persons and villages) with no failing
check of that indicator; overall, the mean of the four.
"""

from __future__ import annotations

import datetime as dt
import enum
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from subjects.models import Presence, ResidenceType, StatusKind

PERSON = "person"
VILLAGE = "village"


class Indicator(enum.StrEnum):
    CORRECT = "correct"
    COMPLETE = "complete"
    CLEAN = "clean"
    LIVE = "live"

    @property
    def label(self) -> str:
        return INDICATOR_LABELS[self][0]

    @property
    def meaning(self) -> str:
        return INDICATOR_LABELS[self][1]


INDICATOR_LABELS = {
    Indicator.CORRECT: ("Đúng", "không có thông tin mâu thuẫn"),
    Indicator.COMPLETE: ("Đủ", "không thiếu thông tin bắt buộc"),
    Indicator.CLEAN: ("Sạch", "không trùng lặp, không sai lệch, không lưu người đã chết, đã chuyển đi"),
    Indicator.LIVE: ("Sống", "được xác minh, cập nhật thường xuyên với thực tế"),
}

# The programme fields holding each window (`programmes.models.Programme`).
TEST_WINDOW = "test_window_days"
FIELD_WINDOW = "field_check_days"
ABSENT_WINDOW = "absent_check_days"
WINDOW_LABELS = {
    TEST_WINDOW: "số ngày xét nghiệm định kỳ",
    FIELD_WINDOW: "số ngày xác minh thực tế",
    ABSENT_WINDOW: "số ngày kiểm tra người vắng mặt",
}

# Statuses whose holders are tested periodically.
TESTED_KINDS = frozenset({StatusKind.USER, StatusKind.ADDICT, StatusKind.POST_REHAB, StatusKind.SUSPECTED})
# Statuses a running treatment presupposes.
TREATED_KINDS = frozenset({StatusKind.USER, StatusKind.ADDICT})
# Pairs of statuses one person may not hold on the same day: a person is managed as a user or as
# an addict, an addict is not at the same time "after rehab", and a suspicion ends when the use is
# established. Two periods of the same status may not overlap either (checked separately).
FORBIDDEN_OVERLAPS = frozenset(
    frozenset(pair)
    for pair in [
        (StatusKind.USER, StatusKind.ADDICT),
        (StatusKind.ADDICT, StatusKind.POST_REHAB),
        (StatusKind.SUSPECTED, StatusKind.USER),
        (StatusKind.SUSPECTED, StatusKind.ADDICT),
    ]
)
# A status whose period ended must be followed by one of these (starting on or after its end):
# an addict leaves addiction into post-rehab management (or relapses), an offender into release.
FOLLOW_UPS: dict[str, frozenset[str]] = {
    StatusKind.ADDICT: frozenset({StatusKind.POST_REHAB, StatusKind.ADDICT, StatusKind.USER}),
    StatusKind.OFFENDER: frozenset({StatusKind.RELEASED, StatusKind.OFFENDER}),
}
# Outcomes of a field verification after which the record should no longer be an active one
# (values of `quality.models.Outcome`; repeated here so the rules import no model).
GONE_OUTCOMES = frozenset({"moved", "dead"})
ABSENT_PRESENCES = frozenset({Presence.ABSENT, Presence.UNKNOWN})
# Characters a name may hold besides letters and combining marks.
NAME_PUNCTUATION = frozenset(" '-")


# ---------------------------------------------------------------- facts


@dataclass(frozen=True)
class PersonRow:
    pk: int
    full_name: str
    name_search: str
    birth_date: dt.date
    cccd: str | None
    residence_type: str
    presence: str
    village_id: int
    officer_id: int | None
    last_test: dt.date | None
    last_verified: dt.date | None
    last_outcome: str | None

    @property
    def is_gone(self) -> bool:
        return self.last_outcome in GONE_OUTCOMES


@dataclass(frozen=True)
class VillageRow:
    pk: int
    name: str
    commune_id: int | None


@dataclass(frozen=True)
class Span:
    """A dated record of a person: a status, a file, a treatment (kind may be empty)."""

    kind: str
    start: dt.date
    end: dt.date | None

    def holds_on(self, day: dt.date) -> bool:
        return self.start <= day and (self.end is None or self.end >= day)

    def overlaps(self, other: Span) -> bool:
        # A period ending on the day the next begins is a handover, not an overlap.
        return (other.end is None or self.start < other.end) and (self.end is None or other.start < self.end)


@dataclass(frozen=True)
class Windows:
    test_window_days: int | None = None
    field_check_days: int | None = None
    absent_check_days: int | None = None


@dataclass
class Facts:
    today: dt.date
    persons: dict[int, PersonRow] = field(default_factory=dict)
    villages: dict[int, VillageRow] = field(default_factory=dict)
    statuses: dict[int, list[Span]] = field(default_factory=lambda: defaultdict(list))
    files: dict[int, list[Span]] = field(default_factory=lambda: defaultdict(list))
    treatments: dict[int, list[Span]] = field(default_factory=lambda: defaultdict(list))
    mixed_test_days: dict[int, list[dt.date]] = field(default_factory=lambda: defaultdict(list))
    test_days_before_birth: dict[int, list[dt.date]] = field(default_factory=lambda: defaultdict(list))
    # Latest drug-free commitment count of each village: (households, signed).
    commitments: dict[int, tuple[int, int]] = field(default_factory=dict)
    # The windows of the programme governing each village's commune.
    windows: dict[int, Windows] = field(default_factory=dict)
    # Whether village-wide checks run (not when the persons are filtered by officer).
    include_villages: bool = True

    def window(self, person: PersonRow, name: str) -> int | None:
        windows = self.windows.get(person.village_id)
        return getattr(windows, name) if windows else None


# ---------------------------------------------------------------- the registry


@dataclass(frozen=True)
class Finding:
    model: str  # PERSON or VILLAGE
    pk: int
    detail: str = ""


@dataclass(frozen=True)
class Check:
    key: str
    indicator: Indicator
    label: str
    subject: str
    run: Callable[[Facts], list[Finding]]
    window: str = ""


CHECKS: list[Check] = []


def check(
    key: str, indicator: Indicator, label: str, *, subject: str = PERSON, window: str = ""
) -> Callable[[Callable[[Facts], Iterable[Finding]]], Callable[[Facts], Iterable[Finding]]]:
    def register(func: Callable[[Facts], Iterable[Finding]]) -> Callable[[Facts], Iterable[Finding]]:
        CHECKS.append(Check(key, indicator, label, subject, lambda facts: list(func(facts)), window))
        return func

    return register


def _d(day: dt.date) -> str:
    return f"{day:%d/%m/%Y}"


def _kind_label(kind: str) -> str:
    return StatusKind(kind).label if kind in StatusKind.values else kind


# ---------------------------------------------------------------- đúng: no contradictions


@check("addict_without_file", Indicator.CORRECT, "Người nghiện chưa có hồ sơ quản lý")
def addict_without_file(facts: Facts) -> Iterable[Finding]:
    for pk in facts.persons:
        addicted = [s for s in facts.statuses[pk] if s.kind == StatusKind.ADDICT and s.holds_on(facts.today)]
        if addicted and not any(f.kind == "addict" and f.holds_on(facts.today) for f in facts.files[pk]):
            yield Finding(
                PERSON, pk, f"Nghiện từ {_d(addicted[0].start)}, không có hồ sơ quản lý người nghiện"
            )


@check(
    "treatment_without_status",
    Indicator.CORRECT,
    "Đang cai nghiện, điều trị nhưng không ghi là người nghiện hoặc người sử dụng",
)
def treatment_without_status(facts: Facts) -> Iterable[Finding]:
    for pk in facts.persons:
        running = [t for t in facts.treatments[pk] if t.holds_on(facts.today)]
        if running and not any(
            s.kind in TREATED_KINDS and s.holds_on(facts.today) for s in facts.statuses[pk]
        ):
            yield Finding(PERSON, pk, f"Cai nghiện, điều trị từ {_d(running[0].start)}")


@check("mixed_test_results", Indicator.CORRECT, "Vừa dương tính vừa âm tính trong cùng một ngày")
def mixed_test_results(facts: Facts) -> Iterable[Finding]:
    for pk, days in facts.mixed_test_days.items():
        if pk in facts.persons:
            yield Finding(PERSON, pk, "Ngày " + ", ".join(_d(day) for day in sorted(days)))


@check("overlapping_statuses", Indicator.CORRECT, "Diện quản lý chồng lấn không được phép")
def overlapping_statuses(facts: Facts) -> Iterable[Finding]:
    for pk in facts.persons:
        spans = sorted(facts.statuses[pk], key=lambda s: (s.start, s.kind))
        clashes = [
            (a, b)
            for i, a in enumerate(spans)
            for b in spans[i + 1 :]
            if (a.kind == b.kind or frozenset({a.kind, b.kind}) in FORBIDDEN_OVERLAPS) and a.overlaps(b)
        ]
        if clashes:
            a, b = clashes[0]
            yield Finding(
                PERSON,
                pk,
                f"{_kind_label(a.kind)} (từ {_d(a.start)}) và {_kind_label(b.kind)} (từ {_d(b.start)})",
            )


@check("dates_before_birth", Indicator.CORRECT, "Có ngày trước ngày sinh")
def dates_before_birth(facts: Facts) -> Iterable[Finding]:
    for pk, person in facts.persons.items():
        early = [
            s.start
            for spans in (facts.statuses[pk], facts.files[pk], facts.treatments[pk])
            for s in spans
            if s.start < person.birth_date
        ] + facts.test_days_before_birth.get(pk, [])
        if early:
            yield Finding(PERSON, pk, f"Ngày {_d(min(early))}, sinh ngày {_d(person.birth_date)}")


# ---------------------------------------------------------------- đủ: nothing required missing


@check("no_cccd", Indicator.COMPLETE, "Chưa có số định danh cá nhân (CCCD)")
def no_cccd(facts: Facts) -> Iterable[Finding]:
    return (Finding(PERSON, pk) for pk, p in facts.persons.items() if not p.cccd)


@check("no_residence_type", Indicator.COMPLETE, "Chưa ghi loại cư trú")
def no_residence_type(facts: Facts) -> Iterable[Finding]:
    return (
        Finding(PERSON, pk) for pk, p in facts.persons.items() if p.residence_type not in ResidenceType.values
    )


@check("no_status", Indicator.COMPLETE, "Chưa có diện quản lý")
def no_status(facts: Facts) -> Iterable[Finding]:
    return (Finding(PERSON, pk) for pk in facts.persons if not facts.statuses[pk])


@check(
    "no_recent_test",
    Indicator.COMPLETE,
    "Chưa xét nghiệm trong thời hạn kế hoạch quy định",
    window=TEST_WINDOW,
)
def no_recent_test(facts: Facts) -> Iterable[Finding]:
    for pk, person in facts.persons.items():
        days = facts.window(person, TEST_WINDOW)
        if days is None or person.presence != Presence.PRESENT or person.is_gone:
            continue
        if not any(s.kind in TESTED_KINDS and s.holds_on(facts.today) for s in facts.statuses[pk]):
            continue
        if person.last_test is None or person.last_test < facts.today - dt.timedelta(days=days):
            last = f"lần gần nhất {_d(person.last_test)}" if person.last_test else "chưa xét nghiệm lần nào"
            yield Finding(PERSON, pk, f"Quá {days} ngày: {last}")


@check(
    "village_without_commitments",
    Indicator.COMPLETE,
    "Thôn, bản chưa có số liệu hộ ký cam kết",
    subject=VILLAGE,
)
def village_without_commitments(facts: Facts) -> Iterable[Finding]:
    if not facts.include_villages:
        return
    for pk in facts.villages:
        latest = facts.commitments.get(pk)
        if latest is None:
            yield Finding(VILLAGE, pk, "Chưa nhập danh sách, số hộ ký cam kết")
        elif latest[0] and not latest[1]:
            yield Finding(VILLAGE, pk, f"{latest[0]} hộ, chưa hộ nào ký cam kết")


# ---------------------------------------------------------------- sạch: no duplicates, no stale records


@check("duplicate_name_birth", Indicator.CLEAN, "Có thể trùng: cùng họ tên và ngày sinh")
def duplicate_name_birth(facts: Facts) -> Iterable[Finding]:
    groups: dict[tuple[str, dt.date], list[int]] = defaultdict(list)
    for pk, person in facts.persons.items():
        groups[(person.name_search, person.birth_date)].append(pk)
    for pks in groups.values():
        for pk in pks if len(pks) > 1 else ():
            others = ", ".join(f"#{other}" for other in pks if other != pk)
            yield Finding(PERSON, pk, f"Trùng với hồ sơ {others}")


def _variant_keys(cccd: str) -> Iterable[str]:
    """Keys two numbers share when they differ by one digit or by two adjacent digits swapped."""
    for i in range(len(cccd)):
        yield f"{i}?{cccd[:i]}_{cccd[i + 1 :]}"
    for i in range(len(cccd) - 1):
        yield f"{i}~{cccd[:i]}{''.join(sorted(cccd[i : i + 2]))}{cccd[i + 2 :]}"


@check("cccd_variants", Indicator.CLEAN, "Có thể trùng: số CCCD gần giống (sai một chữ số)")
def cccd_variants(facts: Facts) -> Iterable[Finding]:
    buckets: dict[str, set[int]] = defaultdict(set)
    for pk, person in facts.persons.items():
        if person.cccd:
            for key in _variant_keys(person.cccd):
                buckets[key].add(pk)
    partners: dict[int, set[int]] = defaultdict(set)
    for pks in buckets.values():
        numbers = {facts.persons[pk].cccd for pk in pks}
        if len(pks) > 1 and len(numbers) > 1:
            for pk in pks:
                partners[pk] |= {
                    other for other in pks if facts.persons[other].cccd != facts.persons[pk].cccd
                }
    for pk in sorted(partners):
        yield Finding(
            PERSON, pk, "Gần giống số CCCD của hồ sơ " + ", ".join(f"#{o}" for o in sorted(partners[pk]))
        )


def stray_characters(name: str) -> list[str]:
    """The characters of `name` that are neither letters, combining marks nor name punctuation."""
    return [ch for ch in name if ch not in NAME_PUNCTUATION and unicodedata.category(ch)[0] not in "LM"]


@check("stray_name_characters", Indicator.CLEAN, "Họ tên có ký tự lạ (chữ số, ký hiệu)")
def stray_name_characters(facts: Facts) -> Iterable[Finding]:
    for pk, person in facts.persons.items():
        if stray := stray_characters(person.full_name):
            yield Finding(PERSON, pk, "Ký tự: " + " ".join(f"“{ch}”" for ch in dict.fromkeys(stray)))


@check("gone_but_active", Indicator.CLEAN, "Đã xác minh là chết hoặc chuyển đi nhưng vẫn đang quản lý")
def gone_but_active(facts: Facts) -> Iterable[Finding]:
    for pk, person in facts.persons.items():
        if not person.is_gone:
            continue
        still = any(s.holds_on(facts.today) for s in facts.statuses[pk]) or any(
            f.holds_on(facts.today) for f in facts.files[pk]
        )
        if still:
            what = "đã chết" if person.last_outcome == "dead" else "đã chuyển đi"
            yield Finding(PERSON, pk, f"Xác minh ngày {_d(person.last_verified)}: {what}")  # type: ignore[arg-type]


# ---------------------------------------------------------------- sống: checked against reality


@check(
    "not_verified",
    Indicator.LIVE,
    "Chưa xác minh thực tế trong thời hạn kế hoạch quy định",
    window=FIELD_WINDOW,
)
def not_verified(facts: Facts) -> Iterable[Finding]:
    for pk, person in facts.persons.items():
        days = facts.window(person, FIELD_WINDOW)
        if days is None or person.is_gone:
            continue
        if person.last_verified is None or person.last_verified < facts.today - dt.timedelta(days=days):
            last = (
                f"lần gần nhất {_d(person.last_verified)}"
                if person.last_verified
                else "chưa xác minh lần nào"
            )
            yield Finding(PERSON, pk, f"Quá {days} ngày: {last}")


@check(
    "ended_without_follow_up", Indicator.LIVE, "Diện quản lý đã hết hạn nhưng chưa cập nhật diện tiếp theo"
)
def ended_without_follow_up(facts: Facts) -> Iterable[Finding]:
    for pk, person in facts.persons.items():
        if person.is_gone:
            continue
        spans = facts.statuses[pk]
        for span in spans:
            follow = FOLLOW_UPS.get(span.kind)
            if follow is None or span.end is None or span.end > facts.today:
                continue
            if not any(
                other is not span and other.kind in follow and other.start >= span.end for other in spans
            ):
                yield Finding(PERSON, pk, f"{_kind_label(span.kind)} kết thúc ngày {_d(span.end)}")
                break


@check(
    "absent_without_check",
    Indicator.LIVE,
    "Vắng mặt, không rõ nơi ở nhưng chưa kiểm tra gần đây",
    window=ABSENT_WINDOW,
)
def absent_without_check(facts: Facts) -> Iterable[Finding]:
    for pk, person in facts.persons.items():
        days = facts.window(person, ABSENT_WINDOW)
        if days is None or person.presence not in ABSENT_PRESENCES or person.is_gone:
            continue
        if person.last_verified is None or person.last_verified < facts.today - dt.timedelta(days=days):
            last = (
                f"lần gần nhất {_d(person.last_verified)}"
                if person.last_verified
                else "chưa kiểm tra lần nào"
            )
            yield Finding(PERSON, pk, f"{Presence(person.presence).label}, quá {days} ngày: {last}")


# ---------------------------------------------------------------- running and scoring


def run_checks(facts: Facts) -> dict[str, list[Finding]]:
    """Every check's failing records, by check key."""
    return {c.key: c.run(facts) for c in CHECKS}


@dataclass(frozen=True)
class Score:
    records: int
    scores: dict[Indicator, Decimal]
    failing: dict[Indicator, int]
    overall: Decimal
    defects: int  # records with at least one failing check


HUNDRED = Decimal(100)


def _percent(good: int, total: int) -> Decimal:
    if not total:
        return HUNDRED
    return (HUNDRED * good / total).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def score(findings: dict[str, list[Finding]], subjects: set[tuple[str, int]]) -> Score:
    """The scores over `subjects` ((model, pk) pairs): per indicator the share of them no check
    of the indicator names; overall the mean of the four."""
    by_indicator: dict[Indicator, set[tuple[str, int]]] = {i: set() for i in Indicator}
    for c in CHECKS:
        for finding in findings.get(c.key, ()):
            key = (finding.model, finding.pk)
            if key in subjects:
                by_indicator[c.indicator].add(key)
    total = len(subjects)
    scores = {i: _percent(total - len(bad), total) for i, bad in by_indicator.items()}
    overall = (sum(scores.values(), Decimal(0)) / len(scores)).quantize(
        Decimal("0.1"), rounding=ROUND_HALF_UP
    )
    return Score(
        records=total,
        scores=scores,
        failing={i: len(bad) for i, bad in by_indicator.items()},
        overall=overall,
        defects=len(set().union(*by_indicator.values())),
    )
