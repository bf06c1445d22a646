"""Demo registers for the demo units: invented people and events, every row marked `is_demo`.

Designed against the Lai Châu set (8 criteria, domain brief §4) so that some villages meet every
criterion and others fail one for a reason a reader can find in the registers. All dates count
back from the day `load_demo` runs (`timezone.localdate()`), so "within 30 days" and "over 12
months" hold whenever it is run. Idempotent: a village that already has its demo mailbox is left
alone (every demo village gets one, and no other loader creates mailboxes).

Every designed village holds a clean register (addicts filed and in treatment — one on methadone
for over 12 months keeping the rules —, one addict in compulsory rehab, post-rehab persons filed,
users filed and tested negative within 30 days, a suspected user tested, a released prisoner, a
former user), 100 % commitments, a hotline board, a mailbox and its own effective prevention
model, plus what its row below says. "meets" = meets all 8 Lai Châu criteria on the load day.

| commune | village | Lai Châu result | what in the registers makes it so |
|---|---|---|---|
| Xã Hoang Thèn | Bản Tả Lèng | meets | clean register |
| Xã Hoang Thèn | Bản Seo Chồ | meets | also a retail point found ~2 years ago, eliminated ~20 months ago |
| Xã Hoang Thèn | Bản Seo Khèn | meets | also an addict away from home (vắng mặt): filed, no treatment — 3 counts only those present |
| Xã Hoang Thèn | Bản Seo Lìn | fails 3, 5 | addict present, determined ~45 days ago (positive test), no management file, no treatment |
| Xã Hoang Thèn | Bản Seo Lùng | fails 1 | retail point (điểm bán lẻ) found ~3 months ago, not eliminated |
| Xã Hoang Thèn | Bản Seo Mìn | fails 4 | methadone patient for 18 months who uses other drugs (positive MET test ~12 days ago) |
| Xã Hoang Thèn | Bản Seo Phình | fails 6 | latest commitments 93/95 households (a year earlier 90/95) |
| Xã Hoang Thèn | Bản Seo Sáng | fails 6 | no hotline board (only the denunciation mailbox) |
| Xã Hoang Thèn | Bản Seo Pho | fails 7 | its only model is active but evaluated not effective |
| Xã Hoang Thèn | Bản Seo Chù | fails 8 | poppy field (350 m²) found ~25 days ago this season, eradicated 2 days later |
| Xã Mường So | Bản Co Muông | meets | clean register |
| Xã Mường So | Bản Nà Pho | meets | also a drug offender living there as a temporary resident for ~40 days (< 03 months) |
| Xã Mường So | Bản Nà Cai | fails 2 | drug offender (permanent resident, prosecuted ~5 months ago, on bail) |
| Xã Mường So | Bản Nà Chải | fails 2 | criminal group found ~50 days ago, not dismantled; 3 members (users, filed) |
| Xã Mường So | Bản Nà Chồ | fails 3 | post-rehab person without a post-rehab management file |
| Xã Mường So | Bản Nà Lìn | fails 3 | addict in compulsory rehab (đang cai nghiện tập trung) without a management file |
| Xã Mường So | Bản Nà Lùng | fails 7 | its model stopped ~4 months ago |
| Xã Tân An | Thôn Trại Mũa | meets | clean register |
| Xã Tân An | Thôn Vân Cầu | meets | clean register |
| Xã Tân An | Thôn Kim Chuế | meets | clean register |
| Xã Tân An | Thôn Ứng Mộ | fails 1 | point organising drug use (karaoke) found ~2 months ago, not eliminated |
| Xã Tân An | Thôn Tiên Liệt | fails 6 | latest commitments 312/318 households |
| Xã Tân An | Thôn Tam Tập | fails 4 | methadone patient for 26 months who does not keep the facility rules |
| Xã Tân An | Thôn Kim Húc | fails 3 | addict present with a management file but no treatment running |
| Xã Tân An | Thôn Hữu Chung | fails 8 | 14 cannabis plants found in a garden ~40 days ago, eradicated the same day |
| Xã Tân An | Thôn Đồng Xá | 7 needs evidence | small clean register; its model is active but not yet evaluated |
| Xã Tân An | Thôn Mỹ Cầu | fails 7 | small register; a very serious case (~70 days ago) by a psychotic user (Thanh Hóa criterion 7) |

Villages the demo recognises in 2024 and the first half of 2025 (dossiers.demo) have their
registers dated back from the day they were appraised (`HISTORY_ANCHORS`), so they met the
criteria on that day as they would have then.

Other villages of Hoang Thèn, Mường So, Huổi Luông and Tân An: a small clean register,
commitments, hotline board and mailbox, no model (so they fail 7); Bản Chang Hồng (Huổi Luông)
also has a model and meets all 8. Every other Phong Thổ village: commitments, hotline board and
mailbox only (fails 7). Commune-level models: Xã Hoang Thèn and Xã Tân An (each effective).
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from collections.abc import Callable
from decimal import Decimal
from typing import TypeVar

from django.db import models, transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

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
    ResidenceType,
    Severity,
    Sex,
    StatusKind,
    TestReason,
    TestResult,
    Treatment,
    TreatmentKind,
)
from .text import normalise_name

CHANGE_REASON = "Nạp dữ liệu minh họa"
RowT = TypeVar("RowT", bound=models.Model)

# (commune, village) → the features built into the village (see the module docstring).
DESIGN: dict[str, dict[str, tuple[str, ...]]] = {
    "Xã Hoang Thèn": {
        "Bản Tả Lèng": (),
        "Bản Seo Chồ": ("eliminated_point",),
        "Bản Seo Khèn": ("absent_addict",),
        "Bản Seo Lìn": ("unfiled_addict",),
        "Bản Seo Lùng": ("retail_point",),
        "Bản Seo Mìn": ("methadone_other_drugs",),
        "Bản Seo Phình": ("commitments_93_of_95",),
        "Bản Seo Sáng": ("no_hotline",),
        "Bản Seo Pho": ("ineffective_model",),
        "Bản Seo Chù": ("poppy_this_season",),
    },
    "Xã Mường So": {
        "Bản Co Muông": (),
        "Bản Nà Pho": ("newcomer_offender",),
        "Bản Nà Cai": ("resident_offender",),
        "Bản Nà Chải": ("active_group",),
        "Bản Nà Chồ": ("unfiled_post_rehab",),
        "Bản Nà Lìn": ("unfiled_addict_in_rehab",),
        "Bản Nà Lùng": ("stopped_model",),
    },
    "Xã Tân An": {
        "Thôn Trại Mũa": (),
        "Thôn Vân Cầu": (),
        "Thôn Kim Chuế": (),
        "Thôn Ứng Mộ": ("organising_point",),
        "Thôn Tiên Liệt": ("commitments_312_of_318",),
        "Thôn Tam Tập": ("methadone_non_compliant",),
        "Thôn Kim Húc": ("untreated_addict",),
        "Thôn Hữu Chung": ("cannabis_this_year",),
    },
    "Xã Huổi Luông": {
        "Bản Chang Hồng": (),
    },
}
# Villages with a small register and a feature, but no model of their own.
SMALL_DESIGN: dict[str, dict[str, tuple[str, ...]]] = {
    "Xã Tân An": {
        "Thôn Đồng Xá": ("unevaluated_model",),
        "Thôn Mỹ Cầu": ("serious_case_by_psychotic",),
    },
}
# Communes whose villages (beyond the designed ones) get a small register.
COMMUNES_WITH_REGISTERS = ["Xã Hoang Thèn", "Xã Mường So", "Xã Huổi Luông", "Xã Tân An"]

COMMUNE_MODELS = {
    "Xã Hoang Thèn": (
        ModelKind.YOUTH,
        "Câu lạc bộ “Thanh niên nói không với ma túy” xã Hoang Thèn",
        "Đoàn Thanh niên xã Hoang Thèn",
    ),
    "Xã Tân An": (
        ModelKind.OTHER,
        "Mô hình “Camera an ninh” kết hợp phòng, chống ma túy xã Tân An",
        "Công an xã Tân An",
    ),
}

# Names by style: highland (Hmong, Dao, Thai) for Lai Châu, Kinh for Hải Phòng.
HIGHLAND_NAMES = {
    Sex.MALE: [
        ("Giàng A", ["Páo", "Sử", "Chứ", "Dế", "Lử", "Tủa"]),
        ("Sùng A", ["Chang", "Dình", "Vư", "Xá", "Pó"]),
        ("Vàng A", ["Nhè", "Sình", "Cở", "Lù", "Sếnh"]),
        ("Thào Seo", ["Phìn", "Lồ", "Chải", "Sán"]),
        ("Tẩn Láo", ["San", "Lở", "Vần", "Chàn", "Quẩy"]),
        ("Lý Láo", ["Phin", "Sểnh", "Chiêu", "Tả"]),
        ("Lò Văn", ["Inh", "Thành", "Ún", "Pánh", "Xôm", "Khăm"]),
        ("Tao Văn", ["Piếng", "Tiến", "Xiêng", "Biên"]),
    ],
    Sex.FEMALE: [
        ("Giàng Thị", ["Mỷ", "Sú", "Dợ", "Chở"]),
        ("Sùng Thị", ["Mai", "Pằng", "Say"]),
        ("Tẩn Tả", ["Mẩy", "Mẩy Lở", "Chòi"]),
        ("Lò Thị", ["Ún", "Xiên", "Kim", "Piếng"]),
    ],
}
KINH_NAMES = {
    Sex.MALE: [
        (family + " " + middle, ["An", "Bình", "Cường", "Dũng", "Đạt", "Hải", "Hùng", "Long", "Nam", "Tuấn"])
        for family in ("Nguyễn", "Trần", "Phạm", "Vũ", "Đỗ", "Bùi")
        for middle in ("Văn", "Đức", "Minh")
    ],
    Sex.FEMALE: [
        (family + " Thị", ["Hoa", "Hương", "Lan", "Mai", "Nga", "Thảo", "Yến"])
        for family in ("Nguyễn", "Trần", "Phạm", "Vũ")
    ],
}

RESPONSIBLE = {
    "highland": ["Công an xã", "Trưởng bản", "Hội Cựu chiến binh xã", "Gia đình"],
    "kinh": ["Công an xã Tân An", "Trưởng thôn", "Hội Liên hiệp Phụ nữ xã", "Đoàn Thanh niên xã"],
}
FACILITIES = {
    "highland": {
        "methadone": "Cơ sở điều trị Methadone huyện Phong Thổ",
        "rehab": "Cơ sở cai nghiện ma túy tỉnh Lai Châu",
    },
    "kinh": {
        "methadone": "Cơ sở điều trị Methadone số 3 thành phố Hải Phòng",
        "rehab": "Cơ sở cai nghiện ma túy số 1 thành phố Hải Phòng",
    },
}


# Villages recognised in the demo's history: their registers count back from this day instead.
HISTORY_ANCHORS: dict[str, dt.date] = {
    "Bản Tả Lèng": dt.date(2024, 8, 1),
    "Bản Co Muông": dt.date(2024, 9, 1),
    "Bản Seo Khèn": dt.date(2025, 3, 1),
    "Bản Nà Phình": dt.date(2025, 5, 1),
}


class _Book:
    """The demo rows of one load, kept in creation order per model, then written in bulk."""

    def __init__(self, today: dt.date, taken_cccds: set[str]) -> None:
        self.today = today
        self.load_day = today
        self.taken_cccds = taken_cccds
        self.rows: dict[type[models.Model], list[models.Model]] = defaultdict(list)
        self.links: list[tuple[models.Model, str, list[Person]]] = []

    def add(self, obj: RowT) -> RowT:
        obj.is_demo = True
        self.rows[type(obj)].append(obj)
        return obj

    def ago(self, days: int) -> dt.date:
        return self.today - dt.timedelta(days=days)

    def write(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for model in (
            Person,
            PersonStatus,
            ManagementFile,
            Treatment,
            DrugTest,
            DrugPoint,
            CriminalGroup,
            DrugCase,
            CultivationIncident,
            HouseholdCommitment,
            HotlineBoard,
            PreventionModel,
        ):
            rows = self.rows.get(model, [])
            if rows:
                bulk_create_with_history(rows, model, default_change_reason=CHANGE_REASON)
            counts[model.__name__] = len(rows)
        for owner, field, persons in self.links:
            getattr(owner, field).set(persons)
        return counts


class _Village:
    """Builds one village's register: persons with consistent histories and village-wide facts."""

    def __init__(self, book: _Book, village: Area, style: str) -> None:
        self.book = book
        self.village = village
        self.style = style
        # Seeded by the village name: the same demo every time, whatever the database ids.
        self.rng = random.Random(f"{village.parent.name}/{village.name}")
        self.cccd_rng = random.Random(f"{village.name}/cccd")
        self.names: set[str] = set()

    def ago(self, low: int, high: int | None = None) -> dt.date:
        return self.book.ago(low if high is None else self.rng.randint(low, high))

    def person(
        self,
        *,
        age: tuple[int, int] = (22, 50),
        sex: str | None = None,
        presence: str = Presence.PRESENT,
        temporary_for: int | None = None,
        note: str = "",
    ) -> Person:
        rng = self.rng
        sex = sex or (Sex.MALE if rng.random() < 0.85 else Sex.FEMALE)
        table = (HIGHLAND_NAMES if self.style == "highland" else KINH_NAMES)[sex]
        name = ""
        while not name or name in self.names:
            prefix, given = rng.choice(table)
            name = f"{prefix} {rng.choice(given)}"
        self.names.add(name)
        birth = self.book.ago(rng.randint(age[0] * 365, age[1] * 365))
        person = Person(
            full_name=name,
            name_search=normalise_name(name),
            birth_date=birth,
            sex=sex,
            cccd=self._cccd(birth, sex) if rng.random() < 0.85 else self._complete_cccd(birth, sex),
            village=self.village,
            address=f"{self.village.name}, {self.village.parent.name}",
            residence_type=ResidenceType.TEMPORARY if temporary_for else ResidenceType.PERMANENT,
            resident_since=self.book.ago(temporary_for) if temporary_for else birth,
            presence=presence,
            note=note,
        )
        return self.book.add(person)

    def _complete_cccd(self, birth: dt.date, sex: str) -> str | None:
        """Tân An's registers are the demo's clean ones (“đúng, đủ, sạch, sống”, `quality.demo`):
        every person has a CCCD there. Drawn from a generator of its own so the rest of the
        village's demo stays as it was."""
        if self.style != "kinh":
            return None
        saved, self.rng = self.rng, self.cccd_rng
        try:
            return self._cccd(birth, sex)
        finally:
            self.rng = saved

    def _cccd(self, birth: dt.date, sex: str) -> str:
        province = "012" if self.style == "highland" else "031"
        century_sex = (0 if birth.year < 2000 else 2) + (1 if sex == Sex.FEMALE else 0)
        while True:
            cccd = f"{province}{century_sex}{birth.year % 100:02d}{self.rng.randint(0, 999999):06d}"
            if cccd not in self.book.taken_cccds:
                self.book.taken_cccds.add(cccd)
                return cccd

    def status(
        self, person: Person, kind: str, start: dt.date, end: dt.date | None = None, basis: str = ""
    ) -> None:
        self.book.add(PersonStatus(person=person, kind=kind, start_date=start, end_date=end, basis=basis))

    def file(self, person: Person, kind: str, opened: dt.date, closed: dt.date | None = None) -> None:
        responsible = self.rng.choice(RESPONSIBLE[self.style])
        self.book.add(
            ManagementFile(
                person=person, kind=kind, opened_on=opened, closed_on=closed, responsible=responsible
            )
        )

    def test(
        self,
        person: Person,
        day: dt.date,
        *,
        positive: str = "",
        reason: str = TestReason.PERIODIC,
    ) -> None:
        self.book.add(
            DrugTest(
                person=person,
                tested_on=day,
                result=TestResult.POSITIVE if positive else TestResult.NEGATIVE,
                substance=positive,
                reason=reason,
            )
        )

    def treatment(
        self, person: Person, kind: str, start: dt.date, end: dt.date | None = None, **extra
    ) -> None:
        self.book.add(Treatment(person=person, kind=kind, start_date=start, end_date=end, **extra))

    def addict(
        self,
        *,
        determined: dt.date,
        until: dt.date | None = None,
        filed: bool = True,
        **person_kwargs,
    ) -> Person:
        """A person determined to be addicted on `determined` (found by a positive test that day),
        addicted until `until` (still, if None), with an addict file unless `filed` is false."""
        person = self.person(**person_kwargs)
        self.status(
            person,
            StatusKind.ADDICT,
            determined,
            until,
            basis="Kết luận xác định tình trạng nghiện của cơ sở y tế",
        )
        substance = self.rng.choice(["Heroin", "Methamphetamine (MET)"])
        self.test(person, determined, positive=substance, reason=TestReason.SUSPICION)
        if filed:
            self.file(person, FileKind.ADDICT, determined + dt.timedelta(days=self.rng.randint(3, 20)), until)
        return person

    def methadone_patient(self, *, months: int, complies: bool = True, other_drugs: bool = False) -> Person:
        start = self.book.ago(months * 31)
        person = self.addict(determined=start - dt.timedelta(days=self.rng.randint(60, 400)))
        self.treatment(
            person,
            TreatmentKind.SUBSTITUTION,
            start,
            medication=Medication.METHADONE,
            facility=FACILITIES[self.style]["methadone"],
            complies_with_rules=complies,
            uses_other_drugs=other_drugs,
        )
        if other_drugs:
            self.test(person, self.ago(12), positive="Methamphetamine (MET)", reason=TestReason.SUDDEN)
        else:
            self.test(person, self.ago(3, 20))
        return person

    def community_addict(self) -> Person:
        person = self.addict(determined=self.ago(150, 700))
        self.treatment(person, TreatmentKind.VOLUNTARY_COMMUNITY, self.ago(20, 100))
        self.test(person, self.ago(3, 20))
        return person

    def addict_in_rehab(self, *, filed: bool = True) -> Person:
        person = self.addict(determined=self.ago(200, 500), filed=filed, presence=Presence.IN_REHAB)
        self.treatment(
            person,
            TreatmentKind.COMPULSORY,
            self.ago(60, 190),
            facility=FACILITIES[self.style]["rehab"],
            complies_with_rules=True,
        )
        return person

    def post_rehab(self, *, filed: bool = True) -> Person:
        rehab_end = self.ago(150, 600)
        rehab_start = rehab_end - dt.timedelta(days=540)
        determined = rehab_start - dt.timedelta(days=self.rng.randint(10, 60))
        person = self.addict(determined=determined, until=rehab_end)
        self.treatment(
            person,
            TreatmentKind.COMPULSORY,
            rehab_start,
            rehab_end,
            facility=FACILITIES[self.style]["rehab"],
            complies_with_rules=True,
        )
        self.status(person, StatusKind.POST_REHAB, rehab_end, basis="Giấy chứng nhận hoàn thành cai nghiện")
        if filed:
            self.file(person, FileKind.POST_REHAB, rehab_end + dt.timedelta(days=self.rng.randint(0, 10)))
        self.test(person, self.ago(10, 60))
        return person

    def user(self, **person_kwargs) -> Person:
        start = self.ago(60, 900)
        person = self.person(**person_kwargs)
        self.status(person, StatusKind.USER, start, basis="Kết quả xét nghiệm dương tính")
        substance = self.rng.choice(["Methamphetamine (MET)", "Cần sa (THC)", "MDMA"])
        self.test(person, start, positive=substance, reason=TestReason.SUSPICION)
        self.file(person, FileKind.USER, start + dt.timedelta(days=self.rng.randint(3, 30)))
        self.test(person, self.ago(3, 25))
        return person

    def suspected(self) -> Person:
        start = self.ago(10, 60)
        person = self.person(age=(17, 30))
        self.status(person, StatusKind.SUSPECTED, start, basis="Tin báo của quần chúng nhân dân")
        self.test(person, start + dt.timedelta(days=self.rng.randint(1, 5)), reason=TestReason.SUSPICION)
        return person

    def released(self) -> Person:
        released = self.ago(200, 700)
        person = self.person(age=(30, 55))
        self.status(
            person, StatusKind.OFFENDER, self.ago(2500, 3500), released, basis="Bản án hình sự sơ thẩm"
        )
        self.status(person, StatusKind.RELEASED, released, basis="Giấy chứng nhận chấp hành xong án phạt tù")
        return person

    def former_user(self) -> Person:
        start, end = self.ago(1500, 2000), self.ago(600, 900)
        person = self.person(age=(25, 50))
        self.status(person, StatusKind.USER, start, end)
        self.file(person, FileKind.USER, start + dt.timedelta(days=10), end)
        return person

    def psychotic_user(self) -> Person:
        person = self.user()
        self.status(
            person,
            StatusKind.PSYCHOSIS,
            self.ago(100, 200),
            basis="Có biểu hiện hoang tưởng, kích động sau khi sử dụng ma túy đá",
        )
        return person

    def full_register(self) -> None:
        """A register that meets every personal criterion of the Lai Châu set."""
        self.methadone_patient(months=self.rng.randint(14, 30))
        self.community_addict()
        self.addict_in_rehab()
        self.post_rehab()
        self.user()
        self.user()
        self.suspected()
        self.released()
        self.former_user()

    def small_register(self) -> None:
        self.community_addict()
        self.user()
        self.post_rehab()
        self.former_user()

    def finish(self, *, households: tuple[int, int, int] | None, hotline: bool, model: str | None) -> None:
        """Commitments (latest and a year earlier), boards, and the village's own model:
        `model` is "effective", "ineffective", "unevaluated", "stopped" or None (no model)."""
        rng, name = self.rng, self.village.name
        if households is None:
            total = rng.randint(60, 180) if self.style == "highland" else rng.randint(180, 420)
            households = (total, total, total - rng.randint(2, 6))
        total, signed, earlier = households
        for as_of, count in ((self.ago(45), signed), (self.ago(410), earlier)):
            self.book.add(
                HouseholdCommitment(
                    village=self.village,
                    kind=CommitmentKind.DRUG_FREE,
                    as_of=as_of,
                    households=total,
                    signed=count,
                )
            )
        if self.style == "highland":
            self.book.add(
                HouseholdCommitment(
                    village=self.village,
                    kind=CommitmentKind.NO_POPPY,
                    as_of=self.ago(80),
                    households=total,
                    signed=total,
                )
            )
        if hotline:
            self.book.add(
                HotlineBoard(
                    village=self.village,
                    kind=BoardKind.HOTLINE,
                    location=f"Nhà văn hóa {name}",
                    installed_on=self.ago(400, 900),
                )
            )
        self.book.add(
            HotlineBoard(
                village=self.village,
                kind=BoardKind.MAILBOX,
                location=f"Cổng nhà văn hóa {name}",
                installed_on=self.ago(300, 900),
            )
        )
        if model is None:
            return
        kind, label, lead = rng.choice(VILLAGE_MODELS[self.style])
        stopped = model == "stopped"
        self.book.add(
            PreventionModel(
                area=self.village,
                name=f"{label} {name}",
                kind=kind,
                lead_organisation=lead,
                established_on=self.ago(500, 1200),
                is_active=not stopped,
                ended_on=self.ago(120) if stopped else None,
                last_evaluated_on=None if model == "unevaluated" else self.ago(60, 200),
                evaluated_effective={"effective": True, "ineffective": False, "stopped": True}.get(model),
            )
        )


