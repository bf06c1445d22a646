"""Two demo reports built by the real task: Phong Thổ's phase-1 summary (2024) and its 6-month
report of 2025, which count the villages the demo recognised then. Idempotent: reports are matched
by kind, unit and period."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from areas.models import Area
from programmes.models import Programme, ReportKind

from .models import ReportStatus

D = dt.date


@transaction.atomic
def load(units: dict[str, Area]) -> str:
    """Build Phong Thổ's phase-1 summary and its 6-month report of 2025 (the programmes, phases and
    targets come from `programmes.demo`)."""
    plan_174 = Programme.objects.get(issuing_unit=units["phong_tho"], number="174/KH-UBND")
    built = _demo_reports(plan_174, units["phong_tho"])
    return f"{built} báo cáo mới"


def _demo_reports(plan: Programme, unit: Area) -> int:
    """The phase-1 summary and the first 6-month report of 2025, built by the task users trigger."""
    from .services import create_system_report
    from .tasks import build_report

    phase_1 = plan.phases.get(number=1)
    wanted = [
        {"kind": ReportKind.PHASE_SUMMARY, "phase": phase_1, "year": None, "as_of": D(2024, 12, 5)},
        {"kind": ReportKind.SIX_MONTH, "phase": None, "year": 2025, "as_of": D(2025, 6, 30)},
    ]
    built = 0
    for spec in wanted:
        report = create_system_report(
            unit=unit,
            difficulties="Địa bàn rộng, giáp biên giới, giao thông đi lại khó khăn; một số người nghiện "
            "thường xuyên vắng mặt tại địa phương (dữ liệu minh họa).",
            proposals="Đề nghị Công an tỉnh hỗ trợ kinh phí mua test thử ma túy và in ấn bảng niêm yết số "
            "điện thoại đường dây nóng (dữ liệu minh họa).",
            **spec,
        )
        if report.status != ReportStatus.DONE:
            build_report.apply(args=[report.pk])
            built += 1
    return built
