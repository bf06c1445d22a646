"""Bulk synthetic registers for benchmarks (`bench_registers`, `bench_scoring`).

Everything here is invented and marked `is_demo`. Rows go in batches of persons with their
histories — through COPY on PostgreSQL, `bulk_create` elsewhere —: no per-row query, no `save()`,
no history rows. Because `save()` is skipped, the two derived columns are set here: `Area.path`
(one set-based update per level) and `Person.name_search`.

Measured on PostgreSQL, this 2-core machine shared with other work: 100,000 persons with 200,000
tests and their histories over 1,000 villages (575,000 rows) in ~80 s wall, of which 15 s is this
process's CPU and 19 s the database's.

The output is deterministic for a seed (one `random.Random(seed)` drives every choice); primary
keys and timestamps are whatever the database gives.
"""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
import random
from collections.abc import Iterator, Sequence
from decimal import Decimal
from typing import Any

from django.db import connection, models, transaction
from django.db.models.functions import Cast, Concat, Substr
from django.utils import timezone

from areas.models import Area, Level

from .models import (
    BoardKind,
    CaseKind,
    CommitmentKind,
    CriminalGroup,
    CultivationIncident,
    DrugCase,
    DrugPoint,
    DrugTest,
    FileKind,
    GroupKind,
    HotlineBoard,
    HouseholdCommitment,
    ManagementFile,
    Medication,
    ModelKind,
    Person,
    PersonStatus,
    Plant,
    PointKind,
    Presence,
    PreventionModel,
    Register,
    ResidenceType,
    Severity,
    Sex,
    StatusKind,
    TestMethod,
    TestReason,
    TestResult,
    Treatment,
    TreatmentKind,
)
from .text import normalise_name

# Synthetic citizen IDs start with "099", which is no province's code, so they never collide
# with a real or demo CCCD; then the sex/century digit, the year of birth, a 6-digit serial.
CCCD_PREFIX = "099"

_KINH_FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương"]
_KINH_MIDDLE_MALE = ["Văn", "Đức", "Minh", "Hữu", "Quang", "Thanh", "Công", "Xuân"]
_KINH_MIDDLE_FEMALE = ["Thị", "Thị", "Ngọc", "Thu", "Thanh", "Hồng"]
_KINH_GIVEN_MALE = [
    "An",
    "Bình",
    "Cường",
    "Dũng",
    "Đạt",
    "Giang",
    "Hải",
    "Hiếu",
    "Hùng",
    "Khánh",
    "Long",
    "Mạnh",
    "Nam",
    "Phong",
    "Quân",
    "Sơn",
    "Thắng",
    "Toàn",
    "Trung",
    "Tuấn",
    "Việt",
    "Vinh",
    "Hưng",
    "Lâm",
]
_KINH_GIVEN_FEMALE = ["Hoa", "Hương", "Lan", "Linh", "Mai", "Nga", "Nhung", "Phương", "Thảo", "Trang", "Yến"]
_HMONG_FAMILY = ["Giàng", "Sùng", "Vàng", "Lý", "Thào", "Hạng", "Mùa", "Lầu", "Cứ", "Hờ"]
_HMONG_GIVEN = ["Páo", "Chứ", "Sử", "Dế", "Lử", "Chang", "Tủa", "Dình", "Vư", "Xá", "Nhè", "Sình", "Pó", "Cở"]
_DAO_FAMILY = ["Tẩn", "Lý", "Phàn", "Chảo", "Đặng", "Triệu"]
_DAO_GIVEN = ["San", "Lở", "Vần", "Chàn", "Quẩy", "Phin", "Sểnh", "Kiều", "Mẩy", "Chiêu", "Tả", "Lìn"]
_THAI_FAMILY = ["Lò", "Tao", "Lường", "Điêu", "Cầm", "Quàng", "Lù"]
_THAI_GIVEN = ["Thành", "Inh", "Ún", "Pánh", "Xôm", "Khăm", "Piếng", "Ngoan", "Tiến", "Xiêng", "Biên", "Hặc"]


