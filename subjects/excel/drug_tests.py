"""Import of drug test results of persons already on the register."""

from __future__ import annotations

from typing import Any

from ..models import DrugTest, TestMethod, TestReason, TestResult
from .columns import NOTE, PERSON_KEY, Column
from .registers import PersonRecordImport, Row
from .results import ImportKind


class DrugTestImport(PersonRecordImport):
    kind = ImportKind.TESTS
    model = DrugTest
    noun = "kết quả xét nghiệm"
    object_type = "xét nghiệm chất ma túy"
    template_name = "mau-nhap-xet-nghiem.xlsx"
    columns = (
        *PERSON_KEY,
        Column("tested_on", "Ngày xét nghiệm", "date", True, help="Dạng dd/mm/yyyy.", width=15),
        Column("result", "Kết quả", "choice", True, TestResult, help="Dương tính hoặc Âm tính.", width=12),
        Column("substance", "Chất ma túy", "text", help="Ví dụ: Heroin, Methamphetamine (MET).", width=20),
        Column(
            "method", "Phương pháp", "choice", False, TestMethod, help="Để trống nghĩa là que thử.", width=28
        ),
        Column("reason", "Lý do", "choice", False, TestReason, help="Để trống nghĩa là định kỳ.", width=20),
        NOTE,
    )
    instructions = [
        "Mỗi dòng là một lần xét nghiệm chất ma túy của một đối tượng đã có trong sổ theo dõi.",
        "Đối tượng được xác định bằng số CCCD, hoặc bằng đủ họ tên, ngày sinh và thôn, bản.",
        "Các cột có dấu * là bắt buộc. Ngày ghi dạng dd/mm/yyyy hoặc nhập ngày của Excel.",
        "Một đối tượng chỉ có một kết quả cho mỗi ngày và phương pháp xét nghiệm "
        "(que thử và xét nghiệm khẳng định tại phòng thí nghiệm có thể cùng ngày).",
    ]
    preview_headers = [
        "Đối tượng",
        "Số CCCD",
        "Ngày xét nghiệm",
        "Kết quả",
        "Chất ma túy",
        "Phương pháp",
        "Lý do",
    ]

    def preview(self, row: Row) -> list[Any]:
        values = row.values
        return [
            *self.person_cells(row),
            values["tested_on"],
            TestResult(values["result"]).label if values["result"] else "",
            values["substance"] or "",
            TestMethod(values["method"] or TestMethod.KIT).label,
            TestReason(values["reason"] or TestReason.PERIODIC).label,
        ]
