"""Excel's own quirks, and only those: what a cell holds turned into the value a form would
post. Dates may be date cells, serial numbers that lost their format or typed text; a CCCD typed
as a number loses its leading zeros; choices and villages are picked by their labels. Whether the
value is valid (a date not in the future, 12 ASCII digits, …) is decided by the model."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.db import models
from openpyxl.utils.datetime import from_excel

from areas.models import Area, Level

from ..text import clean_cccd, normalise_name
from .columns import Column
from .results import Problem

_DATE_FORMATS = ("%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d")
_YES = {"co", "x", "dung", "yes", "1", "true"}
_NO = {"khong", "sai", "no", "0", "false"}


class Invalid(Exception):
    pass


def as_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, dt.datetime | dt.date):
        return f"{value:%d/%m/%Y}"
    return str(value).strip()


def parse_date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool) and 3000 <= value < 2958466:
        # A date cell that lost its date format shows as its serial number (3000 is 1908);
        # a bare year such as 1990 is not a date and must not become one in 1905.
        return from_excel(value).date()
    text = as_text(value)
    for fmt in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise Invalid(f"“{text}” không phải là ngày (ghi theo dạng dd/mm/yyyy).")


def parse_cccd(value: Any) -> str:
    text = clean_cccd(as_text(value)).replace(".", "")
    if isinstance(value, int | float) and text.isdigit() and len(text) < 12:
        raise Invalid(
            "Số CCCD phải gồm đúng 12 chữ số (ô đang định dạng Số nên mất số 0 ở đầu: "
            "hãy định dạng ô là Văn bản rồi nhập lại)."
        )
    return text


def parse_number(value: Any) -> int:
    if isinstance(value, bool):
        raise Invalid("Ghi một số nguyên.")
    if isinstance(value, int | float) and float(value).is_integer():
        return int(value)
    text = as_text(value).replace(".", "").replace(" ", "")
    if text.lstrip("-").isdigit():
        return int(text)
    raise Invalid(f"“{as_text(value)}” không phải là số nguyên.")


def parse_yes_no(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    key = normalise_name(as_text(value))
    if key in _YES:
        return True
    if key in _NO:
        return False
    raise Invalid(f"“{as_text(value)}”: ghi “Có” hoặc “Không” (để trống nếu chưa rõ).")


def choice_reader(choices: type[models.TextChoices]) -> Callable[[Any], str]:
    known = {}
    for value, label in choices.choices:
        known[normalise_name(str(label))] = value
        known[normalise_name(value)] = value
    listed = "; ".join(f"“{label}”" for label in choices.labels)

    def read(raw: Any) -> str:
        text = as_text(raw)
        try:
            return known[normalise_name(text)]
        except KeyError:
            raise Invalid(f"“{text}” không phải là lựa chọn hợp lệ; chọn một trong: {listed}.") from None

    return read


class Villages:
    """The open villages the user may write to, found by name without accents, with or without
    the type word ("Bản Tả Lèng" or "Tả Lèng")."""

    def __init__(self, user: Any, today: dt.date) -> None:
        self.user = user
        self.areas = list(
            Area.objects.visible_to(user).filter(level=Level.VILLAGE).open_on(today).order_by("name")
        )
        self.by_key: dict[str, Area | None] = {}
        for area in self.areas:
            for key in self._keys(area):
                # Two villages answering to the same name cannot be told apart from a cell.
                self.by_key[key] = None if key in self.by_key and self.by_key[key] != area else area
        commune = getattr(user, "area", None)
        self.scope = str(commune) if commune else "địa bàn của đồng chí"

    @staticmethod
    def _keys(area: Area) -> set[str]:
        full = normalise_name(area.name)
        keys = {full}
        kind = normalise_name(area.kind)
        if kind and full.startswith(kind + " "):
            keys.add(full[len(kind) + 1 :])
        return keys

    def read(self, raw: Any) -> Area:
        text = as_text(raw)
        key = normalise_name(text)
        if key not in self.by_key:
            raise Invalid(f"Không có thôn, bản “{text}” trong địa bàn quản lý ({self.scope}).")
        area = self.by_key[key]
        if area is None:
            raise Invalid(f"Có nhiều thôn, bản tên “{text}”: ghi đầy đủ tên kèm loại (ví dụ “Bản …”).")
        return area


MEMO_KINDS = {"date", "choice", "village", "yesno"}


class RowReader:
    """Reads the cells of one row into the values a form would post, a problem per bad cell.
    A required column left empty is a problem here (the template marks it *)."""

    def __init__(self, columns: tuple[Column, ...], user: Any, today: dt.date) -> None:
        self.columns = columns
        self.villages = Villages(user, today)
        self.readers: dict[str, Callable[[Any], Any]] = {}
        for column in columns:
            if column.choices:
                self.readers[column.key] = choice_reader(column.choices)
            else:
                self.readers[column.key] = {
                    "date": parse_date,
                    "cccd": parse_cccd,
                    "village": self.villages.read,
                    "number": parse_number,
                    "yesno": parse_yes_no,
                    "text": as_text,
                }[column.kind]
        # Dates, choices and villages repeat down a column: each distinct cell is read once.
        self.memo: dict[tuple[str, Any], Any] = {}

    def read(
        self, number: int, raw: dict[str, Any], problems: list[Problem]
    ) -> tuple[dict[str, Any], set[str]]:
        clean: dict[str, Any] = {}
        invalid: set[str] = set()
        for column in self.columns:
            key = column.key
            value = raw.get(key)
            if value in (None, ""):
                if column.required:
                    problems.append(Problem(number, column.header, "Thiếu giá trị bắt buộc."))
                    invalid.add(key)
                clean[key] = None
                continue
            memo_key = (key, value)
            result = self.memo.get(memo_key) if column.kind in MEMO_KINDS else None
            if result is None:
                try:
                    result = self.readers[key](value)
                except Invalid as exc:
                    result = exc
                if column.kind in MEMO_KINDS:
                    self.memo[memo_key] = result
            if isinstance(result, Invalid):
                problems.append(Problem(number, column.header, str(result)))
                clean[key] = None
                invalid.add(key)
            else:
                clean[key] = result
        return clean, invalid