VILLAGE_MODELS = {
    "highland": [
        (ModelKind.CLAN, "Dòng họ không ma túy", "Ban Công tác Mặt trận bản"),
        (ModelKind.FAMILY, "Gia đình không ma túy", "Chi hội Phụ nữ bản"),
        (ModelKind.RESIDENTIAL, "Tổ tự quản an ninh trật tự", "Trưởng bản"),
    ],
    "kinh": [
        (ModelKind.FAMILY, "Gia đình không ma túy", "Chi hội Phụ nữ thôn"),
        (ModelKind.YOUTH, "Chi đoàn không ma túy", "Chi đoàn thôn"),
        (ModelKind.AFTERCARE, "Tổ hỗ trợ người sau cai nghiện", "Chi hội Cựu chiến binh thôn"),
    ],
}


class _Plan:
    """What `finish` is to build for a village; features change it."""

    def __init__(self, model: str | None) -> None:
        self.households: tuple[int, int, int] | None = None
        self.hotline = True
        self.model = model


def _eliminated_point(v: _Village, plan: _Plan) -> None:
    found = v.ago(730)
    v.book.add(
        DrugPoint(
            village=v.village,
            kind=PointKind.RETAIL,
            description="Nhà tạm đầu bản, đối tượng bán lẻ heroin (đã bị xử lý)",
            found_on=found,
            eliminated_on=v.ago(610),
        )
    )


