"""A report's figures as an official PDF (WeasyPrint, the shared official-document base and its
embedded Tinos font) and as an .xlsx workbook with numbers stored as numbers."""

from __future__ import annotations

import datetime as dt
import io
import re
import unicodedata
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from areas.models import Body, BodyKind, Level, Role, User
from criteria.scoring import Status
from dossiers import documents
from programmes.models import TargetLevel
from subjects.excel.cells import guard_row

from . import sections, tables
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


def committee_short(name: str) -> str:
    """ "Ủy ban nhân dân huyện Phong Thổ" → "UBND huyện Phong Thổ" (how a report names its body)."""
    return name.replace("Ủy ban nhân dân", "UBND", 1)


def _signer(report: ReportRequest) -> tuple[str, str, str]:
    """(on behalf of, title, name) of the head of the body that issues the report."""
    body = report.issuing_body
    if body is None:
        return "TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", ""
    chair = (
        User.objects.filter(body=body, role__in=[Role.COMMUNE_CHAIR, Role.DECIDING_CHAIR], is_active=True)
        .order_by("pk")
        .first()
    )
    return "TM. ỦY BAN NHÂN DÂN", body.head_title.upper(), chair.display_name if chair else ""


def _recipients(report: ReportRequest) -> list[str]:
    """The bodies the report goes to — only bodies recorded in the catalogue (areas.Body): the
    superior People's Committee through its police (the standing body), that police, the unit's
    own police; then the archive."""
    unit, day = report.unit, report.issued_on or report.as_of
    bodies = [
        b
        for b in Body.objects.filter(area_id__in=[unit.pk, unit.parent_id or unit.pk]).select_related("area")
        if b.is_open_on(day)
    ]

    def find(area_id: int | None, kind: str) -> Body | None:
        return next((b for b in bodies if b.area_id == area_id and b.kind == kind), None)

    lines = []
    if unit.parent_id:
        committee, police = find(unit.parent_id, BodyKind.COMMITTEE), find(unit.parent_id, BodyKind.POLICE)
        if committee is not None:
            via = f" (qua {police.name})" if police is not None else ""
            lines.append(f"{committee_short(committee.name)}{via}")
        if police is not None:
            lines.append(police.name)
    own_police = find(unit.pk, BodyKind.POLICE)
    if own_police is not None:
        lines.append(own_police.name)
    lines.append("Lưu: VT")
    return lines


def _status_cell(value: str | None) -> str:
    return Status(value).short_label if value else ""


def _criteria_row(row: dict[str, Any], labels: dict[str, str]) -> dict[str, Any]:
    """One unit of the criteria appendix: its result and the criteria it does not meet, by their
    short names. Four cells a row keep a 1,000-unit appendix within the time a report may take to
    render; the .xlsx has one column per criterion."""

    def names(status: str) -> str:
        return "; ".join(labels.get(n, f"TC {n}") for n, s in row["statuses"].items() if s == status)

    failing, evidence = names(Status.NOT_MET), names(Status.NEEDS_EVIDENCE)
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


