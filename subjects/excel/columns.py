"""The columns an import understands, shared by reading, the registers and the template."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.db import models
from openpyxl.styles import Alignment, Font, PatternFill

from ..text import normalise_name

DATE_FORMAT = "DD/MM/YYYY"
DATETIME_FORMAT = "DD/MM/YYYY HH:MM"
TEXT_FORMAT = "@"
HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DDE7F3")
HEADER_ALIGNMENT = Alignment(wrap_text=True, vertical="center")
_PARENTHESES = re.compile(r"\(.*?\)")


@dataclass(frozen=True)
class Column:
    """One column an import understands: its header in the template, the other headers it is
    recognised by (compared without accents), how its cells are read (`kind`: text, date,
    choice, cccd, village, number, yesno) and the model field it fills (`field`, default `key`).
    Whether a value is valid is the model's business (`full_clean`); a column only turns what
    Excel holds into the value a form would post."""

    key: str
    header: str
    kind: str
    required: bool = False
    choices: type[models.TextChoices] | None = None
    aliases: tuple[str, ...] = ()
    help: str = ""
    width: int = 18
    field: str = ""

    @property
    def names(self) -> set[str]:
        return {header_key(self.header), *(header_key(a) for a in self.aliases)}

    @property
    def model_field(self) -> str:
        return self.field or self.key


def header_key(text: Any) -> str:
    """A header compared without accents, case, a trailing "*" or a note in parentheses."""
    text = _PARENTHESES.sub("", str(text or "")).replace("*", "").replace("/", ",")
    return normalise_name(text).rstrip(" :,.")


NAME = Column(
    "full_name",
    "Họ và tên",
    "text",
    True,
    aliases=("Họ tên",),
    help="Họ và tên đầy đủ, có dấu.",
    width=26,
)
BIRTH = Column(
    "birth_date",
    "Ngày sinh",
    "date",
    True,
    aliases=("Ngày, tháng, năm sinh", "Ngày tháng năm sinh"),
    help="Ngày dạng dd/mm/yyyy, ví dụ 04/03/1990.",
    width=13,
)
CCCD = Column(
    "cccd",
    "Số CCCD",
    "cccd",
    aliases=("CCCD", "Số căn cước công dân", "Số căn cước"),
    help="12 chữ số; để trống nếu không có. Ô đã định dạng Văn bản để giữ số 0 ở đầu.",
    width=16,
)
VILLAGE = Column(
    "village",
    "Thôn, bản",
    "village",
    True,
    aliases=("Thôn, bản nơi cư trú", "Thôn", "Bản", "Thôn/bản"),
    help="Tên thôn, bản thuộc xã (chọn trong danh sách, xem trang “Danh mục”).",
    width=24,
)
NOTE = Column("note", "Ghi chú", "text", help="Không bắt buộc.", width=30)

# A person's record names its person by CCCD, or by name, birth date and village.
PERSON_KEY: tuple[Column, ...] = (
    Column("full_name", "Họ và tên", "text", aliases=("Họ tên", "Đối tượng"), help=NAME.help, width=26),
    Column("birth_date", "Ngày sinh", "date", aliases=BIRTH.aliases, help=BIRTH.help, width=13),
    CCCD,
    Column("village", "Thôn, bản", "village", aliases=VILLAGE.aliases, help=VILLAGE.help, width=24),
)
