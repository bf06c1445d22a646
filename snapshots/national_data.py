"""Synthetic national-size data for `generate_national` and `bench_national`.

The real 34 provinces and 3,321 communes (`areas.services.import_divisions`), then, all marked
`is_demo`: about 100,000 villages (10 to 50 per commune), persons and tests through
`subjects.synthetic.generate` (COPY on PostgreSQL), a benchmark programme per province naming the
shipped Lai Châu set for villages and communes, and each province's yearly targets towards the
national 50 % of 2030.

A share of each province's communes is "clean": their villages get no register at all but full
household commitments, a hotline board, a mailbox and a working prevention model, so they meet
every criterion — the share differs by province (drawn from the seed), which is what the
national view has to show. Everything else comes from `synthetic.generate`, where most units fail
something, as most do today.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from decimal import Decimal

from django.db import transaction

from areas.models import Area, Level
from areas.services import import_divisions
from criteria.models import CriteriaSet
from programmes.models import ProvinceTarget
from programmes.services import benchmark_programme
from subjects import synthetic
from subjects.models import (
    BoardKind,
    CommitmentKind,
    HotlineBoard,
    HouseholdCommitment,
    ModelKind,
    PreventionModel,
)

LAI_CHAU_SET = "Bộ tiêu chí tỉnh Lai Châu (8 tiêu chí)"
TARGET_BASIS = "Chỉ tiêu minh họa sinh cho dữ liệu đo hiệu năng (không phải văn bản đăng ký thật)"
# The national goal (Kết luận 132-KL/TW): at least 50 % of commune-level units by the end of 2030.
TARGET_YEARS = range(2025, 2031)
VILLAGE_KIND = {"phường": "tổ dân phố", "đặc khu": "thôn"}


def has_national_data() -> bool:
    """Whether the national villages were generated already (the imported communes have villages)."""
    return Area.objects.filter(level=Level.VILLAGE, parent__code__isnull=False, is_demo=True).exists()


def generate(
    *,
    villages: int = 100_000,
    persons: int = 250_000,
    tests: int = 1_000_000,
    as_of: dt.date,
    seed: int = 0,
    say: Callable[[str], None] = lambda _text: None,
) -> dict[str, int]:
    """Generate the country (see the module's docstring); returns the rows made per kind."""
    rng = random.Random(seed)
    import_divisions()
    provinces = list(Area.objects.filter(level=Level.PROVINCE, code__isnull=False).order_by("code"))
    communes = list(Area.objects.filter(level=Level.COMMUNE, code__isnull=False).order_by("code"))
    say(f"{len(provinces)} tỉnh, thành phố; {len(communes)} xã, phường, đặc khu.")
    counts: dict[str, int] = {}

    with transaction.atomic():
        _programmes_and_targets(provinces, rng)
        made = _villages(communes, villages, rng)
        counts["Area(village)"] = len(made)
        say(f"Đã tạo {len(made)} thôn, tổ dân phố.")
        clean_share = {p.pk: rng.uniform(0.05, 0.45) for p in provinces}
        by_commune: dict[int, list[Area]] = {}
        for village in made:
            by_commune.setdefault(village.parent_id, []).append(village)
        clean: list[Area] = []
        registers: list[Area] = []
        clean_communes: list[Area] = []
        for commune in communes:
            own = by_commune.get(commune.pk, [])
            if rng.random() < clean_share[commune.parent_id]:
                clean.extend(own)
                clean_communes.append(commune)
            else:
                registers.extend(own)
        _clean_rows(clean_communes, by_commune, as_of, counts)
        say(f"{len(clean)} thôn thuộc các xã “sạch”; sinh sổ theo dõi cho {len(registers)} thôn còn lại…")
        made_rows = synthetic.generate(
            villages=registers, persons=persons, tests=tests, as_of=as_of, seed=seed
        )
        for label, n in made_rows.items():
            counts[label] = counts.get(label, 0) + n
    return counts


def _programmes_and_targets(provinces: list[Area], rng: random.Random) -> None:
    lai_chau = CriteriaSet.objects.get(name=LAI_CHAU_SET)
    targets = []
    for province in provinces:
        benchmark_programme(unit=province, village_set=lai_chau, commune_set=lai_chau)
        # A province's own path to at least 50 % in 2030, starting from where it stands.
        start = Decimal(rng.randint(5, 25))
        for year in TARGET_YEARS:
            value = start + (Decimal(50) - start) * (year - TARGET_YEARS.start) / (len(TARGET_YEARS) - 1)
            targets.append(
                ProvinceTarget(
                    province=province,
                    year=year,
                    target_value=value.quantize(Decimal("0.01")),
                    basis=TARGET_BASIS,
                    is_demo=True,
                )
            )
    ProvinceTarget.objects.bulk_create(targets, ignore_conflicts=True)


def _villages(communes: list[Area], total: int, rng: random.Random) -> list[Area]:
    """10 to 50 villages per commune (on average total / communes), bulk-created with their paths."""
    mean = total / len(communes)
    low, high = max(1, round(mean / 3)), round(mean * 5 / 3)
    rows = []
    for commune in communes:
        kind = VILLAGE_KIND.get(commune.kind, "thôn")
        rows.extend(
            Area(
                level=Level.VILLAGE,
                kind=kind,
                name=f"{kind[0].upper()}{kind[1:]} {n}",
                parent=commune,
                is_demo=True,
            )
            for n in range(1, rng.randint(low, high) + 1)
        )
    Area.objects.bulk_create(rows, batch_size=5000)
    made = Area.objects.filter(level=Level.VILLAGE, parent__in=communes, path="")
    synthetic.set_paths(made)
    return list(Area.objects.filter(level=Level.VILLAGE, parent__code__isnull=False).order_by("pk"))


def _clean_rows(
    communes: list[Area], villages_of: dict[int, list[Area]], as_of: dt.date, counts: dict[str, int]
) -> None:
    """Communes that meet every criterion: every village fully committed, with a hotline board,
    a mailbox and a working prevention model; each commune keeps a model of its own."""
    recent = as_of - dt.timedelta(days=30)
    commitments, boards, models = [], [], []
    villages = [v for commune in communes for v in villages_of.get(commune.pk, [])]
    for village in villages:
        commitments.append(
            HouseholdCommitment(
                village=village,
                kind=CommitmentKind.DRUG_FREE,
                as_of=recent,
                households=120,
                signed=120,
                is_demo=True,
            )
        )
        for kind, location in ((BoardKind.HOTLINE, "Nhà văn hóa"), (BoardKind.MAILBOX, "Cổng nhà văn hóa")):
            boards.append(
                HotlineBoard(
                    village=village,
                    kind=kind,
                    location=location,
                    installed_on=as_of - dt.timedelta(days=400),
                    is_demo=True,
                )
            )
    for unit in [*villages, *communes]:
        models.append(
            PreventionModel(
                area=unit,
                name=f"Khu dân cư không ma túy {unit.name}",
                kind=ModelKind.RESIDENTIAL,
                lead_organisation="Ban Công tác Mặt trận",
                established_on=as_of - dt.timedelta(days=700),
                is_active=True,
                last_evaluated_on=as_of - dt.timedelta(days=60),
                evaluated_effective=True,
                is_demo=True,
            )
        )
    for model, rows in (
        (HouseholdCommitment, commitments),
        (HotlineBoard, boards),
        (PreventionModel, models),
    ):
        model.objects.bulk_create(rows, batch_size=5000)
        counts[model.__name__] = counts.get(model.__name__, 0) + len(rows)