def _absent_addict(v: _Village, plan: _Plan) -> None:
    v.addict(
        determined=v.ago(300, 600),
        presence=Presence.ABSENT,
        note="Đi làm ăn xa tại tỉnh Bình Dương; gia đình và trưởng bản nắm được địa chỉ.",
    )


def _unfiled_addict(v: _Village, plan: _Plan) -> None:
    v.addict(determined=v.ago(45), filed=False)


def _untreated_addict(v: _Village, plan: _Plan) -> None:
    v.addict(determined=v.ago(40, 90))


def _retail_point(v: _Village, plan: _Plan) -> None:
    v.book.add(
        DrugPoint(
            village=v.village,
            kind=PointKind.RETAIL,
            description="Lán nương khu vực suối đầu bản, nghi bán lẻ heroin; đang xác minh đối tượng",
            found_on=v.ago(90),
        )
    )


def _organising_point(v: _Village, plan: _Plan) -> None:
    v.book.add(
        DrugPoint(
            village=v.village,
            kind=PointKind.ORGANISING,
            description="Quán karaoke ven đường liên xã, chủ quán chứa chấp sử dụng trái phép chất ma túy",
            found_on=v.ago(60),
        )
    )


def _methadone_other_drugs(v: _Village, plan: _Plan) -> None:
    v.methadone_patient(months=18, other_drugs=True)


