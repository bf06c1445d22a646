"""Demo units and one user per role, from the seed plans.

Lai Châu → huyện Phong Thổ (the pre-2025 shape, plan 174/KH-UBND of 24/5/2024): 16 communes and
the town, 170 villages with the target villages the plan names. Hải Phòng → xã Tân An (the
post-2025 shape, no district): 16 villages, the 8 the commune's 2026 plan names among them.
Village names other than the named ones are invented and every demo unit is marked `is_demo`.
"""

from __future__ import annotations

import datetime as dt
import itertools

from django.conf import settings
from django.db import transaction

from .models import Area, AreaClassification, DrugClass, Level, Role, User
from .services import ensure_area

PHONG_THO_COMMUNES: list[tuple[str, str, str]] = [
    # (kind, name, named target village of plan 174/KH-UBND)
    ("thị trấn", "Thị trấn Phong Thổ", "Thôn Đoàn Kết"),
    ("xã", "Xã Mường So", "Bản Co Muông"),
    ("xã", "Xã Khổng Lào", "Bản Nà Củng"),
    ("xã", "Xã Lán Nhì Thàng", "Bản Seo Pả"),
    ("xã", "Xã Nậm Xe", "Bản Nậm Xe"),
    ("xã", "Xã Sì Lở Lầu", "Bản Phố Vây"),
    ("xã", "Xã Đào San", "Bản U Ní Chải"),
    ("xã", "Xã Mò Sì San", "Bản Mò Sì San"),
    ("xã", "Xã Hoang Thèn", "Bản Tả Lèng"),
    ("xã", "Xã Ma Li Pho", "Bản Pa Nậm Cúm"),
    ("xã", "Xã Huổi Luông", "Bản Chang Hồng"),
    ("xã", "Xã Tung Qua Lìn", "Bản Căng Há"),
    ("xã", "Xã Pa Vây Sử", "Bản Ngải Thầu"),
    ("xã", "Xã Mù Sang", "Bản Tà Tê"),
    ("xã", "Xã Vàng Ma Chải", "Bản Tả Phùng"),
    ("xã", "Xã Sin Suối Hồ", "Bản Chàng Phàng"),
    ("xã", "Xã Bản Lang", ""),
]
PHONG_THO_VILLAGE_TOTAL = 170

TAN_AN_TARGETS = [
    "Thôn Trại Mũa",
    "Thôn Vân Cầu",
    "Thôn Kim Chuế",
    "Thôn Ứng Mộ",
    "Thôn Tiên Liệt",
    "Thôn Tam Tập",
    "Thôn Kim Húc",
    "Thôn Hữu Chung",
]
TAN_AN_OTHERS = [
    "Thôn Đồng Xá",
    "Thôn Mỹ Cầu",
    "Thôn Thượng Đạt",
    "Thôn Lạc Dục",
    "Thôn Phú Lương",
    "Thôn An Bình",
    "Thôn Quang Trung",
    "Thôn Hòa Lạc",
]

# Invented highland village names for the villages the plan does not name.
_FIRST = [
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
]
_SECOND = [
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
]


def _invented_village_names():
    for first, second in itertools.product(_FIRST, _SECOND):
        yield f"Bản {first} {second}"


@transaction.atomic
def load() -> dict[str, Area]:
    """Create the demo units (idempotent) and return the ones other demo loaders need."""
    lai_chau = ensure_area(level=Level.PROVINCE, kind="tỉnh", name="Tỉnh Lai Châu", parent=None, code="12")
    phong_tho = ensure_area(
        level=Level.DISTRICT, kind="huyện", name="Huyện Phong Thổ", parent=lai_chau, is_demo=True
    )
    names = _invented_village_names()
    used: set[str] = set()
    per_commune = PHONG_THO_VILLAGE_TOTAL // len(PHONG_THO_COMMUNES)
    extra = PHONG_THO_VILLAGE_TOTAL - per_commune * len(PHONG_THO_COMMUNES)
    units: dict[str, Area] = {"lai_chau": lai_chau, "phong_tho": phong_tho}
    for index, (kind, name, target) in enumerate(PHONG_THO_COMMUNES):
        commune = ensure_area(level=Level.COMMUNE, kind=kind, name=name, parent=phong_tho, is_demo=True)
        units[name] = commune
        wanted = per_commune + (1 if index < extra else 0)
        village_names = [target] if target else []
        if kind == "thị trấn":
            village_names += [f"Tổ dân phố số {n}" for n in range(1, wanted)]
        while len(village_names) < wanted:
            candidate = next(names)
            if candidate not in used:
                used.add(candidate)
                village_names.append(candidate)
        for village_name in village_names:
            kind_word = village_name.split(" ")[0].lower()
            if village_name.startswith("Tổ dân phố"):
                kind_word = "tổ dân phố"
            ensure_area(level=Level.VILLAGE, kind=kind_word, name=village_name, parent=commune, is_demo=True)

    hai_phong = ensure_area(
        level=Level.PROVINCE, kind="thành phố", name="Thành phố Hải Phòng", parent=None, code="31"
    )
    tan_an = ensure_area(level=Level.COMMUNE, kind="xã", name="Xã Tân An", parent=hai_phong, code="11167")
    for village_name in TAN_AN_TARGETS + TAN_AN_OTHERS:
        ensure_area(level=Level.VILLAGE, kind="thôn", name=village_name, parent=tan_an, is_demo=True)
    units.update({"hai_phong": hai_phong, "Xã Tân An": tan_an})

    _classify(units)
    _users(units)
    return units


