"""Excel (.xlsx) export of any register list: a queryset streamed into a write-only workbook
(constant memory and queries, whatever the number of rows)."""

from __future__ import annotations

import datetime as dt
import decimal
import io
from collections.abc import Iterable
from typing import Any

from django.db import models
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.utils import get_column_letter

from .cells import guard_cell
from .columns import DATE_FORMAT, DATETIME_FORMAT, HEADER_ALIGNMENT, HEADER_FILL, HEADER_FONT, TEXT_FORMAT

# Fields that are storage, not data a user keeps: never exported by default.
NOT_EXPORTED = {"id", "is_demo", "name_search", "created_at", "updated_at"}
# Identity numbers are text: a number format would drop leading zeros and show 1.2E+11.
TEXT_FIELDS = {"cccd"}
EXPORT_BATCH = 2000


def _header(field: models.Field) -> str:
    name = str(field.verbose_name)
    return name[:1].upper() + name[1:]


def _default_fields(model: type[models.Model]) -> list[str]:
    return [
        field.name
        for field in model._meta.concrete_fields
        if field.name not in NOT_EXPORTED and (field.editable or field.name == "id")
    ]


def _column_width(field: models.Field) -> float:
    if field.name in TEXT_FIELDS:
        return 16
    if isinstance(field, models.DateTimeField):
        return 18
    if isinstance(field, models.DateField):
        return 13
    if isinstance(field, models.BooleanField):
        return 10
    if isinstance(field, models.ForeignKey):
        return 26
    if field.choices:
        return max(14, min(40, max(len(str(label)) for _, label in field.flatchoices) + 2))
    if isinstance(field, models.TextField):
        return 40
    if isinstance(field, models.CharField):
        return max(12, min(40, field.max_length or 20))
    return 14


class _Column:
    """How one model field becomes one Excel cell."""

    def __init__(self, field: models.Field) -> None:
        self.field = field
        self.attname = field.name
        self.labels = {value: str(label) for value, label in field.flatchoices} if field.choices else None
        self.is_text = field.name in TEXT_FIELDS

    def cell(self, sheet: Any, obj: models.Model) -> WriteOnlyCell:
        value = getattr(obj, self.attname)
        number_format = None
        if value is None:
            value = ""
        elif self.labels is not None:
            value = self.labels.get(value, value)
        elif isinstance(value, models.Model):
            value = str(value)
        elif isinstance(value, bool):
            value = "Có" if value else "Không"
        elif isinstance(value, dt.datetime):
            # Excel has no time zones: write the local wall time the user knows.
            value = timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
            number_format = DATETIME_FORMAT
        elif isinstance(value, dt.date):
            number_format = DATE_FORMAT
        elif isinstance(value, decimal.Decimal):
            value = float(value)
        elif self.is_text:
            value = str(value)
        cell = guard_cell(WriteOnlyCell(sheet, value=value))
        if number_format:
            cell.number_format = number_format
        elif self.is_text:
            cell.number_format = TEXT_FORMAT
        return cell


def export_xlsx(
    *, model: type[models.Model], queryset: models.QuerySet, fields: list[str] | None = None
) -> bytes:
    """The rows of `queryset` as an .xlsx: Vietnamese column headers (the verbose names), dates
    as Excel dates shown dd/mm/yyyy, numbers as numbers, choices as their labels, related units
    by name, CCCD as text, text that could start a formula kept as text. Rows are streamed in
    batches, with the related objects joined, so the query count does not grow with the rows."""
    names = fields or _default_fields(model)
    columns = [_Column(model._meta.get_field(name)) for name in names]
    related = [c.field.name for c in columns if isinstance(c.field, models.ForeignKey)]
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=_sheet_title(model))
    for index, column in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = max(
            _column_width(column.field), min(40, len(_header(column.field)) + 2)
        )
    sheet.freeze_panes = "A2"
    header = []
    for column in columns:
        cell = WriteOnlyCell(sheet, value=_header(column.field))
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        cell.alignment = HEADER_ALIGNMENT
        header.append(cell)
    sheet.append(header)
    rows: Iterable[models.Model] = (queryset.select_related(*related) if related else queryset).iterator(
        chunk_size=EXPORT_BATCH
    )
    for obj in rows:
        sheet.append([column.cell(sheet, obj) for column in columns])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _sheet_title(model: type[models.Model]) -> str:
    # Excel refuses sheet titles over 31 characters and a few punctuation marks.
    title = str(model._meta.verbose_name_plural)
    for char in "[]:*?/\\":
        title = title.replace(char, " ")
    return (title[:1].upper() + title[1:])[:31]