def _person_name(rng: random.Random, sex: str) -> str:
    male = sex == Sex.MALE
    style = rng.random()
    if style < 0.40:
        middle = rng.choice(_KINH_MIDDLE_MALE if male else _KINH_MIDDLE_FEMALE)
        given = rng.choice(_KINH_GIVEN_MALE if male else _KINH_GIVEN_FEMALE)
        # A second given name keeps the name space large enough for 100,000 persons.
        if rng.random() < 0.5:
            given = f"{rng.choice(_KINH_GIVEN_MALE if male else _KINH_GIVEN_FEMALE)} {given}"
        return f"{rng.choice(_KINH_FAMILY)} {middle} {given}"
    if style < 0.70:
        middle = ("A" if rng.random() < 0.7 else "Seo") if male else rng.choice(["Thị", "Thị", "Seo"])
        return f"{rng.choice(_HMONG_FAMILY)} {middle} {rng.choice(_HMONG_GIVEN)}"
    if style < 0.85:
        middle = rng.choice(["Láo", "Văn", "Chòi"]) if male else rng.choice(["Thị", "Tả", "Mẩy"])
        return f"{rng.choice(_DAO_FAMILY)} {middle} {rng.choice(_DAO_GIVEN)}"
    middle = "Văn" if male else "Thị"
    return f"{rng.choice(_THAI_FAMILY)} {middle} {rng.choice(_THAI_GIVEN)}"


_PLACE_FIRST = [
    "Nà",
    "Nậm",
    "Pa",
    "Sin",
    "Seo",
    "Hồ",
    "Lả",
    "Phìn",
    "Khoa",
    "Huổi",
    "Cò",
    "Cang",
    "Sì",
    "Lao",
    "Xín",
    "Chin",
    "Mường",
    "Tà",
    "Ma",
    "Mù",
    "Tung",
    "Vàng",
    "Tả",
    "Hua",
]
_PLACE_SECOND = [
    "Cai",
    "Chải",
    "Sả",
    "Lùng",
    "Pho",
    "Lìn",
    "Sáng",
    "Chồ",
    "Phình",
    "Mìn",
    "Chù",
    "Khèn",
    "Pả",
    "Lếch",
    "Tra",
    "Luông",
    "Xe",
    "Lầu",
    "Thàng",
    "Vây",
    "Hồ",
    "Chang",
    "Củng",
    "Tè",
]


def _place_names(prefix: str, offset: int = 0) -> Iterator[str]:
    """Endless distinct place names ("Xã Nà Cai", …, then "Xã Nà Cai 2", …)."""
    pairs = list(itertools.product(_PLACE_FIRST, _PLACE_SECOND))
    # A fixed stride walks the pairs in a mixed order (it is coprime with their number).
    order = [pairs[(i * 7 + offset) % len(pairs)] for i in range(len(pairs))]
    for round_ in itertools.count(1):
        suffix = "" if round_ == 1 else f" {round_}"
        for first, second in order:
            yield f"{prefix} {first} {second}{suffix}"


@transaction.atomic
def make_bench_tree(
    *, province_name: str, communes: int, villages_per_commune: int, with_district: bool = True
) -> list[Area]:
    """Create a synthetic province (→ optional district) → communes → villages tree in bulk.

    Units are bulk-created level by level; their materialised paths ("/1/4/27/") are then set with
    one update per level, since `bulk_create` skips `Area.save()`. Names are Vietnamese-looking and
    unique within the tree; every unit is marked `is_demo`. Returns the villages, in order."""
    province = Area.objects.create(level=Level.PROVINCE, kind="tỉnh", name=province_name, is_demo=True)
    top = province
    if with_district:
        top = Area.objects.create(
            level=Level.DISTRICT,
            kind="huyện",
            name=f"Huyện {province_name.split(' ', 1)[-1]}",
            parent=province,
            is_demo=True,
        )
    commune_names = _place_names("Xã")
    commune_rows = Area.objects.bulk_create(
        [
            Area(level=Level.COMMUNE, kind="xã", name=next(commune_names), parent=top, is_demo=True)
            for _ in range(communes)
        ]
    )
    set_paths(Area.objects.filter(parent=top))
    village_names = _place_names("Bản", offset=11)
    Area.objects.bulk_create(
        [
            Area(level=Level.VILLAGE, kind="bản", name=next(village_names), parent=commune, is_demo=True)
            for commune in commune_rows
            for _ in range(villages_per_commune)
        ],
        batch_size=2000,
    )
    villages = Area.objects.filter(parent__parent=top, level=Level.VILLAGE)
    set_paths(villages)
    return list(villages.order_by("pk"))


