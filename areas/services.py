"""Writes to the administrative tree: imports, demo units, reorganisation."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

from django.db import transaction

from .models import Area, AreaSuccession, Level, SuccessionKind

PROVINCE_KIND = {"tỉnh": "tỉnh", "thành phố trung ương": "thành phố"}


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


def _province_name(raw_name: str, division_type: str) -> str:
    # The package names most provinces bare ("Lai Châu") and cities with their word.
    if division_type == "tỉnh" and not raw_name.lower().startswith("tỉnh "):
        return f"Tỉnh {raw_name}"
    return raw_name


# Called after each import, once the units exist (apps above this one register theirs in
# `ready()`: the criteria app binds its shipped sets to their provinces).
AFTER_IMPORT_HOOKS: list = []


@transaction.atomic
def import_divisions() -> dict[str, ImportResult]:
    """Load the post-2025 provinces and communes (GSO codes) from `vietnam-provinces`.

    Idempotent: a unit is matched by its code, created when missing and updated only when its
    name, kind or parent differ. Returns what happened at each level."""
    from vietnam_provinces import NESTED_DIVISIONS_JSON_PATH

    data = json.loads(NESTED_DIVISIONS_JSON_PATH.read_text(encoding="utf-8"))
    results = {"provinces": ImportResult(), "communes": ImportResult()}
    existing = {
        a.code: a for a in Area.objects.filter(code__isnull=False, level__in=[Level.PROVINCE, Level.COMMUNE])
    }
    for province_data in data:
        code = f"{province_data['code']:02d}"
        province = _upsert(
            existing,
            results["provinces"],
            code=code,
            level=Level.PROVINCE,
            kind=PROVINCE_KIND[province_data["division_type"]],
            name=_province_name(province_data["name"], province_data["division_type"]),
            parent=None,
        )
        for ward in province_data["wards"]:
            _upsert(
                existing,
                results["communes"],
                code=f"{ward['code']:05d}",
                level=Level.COMMUNE,
                kind=ward["division_type"],
                name=ward["name"],
                parent=province,
            )
    ensure_national_root()
    for hook in AFTER_IMPORT_HOOKS:
        hook()
    return results


NATIONAL_NAME = "Toàn quốc"


def ensure_national_root() -> Area:
    """The national unit (level "nation"), created if missing: the unit the national observers
    (Cục C04) are bound to. The provinces are not placed under it; see `areas.jurisdiction`."""
    area = Area.objects.filter(level=Level.NATION).order_by("pk").first()
    return area or ensure_area(level=Level.NATION, kind="quốc gia", name=NATIONAL_NAME, parent=None)


def _upsert(
    existing: dict, result: ImportResult, *, code: str, level: str, kind: str, name: str, parent: Area | None
) -> Area:
    area = existing.get(code)
    if area is None:
        area = Area(code=code, level=level, kind=kind, name=name, parent=parent)
        area.save()
        existing[code] = area
        result.created += 1
        return area
    # A commune already placed under a district (pre-2025 shape) keeps its place.
    keep_parent = (
        parent is None
        or area.parent_id == parent.pk
        or (area.parent is not None and area.parent.level == Level.DISTRICT)
    )
    if area.name == name and area.kind == kind and keep_parent:
        result.unchanged += 1
        return area
    area.name, area.kind = name, kind
    if not keep_parent:
        area.parent = parent
    area.save()
    result.updated += 1
    return area


def ensure_area(
    *, level: str, kind: str, name: str, parent: Area | None, code: str | None = None, is_demo: bool = False
) -> Area:
    """The unit with this code (or this name under this parent), created if missing."""
    if code:
        area = Area.objects.filter(code=code).first()
    else:
        area = Area.objects.filter(parent=parent, name=name, level=level).first()
    if area is None:
        area = Area(level=level, kind=kind, name=name, parent=parent, code=code, is_demo=is_demo)
        area.full_clean()
        area.save()
    return area


@transaction.atomic
def close_area(
    *, area: Area, on: dt.date, successors: list[Area], kind: str = SuccessionKind.MERGE, basis: str = ""
) -> list[AreaSuccession]:
    """Close `area` on `on` and record who takes over. Its records stay attached to it; the
    jurisdiction gate shows them to everyone who sees a successor."""
    if not successors:
        raise ValueError("Phải chỉ ra ít nhất một đơn vị kế thừa.")
    area.closed_on = on
    area.full_clean()
    area.save(update_fields=["closed_on", "updated_at"])
    links = []
    for successor in successors:
        link, _ = AreaSuccession.objects.update_or_create(
            predecessor=area, successor=successor, defaults={"kind": kind, "effective_on": on, "basis": basis}
        )
        links.append(link)
    return links