def _methadone_non_compliant(v: _Village, plan: _Plan) -> None:
    v.methadone_patient(months=26, complies=False)


def _resident_offender(v: _Village, plan: _Plan) -> None:
    person = v.person(age=(22, 45))
    v.status(
        person,
        StatusKind.OFFENDER,
        v.ago(150),
        basis="Bị khởi tố về tội tàng trữ trái phép chất ma túy, đang được tại ngoại",
    )


def _newcomer_offender(v: _Village, plan: _Plan) -> None:
    person = v.person(age=(22, 45), temporary_for=40)
    v.status(
        person,
        StatusKind.OFFENDER,
        v.ago(300),
        basis="Bị xử phạt tù cho hưởng án treo về tội tàng trữ trái phép chất ma túy tại địa phương khác",
    )


def _active_group(v: _Village, plan: _Plan) -> None:
    members = [v.user(age=(18, 30)) for _ in range(3)]
    group = v.book.add(
        CriminalGroup(
            village=v.village,
            kind=GroupKind.GROUP,
            name="Nhóm tụ tập sử dụng trái phép chất ma túy tại lán nương",
            found_on=v.ago(50),
        )
    )
    v.book.links.append((group, "members", members))


def _unfiled_post_rehab(v: _Village, plan: _Plan) -> None:
    v.post_rehab(filed=False)