def set_paths(queryset: models.QuerySet) -> None:
    parent_path = Area.objects.filter(pk=models.OuterRef("parent_id")).values("path")[:1]
    queryset.update(
        path=Concat(
            models.Subquery(parent_path),
            Cast("pk", models.CharField()),
            models.Value("/"),
            output_field=models.CharField(),
        )
    )


# Who is on a commune's register, and how often (weights).
_PROFILES = {
    "addict": 34,
    "user": 18,
    "post_rehab": 14,
    "suspected": 10,
    "offender": 10,
    "released": 8,
    "user_psychosis": 3,
    "addict_psychosis": 3,
}
# How likely a profile is to be picked for a drug test, and to test positive.
_TEST_WEIGHT = {
    "addict": 4,
    "addict_psychosis": 4,
    "user": 3,
    "user_psychosis": 3,
    "post_rehab": 3,
    "suspected": 2,
    "offender": 1,
    "released": 1,
}
_POSITIVE_RATE = {
    "addict": 0.30,
    "addict_psychosis": 0.45,
    "user": 0.25,
    "user_psychosis": 0.40,
    "post_rehab": 0.06,
    "suspected": 0.15,
    "offender": 0.05,
    "released": 0.04,
}
_SUBSTANCES = ["Heroin", "Methamphetamine (MET)", "Morphin (MOR)", "Cần sa (THC)", "MDMA", "Ketamine"]
_SUBSTITUTION_FACILITIES = ["Cơ sở điều trị Methadone huyện", "Cơ sở cấp phát thuốc Methadone xã"]
_FACILITIES = ["Cơ sở cai nghiện ma túy tỉnh", "Trung tâm Y tế huyện"]
_RESPONSIBLE = [
    "Công an xã",
    "Trưởng thôn, bản",
    "Hội Cựu chiến binh xã",
    "Đoàn Thanh niên xã",
    "Hội Liên hiệp Phụ nữ xã",
    "Gia đình",
]
_CASE_SUMMARIES = [
    "Tàng trữ trái phép chất ma túy",
    "Mua bán trái phép chất ma túy",
    "Tổ chức sử dụng trái phép chất ma túy",
    "Vận chuyển trái phép chất ma túy",
    "Sử dụng trái phép chất ma túy nơi công cộng",
]
_POINT_PLACES = ["Lán nương", "Nhà văn hóa cũ", "Quán nước đầu bản", "Khu vực bờ suối", "Nhà hoang cuối bản"]
_MODELS = [
    (ModelKind.CLAN, "Dòng họ không ma túy", "Hội Nông dân xã"),
    (ModelKind.FAMILY, "Gia đình không ma túy", "Hội Liên hiệp Phụ nữ xã"),
    (ModelKind.YOUTH, "Chi đoàn không ma túy", "Đoàn Thanh niên xã"),
    (ModelKind.RESIDENTIAL, "Khu dân cư không ma túy", "Ban Công tác Mặt trận thôn, bản"),
    (ModelKind.AFTERCARE, "Hỗ trợ người sau cai nghiện", "Hội Cựu chiến binh xã"),
]


