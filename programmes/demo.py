"""Demo programmes from the seeds, with the route, legal bases, calendar and phases each sets.

- Lai Châu, Kế hoạch số 1246/KH-UBND ngày 09/4/2024 (cited by seed 000): the province programme,
  Lai Châu's criteria set; its route after 01/7/2025 (Công an tỉnh appraises, UBND tỉnh decides)
  is a demo configuration — the seed does not give it.
- Phong Thổ, Kế hoạch số 174/KH-UBND ngày 24/5/2024 (seed 000): the district's own programme,
  in force until the district ceased (30/6/2025); Công an huyện appraises with Phòng LĐ-TB&XH and
  Trung tâm Y tế, UBND huyện decides (seed 000 §IV); four phases and the villages it names.
- Xã Tân An (Hải Phòng), the commune's 2026 plan (seed 002): phases and the 8 named villages; the
  route, the criteria set and the reporting calendar are a demo configuration.
- Thanh Hóa, Đề án xây dựng “Xã không ma túy” 2024 - 2025 (seed 004): Thanh Hóa's 9 criteria for
  communes; the route is a demo configuration.
Idempotent: programmes are matched by unit, number and date; their lines are created once.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction

from areas.demo import PHONG_THO_COMMUNES, TAN_AN_TARGETS
from areas.models import Area, Body, Level

from .models import (
    LegalBasis,
    Phase,
    Programme,
    ProvinceTarget,
    ReportingWindow,
    ReportKind,
    RequiredComponent,
    RouteFunction,
    RouteStep,
    TargetKind,
    TargetLevel,
)

D = dt.date
V, C = TargetLevel.VILLAGE, TargetLevel.COMMUNE
F = RouteFunction

DEMO_ROUTE_NOTE = "Quy trình công nhận (cơ quan thẩm định, quyết định) là cấu hình minh họa."
DEMO_PAPERS_NOTE = (
    "Việc họp thôn, bản và niêm yết công khai 05 ngày trước khi xã họp xét là cấu hình minh họa."
)
# The seeds name the papers of a dossier only in passing (tờ trình, báo cáo, biên bản họp xét:
# domain brief §5) and no plan lists them as required: the list is a demo configuration.
DEMO_COMPONENTS = ["proposal", "report", "review_minutes"]
DEMO_COMPONENTS_NOTE = (
    "Cấu hình minh họa: các kế hoạch mẫu không quy định thành phần hồ sơ; "
    "tờ trình, báo cáo và biên bản họp xét theo quy trình chung."
)

LAW_LOCAL_GOVERNMENT_2015 = (
    "Luật",
    "",
    D(2015, 6, 19),
    "",
    "Tổ chức chính quyền địa phương",
    None,
    D(2025, 6, 30),
)
LAW_LOCAL_GOVERNMENT_2025 = (
    "Luật",
    "",
    D(2025, 6, 16),
    "",
    "Tổ chức chính quyền địa phương",
    D(2025, 7, 1),
    None,
)
LAW_DRUGS = ("Luật", "", D(2021, 3, 30), "", "Phòng, chống ma túy", None, None)
PLAN_1246 = (
    "Kế hoạch",
    "1246/KH-UBND",
    D(2024, 4, 9),
    "UBND tỉnh Lai Châu",
    "về việc xây dựng “thôn, bản, tổ dân phố, xã, thị trấn không có ma túy” trên địa bàn tỉnh Lai Châu",
    None,
    None,
)
GUIDE_15 = ("Hướng dẫn", "15/HD-BCĐ", D(2024, 5, 8), "", "về việc hướng dẫn quy trình thực hiện", None, None)
PLAN_174 = (
    "Kế hoạch",
    "174/KH-UBND",
    D(2024, 5, 24),
    "UBND huyện Phong Thổ",
    "về xây dựng “thôn, bản, tổ dân phố; xã, thị trấn không có ma túy” trên địa bàn huyện Phong Thổ",
    None,
    None,
)

PHONG_THO_PHASES = [
    # number, name, start, end, level, kind, value, note, report due, final
    (
        1,
        "Giai đoạn 01: từ quý II/2024 đến hết năm 2024",
        D(2024, 4, 1),
        D(2024, 12, 31),
        V,
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
        V,
        TargetKind.COUNT,
        # 27 kept from 2024 + every village of Hoang Thèn and Huổi Luông + 23 of the other communes;
        # the named units carry the structure, the count is their sum once the villages are known.
        None,
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
        C,
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
        V,
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
        V,
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
        V,
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
        V,
        TargetKind.PERCENT,
        Decimal(100),
        "Phấn đấu xây dựng 100% thôn không ma túy, hoàn thành mục tiêu xây dựng “Xã không ma túy”.",
        None,
        True,
    ),
]

# Invented yearly targets rising to the national goal of 50 % of communes by the end of 2030.
LAI_CHAU_TARGETS = [(2025, 10), (2026, 20), (2027, 28), (2028, 36), (2029, 44), (2030, 50)]


def _set(name: str):
    criteria_set_model = Programme._meta.get_field("village_criteria_set").related_model
    return criteria_set_model.objects.filter(name__startswith=name).first()


# No plan of the seeds sets how often data must be checked: the windows of the quality checks
# (“đúng, đủ, sạch, sống”) are demo configuration, said so in each plan's note.
DEMO_QUALITY_WINDOWS = {"test_window_days": 90, "field_check_days": 180, "absent_check_days": 30}
DEMO_QUALITY_NOTE = (
    "Số ngày kiểm tra chất lượng dữ liệu (xét nghiệm trong 90 ngày, xác minh thực tế trong 180 ngày, "
    "kiểm tra người vắng mặt trong 30 ngày) là cấu hình minh họa."
)


def _body(unit: Area, name: str) -> Body:
    return Body.objects.get(area=unit, name=name)


@transaction.atomic
def load(units: dict[str, Area]) -> str:
    lai_chau, phong_tho, hai_phong = units["lai_chau"], units["phong_tho"], units["hai_phong"]
    tan_an, thanh_hoa = units["Xã Tân An"], units["thanh_hoa"]
    lai_chau_set = _set("Bộ tiêu chí tỉnh Lai Châu")

    _programme(
        unit=lai_chau,
        number="1246/KH-UBND",
        issuing_body="UBND tỉnh Lai Châu",
        signed_on=D(2024, 4, 9),
        valid_from=D(2024, 4, 9),
        valid_until=None,
        title="Xây dựng “thôn, bản, tổ dân phố, xã, thị trấn không có ma túy” trên địa bàn tỉnh Lai Châu",
        village_set=lai_chau_set,
        commune_set=lai_chau_set,
        note=DEMO_ROUTE_NOTE,
        bases=[LAW_LOCAL_GOVERNMENT_2015, LAW_LOCAL_GOVERNMENT_2025, LAW_DRUGS, PLAN_1246, GUIDE_15],
        route={
            level: [
                (F.APPRAISE, _body(lai_chau, "Công an tỉnh Lai Châu"), None),
                (F.CO_APPRAISE, _body(lai_chau, "Sở Y tế tỉnh Lai Châu"), None),
                (F.DECIDE, _body(lai_chau, "Ủy ban nhân dân tỉnh Lai Châu"), None),
            ]
            for level in (V, C)
        },
    )
    p174 = _programme(
        unit=phong_tho,
        number="174/KH-UBND",
        issuing_body="UBND huyện Phong Thổ",
        signed_on=D(2024, 5, 24),
        valid_from=D(2024, 5, 24),
        valid_until=D(2025, 6, 30),
        title="Xây dựng “thôn, bản, tổ dân phố; xã, thị trấn không có ma túy” trên địa bàn huyện Phong Thổ",
        village_set=lai_chau_set,
        commune_set=lai_chau_set,
        note="Hết áp dụng khi đơn vị hành chính cấp huyện kết thúc hoạt động (01/7/2025). "
        f"{DEMO_PAPERS_NOTE}",
        posting_days=5,
        bases=[LAW_LOCAL_GOVERNMENT_2015, LAW_DRUGS, PLAN_1246, GUIDE_15, PLAN_174],
        route={
            level: [
                (F.APPRAISE, _body(phong_tho, "Công an huyện Phong Thổ"), None),
                (
                    F.CO_APPRAISE,
                    _body(phong_tho, "Phòng Lao động - Thương binh và Xã hội huyện Phong Thổ"),
                    None,
                ),
                (F.CO_APPRAISE, _body(phong_tho, "Trung tâm Y tế huyện Phong Thổ"), None),
                (F.DECIDE, _body(phong_tho, "Ủy ban nhân dân huyện Phong Thổ"), None),
            ]
            for level in (V, C)
        },
        phases=PHONG_THO_PHASES,
    )
    named = [target for _kind, _name, target in PHONG_THO_COMMUNES if target]
    villages = Area.objects.filter(path__startswith=phong_tho.path, level=Level.VILLAGE, name__in=named)
    phase_1 = p174.phases.get(number=1)
    phase_1.target_units.set(villages)
    # Phase 2 names the two communes whose every village is targeted; its count is the seed's sum:
    # the 27 of 2024, all villages of Hoang Thèn and Huổi Luông not among them, and 23 more.
    focus = list(Area.objects.filter(parent=phong_tho, name__in=["Xã Hoang Thèn", "Xã Huổi Luông"]))
    focus_villages = Area.objects.filter(parent__in=focus, level=Level.VILLAGE).exclude(pk__in=villages)
    phase_2 = p174.phases.get(number=2)
    phase_2.target_units.set(focus)
    phase_2.target_value = Decimal(27 + focus_villages.count() + 23)
    phase_2.save(update_fields=["target_value"])

    hai_phong_set = _set("Bộ tiêu chí minh họa thành phố Hải Phòng")
    p_tan_an = _programme(
        unit=tan_an,
        number="…/KH-UBND",
        issuing_body="UBND xã Tân An",
        signed_on=D(2026, 4, 20),
        valid_from=D(2026, 4, 20),
        valid_until=D(2030, 12, 31),
        title="Triển khai xây dựng mô hình “Toàn dân xã Tân An phòng, chống ma túy” trên địa bàn xã Tân An, "
        "TP Hải Phòng",
        village_set=hai_phong_set,
        commune_set=hai_phong_set,
        note=f"{DEMO_ROUTE_NOTE} Bộ tiêu chí và lịch báo cáo cũng là cấu hình minh họa. {DEMO_PAPERS_NOTE}",
        posting_days=5,
        bases=[LAW_LOCAL_GOVERNMENT_2025, LAW_DRUGS],
        route={
            level: [
                (F.APPRAISE, _body(hai_phong, "Công an thành phố Hải Phòng"), 15),
                (F.CO_APPRAISE, _body(hai_phong, "Sở Y tế thành phố Hải Phòng"), None),
                (F.DECIDE, _body(hai_phong, "Ủy ban nhân dân thành phố Hải Phòng"), 10),
            ]
            for level in (V, C)
        },
        windows=[
            (ReportKind.SIX_MONTH, True, 12, 15, 6, 14, 6, 20),
            (ReportKind.ANNUAL, True, 12, 15, 12, 14, 12, 20),
            # Seed 001's Action Month calendar (1–30/6; communes report by 02/7, the city by 08/7).
            (ReportKind.ACTION_MONTH, False, 6, 1, 6, 30, 7, 8, 7, 2),
        ],
        phases=TAN_AN_PHASES,
    )
    p_tan_an.phases.get(number=1).target_units.set(
        Area.objects.filter(parent=tan_an, name__in=TAN_AN_TARGETS)
    )

    thanh_hoa_set = _set("Bộ tiêu chí “Xã không ma túy” tỉnh Thanh Hóa")
    _programme(
        unit=thanh_hoa,
        number="",
        issuing_body="UBND tỉnh Thanh Hóa",
        signed_on=D(2024, 1, 1),
        valid_from=D(2024, 1, 1),
        valid_until=D(2025, 12, 31),
        title="Đề án xây dựng “Xã không ma túy” giai đoạn 2024 - 2025",
        village_set=None,
        commune_set=thanh_hoa_set,
        note=f"{DEMO_ROUTE_NOTE} Số, ngày của Đề án chưa có trong tài liệu gốc.",
        bases=[
            LAW_LOCAL_GOVERNMENT_2015,
            LAW_LOCAL_GOVERNMENT_2025,
            LAW_DRUGS,
            (
                "Quyết định",
                "272/QĐ-UBND",
                D(2021, 1, 21),
                "Chủ tịch UBND tỉnh Thanh Hóa",
                "phê duyệt Đề án “Nâng cao hiệu quả công tác phòng ngừa, đấu tranh với tội phạm và tệ nạn ma "
                "túy trên địa bàn tỉnh Thanh Hóa” giai đoạn 2021 - 2025",
                None,
                None,
            ),
        ],
        route={
            C: [
                (F.APPRAISE, _body(thanh_hoa, "Công an tỉnh Thanh Hóa"), None),
                (F.DECIDE, _body(thanh_hoa, "Ủy ban nhân dân tỉnh Thanh Hóa"), None),
            ]
        },
    )

    for year, percent in LAI_CHAU_TARGETS:
        ProvinceTarget.objects.get_or_create(
            province=lai_chau,
            year=year,
            defaults={
                "target_kind": TargetKind.PERCENT,
                "target_value": Decimal(percent),
                "basis": "Đăng ký chỉ tiêu thực hiện Kết luận số 132-KL/TW (minh họa)",
                "is_demo": True,
            },
        )
    return (
        f"{Programme.objects.filter(is_demo=True).count()} kế hoạch, "
        f"{Phase.objects.filter(programme__is_demo=True).count()} giai đoạn, "
        f"{RouteStep.objects.filter(programme__is_demo=True).count()} bước quy trình"
    )


def _programme(
    *,
    unit: Area,
    number: str,
    issuing_body: str,
    signed_on: dt.date,
    valid_from: dt.date,
    valid_until: dt.date | None,
    title: str,
    village_set,
    commune_set,
    note: str,
    bases: list,
    route: dict,
    windows: list = (),
    phases: list = (),
    posting_days: int | None = None,
) -> Programme:
    programme, created = Programme.objects.get_or_create(
        issuing_unit=unit,
        number=number,
        signed_on=signed_on,
        defaults={
            "issuing_body": issuing_body,
            "title": title,
            "valid_from": valid_from,
            "valid_until": valid_until,
            "village_criteria_set": village_set,
            "commune_criteria_set": commune_set,
            "note": f"{note} {DEMO_QUALITY_NOTE}",
            "is_demo": True,
            **DEMO_QUALITY_WINDOWS,
            "village_meeting_required": posting_days is not None,
            "posting_days": posting_days,
        },
    )
    for level in route:
        for kind in DEMO_COMPONENTS:
            RequiredComponent.objects.get_or_create(
                programme=programme,
                unit_level=level,
                kind=kind,
                defaults={"note": DEMO_COMPONENTS_NOTE, "is_demo": True},
            )
    if not created:
        return programme
    for position, (kind, doc_number, issued_on, issuer, doc_title, cited_from, cited_until) in enumerate(
        bases, 1
    ):
        LegalBasis.objects.create(
            programme=programme,
            position=position,
            document_kind=kind,
            number=doc_number,
            issued_on=issued_on,
            issuer=issuer,
            title=doc_title,
            cited_from=cited_from,
            cited_until=cited_until,
        )
    for level, steps in route.items():
        for function, body, days in steps:
            RouteStep.objects.create(
                programme=programme, unit_level=level, function=function, body=body, deadline_days=days
            )
    for kind, previous, o_month, o_day, c_month, c_day, d_month, d_day, *commune_due in windows:
        ReportingWindow.objects.create(
            commune_due_month=commune_due[0] if commune_due else None,
            commune_due_day=commune_due[1] if commune_due else None,
            programme=programme,
            kind=kind,
            opens_previous_year=previous,
            opens_month=o_month,
            opens_day=o_day,
            closes_month=c_month,
            closes_day=c_day,
            due_month=d_month,
            due_day=d_day,
        )
    for number_, name, start, end, level, kind, value, target_note, due, final in phases:
        Phase.objects.create(
            programme=programme,
            number=number_,
            name=name,
            starts_on=start,
            ends_on=end,
            target_level=level,
            target_kind=kind,
            target_value=value if value is not None else Decimal(0),
            target_note=target_note,
            report_due_on=due,
            is_final=final,
        )
    return programme