def _unfiled_addict_in_rehab(v: _Village, plan: _Plan) -> None:
    v.addict_in_rehab(filed=False)


def _poppy_this_season(v: _Village, plan: _Plan) -> None:
    found = v.ago(25)
    season = found.year if found.month >= 9 else found.year - 1
    v.book.add(
        CultivationIncident(
            village=v.village,
            plant=Plant.POPPY,
            season=f"{season}-{season + 1}",
            area_m2=Decimal("350"),
            found_on=found,
            eradicated_on=found + dt.timedelta(days=2),
            note="Phát hiện khi tuần tra nương rẫy; đã phá nhổ toàn bộ.",
        )
    )


def _cannabis_this_year(v: _Village, plan: _Plan) -> None:
    found = v.ago(40)
    v.book.add(
        CultivationIncident(
            village=v.village,
            plant=Plant.CANNABIS,
            plant_count=14,
            found_on=found,
            eradicated_on=found,
            note="Trồng xen trong vườn nhà; đã nhổ bỏ và lập biên bản.",
        )
    )


def _serious_case_by_psychotic(v: _Village, plan: _Plan) -> None:
    person = v.psychotic_user()
    case = v.book.add(
        DrugCase(
            village=v.village,
            kind=CaseKind.CRIMINAL,
            occurred_on=v.ago(70),
            severity=Severity.VERY_SERIOUS,
            summary="Dùng dao gây thương tích cho người thân khi có biểu hiện loạn thần do sử dụng ma túy",
        )
    )
    v.book.links.append((case, "persons", [person]))


