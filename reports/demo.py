"""Demo reports built by the real services and task: Phong Thổ's phase-1 summary (2024) and its
6-month report of 2025, written and issued while the district still existed; Tân An's annual 2026
report left as a draft to finish in the app (its 6-month and Action Month reports of 2026 are not
sent, so Hải Phòng sees them overdue). Idempotent: reports are matched by kind, unit and period.
The texts are marked as demo data."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction

from areas.models import Area, User
from programmes.models import Programme, ReportKind

from .models import ReportStatus

D = dt.date
DEMO = " (dữ liệu minh họa)"


@transaction.atomic
def load(units: dict[str, Area]) -> str:
    plan_174 = Programme.objects.get(issuing_unit=units["phong_tho"], number="174/KH-UBND")
    built = _phong_tho(plan_174, units["phong_tho"])
    built += _tan_an(units["Xã Tân An"])
    return f"{built} báo cáo mới"


def _phong_tho(plan: Programme, unit: Area) -> int:
    from .services import create_system_report

    officer = User.objects.get(username="cah_phongtho")
    wanted: list[tuple[dict[str, Any], dt.date]] = [
        (
            {"kind": ReportKind.PHASE_SUMMARY, "phase": plan.phases.get(number=1), "as_of": D(2024, 12, 5)},
            D(2024, 12, 6),
        ),
        ({"kind": ReportKind.SIX_MONTH, "year": 2025, "as_of": D(2025, 6, 30)}, D(2025, 6, 30)),
    ]
    built = 0
    for spec, issued_on in wanted:
        report = create_system_report(unit=unit, **spec)
        if report.status != ReportStatus.DONE:
            _write_and_issue(report, officer, issued_on)
            built += 1
    return built


def _tan_an(unit: Area) -> int:
    from .services import create_system_report
    from .tasks import build_report

    report = create_system_report(unit=unit, kind=ReportKind.ANNUAL, year=2026)
    if report.figures is not None:
        return 0
    report.status = ReportStatus.QUEUED
    report.save(update_fields=["status"])
    build_report.apply(args=(report.pk,))
    return 1


def _write_and_issue(report, officer: User, issued_on: dt.date) -> None:
    from . import services
    from .tasks import build_report

    if report.figures is None:
        report.status = ReportStatus.QUEUED
        report.save(update_fields=["status"])
        build_report.apply(args=(report.pk,))
        report.refresh_from_db()
    written = services.texts_of(report)
    fallback = {
        "strengths": "Cấp ủy, chính quyền các cấp quan tâm chỉ đạo; nhân dân đồng tình hưởng ứng"
        + DEMO
        + ".",
        "weaknesses": "Công tác phối hợp giữa một số đơn vị có lúc chưa chặt chẽ" + DEMO + ".",
    }
    services.save_text(
        user=officer,
        report=report,
        texts={
            **{key: text for key, text in fallback.items() if not written.get(key)},
            "task_leadership": "Ban hành các văn bản chỉ đạo triển khai Kế hoạch số 174/KH-UBND; tổ chức tuyên "
            "truyền tại các thôn, bản" + DEMO + ".",
            "causes": "Địa bàn rộng, giáp biên giới, giao thông đi lại khó khăn; một số người nghiện thường "
            "xuyên vắng mặt tại địa phương" + DEMO + ".",
            "lessons": "Phát huy vai trò của cấp ủy, chính quyền cơ sở và người có uy tín trong cộng đồng"
            + DEMO
            + ".",
            "proposals": "Đề nghị Công an tỉnh hỗ trợ kinh phí mua test thử ma túy và in ấn bảng niêm yết số "
            "điện thoại đường dây nóng" + DEMO + ".",
            "commendations": "Đề nghị khen thưởng các thôn, bản được công nhận trong giai đoạn" + DEMO + ".",
        },
    )
    report = services.issue_report(user=officer, report=report, on=issued_on)
    build_report.apply(args=(report.pk,))