class _Sink:
    """Writes plain rows (dicts keyed by column attname) in batches.

    On PostgreSQL through COPY, which is several times faster than `bulk_create` at this size;
    elsewhere (SQLite in the tests) through `bulk_create`. Ids of the rows others point to are
    reserved beforehand (`reserve_ids`), so children can be built before their parents are sent."""

    def __init__(self, batch_size: int) -> None:
        self.batch_size = batch_size
        self.counts: dict[str, int] = {}
        now = timezone.now()
        self.register_defaults = {"is_demo": True, "note": "", "created_at": now, "updated_at": now}

    def reserve_ids(self, model: type[models.Model], count: int) -> list[int]:
        table = model._meta.db_table
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute(
                    "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                    [table, count],
                )
                return [row[0] for row in cursor.fetchall()]
            # Other backends (SQLite): one writer at a time inside this transaction.
            cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {connection.ops.quote_name(table)}")
            top = cursor.fetchone()[0]
        return list(range(top + 1, top + 1 + count))

    def write(self, model: type[models.Model], rows: list[dict[str, Any]], label: str = "") -> None:
        label = label or model.__name__
        self.counts[label] = self.counts.get(label, 0) + len(rows)
        if not rows:
            return
        defaults = self.register_defaults if issubclass(model, Register) else {}
        attnames = list(defaults) + list(rows[0])
        if connection.vendor != "postgresql":
            model.objects.bulk_create([model(**defaults, **row) for row in rows], batch_size=self.batch_size)
            return
        columns = {field.attname: field.column for field in model._meta.concrete_fields}
        statement = "COPY {} ({}) FROM STDIN".format(
            connection.ops.quote_name(model._meta.db_table),
            ", ".join(connection.ops.quote_name(columns[name]) for name in attnames),
        )
        fixed = tuple(defaults.values())
        with connection.cursor() as cursor, cursor.cursor.copy(statement) as copy:
            for row in rows:
                copy.write_row(fixed + tuple(row.values()))


class _Gen:
    """Shared state of one `generate()` run: the random source, the reference date and helpers."""

    def __init__(self, rng: random.Random, as_of: dt.date) -> None:
        self.rng = rng
        self.as_of = as_of

    def day(self, start: dt.date, end: dt.date | None = None) -> dt.date:
        """A random day in [start, end] (end defaults to as_of), never after as_of."""
        end = self.as_of if end is None else min(end, self.as_of)
        span = (end - start).days
        if span <= 0:
            return min(start, self.as_of)
        # random() rather than randint(): this runs a million times for 100,000 persons.
        return start + dt.timedelta(days=int(self.rng.random() * (span + 1)))

    def ago(self, min_days: int, max_days: int) -> dt.date:
        return self.as_of - dt.timedelta(days=min_days + int(self.rng.random() * (max_days - min_days + 1)))

    def pick(self, values: Sequence[Any], cum_weights: Sequence[float]) -> Any:
        """One of `values` by cumulative weights (a lighter `random.choices(..., k=1)`)."""
        return values[bisect.bisect(cum_weights, self.rng.random() * cum_weights[-1])]


_NO_SUBSTITUTION = {"medication": "", "facility": "", "complies_with_rules": None, "uses_other_drugs": None}


