"""The workbook officers fill in for an import."""

from __future__ import annotations

import io
from typing import Any

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from .cells import guard_cell
from .columns import DATE_FORMAT, HEADER_ALIGNMENT, HEADER_FILL, HEADER_FONT, TEXT_FORMAT
from .parsing import Villages
from .reading import MAX_ROWS
from .results import ImportKind

TEMPLATE_ROWS = 2000
COMMON_INSTRUCTIONS = [
    "Nhập dữ liệu từ dòng 2 của trang đầu tiên; không đổi tên, không xóa dòng tiêu đề.",
    "Khi tải tệp lên, hệ thống kiểm tra toàn bộ tệp trước và liệt kê mọi lỗi theo dòng và cột; "
    "chỉ khi không còn lỗi nào mới được xác nhận nhập, và hoặc nhập tất cả các dòng, hoặc không nhập dòng nào.",
    f"Tệp .xlsx, tối đa 5 MB và {MAX_ROWS:,} dòng.".replace(",", "."),
]


def build_template(kind: str, *, user: Any = None) -> bytes:
    """A workbook to fill in: the header row (required columns marked *), date and CCCD cells
    already formatted, drop-downs for every choice and for the user's villages, an instructions
    sheet in Vietnamese, and a "Danh mục" sheet listing the choices and the villages."""
    from .registry import REGISTERS

    kind = ImportKind(kind)
    register = REGISTERS[kind]
    columns = register.columns
    villages = Villages(user, timezone.localdate()).areas if user is not None else []
    workbook = Workbook()
    data = workbook.active
    data.title = "Dữ liệu"
    lists = workbook.create_sheet("Danh mục")
    guide = workbook.create_sheet("Hướng dẫn")

    list_columns: dict[str, str] = {}
    list_sources: list[tuple[str, str, list[str]]] = [
        (c.key, c.header, [str(label) for label in c.choices.labels]) for c in columns if c.choices
    ]
    if any(c.kind == "yesno" for c in columns):
        list_sources.append(("yesno", "Có / Không", ["Có", "Không"]))
    if any(c.kind == "village" for c in columns):
        list_sources.append(("village", "Thôn, bản", [v.name for v in villages]))
    for index, (key, header, values) in enumerate(list_sources, start=1):
        letter = get_column_letter(index)
        lists.cell(row=1, column=index, value=header).font = HEADER_FONT
        for offset, value in enumerate(values, start=2):
            guard_cell(lists.cell(row=offset, column=index, value=value))
        lists.column_dimensions[letter].width = max([len(header), *(len(v) for v in values)]) + 2
        if values:
            list_columns[key] = f"'Danh mục'!${letter}${2}:${letter}${len(values) + 1}"
    lists.freeze_panes = "A2"

    last = TEMPLATE_ROWS + 1
    for index, column in enumerate(columns, start=1):
        letter = get_column_letter(index)
        cell = data.cell(row=1, column=index, value=column.header + (" *" if column.required else ""))
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        cell.alignment = HEADER_ALIGNMENT
        data.column_dimensions[letter].width = max(column.width, len(cell.value) + 2)
        if column.kind in ("date", "cccd"):
            number_format = DATE_FORMAT if column.kind == "date" else TEXT_FORMAT
            for row in range(2, last + 1):
                data.cell(row=row, column=index).number_format = number_format
        source = "yesno" if column.kind == "yesno" else column.key
        if source in list_columns:
            validation = DataValidation(
                type="list",
                formula1=f"={list_columns[source]}",
                allow_blank=not column.required,
                showErrorMessage=True,
                errorTitle="Giá trị không hợp lệ",
                error=f"Chọn “{column.header}” trong danh sách.",
                promptTitle=column.header,
                prompt=column.help[:255],
                showInputMessage=True,
            )
            validation.add(f"{letter}2:{letter}{last}")
            data.add_data_validation(validation)
    data.freeze_panes = "A2"

    guide.column_dimensions["A"].width = 26
    guide.column_dimensions["B"].width = 12
    guide.column_dimensions["C"].width = 90
    guide.cell(row=1, column=1, value=f"Hướng dẫn nhập {kind.label.lower()}").font = Font(bold=True, size=14)
    line = 3
    for text in [*register.instructions, *COMMON_INSTRUCTIONS]:
        guide.cell(row=line, column=1, value=f"• {text}")
        line += 1
    line += 1
    for col, title in enumerate(("Cột", "Bắt buộc", "Cách ghi"), start=1):
        guide.cell(row=line, column=col, value=title).font = HEADER_FONT
    for column in columns:
        line += 1
        guide.cell(row=line, column=1, value=column.header)
        guide.cell(row=line, column=2, value="Có" if column.required else "")
        guide.cell(row=line, column=3, value=column.help).alignment = Alignment(wrap_text=True)
    if villages:
        line += 2
        guide.cell(row=line, column=1, value="Thôn, bản của xã").font = HEADER_FONT
        for village in villages:
            line += 1
            guard_cell(guide.cell(row=line, column=1, value=village.name))

    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
