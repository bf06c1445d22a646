"""Import of treatment episodes (rehabilitation, substitution therapy) of registered persons."""

from __future__ import annotations

from typing import Any

from ..models import Medication, Treatment, TreatmentKind
from .columns import NOTE, PERSON_KEY, Column
from .registers import PersonRecordImport, Row
from .results import ImportKind

_YES_NO = "Có hoặc Không; để trống nếu chưa rõ."


class TreatmentImport(PersonRecordImport):
    kind = ImportKind.TREATMENTS
    model = Treatment
    noun = "lượt cai nghiện, điều trị"
    object_type = "cai nghiện / điều trị"
    template_name = "mau-nhap-cai-nghien-dieu-tri.xlsx"
    columns = (
        *PERSON_KEY,
        Column("kind", "Hình thức", "choice", True, TreatmentKind, help="Chọn trong danh sách.", width=40),
        Column(
            "medication",
            "Thuốc thay thế",
            "choice",
            False,
            Medication,
            help="Chỉ ghi với điều trị thay thế (Methadone hoặc Buprenorphine).",
            width=16,
        ),
        Column("start_date", "Ngày bắt đầu", "date", True, help="Dạng dd/mm/yyyy.", width=14),
        Column("end_date", "Ngày kết thúc", "date", help="Để trống nếu đang điều trị.", width=14),
        Column("facility", "Cơ sở điều trị", "text", aliases=("Cơ sở",), help="Không bắt buộc.", width=28),
        Column("complies_with_rules", "Chấp hành tốt nội quy", "yesno", help=_YES_NO, width=14),
        Column("uses_other_drugs", "Sử dụng chất ma túy khác", "yesno", help=_YES_NO, width=14),
        NOTE,
    )
    instructions = [
        "Mỗi dòng là một lượt cai nghiện hoặc điều trị của một đối tượng đã có trong sổ theo dõi.",
        "Đối tượng được xác định bằng số CCCD, hoặc bằng đủ họ tên, ngày sinh và thôn, bản.",
        "Điều trị thay thế phải ghi thuốc; các hình thức khác không ghi thuốc.",
    ]
    preview_headers = ["Đối tượng", "Số CCCD", "Hình thức", "Từ ngày", "Đến ngày", "Cơ sở"]

    def preview(self, row: Row) -> list[Any]:
        values = row.values
        return [
            *self.person_cells(row),
            TreatmentKind(values["kind"]).label if values["kind"] else "",
            values["start_date"],
            values["end_date"],
            values["facility"] or "",
        ]
