"""Demo criteria: the shipped sets bound to their provinces, and a stand-in set for Hải Phòng.

The national criteria of QĐ 28/2025/QĐ-TTg are not available here, so Hải Phòng's set is a copy of
the Lai Châu rules, named and noted as a demo configuration — never presented as the law.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from areas.models import Area

from .models import CriteriaSet, Criterion
from .services import bind_shipped_sets

HAI_PHONG_DEMO_SET = "Bộ tiêu chí minh họa thành phố Hải Phòng (cấu hình minh họa)"


@transaction.atomic
def load(units: dict[str, Area]) -> str:
    bound = bind_shipped_sets()
    demo, created = CriteriaSet.objects.get_or_create(
        name=HAI_PHONG_DEMO_SET,
        defaults={
            "legal_basis": "Cấu hình minh họa — chưa phải văn bản ban hành (văn bản tiêu chí quốc gia theo "
            "Quyết định số 28/2025/QĐ-TTg chưa có trong hệ thống)",
            "for_villages": True,
            "for_communes": True,
            "valid_from": dt.date(2025, 7, 1),
            "jurisdiction": units["hai_phong"],
            "is_active": True,
            "note": "Dùng lại các quy tắc của bộ tiêu chí Lai Châu để minh họa; thay bằng bộ tiêu chí thật khi "
            "có văn bản.",
        },
    )
    if created:
        template = CriteriaSet.objects.get(name=SHIPPED_LAI_CHAU)
        Criterion.objects.bulk_create(
            Criterion(criteria_set=demo, number=c.number, text=c.text, rule=c.rule, params=c.params)
            for c in template.criteria.order_by("number")
        )
    return f"{bound} bộ tiêu chí gắn với tỉnh ban hành; bộ minh họa Hải Phòng {'mới tạo' if created else 'đã có'}"


SHIPPED_LAI_CHAU = "Bộ tiêu chí tỉnh Lai Châu (8 tiêu chí)"