def _commitments(households: int, signed: int, earlier: int) -> Callable[[_Village, _Plan], None]:
    def feature(v: _Village, plan: _Plan) -> None:
        plan.households = (households, signed, earlier)

    return feature


def _no_hotline(v: _Village, plan: _Plan) -> None:
    plan.hotline = False


def _model(state: str) -> Callable[[_Village, _Plan], None]:
    def feature(v: _Village, plan: _Plan) -> None:
        plan.model = state

    return feature


FEATURES: dict[str, Callable[[_Village, _Plan], None]] = {
    "eliminated_point": _eliminated_point,
    "absent_addict": _absent_addict,
    "unfiled_addict": _unfiled_addict,
    "untreated_addict": _untreated_addict,
    "retail_point": _retail_point,
    "organising_point": _organising_point,
    "methadone_other_drugs": _methadone_other_drugs,
    "methadone_non_compliant": _methadone_non_compliant,
    "resident_offender": _resident_offender,
    "newcomer_offender": _newcomer_offender,
    "active_group": _active_group,
    "unfiled_post_rehab": _unfiled_post_rehab,
    "unfiled_addict_in_rehab": _unfiled_addict_in_rehab,
    "poppy_this_season": _poppy_this_season,
    "cannabis_this_year": _cannabis_this_year,
    "serious_case_by_psychotic": _serious_case_by_psychotic,
    "commitments_93_of_95": _commitments(95, 93, 90),
    "commitments_312_of_318": _commitments(318, 312, 300),
    "no_hotline": _no_hotline,
    "ineffective_model": _model("ineffective"),
    "stopped_model": _model("stopped"),
    "unevaluated_model": _model("unevaluated"),
}