def _classify(units: dict[str, Area]) -> None:
    plan_date = dt.date(2024, 5, 24)
    for name, drug_class in [
        ("Xã Hoang Thèn", DrugClass.LESS_COMPLEX),
        ("Xã Huổi Luông", DrugClass.LESS_COMPLEX),
        ("Xã Bản Lang", DrugClass.KEY_III),
        ("Xã Mường So", DrugClass.KEY_II),
        ("Xã Tân An", DrugClass.LESS_COMPLEX),
    ]:
        AreaClassification.objects.get_or_create(
            area=units[name],
            valid_from=plan_date,
            defaults={"drug_class": drug_class, "basis": "Kết quả rà soát, phân loại năm 2024 (minh họa)"},
        )


DEMO_USERS: list[tuple[str, str, str, str, str]] = [
    # (username, role, unit key, full name, position)
    ("cax_hoangthen", Role.COMMUNE_POLICE, "Xã Hoang Thèn", "Lò Văn Thành", "Trưởng Công an xã"),
    ("ctx_hoangthen", Role.COMMUNE_CHAIR, "Xã Hoang Thèn", "Giàng A Sử", "Chủ tịch UBND xã"),
    ("cax_muongso", Role.COMMUNE_POLICE, "Xã Mường So", "Tao Văn Hùng", "Trưởng Công an xã"),
    ("cah_phongtho", Role.APPRAISING_POLICE, "phong_tho", "Nguyễn Đức Minh", "Trưởng Công an huyện"),
    ("ldtbxh_phongtho", Role.LABOUR_AFFAIRS, "phong_tho", "Lý Thị Mai", "Trưởng phòng LĐ-TB&XH"),
    ("yte_phongtho", Role.HEALTH, "phong_tho", "Phạm Văn Hòa", "Giám đốc Trung tâm Y tế"),
    ("cth_phongtho", Role.DECIDING_CHAIR, "phong_tho", "Hoàng Văn Phúc", "Chủ tịch UBND huyện"),
    ("cat_laichau", Role.PROVINCE_OBSERVER, "lai_chau", "Trần Quốc Bảo", "Phó Giám đốc Công an tỉnh"),
    ("cax_tanan", Role.COMMUNE_POLICE, "Xã Tân An", "Vũ Văn Long", "Trưởng Công an xã"),
    ("ctx_tanan", Role.COMMUNE_CHAIR, "Xã Tân An", "Đỗ Thị Hạnh", "Chủ tịch UBND xã"),
    (
        "catp_haiphong",
        Role.APPRAISING_POLICE,
        "hai_phong",
        "Bùi Mạnh Cường",
        "Trưởng phòng PC04 Công an thành phố",
    ),
    ("cttp_haiphong", Role.DECIDING_CHAIR, "hai_phong", "Ngô Quang Vinh", "Chủ tịch UBND thành phố"),
]


def _users(units: dict[str, Area]) -> None:
    for username, role, unit_key, full_name, position in DEMO_USERS:
        user, created = User.objects.get_or_create(
            username=username,
            defaults={"role": role, "area": units[unit_key], "full_name": full_name, "position": position},
        )
        if created:
            user.set_password(settings.DEMO_PASSWORD)
            user.save()
    if not User.objects.filter(username="admin").exists():
        User.objects.create_superuser("admin", "", settings.DEMO_PASSWORD, full_name="Quản trị hệ thống")
