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

from .models import (
    DISTRICTS_CEASED_ON,
    Area,
    AreaClassification,
    AreaSuccession,
    Body,
    BodyKind,
    DrugClass,
    Level,
    Role,
    SuccessionKind,
    User,
)
from .services import ensure_area, ensure_national_root

# The national observers' body (Bộ Công an); its users read every province (`areas.jurisdiction`).
NATIONAL_BODY = "Cục Cảnh sát điều tra tội phạm về ma túy"

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
    # An invented name never repeats a village the plan names.
    used: set[str] = {target for _kind, _name, target in PHONG_THO_COMMUNES if target}
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

    thanh_hoa = ensure_area(level=Level.PROVINCE, kind="tỉnh", name="Tỉnh Thanh Hóa", parent=None, code="38")
    ham_rong = ensure_area(
        level=Level.COMMUNE, kind="phường", name="Phường Hàm Rồng", parent=thanh_hoa, code="14758"
    )
    for number in range(1, 4):
        ensure_area(
            level=Level.VILLAGE,
            kind="tổ dân phố",
            name=f"Tổ dân phố số {number}",
            parent=ham_rong,
            is_demo=True,
        )
    units.update({"thanh_hoa": thanh_hoa, "Phường Hàm Rồng": ham_rong})
    units["nation"] = ensure_national_root()

    _close_phong_tho(units)
    _classify(units)
    bodies = _bodies(units)
    _users(units, bodies)
    return units


def _close_phong_tho(units: dict[str, Area]) -> None:
    """Districts ceased on 01/07/2025: the demo district closes that day and the province takes
    over. Its communes stay where the 2024 records put them (the real 2025 mergers of Phong Thổ's
    communes are not part of the demo)."""
    phong_tho = units["phong_tho"]
    if phong_tho.closed_on is None:
        phong_tho.closed_on = DISTRICTS_CEASED_ON
        phong_tho.save(update_fields=["closed_on", "updated_at"])
    AreaSuccession.objects.get_or_create(
        predecessor=phong_tho,
        successor=units["lai_chau"],
        defaults={
            "kind": SuccessionKind.MERGE,
            "effective_on": DISTRICTS_CEASED_ON,
            "basis": "Kết thúc hoạt động của đơn vị hành chính cấp huyện từ 01/7/2025",
        },
    )


# (key, unit key, kind, name, head title, symbol, parent body key, successor key)
DEMO_BODIES: list[tuple[str, str, str, str, str, str, str, str]] = [
    ("c04", "nation", BodyKind.POLICE, NATIONAL_BODY, "Cục trưởng", "C04", "", ""),
    (
        "ubnd_laichau",
        "lai_chau",
        BodyKind.COMMITTEE,
        "Ủy ban nhân dân tỉnh Lai Châu",
        "Chủ tịch",
        "UBND",
        "",
        "",
    ),
    ("ca_laichau", "lai_chau", BodyKind.POLICE, "Công an tỉnh Lai Châu", "Giám đốc", "CAT", "", ""),
    (
        "syt_laichau",
        "lai_chau",
        BodyKind.DEPARTMENT,
        "Sở Y tế tỉnh Lai Châu",
        "Giám đốc",
        "SYT",
        "ubnd_laichau",
        "",
    ),
    (
        "ubnd_phongtho",
        "phong_tho",
        BodyKind.COMMITTEE,
        "Ủy ban nhân dân huyện Phong Thổ",
        "Chủ tịch",
        "UBND",
        "",
        "ubnd_laichau",
    ),
    (
        "ca_phongtho",
        "phong_tho",
        BodyKind.POLICE,
        "Công an huyện Phong Thổ",
        "Trưởng",
        "CAH",
        "ca_laichau",
        "ca_laichau",
    ),
    (
        "ldtbxh_phongtho",
        "phong_tho",
        BodyKind.DEPARTMENT,
        "Phòng Lao động - Thương binh và Xã hội huyện Phong Thổ",
        "Trưởng phòng",
        "LĐTBXH",
        "ubnd_phongtho",
        "syt_laichau",
    ),
    (
        "yte_phongtho",
        "phong_tho",
        BodyKind.DEPARTMENT,
        "Trung tâm Y tế huyện Phong Thổ",
        "Giám đốc",
        "TTYT",
        "ubnd_phongtho",
        "syt_laichau",
    ),
    (
        "ubnd_haiphong",
        "hai_phong",
        BodyKind.COMMITTEE,
        "Ủy ban nhân dân thành phố Hải Phòng",
        "Chủ tịch",
        "UBND",
        "",
        "",
    ),
    ("ca_haiphong", "hai_phong", BodyKind.POLICE, "Công an thành phố Hải Phòng", "Giám đốc", "CATP", "", ""),
    (
        "syt_haiphong",
        "hai_phong",
        BodyKind.DEPARTMENT,
        "Sở Y tế thành phố Hải Phòng",
        "Giám đốc",
        "SYT",
        "ubnd_haiphong",
        "",
    ),
    (
        "ubnd_thanhhoa",
        "thanh_hoa",
        BodyKind.COMMITTEE,
        "Ủy ban nhân dân tỉnh Thanh Hóa",
        "Chủ tịch",
        "UBND",
        "",
        "",
    ),
    ("ca_thanhhoa", "thanh_hoa", BodyKind.POLICE, "Công an tỉnh Thanh Hóa", "Giám đốc", "CAT", "", ""),
]

