"""Import of management files (hồ sơ quản lý) of registered persons."""

from __future__ import annotations

from typing import Any

from ..models import FileKind, ManagementFile
from .columns import NOTE, PERSON_KEY, Column
from .registers import PersonRecordImport, Row
from .results import ImportKind


class ManagementFileImport(PersonRecordImport):
    kind = ImportKind.FILES
    model = ManagementFile
    noun = "hồ sơ quản lý"
    object_type = "hồ sơ quản lý"
    template_name = "mau-nhap-ho-so-quan-ly.xlsx"
    columns = (
        *PERSON_KEY,
        Column("kind", "Loại hồ sơ", "choice", True, FileKind, help="Chọn trong danh sách.", width=32),
        Column("opened_on", "Ngày lập", "date", True, help="Dạng dd/mm/yyyy.", width=13),
        Column(
            "responsible",
            "Người, tổ chức được giao quản lý",
            "text",
            True,
            aliases=("Người quản lý",),
            help="Cán bộ phụ trách hoặc gia đình, đoàn thể được giao giúp đỡ.",
            width=30,
        ),
        Column("closed_on", "Ngày kết thúc quản lý", "date", help="Để trống nếu đang quản lý.", width=14),
        NOTE,
    )
    instructions = [
        "Mỗi dòng là một hồ sơ quản lý của một đối tượng đã có trong sổ theo dõi.",
        "Đối tượng được xác định bằng số CCCD, hoặc bằng đủ họ tên, ngày sinh và thôn, bản.",
    ]
    preview_headers = ["Đối tượng", "Số CCCD", "Loại hồ sơ", "Ngày lập", "Người, tổ chức quản lý", "Kết thúc"]

    def preview(self, row: Row) -> list[Any]:
        values = row.values
        return [
            *self.person_cells(row),
            FileKind(values["kind"]).label if values["kind"] else "",
            values["opened_on"],
            values["responsible"] or "",
            values["closed_on"],
        ]
