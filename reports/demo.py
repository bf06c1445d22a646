"""Demo plans from the seeds, Lai Châu's yearly targets, and two reports built by the real task.

Phong Thổ plan 174/KH-UBND of 24/5/2024 (seed 000) with its four phases and the 16 villages it
names; xã Tân An's plan (seed 002) with its 8 villages; Lai Châu's yearly targets towards Kết
luận 132-KL/TW (invented figures, marked demo). Idempotent: plans are matched by unit, number and
date, phases by number, targets by year, reports by kind, unit and period.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction

from areas.demo import PHONG_THO_COMMUNES, TAN_AN_TARGETS
from areas.models import Area, Level

from .models import Phase, Plan, ProvinceTarget, ReportKind, ReportStatus, TargetKind, TargetLevel

D = dt.date

PHONG_THO_PHASES = [
    # number, name, start, end, level, kind, value, note, report due, final
    (
        1,
        "Giai đoạn 01: từ quý II/2024 đến hết năm 2024",
        D(2024, 4, 1),
        D(2024, 12, 31),
        TargetLevel.VILLAGE,
        TargetKind.COUNT,
        Decimal(27),
        "Tập trung xây dựng, duy trì 27 thôn, bản, tổ dân phố thuộc các xã, thị trấn trên toàn huyện "
        "Phong Thổ không có ma túy (đạt 27/170 thôn bản = 15,9%).",
        D(2024, 12, 10),
        False,
    ),
    (
        2,
        "Giai đoạn 02: từ tháng 01/2025 đến tháng 12/2025",
        D(2025, 1, 1),
        D(2025, 12, 31),
        TargetLevel.VILLAGE,
        TargetKind.COUNT,
        Decimal(50),
        "Duy trì 27 thôn, bản, tổ dân phố không có ma túy đã xây dựng năm 2024. Đồng thời phấn đấu xây "
        "dựng 100% thôn, bản của xã Hoang Thèn, xã Huổi Luông không ma túy; 23 thôn, bản, tổ dân phố của "
        "các xã còn lại được công nhận thôn, bản không ma túy.",
        D(2025, 12, 10),
        False,
    ),
    (
        3,
        "Giai đoạn 03: từ năm 2026 đến hết năm 2028",
        D(2026, 1, 1),
        D(2028, 12, 31),
        TargetLevel.COMMUNE,
        TargetKind.PERCENT,
        Decimal(60),
        "Phấn đấu xây dựng, duy trì ít nhất 60% xã, thị trấn không có ma túy, không để tái tình trạng "
        "xuất hiện tệ nạn ma túy.",
        D(2028, 12, 10),
        False,
    ),
    (
        4,
        "Giai đoạn 04: từ năm 2029 đến hết năm 2030",
        D(2029, 1, 1),
        D(2030, 12, 31),
        TargetLevel.VILLAGE,
        TargetKind.PERCENT,
        Decimal(100),
        "Duy trì kết quả thực hiện các thôn, bản, tổ dân phố, xã, thị trấn không ma túy trên địa bàn toàn "
        "huyện; tiếp tục xây dựng các thôn, bản, tổ dân phố còn lại không có ma túy.",
        D(2030, 12, 10),
        True,
    ),
]

TAN_AN_PHASES = [
    (
        1,
        "Giai đoạn 1: đến hết năm 2026",
        D(2026, 4, 1),
        D(2026, 12, 31),
        TargetLevel.VILLAGE,
        TargetKind.COUNT,
        Decimal(8),
        "Lựa chọn, xây dựng 08 thôn không ma túy (50%).",
        None,
        False,
    ),
    (
        2,
        "Giai đoạn 1: năm 2027",
        D(2027, 1, 1),
        D(2027, 12, 31),
        TargetLevel.VILLAGE,
        TargetKind.PERCENT,
        Decimal(50),
        "Triển khai các giải pháp “giữ vững” các thôn được công nhận là không ma túy, phấn đấu xây dựng "
        "thành công 50% thôn không ma túy.",
        None,
        False,
    ),
    (
        3,
        "Giai đoạn 2: từ năm 2028 đến năm 2030",
        D(2028, 1, 1),
        D(2030, 12, 31),
        TargetLevel.VILLAGE,
        TargetKind.PERCENT,
        Decimal(100),
        "Phấn đấu xây dựng 100% thôn không ma túy, hoàn thành mục tiêu xây dựng “Xã không ma túy”.",
        None,
        True,
    ),
]

# Invented yearly targets rising to the national goal of 50 % of communes by the end of 2030.
LAI_CHAU_TARGETS = [(2025, 10), (2026, 20), (2027, 28), (2028, 36), (2029, 44), (2030, 50)]


@transaction.atomic
def load(units: dict[str, Area]) -> str:
    phong_tho = units["phong_tho"]
    plan_174 = _plan(
        unit=phong_tho,
        number="174/KH-UBND",
        issuing_body="UBND huyện Phong Thổ",
        signed_on=D(2024, 5, 24),
        title="Xây dựng “thôn, bản, tổ dân phố; xã, thị trấn không có ma túy” trên địa bàn huyện Phong Thổ",
        basis="Kế hoạch số 1246/KH-UBND ngày 09/04/2024 của UBND tỉnh Lai Châu; Hướng dẫn số 15/HD-BCĐ ngày "
        "08/5/2024.",
        phases=PHONG_THO_PHASES,
    )
    named = [target for _kind, _name, target in PHONG_THO_COMMUNES if target]
    villages = Area.objects.filter(path__startswith=phong_tho.path, level=Level.VILLAGE, name__in=named)
    plan_174.phases.get(number=1).target_units.set(villages)
    plan_174.phases.get(number=2).target_units.set(
        Area.objects.filter(parent=phong_tho, name__in=["Xã Hoang Thèn", "Xã Huổi Luông"])
    )

    tan_an = units["Xã Tân An"]
    plan_tan_an = _plan(
        unit=tan_an,
        number="…/KH-UBND",
        issuing_body="UBND xã Tân An",
        signed_on=D(2026, 4, 20),
        title="Triển khai xây dựng mô hình “Toàn dân xã Tân An phòng, chống ma túy” trên địa bàn xã Tân An, "
        "TP Hải Phòng",
        basis="Công văn của Ban Thường vụ Đảng ủy xã Tân An về xây dựng mô hình “Toàn dân xã Tân An phòng, "
        "chống ma túy”.",
        phases=TAN_AN_PHASES,
    )
    plan_tan_an.phases.get(number=1).target_units.set(
        Area.objects.filter(parent=tan_an, name__in=TAN_AN_TARGETS)
    )

    for year, percent in LAI_CHAU_TARGETS:
        ProvinceTarget.objects.get_or_create(
            province=units["lai_chau"],
            year=year,
            defaults={
                "target_kind": TargetKind.PERCENT,
                "target_value": Decimal(percent),
                "basis": "Đăng ký chỉ tiêu thực hiện Kết luận số 132-KL/TW (minh họa)",
                "is_demo": True,
            },
        )
    built = _demo_reports(plan_174, phong_tho)
    return (
        f"{Plan.objects.filter(is_demo=True).count()} kế hoạch, {Phase.objects.filter(plan__is_demo=True).count()} "
        f"giai đoạn, {ProvinceTarget.objects.filter(is_demo=True).count()} chỉ tiêu năm, {built} báo cáo mới"
    )


def _plan(
    *, unit: Area, number: str, issuing_body: str, signed_on: dt.date, title: str, basis: str, phases
) -> Plan:
    plan, _ = Plan.objects.get_or_create(
        issuing_unit=unit,
        number=number,
        signed_on=signed_on,
        defaults={"issuing_body": issuing_body, "title": title, "basis": basis, "is_demo": True},
    )
    for number_, name, start, end, level, kind, value, note, due, final in phases:
        Phase.objects.get_or_create(
            plan=plan,
            number=number_,
            defaults={
                "name": name,
                "starts_on": start,
                "ends_on": end,
                "target_level": level,
                "target_kind": kind,
                "target_value": value,
                "target_note": note,
                "report_due_on": due,
                "is_final": final,
            },
        )
    return plan


def _demo_reports(plan: Plan, unit: Area) -> int:
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