def _build(book: _Book, village: Area) -> None:
    book.today = HISTORY_ANCHORS.get(village.name, book.load_day)
    commune = village.parent.name
    v = _Village(book, village, "kinh" if commune == "Xã Tân An" else "highland")
    features = DESIGN.get(commune, {}).get(village.name)
    if features is not None:
        plan = _Plan(model="effective")
        v.full_register()
    else:
        features = SMALL_DESIGN.get(commune, {}).get(village.name, ())
        plan = _Plan(model=None)
        if commune in COMMUNES_WITH_REGISTERS:
            v.small_register()
    for feature in features:
        FEATURES[feature](v, plan)
    v.finish(households=plan.households, hotline=plan.hotline, model=plan.model)


def _commune_models(book: _Book, units: dict[str, Area]) -> None:
    for commune_name, (kind, name, lead) in COMMUNE_MODELS.items():
        commune = units.get(commune_name)
        if commune is None or PreventionModel.objects.filter(area=commune, name=name).exists():
            continue
        book.add(
            PreventionModel(
                area=commune,
                name=name,
                kind=kind,
                lead_organisation=lead,
                established_on=book.ago(900),
                is_active=True,
                last_evaluated_on=book.ago(90),
                evaluated_effective=True,
            )
        )


@transaction.atomic
def load(units: dict[str, Area]) -> str:
    """Create the demo registers of every demo village not yet furnished (see the module
    docstring for what each designed village holds) and return a short Vietnamese summary."""
    roots = [units[key] for key in ("phong_tho", "Xã Tân An") if key in units]
    if not roots:
        return ""
    under_roots = models.Q(pk__in=[])
    for root in roots:
        under_roots |= models.Q(path__startswith=root.path)
    villages = list(
        Area.objects.filter(under_roots, level=Level.VILLAGE).select_related("parent").order_by("path")
    )
    furnished = set(
        HotlineBoard.objects.filter(village__in=villages, kind=BoardKind.MAILBOX, is_demo=True).values_list(
            "village_id", flat=True
        )
    )
    taken = set(
        Person.objects.filter(
            models.Q(cccd__startswith="012") | models.Q(cccd__startswith="031")
        ).values_list("cccd", flat=True)
    )
    book = _Book(timezone.localdate(), taken)
    new_villages = [village for village in villages if village.pk not in furnished]
    for village in new_villages:
        _build(book, village)
    _commune_models(book, units)
    counts = book.write()
    if not new_villages and not counts["PreventionModel"]:
        return "sổ theo dõi minh họa đã có, không tạo thêm."
    return (
        f"đã tạo sổ theo dõi minh họa cho {len(new_villages)} thôn, bản: {counts['Person']} đối tượng, "
        f"{counts['DrugTest']} lượt xét nghiệm, {counts['Treatment']} lượt cai nghiện, điều trị, "
        f"{counts['DrugPoint']} điểm ma túy, {counts['CultivationIncident']} vụ trồng cây có chứa chất ma túy, "
        f"{counts['PreventionModel']} mô hình phòng, chống ma túy."
    )
