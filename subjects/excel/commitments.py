"""Import of household commitment counts per village and date."""

from __future__ import annotations

from typing import Any

from django.db import models

from ..models import CommitmentKind, HouseholdCommitment
from .columns import NOTE, VILLAGE, Column
from .registers import RegisterImport, Row
from .results import ImportKind


class CommitmentImport(RegisterImport):
    kind = ImportKind.COMMITMENTS
    model = HouseholdCommitment
    noun = "số liệu cam kết"
    object_type = "cam kết của hộ gia đình"
    template_name = "mau-nhap-cam-ket.xlsx"
    columns = (
        VILLAGE,
        Column(
            "kind",
            "Loại cam kết",
            "choice",
            False,
            CommitmentKind,
            help="Để trống nghĩa là cam kết không phạm tội, không tham gia tệ nạn ma túy.",
            width=40,
        ),
        Column("as_of", "Tính đến ngày", "date", True, aliases=("Ngày",), help="Dạng dd/mm/yyyy.", width=14),
        Column("households", "Tổng số hộ", "number", True, help="Số nguyên.", width=12),
        Column("signed", "Số hộ đã ký", "number", True, help="Không lớn hơn tổng số hộ.", width=12),
        NOTE,
    )
    instructions = [
        "Mỗi dòng là số liệu cam kết của một thôn, bản tính đến một ngày.",
        "Mỗi thôn, bản chỉ có một số liệu cho mỗi loại cam kết và ngày.",
    ]
    preview_headers = ["Thôn, bản", "Loại cam kết", "Tính đến ngày", "Số hộ đã ký / tổng số hộ"]

    def build(self, row: Row) -> list[tuple[models.Model, dict[str, str]]]:
        own = {c.key: row.values[c.key] for c in self.columns if row.values[c.key] is not None}
        return [(HouseholdCommitment(**own), {c.key: c.key for c in self.columns})]

    def preview(self, row: Row) -> list[Any]:
        values = row.values
        return [
            str(values["village"] or ""),
            CommitmentKind(values["kind"] or CommitmentKind.DRUG_FREE).label,
            values["as_of"],
            f"{values['signed']}/{values['households']}",
        ]
