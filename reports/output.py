"""A report's figures as an official PDF (WeasyPrint, the shared official-document base and its
embedded Tinos font) and as an .xlsx workbook with numbers stored as numbers."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from areas.models import Level, Role, User
from criteria.scoring import Status
from dossiers import documents
from programmes.models import TargetLevel
from subjects.excel.cells import guard_row

from .formatting import vn_number
from .models import ReportRequest

LEVEL_WORD = {TargetLevel.VILLAGE: "thôn, bản", TargetLevel.COMMUNE: "xã, thị trấn"}


def _day(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


def _signed(value: float | int) -> str:
    if value > 0:
        return f"+{_num(value)}"
    if value < 0:
        return f"-{_num(-value)}"
    return "0"


def _num(value: float | int) -> str:
    return vn_number(value, 0 if float(value).is_integer() else 1)


def _signer(report: ReportRequest) -> tuple[str, str, str]:
    """(on behalf of, title, name) of the People's Committee chair who signs for the unit."""
    role = Role.COMMUNE_CHAIR if report.unit.level == Level.COMMUNE else Role.DECIDING_CHAIR
    chair = User.objects.filter(role=role, area=report.unit, is_active=True).order_by("pk").first()
    return "TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", chair.display_name if chair else ""


def _recipients(report: ReportRequest) -> list[str]:
    unit = report.unit
    lines = []
    if unit.parent_id:
        parent = unit.parent
        lines.append(f"UBND {parent.kind} {documents.short_name(parent)} (qua Công an {parent.kind})")
        lines.append(f"Công an {parent.kind} {documents.short_name(parent)}")
    else:
        lines.append("Bộ Công an (qua Cục Cảnh sát điều tra tội phạm về ma túy)")
    lines.append(f"Ban Chỉ đạo phòng, chống ma túy {unit.kind} {documents.short_name(unit)}")
    lines.append("Lưu: VT, CA")
    return lines


def _status_cell(value: str | None) -> str:
    return Status(value).short_label if value else ""


def _criteria_row(row: dict[str, Any]) -> dict[str, Any]:
    """One unit of the appendix: its result and the numbers of the criteria it does not meet.
    Four cells a row keep a 1,000-unit appendix within the time a report may take to render; the
    .xlsx has one column per criterion."""
    failing = ", ".join(n for n, status in row["statuses"].items() if status == Status.NOT_MET)
    evidence = ", ".join(n for n, status in row["statuses"].items() if status == Status.NEEDS_EVIDENCE)
    if evidence:
        failing = f"{failing}; cần minh chứng: {evidence}" if failing else f"cần minh chứng: {evidence}"
    if not row["total"]:
        result = "Chưa có bộ tiêu chí"
    else:
        verdict = Status.MET if row["passed"] else Status.NOT_MET
        result = f"{verdict.label} ({row['met']}/{row['total']})"
    return {
        "name": row["name"],
        "is_commune": row["level"] == Level.COMMUNE,
        "result": result,
        "failing": failing,
    }


def pdf_context(report: ReportRequest, figures: dict[str, Any]) -> dict[str, Any]:
    unit = report.unit
    parent_body, issuing_body = documents.committee_header(unit)
    signature_for, signature_title, signer = _signer(report)
    situation = [
        {
            "label": row["label"],
            "sub": row["label"].startswith("trong đó"),
            "current": _num(row["current"]),
            "previous": _num(row["previous"]),
            "change": _signed(row["change"]),
        }
        for row in figures["situation"]
    ]
    criteria_rows = [_criteria_row(row) for row in figures["criteria"]["rows"]]
    progress = figures["progress"]
    return {
        "report": report,
        "f": figures,
        "parent_body": parent_body,
        "issuing_body": issuing_body,
        "number": "\u00a0" * 6 + "/BC-UBND",
        "place_date": documents.place_and_date(documents.short_name(unit), report.as_of),
        "title_kind": "BÁO CÁO",
        "title_subject": figures["subject"],
        "recipients": _recipients(report),
        "signature_for": signature_for,
        "signature_title": signature_title,
        "signer_name": signer,
        "period_start": _day(figures["period"]["start"]),
        "period_end": _day(figures["period"]["end"]),
        "previous_start": _day(figures["previous_period"]["start"]),
        "previous_end": _day(figures["previous_period"]["end"]),
        "as_of": _day(figures["as_of"]),
        "situation": situation,
        "villages": progress[TargetLevel.VILLAGE],
        "communes": progress[TargetLevel.COMMUNE],
        "village_change": _signed(
            progress[TargetLevel.VILLAGE]["recognised"] - progress[TargetLevel.VILLAGE]["recognised_before"]
        ),
        "commune_change": _signed(
            progress[TargetLevel.COMMUNE]["recognised"] - progress[TargetLevel.COMMUNE]["recognised_before"]
        ),
        "states": [s for s in figures["states"] if s["count"]],
        "phases": figures["phases"],
        "recognised": [{**r, "decided_on": _day(r["decided_on"])} for r in figures["recognised"]],
        "at_risk": figures["at_risk"],
        "overdue": [{**r, "deadline": _day(r["deadline"])} for r in figures["overdue"]],
        "years": figures["years"],
        "criteria_rows": criteria_rows,
        "criteria_sets": sorted(
            {row["criteria_set"] for row in figures["criteria"]["rows"] if row["criteria_set"]}
        ),
        "unit_short": documents.short_name(unit),
    }