def _history(g: _Gen, person: dict[str, Any], profile: str) -> tuple[list, list, list]:
    """Statuses, management files and treatments for one person, consistent with their profile.
    Every row of a kind has the same keys in the same order (the COPY column list)."""
    rng = g.rng
    person_id = person["id"]
    adult = person["birth_date"] + dt.timedelta(days=16 * 365)
    start_floor = max(adult, g.as_of - dt.timedelta(days=10 * 365))
    statuses: list[dict[str, Any]] = []
    files: list[dict[str, Any]] = []
    treatments: list[dict[str, Any]] = []

    def status(kind: str, start: dt.date, end: dt.date | None = None) -> None:
        statuses.append(
            {"person_id": person_id, "kind": kind, "start_date": start, "end_date": end, "basis": ""}
        )

    def file(kind: str, opened: dt.date, closed: dt.date | None = None) -> None:
        files.append(
            {
                "person_id": person_id,
                "kind": kind,
                "opened_on": opened,
                "closed_on": closed,
                "responsible": rng.choice(_RESPONSIBLE),
            }
        )

    def treatment(kind: str, start: dt.date, end: dt.date | None, **extra: Any) -> None:
        treatments.append(
            {"person_id": person_id, "kind": kind, "start_date": start, "end_date": end}
            | _NO_SUBSTITUTION
            | extra
        )

    if profile in ("addict", "addict_psychosis"):
        determined = g.day(start_floor, g.as_of - dt.timedelta(days=30))
        if rng.random() < 0.5:
            status(StatusKind.USER, g.day(start_floor, determined), determined)
        status(StatusKind.ADDICT, determined)
        if rng.random() < 0.88:
            file(FileKind.ADDICT, g.day(determined, determined + dt.timedelta(days=60)))
        roll = rng.random()
        if roll < 0.30:
            start = g.day(determined, g.as_of - dt.timedelta(days=10))
            treatment(
                TreatmentKind.SUBSTITUTION,
                start,
                None if rng.random() < 0.85 else g.day(start),
                medication=Medication.METHADONE if rng.random() < 0.85 else Medication.BUPRENORPHINE,
                facility=rng.choice(_SUBSTITUTION_FACILITIES),
                complies_with_rules=rng.random() < 0.93,
                uses_other_drugs=rng.random() < 0.08,
            )
        elif roll < 0.55:
            start = g.day(determined)
            end = start + dt.timedelta(days=180)
            treatment(TreatmentKind.VOLUNTARY_COMMUNITY, start, end if end <= g.as_of else None)
        elif roll < 0.70:
            start = g.day(determined)
            end = start + dt.timedelta(days=730)
            ongoing = end > g.as_of
            treatment(
                TreatmentKind.COMPULSORY,
                start,
                None if ongoing else end,
                facility=_FACILITIES[0],
                complies_with_rules=rng.random() < 0.9,
            )
            if ongoing:
                person["presence"] = Presence.IN_REHAB
    elif profile in ("user", "user_psychosis"):
        start = g.day(start_floor, g.as_of - dt.timedelta(days=7))
        status(StatusKind.USER, start)
        if rng.random() < 0.8:
            file(FileKind.USER, g.day(start, start + dt.timedelta(days=45)))
        if rng.random() < 0.1:
            treatment(TreatmentKind.VOLUNTARY_COMMUNITY, g.day(start), None)
    elif profile == "post_rehab":
        determined = g.day(start_floor, g.as_of - dt.timedelta(days=400))
        rehab_start = g.day(determined, determined + dt.timedelta(days=90))
        rehab_end = g.day(rehab_start + dt.timedelta(days=180), rehab_start + dt.timedelta(days=730))
        status(StatusKind.ADDICT, determined, rehab_end)
        kind = TreatmentKind.COMPULSORY if rng.random() < 0.6 else TreatmentKind.VOLUNTARY_FACILITY
        treatment(kind, rehab_start, rehab_end, facility=rng.choice(_FACILITIES), complies_with_rules=True)
        aftercare_end = rehab_end + dt.timedelta(days=730)
        closed = aftercare_end if aftercare_end <= g.as_of else None
        status(StatusKind.POST_REHAB, rehab_end, closed)
        if rng.random() < 0.92:
            file(FileKind.POST_REHAB, rehab_end, closed)
    elif profile == "suspected":
        start = g.ago(5, 365)
        status(StatusKind.SUSPECTED, start, g.day(start) if rng.random() < 0.3 else None)
    elif profile == "offender":
        start = g.day(start_floor, g.as_of - dt.timedelta(days=20))
        status(StatusKind.OFFENDER, start)
        if person_id % 4 == 0:  # by id, so the random draws (and the rest of the data) stay as they were
            status(StatusKind.SELLER, start)
        if rng.random() < 0.3:
            status(StatusKind.USER, g.day(start_floor, start))
        if rng.random() < 0.4:
            person["presence"] = Presence.IN_PRISON
    else:  # released
        start = g.day(start_floor, g.as_of - dt.timedelta(days=400))
        released = g.day(start + dt.timedelta(days=365), start + dt.timedelta(days=5 * 365))
        status(StatusKind.OFFENDER, start, released)
        status(StatusKind.RELEASED, released)
    if profile.endswith("_psychosis"):
        status(StatusKind.PSYCHOSIS, g.day(statuses[-1]["start_date"]))
    return statuses, files, treatments


_REASONS = [TestReason.PERIODIC, TestReason.SUDDEN, TestReason.SUSPICION, TestReason.OTHER]
_REASON_WEIGHTS = list(itertools.accumulate([60, 22, 15, 3]))