def _paragraphs(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def _parts(report: ReportRequest, texts: dict[str, str]) -> list[dict[str, Any]]:
    """The report's parts in its kind's order, each with its numbered sections and paragraphs."""
    titles = sections.part_titles(report.kind)
    parts: list[dict[str, Any]] = []
    for section in sections.sections_for(report.kind):
        if not parts or parts[-1]["number"] != section.part:
            parts.append({"number": section.part, "title": titles[section.part], "sections": []})
        paragraphs = _paragraphs(texts.get(section.key, ""))
        if section.part == "II" and not paragraphs and section.key != "task_building":
            continue  # a task the unit wrote nothing on is left out rather than printed empty
        if section.part == "V" and not paragraphs:
            paragraphs = ["Không có."]
        parts[-1]["sections"].append({"key": section.key, "title": section.title, "paragraphs": paragraphs})
    for part in parts:
        numbered = part["number"] in ("II", "III") or len(part["sections"]) > 1
        for index, item in enumerate(part["sections"], start=1):
            item["heading"] = f"{index}. {item['title']}" if numbered and item["key"] != "situation" else ""
    return parts


def unit_table_context(figures: dict[str, Any]) -> dict[str, Any]:
    table = figures["units"]
    groups: list[tuple[str, int]] = []
    for column in tables.COLUMNS:
        if groups and groups[-1][0] == column.group:
            groups[-1] = (column.group, groups[-1][1] + 1)
        else:
            groups.append((column.group, 1))
    return {
        "groups": groups,
        "columns": tables.COLUMNS,
        "level_word": "Thôn, bản" if table["level"] == Level.VILLAGE else "Xã, phường, thị trấn",
        "rows": [
            {
                "name": row["name"],
                "parent": row["parent"],
                "values": [_num(row[c.key]) for c in tables.COLUMNS],
                "failing": row["failing"],
            }
            for row in table["rows"]
        ],
        "total": [_num(table["total"][c.key]) for c in tables.COLUMNS],
        "with_parent": any(row["parent"] for row in table["rows"]),
    }


def pdf_context(report: ReportRequest, figures: dict[str, Any], texts: dict[str, str]) -> dict[str, Any]:
    unit = report.unit
    body = report.issuing_body
    if body is not None:
        parent_body, issuing_body = body.header_lines()
        body_name = committee_short(body.name)
    else:
        parent_body, issuing_body = documents.committee_header(unit)
        body_name = f"UBND {unit.kind} {documents.short_name(unit)}"
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
    labels = figures["criteria"].get("labels", {})
    criteria_rows = [_criteria_row(row, labels) for row in figures["criteria"]["rows"]]
    replaces = report.replaces
    issued_on = report.issued_on or report.as_of
    return {
        "report": report,
        "f": figures,
        "parent_body": parent_body,
        "issuing_body": issuing_body,
        "body_name": body_name,
        "number": report.reference or "\u00a0" * 6 + "/BC-UBND",
        "place_date": documents.place_and_date(documents.short_name(unit), issued_on),
        "title_kind": "BÁO CÁO",
        "title_subject": figures["subject"],
        "recipients": _recipients(report),
        "signature_for": signature_for,
        "signature_title": signature_title,
        "signer_name": signer,
        "replaces": replaces,
        "replaces_body": committee_short(replaces.issuing_body.name)
        if replaces and replaces.issuing_body
        else "",
        "period_start": _day(figures["period"]["start"]),
        "period_end": _day(figures["period"]["end"]),
        "covered_start": _day(figures["covered"]["start"]),
        "covered_end": _day(figures["covered"]["end"]),
        "period_open": figures["covered"]["end"] != figures["period"]["end"],
        "comparison_text": figures["comparison_text"],
        "as_of": _day(figures["as_of"]),
        "situation": situation,
        "parts": _parts(report, texts),
        "phases": figures["phases"],
        "recognised": [{**r, "decided_on": _day(r["decided_on"])} for r in figures["recognised"]],
        "years": figures["years"],
        "criteria_rows": criteria_rows,
        "criteria_sets": sorted(
            {row["criteria_set"] for row in figures["criteria"]["rows"] if row["criteria_set"]}
        ),
        "units": unit_table_context(figures),
        "unit_short": documents.short_name(unit),
    }


def render_pdf(report: ReportRequest, figures: dict[str, Any], texts: dict[str, str]) -> bytes:
    return documents.render_pdf("reports/report_pdf.html", pdf_context(report, figures, texts))


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
        ("Số, ký hiệu", report.reference or "(dự thảo, chưa ban hành)"),
        ("Ngày ban hành", report.issued_on),
        ("Nội dung", figures["subject"]),
        ("Đơn vị", figures["unit"]["name"]),
        ("Kỳ báo cáo", figures.get("period_name") or ""),
        ("Kỳ báo cáo từ ngày", _day(figures["period"]["start"])),
        ("Kỳ báo cáo đến ngày", _day(figures["period"]["end"])),
        ("Số liệu tính đến ngày", _day(figures["covered"]["end"])),
        ("So sánh với", figures["comparison_text"]),
        ("Kỳ so sánh từ ngày", _day(figures["previous_period"]["start"])),
        ("Kỳ so sánh đến ngày", _day(figures["previous_period"]["end"])),
    ]:
        info.append([label, value])
        guard_row(info[info.max_row])
        if isinstance(value, dt.date):
            info.cell(row=info.max_row, column=2).number_format = "DD/MM/YYYY"
    info.column_dimensions["A"].width = 26
    info.column_dimensions["B"].width = 90

    sheet = _sheet(
        workbook,
        "Tình hình",
        ["Chỉ tiêu", "Kỳ này", "Cùng kỳ so sánh", "Tăng (+), giảm (-)"],
        [[r["label"], r["current"], r["previous"], None] for r in figures["situation"]],
        [60, 14, 16, 18],
    )
    for row in range(2, sheet.max_row + 1):
        sheet.cell(row=row, column=4, value=f"=B{row}-C{row}")

    _unit_sheet(workbook, figures)

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
            *[f"{n}. {figures['criteria'].get('labels', {}).get(str(n), f'TC {n}')}" for n in numbers],
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
    for ws in workbook.worksheets:
        for cells in ws.iter_rows():
            for cell in cells:
                if isinstance(cell.value, dt.date):
                    cell.number_format = "DD/MM/YYYY"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _unit_sheet(workbook: Workbook, figures: dict[str, Any]) -> None:
    """The per-unit situation table: two header rows (groups, columns) frozen, one row per unit,
    numbers as numbers, and a total row of SUM formulas."""
    table = figures["units"]
    word = "Thôn, bản" if table["level"] == Level.VILLAGE else "Xã, phường, thị trấn"
    sheet = workbook.create_sheet("Tình hình theo đơn vị")
    fixed = ["STT", word, "Thuộc"]
    first = len(fixed) + 1
    sheet.append([*fixed, *[c.group for c in tables.COLUMNS], "Trạng thái hồ sơ", "Tiêu chí chưa đạt"])
    sheet.append([*fixed, *[c.label for c in tables.COLUMNS], "Trạng thái hồ sơ", "Tiêu chí chưa đạt"])
    last_col = len(fixed) + len(tables.COLUMNS) + 2
    # Merge the group cells over their columns, and each fixed heading over both rows.
    for col in [*range(1, first), last_col - 1, last_col]:
        sheet.merge_cells(start_row=1, start_column=col, end_row=2, end_column=col)
    col = first
    while col < first + len(tables.COLUMNS):
        group = tables.COLUMNS[col - first].group
        span = 1
        while col + span < first + len(tables.COLUMNS) and tables.COLUMNS[col + span - first].group == group:
            span += 1
        if span > 1:
            sheet.merge_cells(start_row=1, start_column=col, end_row=1, end_column=col + span - 1)
        col += span
    for row in sheet.iter_rows(min_row=1, max_row=2):
        for cell in row:
            cell.font = BOLD
            cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
    for index, row in enumerate(table["rows"], start=1):
        sheet.append(
            [
                index,
                row["name"],
                row["parent"],
                *[row[c.key] for c in tables.COLUMNS],
                row["state"] + (f" ({row['decision']})" if row["decision"] else ""),
                "; ".join(row["failing"]),
            ]
        )
        guard_row(sheet[sheet.max_row])
    first_data, last_data = 3, sheet.max_row
    total_row = last_data + 1
    sheet.cell(row=total_row, column=2, value="Tổng cộng").font = BOLD
    for offset, column in enumerate(tables.COLUMNS):
        letter = get_column_letter(first + offset)
        cell = sheet.cell(row=total_row, column=first + offset)
        cell.value = f"=SUM({letter}{first_data}:{letter}{last_data})" if last_data >= first_data else 0
        cell.font = BOLD
        if column.decimals:
            for r in range(first_data, total_row + 1):
                sheet.cell(row=r, column=first + offset).number_format = "#,##0.0"
    sheet.freeze_panes = sheet.cell(row=3, column=3)
    widths = [6, 26, 18, *[11] * len(tables.COLUMNS), 26, 40]
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.row_dimensions[2].height = 45


def ascii_slug(text: str) -> str:
    """ "Phong Thổ" → "phong-tho" (Vietnamese letters without their marks; đ → d)."""
    text = text.replace("đ", "d").replace("Đ", "D")
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-")


def file_name(report: ReportRequest, extension: str) -> str:
    """ "BC-12-phong-tho-6-thang-2026.pdf": the number, the unit and the period, nothing else."""
    number = f"{report.number:02d}" if report.number is not None else "du-thao"
    unit = ascii_slug(documents.short_name(report.unit))
    period = report.period_slug or f"{report.period_end:%Y}"
    return f"BC-{number}-{unit}-{period}.{extension}"