def render_pdf(report: ReportRequest, figures: dict[str, Any]) -> bytes:
    return documents.render_pdf("reports/report_pdf.html", pdf_context(report, figures))


# ---------------------------------------------------------------- xlsx

BOLD = Font(bold=True)


def _sheet(workbook: Workbook, title: str, header: list[str], rows: list[list[Any]], widths: list[int]):
    sheet = workbook.create_sheet(title)
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = BOLD
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
    for row in rows:
        sheet.append(row)
        guard_row(sheet[sheet.max_row])  # names and texts typed by users stay text, never formulas
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    return sheet


def render_xlsx(report: ReportRequest, figures: dict[str, Any]) -> bytes:
    """The report's figures, one sheet per table; counts are integers, shares are fractions with a
    percentage format, dates are dates."""
    workbook = Workbook()
    info = workbook.active
    info.title = "Thông tin"
    for label, value in [
        ("Báo cáo", figures["kind_label"]),
        ("Nội dung", figures["subject"]),
        ("Đơn vị", figures["unit"]["name"]),
        ("Kỳ báo cáo từ ngày", _day(figures["period"]["start"])),
        ("Kỳ báo cáo đến ngày", _day(figures["period"]["end"])),
        ("Kỳ trước từ ngày", _day(figures["previous_period"]["start"])),
        ("Kỳ trước đến ngày", _day(figures["previous_period"]["end"])),
        ("Số liệu tính đến ngày", _day(figures["as_of"])),
    ]:
        info.append([label, value])
        guard_row(info[info.max_row])
        if isinstance(value, dt.date):
            info.cell(row=info.max_row, column=2).number_format = "DD/MM/YYYY"
    info.column_dimensions["A"].width = 26
    info.column_dimensions["B"].width = 90

    _sheet(
        workbook,
        "Tình hình",
        ["Chỉ tiêu", "Kỳ này", "Kỳ trước", "Tăng (+), giảm (-)"],
        [[r["label"], r["current"], r["previous"], r["change"]] for r in figures["situation"]],
        [60, 14, 14, 18],
    )

    progress = figures["progress"]
    rows = []
    for level in (TargetLevel.VILLAGE, TargetLevel.COMMUNE):
        p = progress[level]
        rows.append(
            [
                f"Số {LEVEL_WORD[level]} được công nhận",
                p["recognised"],
                p["total"],
                p["percent"] / 100,
                p["recognised_before"],
            ]
        )
    sheet = _sheet(
        workbook,
        "Tiến độ",
        ["Nội dung", "Được công nhận", "Tổng số", "Tỷ lệ", "Kỳ trước"],
        rows,
        [40, 16, 12, 10, 12],
    )
    for row in sheet.iter_rows(min_row=2, min_col=4, max_col=4):
        row[0].number_format = "0.0%"

    sheet = _sheet(
        workbook,
        "Giai đoạn",
        [
            "Kế hoạch",
            "Giai đoạn",
            "Từ ngày",
            "Đến ngày",
            "Đơn vị tính",
            "Tổng số",
            "Chỉ tiêu",
            "Đạt được",
            "Kết quả",
        ],
        [
            [
                p["plan"],
                p["name"],
                _day(p["starts_on"]),
                _day(p["ends_on"]),
                LEVEL_WORD[p["level"]],
                p["total"],
                p["required"],
                p["achieved"],
                p["status"],
            ]
            for p in figures["phases"]
        ],
        [16, 46, 12, 12, 14, 10, 10, 10, 18],
    )
    for row in sheet.iter_rows(min_row=2, min_col=3, max_col=4):
        for cell in row:
            cell.number_format = "DD/MM/YYYY"

    _sheet(
        workbook,
        "Trạng thái hồ sơ",
        ["Trạng thái", "Số hồ sơ"],
        [[s["label"], s["count"]] for s in figures["states"]],
        [40, 12],
    )

    sheet = _sheet(
        workbook,
        "Đơn vị được công nhận",
        ["STT", "Đơn vị", "Xã", "Số quyết định", "Ngày quyết định"],
        [
            [i, r["area"], r["commune"], r["decision"], _day(r["decided_on"])]
            for i, r in enumerate(figures["recognised"], start=1)
        ],
        [6, 30, 30, 20, 16],
    )
    for row in sheet.iter_rows(min_row=2, min_col=5, max_col=5):
        row[0].number_format = "DD/MM/YYYY"

    numbers = figures["criteria"]["numbers"]
    _sheet(
        workbook,
        "Bảng tiêu chí",
        [
            "STT",
            "Đơn vị",
            "Cấp",
            "Xã",
            *[f"Tiêu chí {n}" for n in numbers],
            "Số tiêu chí đạt",
            "Số tiêu chí",
            "Đạt tất cả",
        ],
        [
            [
                i,
                r["name"],
                "Thôn, bản" if r["level"] == Level.VILLAGE else "Xã",
                r["commune"],
                *[_status_cell(r["statuses"].get(str(n))) for n in numbers],
                r["met"],
                r["total"],
                "Có" if r["passed"] else "Không",
            ]
            for i, r in enumerate(figures["criteria"]["rows"], start=1)
        ],
        [6, 28, 10, 24, *[10] * len(numbers), 14, 10, 10],
    )
    if figures["years"]:
        _sheet(
            workbook,
            "Chỉ tiêu năm",
            ["Năm", "Tổng số xã", "Chỉ tiêu (xã)", "Đạt được (xã)"],
            [[y["year"], y["total"], y["required"], y["achieved"]] for y in figures["years"]],
            [8, 14, 14, 14],
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