# The commune-level bodies every demo commune has: its police and its People's Committee.
COMMUNE_BODY_KINDS = [
    (BodyKind.POLICE, "Công an", "Trưởng", "CAX"),
    (BodyKind.COMMITTEE, "Ủy ban nhân dân", "Chủ tịch", "UBND"),
]


def _bodies(units: dict[str, Area]) -> dict[str, Body]:
    bodies: dict[str, Body] = {}
    for key, unit_key, kind, name, head, symbol, parent_key, _successor in DEMO_BODIES:
        body, _ = Body.objects.get_or_create(
            area=units[unit_key],
            name=name,
            defaults={
                "kind": kind,
                "head_title": head,
                "symbol": symbol,
                "parent": bodies.get(parent_key),
                "is_demo": True,
            },
        )
        bodies[key] = body
    for key, _unit, _kind, _name, _head, _symbol, _parent, successor_key in DEMO_BODIES:
        if successor_key and bodies[key].successor_id is None:
            bodies[key].successor = bodies[successor_key]
            bodies[key].save(update_fields=["successor"])
    for name, area in units.items():
        if not isinstance(area, Area) or area.level != Level.COMMUNE:
            continue
        for kind, prefix, head, symbol in COMMUNE_BODY_KINDS:
            bare = name[len(area.kind) + 1 :] if name.lower().startswith(area.kind.lower() + " ") else name
            body, _ = Body.objects.get_or_create(
                area=area,
                name=f"{prefix} {area.kind} {bare}",
                defaults={"kind": kind, "head_title": head, "symbol": symbol, "is_demo": True},
            )
            bodies[f"{kind}:{name}"] = body
    return bodies


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