def _tests_for(g: _Gen, person_ids: list[int], profiles: list[str], count: int) -> list[dict[str, Any]]:
    rng = g.rng
    chosen = rng.choices(range(len(person_ids)), weights=[_TEST_WEIGHT[p] for p in profiles], k=count)
    tests = []
    taken = set()  # one result per person, day and method (DrugTest's unique constraint)
    for index in chosen:
        positive = rng.random() < _POSITIVE_RATE[profiles[index]]
        test = {
            "person_id": person_ids[index],
            "tested_on": g.ago(0, 729),
            "result": TestResult.POSITIVE if positive else TestResult.NEGATIVE,
            "substance": rng.choice(_SUBSTANCES) if positive else "",
            "method": TestMethod.LAB if rng.random() < 0.1 else TestMethod.KIT,
            "reason": g.pick(_REASONS, _REASON_WEIGHTS),
        }
        while (test["person_id"], test["tested_on"], test["method"]) in taken:
            test["tested_on"] = g.ago(0, 729)
        taken.add((test["person_id"], test["tested_on"], test["method"]))
        tests.append(test)
    return tests


def _next_cccd_serial() -> int:
    top = (
        Person.objects.filter(cccd__startswith=CCCD_PREFIX)
        .aggregate(top=models.Max(Substr("cccd", 7, 6)))
        .get("top")
    )
    return int(top) + 1 if top else 1


def _cccd(birth_date: dt.date, sex: str, serial: int) -> str:
    century_sex = (0 if birth_date.year < 2000 else 2) + (1 if sex == Sex.FEMALE else 0)
    return f"{CCCD_PREFIX}{century_sex}{birth_date.year % 100:02d}{serial:06d}"


@transaction.atomic
def generate(
    *,
    villages: Sequence[Area],
    persons: int,
    tests: int,
    as_of: dt.date,
    seed: int = 0,
    batch_size: int = 5000,
) -> dict[str, int]:
    """Bulk-insert `persons` persons spread unevenly over `villages`, with consistent histories.

    Persons: users, addicts (with their determination date), post-rehab, suspected, psychosis,
    offenders and released prisoners; management files for most of those who need one (not all);
    treatments (opioid substitution — some over 12 months, a few non-compliant or using other
    drugs — community, facility and compulsory); exactly `tests` drug tests over the two years
    before `as_of`, mostly negative. Per village: household commitments (most 100 %, some short),
    a hotline board and a mailbox, a prevention model; for some villages drug points (most
    eliminated), criminal groups with members, cases with the persons involved, and cultivation
    incidents. About 92 % of persons get a unique 12-digit CCCD; (name, birth date, village) is
    unique, also against persons already in those villages.

    Deterministic for a seed. Everything is `is_demo`; no history rows. Rows go in `batch_size`
    persons at a time. Returns the number of rows created per model name (and per M2M link)."""
    if not villages:
        raise ValueError("Cần ít nhất một thôn, bản để sinh dữ liệu.")
    rng = random.Random(seed)
    g = _Gen(rng, as_of)
    sink = _Sink(batch_size)
    for label in ("Person", "PersonStatus", "ManagementFile", "Treatment", "DrugTest"):
        sink.counts[label] = 0

    # Uneven load: a few villages carry much of the register, as in real communes.
    village_ids = [village.pk for village in villages]
    cum_weights = list(itertools.accumulate(rng.paretovariate(1.5) for _ in villages))
    taken = set(
        Person.objects.filter(village__in=village_ids).values_list("name_search", "birth_date", "village_id")
    )
    serial = _next_cccd_serial()
    profile_names, profile_weights = list(_PROFILES), list(_PROFILES.values())
    presences, presence_weights = list(Presence.values), list(itertools.accumulate([85, 8, 0, 3, 4]))
    search_names: dict[str, str] = {}
    # Who can be a case's or a group's member, by village.
    involved: dict[int, list[int]] = {}

    done_tests = 0
    for start in range(0, persons, batch_size):
        size = min(batch_size, persons - start)
        ids = sink.reserve_ids(Person, size)
        profiles = rng.choices(profile_names, weights=profile_weights, k=size)
        chunk: list[dict[str, Any]] = []
        for person_id in ids:
            village_id = g.pick(village_ids, cum_weights)
            sex = Sex.MALE if rng.random() < 0.86 else Sex.FEMALE
            birth = g.ago(16 * 365, 62 * 365)
            name = _person_name(rng, sex)
            key = search_names.get(name) or search_names.setdefault(name, normalise_name(name))
            while (key, birth, village_id) in taken:
                birth -= dt.timedelta(days=1)
            taken.add((key, birth, village_id))
            temporary = rng.random() < 0.1
            cccd = None
            if rng.random() < 0.92:
                cccd, serial = _cccd(birth, sex, serial), serial + 1
            chunk.append(
                {
                    "id": person_id,
                    "full_name": name,
                    "name_search": key,
                    "birth_date": birth,
                    "sex": sex,
                    "cccd": cccd,
                    "village_id": village_id,
                    "address": "",
                    "residence_type": ResidenceType.TEMPORARY if temporary else ResidenceType.PERMANENT,
                    "resident_since": (
                        g.ago(10, 900) if temporary else g.day(birth, birth + dt.timedelta(days=30 * 365))
                    ),
                    "presence": g.pick(presences, presence_weights),
                }
            )
        histories = [_history(g, person, profile) for person, profile in zip(chunk, profiles, strict=True)]
        sink.write(Person, chunk)  # after the histories: they may change a person's presence
        sink.write(PersonStatus, [row for statuses, _f, _t in histories for row in statuses])
        sink.write(ManagementFile, [row for _s, files, _t in histories for row in files])
        sink.write(Treatment, [row for _s, _f, treatments in histories for row in treatments])
        chunk_tests = tests * (start + size) // persons - done_tests
        done_tests += chunk_tests
        sink.write(DrugTest, _tests_for(g, ids, profiles, chunk_tests))
        for person, profile in zip(chunk, profiles, strict=True):
            if profile in ("addict", "offender", "user", "addict_psychosis"):
                involved.setdefault(person["village_id"], []).append(person["id"])

    _village_facts(g, villages, involved, sink)
    return sink.counts


