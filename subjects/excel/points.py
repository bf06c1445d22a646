"""Import of drug points (tụ điểm, điểm phức tạp, …) per village."""

from __future__ import annotations

from typing import Any

from django.db import models

from ..models import DrugPoint, PointKind
from .columns import NOTE, VILLAGE, Column
from .registers import RegisterImport, Row
from .results import ImportKind


class DrugPointImport(RegisterImport):
    kind = ImportKind.POINTS
    model = DrugPoint
    noun = "điểm, tụ điểm"
    object_type = "điểm, tụ điểm ma túy"
    template_name = "mau-nhap-diem-tu-diem.xlsx"
    columns = (
        VILLAGE,
        Column(
            "kind",
            "Loại điểm",
            "choice",
            True,
            PointKind,
            aliases=("Loại",),
            help="Chọn trong danh sách.",
            width=30,
        ),
        Column(
            "description",
            "Mô tả, vị trí",
            "text",
            True,
            aliases=("Vị trí",),
            help="Nơi, địa chỉ của điểm.",
            width=36,
        ),
        Column("found_on", "Ngày phát hiện", "date", True, help="Dạng dd/mm/yyyy.", width=14),
        Column("eliminated_on", "Ngày triệt xóa", "date", help="Để trống nếu chưa triệt xóa.", width=14),
        NOTE,
    )
    instructions = [
        "Mỗi dòng là một điểm, tụ điểm ma túy phát hiện trên địa bàn.",
        "Một điểm (cùng thôn, bản, loại, mô tả và ngày phát hiện) chỉ ghi một lần.",
    ]
    preview_headers = ["Thôn, bản", "Loại điểm", "Mô tả, vị trí", "Ngày phát hiện", "Ngày triệt xóa"]

    def build(self, row: Row) -> list[tuple[models.Model, dict[str, str]]]:
        own = {c.key: row.values[c.key] for c in self.columns if row.values[c.key] is not None}
        return [(DrugPoint(**own), {c.key: c.key for c in self.columns})]

    def preview(self, row: Row) -> list[Any]:
        values = row.values
        return [
            str(values["village"] or ""),
            PointKind(values["kind"]).label if values["kind"] else "",
            values["description"] or "",
            values["found_on"],
            values["eliminated_on"],
        ]