DEMO_USERS: list[tuple[str, str, str, str, str, str]] = [
    # (username, role, unit key, body key, full name, position)
    ("c04", Role.NATIONAL_OBSERVER, "nation", "c04", "Phạm Quốc Trung", "Cán bộ Cục C04, Bộ Công an"),
    (
        "cax_hoangthen",
        Role.COMMUNE_POLICE,
        "Xã Hoang Thèn",
        "police:Xã Hoang Thèn",
        "Lò Văn Thành",
        "Trưởng Công an xã",
    ),
    (
        "ctx_hoangthen",
        Role.COMMUNE_CHAIR,
        "Xã Hoang Thèn",
        "committee:Xã Hoang Thèn",
        "Giàng A Sử",
        "Chủ tịch UBND xã",
    ),
    (
        "cax_muongso",
        Role.COMMUNE_POLICE,
        "Xã Mường So",
        "police:Xã Mường So",
        "Tao Văn Hùng",
        "Trưởng Công an xã",
    ),
    (
        "ctx_muongso",
        Role.COMMUNE_CHAIR,
        "Xã Mường So",
        "committee:Xã Mường So",
        "Vàng A Dế",
        "Chủ tịch UBND xã",
    ),
    (
        "cah_phongtho",
        Role.APPRAISING_POLICE,
        "phong_tho",
        "ca_phongtho",
        "Nguyễn Đức Minh",
        "Trưởng Công an huyện",
    ),
    (
        "ldtbxh_phongtho",
        Role.CO_APPRAISER,
        "phong_tho",
        "ldtbxh_phongtho",
        "Lý Thị Mai",
        "Trưởng phòng LĐ-TB&XH",
    ),
    (
        "yte_phongtho",
        Role.CO_APPRAISER,
        "phong_tho",
        "yte_phongtho",
        "Phạm Văn Hòa",
        "Giám đốc Trung tâm Y tế",
    ),
    (
        "cth_phongtho",
        Role.DECIDING_CHAIR,
        "phong_tho",
        "ubnd_phongtho",
        "Hoàng Văn Phúc",
        "Chủ tịch UBND huyện",
    ),
    (
        "cat_laichau",
        Role.PROVINCE_OBSERVER,
        "lai_chau",
        "ca_laichau",
        "Trần Quốc Bảo",
        "Phó Giám đốc Công an tỉnh",
    ),
    (
        "ca_laichau",
        Role.APPRAISING_POLICE,
        "lai_chau",
        "ca_laichau",
        "Đặng Văn Toàn",
        "Trưởng phòng PC04 Công an tỉnh",
    ),
    ("ct_laichau", Role.DECIDING_CHAIR, "lai_chau", "ubnd_laichau", "Lê Minh Khoa", "Chủ tịch UBND tỉnh"),
    ("cax_tanan", Role.COMMUNE_POLICE, "Xã Tân An", "police:Xã Tân An", "Vũ Văn Long", "Trưởng Công an xã"),
    # A second officer of Tân An: the demo's records are shared between the two (`quality.demo`).
    (
        "cax2_tanan",
        Role.COMMUNE_POLICE,
        "Xã Tân An",
        "police:Xã Tân An",
        "Phạm Thị Thu",
        "Phó Trưởng Công an xã",
    ),
    ("ctx_tanan", Role.COMMUNE_CHAIR, "Xã Tân An", "committee:Xã Tân An", "Đỗ Thị Hạnh", "Chủ tịch UBND xã"),
    (
        "catp_haiphong",
        Role.APPRAISING_POLICE,
        "hai_phong",
        "ca_haiphong",
        "Bùi Mạnh Cường",
        "Trưởng phòng PC04 Công an thành phố",
    ),
    ("syt_haiphong", Role.CO_APPRAISER, "hai_phong", "syt_haiphong", "Mai Thị Lan", "Phó Giám đốc Sở Y tế"),
    (
        "cttp_haiphong",
        Role.DECIDING_CHAIR,
        "hai_phong",
        "ubnd_haiphong",
        "Ngô Quang Vinh",
        "Chủ tịch UBND thành phố",
    ),
    (
        "cax_hamrong",
        Role.COMMUNE_POLICE,
        "Phường Hàm Rồng",
        "police:Phường Hàm Rồng",
        "Lê Văn Sơn",
        "Trưởng Công an phường",
    ),
    (
        "ctx_hamrong",
        Role.COMMUNE_CHAIR,
        "Phường Hàm Rồng",
        "committee:Phường Hàm Rồng",
        "Trịnh Thị Thu",
        "Chủ tịch UBND phường",
    ),
    (
        "ca_thanhhoa",
        Role.APPRAISING_POLICE,
        "thanh_hoa",
        "ca_thanhhoa",
        "Hoàng Minh Đức",
        "Trưởng phòng PC04 Công an tỉnh",
    ),
    (
        "ct_thanhhoa",
        Role.DECIDING_CHAIR,
        "thanh_hoa",
        "ubnd_thanhhoa",
        "Nguyễn Văn Thắng",
        "Chủ tịch UBND tỉnh",
    ),
]


def ensure_national_observer() -> User:
    """The national unit, Cục C04 and its demo observer `c04` (for a database without the demo,
    such as the national benchmark's); idempotent."""
    nation = ensure_national_root()
    body, _ = Body.objects.get_or_create(
        area=nation,
        name=NATIONAL_BODY,
        defaults={"kind": BodyKind.POLICE, "head_title": "Cục trưởng", "symbol": "C04", "is_demo": True},
    )
    _users({"nation": nation}, {"c04": body}, only="c04")
    return User.objects.get(username="c04")


def _users(units: dict[str, Area], bodies: dict[str, Body], only: str = "") -> None:
    for username, role, unit_key, body_key, full_name, position in DEMO_USERS:
        if only and username != only:
            continue
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "role": role,
                "area": units[unit_key],
                "body": bodies[body_key],
                "full_name": full_name,
                "position": position,
            },
        )
        if created:
            user.set_password(settings.DEMO_PASSWORD)
            user.save()
        else:
            # A demo database from before bodies existed: bring its accounts up to date.
            User.objects.filter(pk=user.pk).update(role=role, body=bodies[body_key])
    if not only and not User.objects.filter(username="admin").exists():
        User.objects.create_superuser("admin", "", settings.DEMO_PASSWORD, full_name="Quản trị hệ thống")
