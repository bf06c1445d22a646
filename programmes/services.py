"""Writes to programmes that other apps' commands share."""

from __future__ import annotations

import datetime as dt
from typing import Any

from areas.models import Area

from .models import Programme


def benchmark_programme(*, unit: Area, village_set: Any, commune_set: Any) -> Programme:
    """The programme that governs generated benchmark units: it names the criteria sets to score
    them with and nothing else (no route, no legal bases). Marked as demo data; idempotent."""
    programme, _ = Programme.objects.get_or_create(
        issuing_unit=unit,
        number="(đo hiệu năng)",
        signed_on=None,
        defaults={
            "issuing_body": f"Cấu hình đo hiệu năng — {unit.name}",
            "title": "Kế hoạch giả lập cho dữ liệu đo hiệu năng",
            "valid_from": dt.date(2000, 1, 1),
            "village_criteria_set": village_set,
            "commune_criteria_set": commune_set,
            "note": "Dữ liệu sinh tự động để đo hiệu năng; không phải văn bản thật.",
            "is_demo": True,
        },
    )
    return programme