def _village_facts(g: _Gen, villages: Sequence[Area], involved: dict[int, list[int]], sink: _Sink) -> None:
    """Per-village facts: commitments, boards and a model for each village that has none yet; for
    some villages points, cultivation, groups and cases (the last two with members drawn from the
    village's own register)."""
    rng = g.rng
    commitments, boards, prevention, points, cultivation = [], [], [], [], []
    groups, cases = [], []
    group_members, case_persons = [], []
    furnished = set(
        HouseholdCommitment.objects.filter(village__in=[v.pk for v in villages]).values_list(
            "village_id", flat=True
        )
    )
    for village in villages:
        # A second run over the same villages adds persons and events, not a second set of
        # village-wide facts (commitments are unique per village, kind and day).
        if village.pk not in furnished:
            households = rng.randint(40, 260)
            full = rng.random() < 0.7
            commitment = {"village_id": village.pk, "kind": CommitmentKind.DRUG_FREE}
            commitments.append(
                commitment
                | {
                    "as_of": g.ago(0, 120),
                    "households": households,
                    "signed": households if full else households - rng.randint(1, min(8, households)),
                }
            )
            commitments.append(
                commitment
                | {
                    "as_of": g.ago(365, 480),
                    "households": households,
                    "signed": households - rng.randint(0, min(15, households)),
                }
            )
            if rng.random() < 0.3:
                commitments.append(
                    commitment
                    | {"kind": CommitmentKind.NO_POPPY, "as_of": g.ago(0, 200), "households": households}
                    | {"signed": households}
                )
            installed = g.ago(60, 1100)
            boards.append(
                {
                    "village_id": village.pk,
                    "kind": BoardKind.HOTLINE,
                    "location": "Nhà văn hóa thôn, bản",
                    "installed_on": installed,
                    "removed_on": g.day(installed) if rng.random() < 0.03 else None,
                }
            )
            boards.append(
                {
                    "village_id": village.pk,
                    "kind": BoardKind.MAILBOX,
                    "location": "Cổng nhà văn hóa thôn, bản",
                    "installed_on": g.ago(30, 1100),
                    "removed_on": None,
                }
            )
            kind, label, lead = rng.choice(_MODELS)
            established = g.ago(90, 1800)
            active = rng.random() < 0.9
            prevention.append(
                {
                    "area_id": village.pk,
                    "name": f"{label} {village.name}",
                    "kind": kind,
                    "lead_organisation": lead,
                    "established_on": established,
                    "is_active": active,
                    "ended_on": None if active else g.day(established),
                    "last_evaluated_on": g.ago(0, 300),
                    "evaluated_effective": active and rng.random() < 0.92,
                }
            )
        for _ in range(rng.choices([0, 1, 2], weights=[80, 15, 5])[0]):
            found = g.ago(10, 1500)
            eliminated = rng.random() < 0.65
            points.append(
                {
                    "village_id": village.pk,
                    "kind": rng.choice(list(PointKind.values)),
                    "description": rng.choice(_POINT_PLACES),
                    "found_on": found,
                    "eliminated_on": g.day(found, found + dt.timedelta(days=120)) if eliminated else None,
                }
            )
        if rng.random() < 0.08:
            found = g.ago(5, 900)
            season_year = found.year if found.month >= 9 else found.year - 1
            eradicated = rng.random() < 0.9
            cultivation.append(
                {
                    "village_id": village.pk,
                    "plant": Plant.POPPY if rng.random() < 0.8 else Plant.CANNABIS,
                    "season": f"{season_year}-{season_year + 1}",
                    "area_m2": Decimal(rng.randint(20, 2500)) if rng.random() < 0.7 else None,
                    "plant_count": rng.randint(50, 4000),
                    "found_on": found,
                    "eradicated_on": g.day(found, found + dt.timedelta(days=7)) if eradicated else None,
                }
            )
        locals_ = involved.get(village.pk, [])
        if len(locals_) >= 3 and rng.random() < 0.2:
            found = g.ago(30, 1400)
            dismantled = rng.random() < 0.6
            groups.append(
                {
                    "village_id": village.pk,
                    "kind": GroupKind.NETWORK if rng.random() < 0.2 else GroupKind.GROUP,
                    "name": f"Ổ nhóm tại {village.name}",
                    "found_on": found,
                    "dismantled_on": g.day(found, found + dt.timedelta(days=200)) if dismantled else None,
                }
            )
            group_members.append(rng.sample(locals_, k=min(len(locals_), rng.randint(2, 5))))
        for _ in range(len(locals_) // 12 + (1 if locals_ and rng.random() < 0.3 else 0)):
            cases.append(
                {
                    "village_id": village.pk,
                    "kind": CaseKind.CRIMINAL if rng.random() < 0.7 else CaseKind.INCIDENT,
                    "occurred_on": g.ago(0, 1100),
                    "severity": rng.choices(list(Severity.values), weights=[45, 35, 15, 5])[0],
                    "summary": rng.choice(_CASE_SUMMARIES),
                }
            )
            case_persons.append(rng.sample(locals_, k=min(len(locals_), rng.randint(1, 3))))
    for model, rows in (
        (HouseholdCommitment, commitments),
        (HotlineBoard, boards),
        (PreventionModel, prevention),
        (DrugPoint, points),
        (CultivationIncident, cultivation),
    ):
        sink.write(model, rows)
    for model, rows, links, label in (
        (CriminalGroup, groups, group_members, "members"),
        (DrugCase, cases, case_persons, "persons"),
    ):
        ids = sink.reserve_ids(model, len(rows)) if rows else []
        sink.write(model, [{"id": pk} | row for pk, row in zip(ids, rows, strict=True)])
        through = getattr(model, label).through
        owner = f"{model._meta.model_name}_id"
        sink.write(
            through,
            [
                {owner: pk, "person_id": person}
                for pk, linked in zip(ids, links, strict=True)
                for person in linked
            ],
            label=f"{model.__name__}.{label}",
        )
