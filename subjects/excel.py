"""Excel (.xlsx) export of any register list, and import of persons and drug tests.

Commune police keep their lists in Excel today. Export streams a queryset into a write-only
workbook (constant memory and queries, whatever the number of rows). Import is two steps:
`check_import` reads and validates the whole file without writing anything, and lists every
problem by row and column; `apply_import` writes all the rows in one transaction, or none.
"""

from __future__ import annotations

import datetime as dt
import decimal
import io
import re
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import IO, Any
from xml.etree import ElementTree

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, models, transaction
from django.http import HttpRequest
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format
from openpyxl.utils import column_index_from_string, get_column_letter
from openpyxl.utils.datetime import CALENDAR_MAC_1904, CALENDAR_WINDOWS_1900, from_excel
from openpyxl.worksheet.datavalidation import DataValidation
from simple_history.utils import bulk_create_with_history

from areas.models import Area, Level
from areas.permissions import can_edit_registers

from .access import log_access
from .models import (
    AccessAction,
    AccessLog,
    DrugTest,
    Person,
    PersonStatus,
    Presence,
    ResidenceType,
    Sex,
    StatusKind,
    TestMethod,
    TestReason,
    TestResult,
)
from .text import mask_cccd, normalise_name, tidy_name

DATE_FORMAT = "DD/MM/YYYY"
DATETIME_FORMAT = "DD/MM/YYYY HH:MM"
TEXT_FORMAT = "@"
HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DDE7F3")
HEADER_ALIGNMENT = Alignment(wrap_text=True, vertical="center")
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
        cell = WriteOnlyCell(sheet, value=value)
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
    by name, CCCD as text. Rows are streamed in batches, with the related objects joined, so the
    query count does not grow with the number of rows."""
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


# ---------------------------------------------------------------- import: what a file may hold

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_ROWS = 20_000
HEADER_SEARCH_ROWS = 10
TEMPLATE_ROWS = 2000
IMPORT_BATCH = 1000
LOOKUP_CHUNK = 2000
IMPORT_REASON = "Nhập từ tệp Excel"
_CCCD = re.compile(r"^\d{12}$")
_DATE_FORMATS = ("%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d")
_PARENTHESES = re.compile(r"\(.*?\)")


class ImportKind(models.TextChoices):
    PERSONS = "persons", "Danh sách đối tượng"
    TESTS = "tests", "Kết quả xét nghiệm chất ma túy"


@dataclass(frozen=True)
class Column:
    """One column an import understands: its header in the template, the other headers it is
    recognised by (compared without accents), and how its cells are read."""

    key: str
    header: str
    kind: str  # text, date, choice, cccd, village
    required: bool = False
    choices: type[models.TextChoices] | None = None
    aliases: tuple[str, ...] = ()
    help: str = ""
    width: int = 18
    max_length: int = 255

    @property
    def names(self) -> set[str]:
        return {_header_key(self.header), *(_header_key(a) for a in self.aliases)}


_NAME = Column(
    "full_name",
    "Họ và tên",
    "text",
    True,
    aliases=("Họ tên",),
    help="Họ và tên đầy đủ, có dấu.",
    width=26,
    max_length=150,
)
_BIRTH = Column(
    "birth_date",
    "Ngày sinh",
    "date",
    True,
    aliases=("Ngày, tháng, năm sinh", "Ngày tháng năm sinh"),
    help="Ngày dạng dd/mm/yyyy, ví dụ 04/03/1990.",
    width=13,
)
_CCCD_COLUMN = Column(
    "cccd",
    "Số CCCD",
    "cccd",
    aliases=("CCCD", "Số căn cước công dân", "Số căn cước"),
    help="12 chữ số; để trống nếu không có. Ô đã định dạng Văn bản để giữ số 0 ở đầu.",
    width=16,
)
_VILLAGE = Column(
    "village",
    "Thôn, bản",
    "village",
    True,
    aliases=("Thôn, bản nơi cư trú", "Thôn", "Bản", "Thôn/bản"),
    help="Tên thôn, bản thuộc xã (chọn trong danh sách, xem trang “Danh mục”).",
    width=24,
)
_NOTE = Column("note", "Ghi chú", "text", help="Không bắt buộc.", width=30, max_length=2000)

PERSON_COLUMNS: tuple[Column, ...] = (
    _NAME,
    _BIRTH,
    Column("sex", "Giới tính", "choice", True, Sex, help="Nam hoặc Nữ.", width=10),
    _CCCD_COLUMN,
    _VILLAGE,
    Column("address", "Địa chỉ", "text", help="Không bắt buộc.", width=26),
    Column(
        "residence_type",
        "Loại cư trú",
        "choice",
        True,
        ResidenceType,
        help="Thường trú hoặc Tạm trú.",
        width=13,
    ),
    Column(
        "resident_since",
        "Cư trú từ ngày",
        "date",
        True,
        help="Ngày bắt đầu thường trú / tạm trú tại địa bàn, dạng dd/mm/yyyy.",
        width=14,
    ),
    Column(
        "presence",
        "Tình trạng có mặt",
        "choice",
        False,
        Presence,
        help="Để trống nghĩa là “Có mặt tại địa phương”.",
        width=26,
    ),
    Column(
        "status",
        "Diện quản lý",
        "choice",
        False,
        StatusKind,
        aliases=("Diện",),
        help="Không bắt buộc: diện hiện tại của đối tượng (ví dụ “Người nghiện ma túy”).",
        width=32,
    ),
    Column(
        "status_start",
        "Diện từ ngày",
        "date",
        aliases=("Ngày xác định",),
        help="Bắt buộc khi có diện quản lý; với người nghiện là ngày xác định tình trạng nghiện.",
        width=14,
    ),
    Column(
        "status_end",
        "Diện đến ngày",
        "date",
        help="Không bắt buộc; không được trước “Diện từ ngày”.",
        width=14,
    ),
    _NOTE,
)

TEST_COLUMNS: tuple[Column, ...] = (
    Column(
        "full_name",
        "Họ và tên",
        "text",
        aliases=("Họ tên", "Đối tượng"),
        help=_NAME.help,
        width=26,
        max_length=150,
    ),
    Column("birth_date", "Ngày sinh", "date", aliases=_BIRTH.aliases, help=_BIRTH.help, width=13),
    _CCCD_COLUMN,
    Column("village", "Thôn, bản", "village", aliases=_VILLAGE.aliases, help=_VILLAGE.help, width=24),
    Column("tested_on", "Ngày xét nghiệm", "date", True, help="Dạng dd/mm/yyyy.", width=15),
    Column("result", "Kết quả", "choice", True, TestResult, help="Dương tính hoặc Âm tính.", width=12),
    Column(
        "substance",
        "Chất ma túy",
        "text",
        help="Ví dụ: Heroin, Methamphetamine (MET).",
        width=20,
        max_length=100,
    ),
    Column("method", "Phương pháp", "choice", False, TestMethod, help="Để trống nghĩa là que thử.", width=28),
    Column("reason", "Lý do", "choice", False, TestReason, help="Để trống nghĩa là định kỳ.", width=20),
    _NOTE,
)

COLUMNS: dict[str, tuple[Column, ...]] = {ImportKind.PERSONS: PERSON_COLUMNS, ImportKind.TESTS: TEST_COLUMNS}

INSTRUCTIONS: dict[str, list[str]] = {
    ImportKind.PERSONS: [
        "Mỗi dòng là một đối tượng mới đưa vào sổ theo dõi của xã.",
        "Các cột có dấu * là bắt buộc. Ngày ghi dạng dd/mm/yyyy (ví dụ 04/03/1990) hoặc nhập ngày của Excel.",
        "Không nhập người đã có trong sổ (cùng số CCCD, hoặc cùng họ tên, ngày sinh và thôn, bản): "
        "hệ thống sẽ báo lỗi chứ không tạo trùng.",
        "Có thể ghi diện hiện tại (ví dụ “Người nghiện ma túy”) và ngày xác định ở cột “Diện từ ngày”.",
    ],
    ImportKind.TESTS: [
        "Mỗi dòng là một lần xét nghiệm chất ma túy của một đối tượng đã có trong sổ theo dõi.",
        "Đối tượng được xác định bằng số CCCD, hoặc bằng đủ họ tên, ngày sinh và thôn, bản.",
        "Các cột có dấu * là bắt buộc. Ngày ghi dạng dd/mm/yyyy hoặc nhập ngày của Excel.",
        "Một đối tượng chỉ ghi một kết quả cho mỗi ngày xét nghiệm.",
    ],
}
COMMON_INSTRUCTIONS = [
    "Nhập dữ liệu từ dòng 2 của trang đầu tiên; không đổi tên, không xóa dòng tiêu đề.",
    "Khi tải tệp lên, hệ thống kiểm tra toàn bộ tệp trước và liệt kê mọi lỗi theo dòng và cột; "
    "chỉ khi không còn lỗi nào mới được xác nhận nhập, và hoặc nhập tất cả các dòng, hoặc không nhập dòng nào.",
    f"Tệp .xlsx, tối đa 5 MB và {MAX_ROWS:,} dòng.".replace(",", "."),
]


def _header_key(text: Any) -> str:
    """A header compared without accents, case, a trailing "*" or a note in parentheses."""
    text = _PARENTHESES.sub("", str(text or "")).replace("*", "").replace("/", ",")
    return normalise_name(text).rstrip(" :,.")


# ---------------------------------------------------------------- import: results of a check


class ImportFileError(Exception):
    """The file cannot be read as an import at all (not .xlsx, too large, no header, empty)."""


@dataclass(frozen=True)
class Problem:
    row: int | None
    column: str
    message: str


@dataclass
class ImportCheck:
    """The outcome of reading and validating a whole file; nothing has been written."""

    kind: str
    user_id: int
    raw_rows: list[tuple[int, dict[str, Any]]]
    rows: list[dict[str, Any]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    # The clean values behind `rows` (villages and persons resolved), what `apply_import` writes.
    parsed: list[dict[str, Any]] = field(default_factory=list, repr=False)

    @property
    def ok(self) -> bool:
        return bool(self.rows) and not self.problems

    @property
    def row_count(self) -> int:
        return len(self.raw_rows)

    @property
    def kind_label(self) -> str:
        return ImportKind(self.kind).label

    @property
    def rows_with_problems(self) -> int:
        return len({p.row for p in self.problems if p.row is not None})


class ImportRejected(Exception):
    """The register changed between the check and the write; nothing was written."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(p.message for p in problems[:3]))
        self.problems = problems


@dataclass(frozen=True)
class ImportResult:
    kind: str
    created: int
    statuses: int = 0

    @property
    def kind_label(self) -> str:
        return ImportKind(self.kind).label


# ---------------------------------------------------------------- import: reading the file


def _read_rows(kind: str, file: IO[bytes] | Any) -> list[tuple[int, dict[str, Any]]]:
    size = getattr(file, "size", None)
    if size is not None and size > MAX_UPLOAD_BYTES:
        raise ImportFileError("Tệp quá lớn: tối đa 5 MB.")
    columns = COLUMNS[kind]
    try:
        workbook = _XlsxSheets(file)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, ElementTree.ParseError) as exc:
        raise ImportFileError("Không đọc được tệp: chỉ nhận tệp Excel .xlsx (Excel 2007 trở lên).") from exc
    try:
        for sheet in workbook.sheets:
            found = _read_sheet(workbook.rows(sheet), columns)
            if found is not None:
                return found
    except (KeyError, ValueError, IndexError, ElementTree.ParseError) as exc:
        raise ImportFileError(
            "Tệp Excel bị hỏng hoặc có ô không đọc được; hãy mở và lưu lại bằng Excel."
        ) from exc
    finally:
        workbook.close()
    required = ", ".join(f"“{c.header}”" for c in columns if c.required)
    raise ImportFileError(
        f"Không nhận ra dòng tiêu đề của {ImportKind(kind).label.lower()}: tệp cần có các cột {required}. "
        "Hãy tải tệp mẫu và nhập dữ liệu vào đó."
    )


def _read_sheet(
    rows: Iterator[tuple[int, list[Any]]], columns: tuple[Column, ...]
) -> list[tuple[int, dict[str, Any]]] | None:
    by_name = {name: column for column in columns for name in column.names}
    positions: dict[int, Column] = {}
    for _index, (_number, values) in zip(range(HEADER_SEARCH_ROWS), rows, strict=False):
        positions = {i: by_name[_header_key(v)] for i, v in enumerate(values) if _header_key(v) in by_name}
        # A header row names at least two of the columns this import knows.
        if len({c.key for c in positions.values()}) >= 2:
            break
    else:
        return None
    missing = [c.header for c in columns if c.required and c not in positions.values()]
    if missing:
        raise ImportFileError(
            "Dòng tiêu đề thiếu cột bắt buộc: " + ", ".join(f"“{m}”" for m in missing) + "."
        )
    found: list[tuple[int, dict[str, Any]]] = []
    for number, values in rows:
        record = {}
        for i, column in positions.items():
            value = values[i] if i < len(values) else None
            if isinstance(value, str):
                value = value.strip()
            if value not in (None, "") and column.key not in record:
                record[column.key] = value
        if not record:
            continue
        found.append((number, record))
        if len(found) > MAX_ROWS:
            raise ImportFileError(
                f"Tệp có quá nhiều dòng: tối đa {MAX_ROWS:,} dòng mỗi lần nhập.".replace(",", ".")
            )
    if not found:
        raise ImportFileError("Tệp không có dòng dữ liệu nào dưới dòng tiêu đề.")
    return found


# ---------------------------------------------------------------- import: reading .xlsx cells

_MAIN_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PKG_REL_NS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_CELL_REF = re.compile(r"^([A-Z]+)(\d+)$")


class _XlsxSheets:
    """The cell values of an .xlsx, sheet by sheet, row by row, read straight from its XML.

    openpyxl builds a Python object per cell and per string (about 1 s per 10,000 rows on a
    quiet machine); an import needs only values: text, numbers, booleans, and dates, which a
    cell style marks. Shared strings, inline strings, formulas' cached values, the 1904 date
    system and cells without a reference are handled; everything else is not an import."""

    def __init__(self, file: IO[bytes] | Any) -> None:
        self.archive = zipfile.ZipFile(file)
        names = set(self.archive.namelist())
        workbook = ElementTree.fromstring(self.archive.read("xl/workbook.xml"))
        properties = workbook.find(f"{_MAIN_NS}workbookPr")
        date1904 = properties is not None and properties.get("date1904") in ("1", "true")
        self.epoch = CALENDAR_MAC_1904 if date1904 else CALENDAR_WINDOWS_1900
        relations = ElementTree.fromstring(self.archive.read("xl/_rels/workbook.xml.rels"))
        targets = {
            rel.get("Id"): _part_path(rel.get("Target", ""))
            for rel in relations.iter(f"{_PKG_REL_NS}Relationship")
        }
        self.sheets = [
            targets[sheet.get(f"{_REL_NS}id")]
            for sheet in workbook.iter(f"{_MAIN_NS}sheet")
            if targets.get(sheet.get(f"{_REL_NS}id")) in names
        ]
        self.strings = self._strings() if "xl/sharedStrings.xml" in names else []
        self.date_styles = self._date_styles() if "xl/styles.xml" in names else set()

    def close(self) -> None:
        self.archive.close()

    def _strings(self) -> list[str]:
        strings = []
        with self.archive.open("xl/sharedStrings.xml") as source:
            for _event, element in ElementTree.iterparse(source):
                if element.tag == f"{_MAIN_NS}si":
                    strings.append(_text_of(element))
                    element.clear()
        return strings

    def _date_styles(self) -> set[int]:
        styles = ElementTree.fromstring(self.archive.read("xl/styles.xml"))
        formats = {int(k): v for k, v in BUILTIN_FORMATS.items()}
        for number_format in styles.iter(f"{_MAIN_NS}numFmt"):
            formats[int(number_format.get("numFmtId", "0"))] = number_format.get("formatCode", "")
        cell_styles = styles.find(f"{_MAIN_NS}cellXfs")
        if cell_styles is None:
            return set()
        return {
            index
            for index, style in enumerate(cell_styles.iter(f"{_MAIN_NS}xf"))
            if is_date_format(formats.get(int(style.get("numFmtId", "0")), ""))
        }

    def rows(self, path: str) -> Iterator[tuple[int, list[Any]]]:
        """(row number, values from column A on) for every row that has cells."""
        cell_tag, row_tag = f"{_MAIN_NS}c", f"{_MAIN_NS}row"
        values: list[Any] = []
        with self.archive.open(path) as source:
            number = 0
            for _event, element in ElementTree.iterparse(source):
                if element.tag == cell_tag:
                    reference = _CELL_REF.match(element.get("r", ""))
                    column = column_index_from_string(reference.group(1)) - 1 if reference else len(values)
                    values.extend([None] * (column - len(values)))
                    values.append(self._value(element))
                elif element.tag == row_tag:
                    number = int(element.get("r") or number + 1)
                    if values:
                        yield number, values
                    values = []
                    element.clear()

    def _value(self, cell: Any) -> Any:
        kind = cell.get("t", "n")
        if kind == "inlineStr":
            inline = cell.find(f"{_MAIN_NS}is")
            return _text_of(inline) if inline is not None else None
        raw = cell.findtext(f"{_MAIN_NS}v")
        if raw is None:
            return None
        if kind == "s":
            return self.strings[int(raw)]
        if kind in ("str", "e"):
            return raw
        if kind == "b":
            return raw in ("1", "true")
        if kind == "d":
            return dt.datetime.fromisoformat(raw)
        number = float(raw)
        if int(cell.get("s", "0")) in self.date_styles:
            return from_excel(number, self.epoch)
        return int(number) if number.is_integer() else number


def _part_path(target: str) -> str:
    return target.lstrip("/") if target.startswith("/") else f"xl/{target}"


def _text_of(element: Any) -> str:
    # Rich text keeps its runs' text in <r><t>; phonetic guides (<rPh>) are not the cell's text.
    parts = []
    for child in element:
        if child.tag == f"{_MAIN_NS}t":
            parts.append(child.text or "")
        elif child.tag == f"{_MAIN_NS}r":
            parts.append(child.findtext(f"{_MAIN_NS}t") or "")
    return "".join(parts)


# ---------------------------------------------------------------- import: reading one value


class _Invalid(Exception):
    pass


def _as_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, dt.datetime | dt.date):
        return f"{value:%d/%m/%Y}"
    return str(value).strip()


def _parse_date(value: Any, today: dt.date) -> dt.date:
    if isinstance(value, dt.datetime):
        day = value.date()
    elif isinstance(value, dt.date):
        day = value
    elif isinstance(value, int | float) and not isinstance(value, bool) and 3000 <= value < 2958466:
        # A date cell that lost its date format shows as its serial number (3000 is 1908);
        # a bare year such as 1990 is not a date and must not become one in 1905.
        day = from_excel(value).date()
    else:
        text = _as_text(value)
        for fmt in _DATE_FORMATS:
            try:
                day = dt.datetime.strptime(text, fmt).date()
                break
            except ValueError:
                continue
        else:
            raise _Invalid(f"“{text}” không phải là ngày (ghi theo dạng dd/mm/yyyy).")
    if day.year < 1900:
        raise _Invalid(f"Ngày {day:%d/%m/%Y} không hợp lệ.")
    if day > today:
        raise _Invalid(f"Ngày {day:%d/%m/%Y} ở tương lai: không được sau ngày hôm nay.")
    return day


def _parse_cccd(value: Any) -> str:
    text = _as_text(value).replace(" ", "").replace(".", "")
    if _CCCD.match(text):
        return text
    if isinstance(value, int | float) and text.isdigit() and len(text) < 12:
        raise _Invalid(
            "Số CCCD phải gồm đúng 12 chữ số (ô đang định dạng Số nên mất số 0 ở đầu: "
            "hãy định dạng ô là Văn bản rồi nhập lại)."
        )
    raise _Invalid("Số CCCD phải gồm đúng 12 chữ số.")


def _choice_reader(choices: type[models.TextChoices]) -> Callable[[Any], str]:
    known = {}
    for value, label in choices.choices:
        known[normalise_name(str(label))] = value
        known[normalise_name(value)] = value
    listed = "; ".join(f"“{label}”" for label in choices.labels)

    def read(raw: Any) -> str:
        text = _as_text(raw)
        try:
            return known[normalise_name(text)]
        except KeyError:
            raise _Invalid(f"“{text}” không phải là lựa chọn hợp lệ; chọn một trong: {listed}.") from None

    return read


class _Villages:
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
        text = _as_text(raw)
        key = normalise_name(text)
        if key not in self.by_key:
            raise _Invalid(f"Không có thôn, bản “{text}” trong địa bàn quản lý ({self.scope}).")
        area = self.by_key[key]
        if area is None:
            raise _Invalid(f"Có nhiều thôn, bản tên “{text}”: ghi đầy đủ tên kèm loại (ví dụ “Bản …”).")
        return area


MEMO_KINDS = {"date", "choice", "village"}


class _RowReader:
    """Reads the cells of one row into clean values, collecting a problem per bad cell."""

    def __init__(self, kind: str, user: Any) -> None:
        self.today = timezone.localdate()
        self.columns = {c.key: c for c in COLUMNS[kind]}
        self.villages = _Villages(user, self.today)
        self.choice_readers = {c.key: _choice_reader(c.choices) for c in COLUMNS[kind] if c.choices}
        # Dates, choices and villages repeat down a column: each distinct cell is read once.
        self.memo: dict[tuple[str, Any], Any] = {}

    def read(self, number: int, raw: dict[str, Any], problems: list[Problem]) -> dict[str, Any]:
        clean: dict[str, Any] = {"row": number}
        for key, column in self.columns.items():
            value = raw.get(key)
            if value in (None, ""):
                if column.required:
                    problems.append(Problem(number, column.header, "Thiếu giá trị bắt buộc."))
                clean[key] = None
                continue
            memo_key = (key, value)
            result = self.memo.get(memo_key) if column.kind in MEMO_KINDS else None
            if result is None:
                try:
                    result = self._value(column, value)
                except _Invalid as exc:
                    result = exc
                if column.kind in MEMO_KINDS:
                    self.memo[memo_key] = result
            if isinstance(result, _Invalid):
                problems.append(Problem(number, column.header, str(result)))
                clean[key] = None
                clean.setdefault("_invalid", set()).add(key)
            else:
                clean[key] = result
        if clean.get("full_name"):
            clean["name_key"] = normalise_name(clean["full_name"])
        return clean

    def _value(self, column: Column, value: Any) -> Any:
        if column.kind == "date":
            return _parse_date(value, self.today)
        if column.kind == "cccd":
            return _parse_cccd(value)
        if column.kind == "village":
            return self.villages.read(value)
        if column.kind == "choice":
            return self.choice_readers[column.key](value)
        text = _as_text(value)
        if len(text) > column.max_length:
            raise _Invalid(f"Dài quá {column.max_length} ký tự.")
        return tidy_name(text) if column.key == "full_name" else text

    def header(self, key: str) -> str:
        return self.columns[key].header


def _chunks(items: list, size: int = LOOKUP_CHUNK) -> Iterable[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


# ---------------------------------------------------------------- import: persons


def _identity(row: dict[str, Any]) -> tuple[str, dt.date, int] | None:
    if row["full_name"] and row["birth_date"] and row["village"]:
        return (row["name_key"], row["birth_date"], row["village"].pk)
    return None


def _parse_persons(raw_rows: list[tuple[int, dict[str, Any]]], user: Any) -> tuple[list, list[Problem]]:
    """Every cell read, every rule inside a row and inside the file checked."""
    reader = _RowReader(ImportKind.PERSONS, user)
    problems: list[Problem] = []
    rows = [reader.read(number, raw, problems) for number, raw in raw_rows]
    for row in rows:
        number = row["row"]
        birth = row["birth_date"]
        if birth and row["resident_since"] and row["resident_since"] < birth:
            problems.append(
                Problem(number, reader.header("resident_since"), "Ngày cư trú không được trước ngày sinh.")
            )
        invalid = row.get("_invalid", set())
        if row["status"] and not row["status_start"] and "status_start" not in invalid:
            problems.append(
                Problem(number, reader.header("status_start"), "Có diện quản lý thì phải ghi ngày bắt đầu.")
            )
        if not row["status"] and (row["status_start"] or row["status_end"]) and "status" not in invalid:
            problems.append(
                Problem(number, reader.header("status"), "Có ngày của diện quản lý nhưng chưa ghi diện.")
            )
        if birth and row["status_start"] and row["status_start"] < birth:
            problems.append(
                Problem(
                    number, reader.header("status_start"), "Ngày bắt đầu diện không được trước ngày sinh."
                )
            )
        if row["status_start"] and row["status_end"] and row["status_end"] < row["status_start"]:
            problems.append(
                Problem(number, reader.header("status_end"), "Ngày kết thúc không được trước ngày bắt đầu.")
            )

    # Inside the file: a CCCD or a person (name + birth date + village) only once.
    seen_cccd: dict[str, int] = {}
    seen_person: dict[tuple, int] = {}
    for row in rows:
        number = row["row"]
        if row["cccd"]:
            if row["cccd"] in seen_cccd:
                problems.append(
                    Problem(
                        number,
                        reader.header("cccd"),
                        f"Số CCCD trùng với dòng {seen_cccd[row['cccd']]} trong tệp.",
                    )
                )
            else:
                seen_cccd[row["cccd"]] = number
        identity = _identity(row)
        if identity:
            if identity in seen_person:
                problems.append(
                    Problem(
                        number,
                        reader.header("full_name"),
                        f"Trùng với dòng {seen_person[identity]} trong tệp (cùng họ tên, ngày sinh, thôn, bản).",
                    )
                )
            else:
                seen_person[identity] = number
    return rows, problems


def _check_persons(rows: list[dict[str, Any]], user: Any) -> list[Problem]:
    """The rows against the register: CCCD is unique across the whole register, whoever keeps
    the person; a person (name + birth date + village) is on it once."""
    problems: list[Problem] = []
    header = _column_headers(ImportKind.PERSONS)
    seen_cccd = {row["cccd"] for row in rows if row["cccd"]}
    seen_person = {_identity(row) for row in rows} - {None}
    existing_cccd: set[str] = set()
    for chunk in _chunks(sorted(seen_cccd)):
        existing_cccd.update(Person.objects.filter(cccd__in=chunk).values_list("cccd", flat=True))
    existing_people: set[tuple] = set()
    village_ids = sorted({identity[2] for identity in seen_person})
    for chunk in _chunks(sorted({identity[0] for identity in seen_person})):
        existing_people.update(
            Person.objects.filter(village_id__in=village_ids, name_search__in=chunk).values_list(
                "name_search", "birth_date", "village_id"
            )
        )
    for row in rows:
        if row["cccd"] in existing_cccd:
            problems.append(Problem(row["row"], header["cccd"], "Số CCCD này đã có trong sổ theo dõi."))
        if _identity(row) in existing_people:
            problems.append(
                Problem(
                    row["row"],
                    header["full_name"],
                    "Người này đã có trong sổ theo dõi (cùng họ tên, ngày sinh, thôn, bản).",
                )
            )
    return problems


def _person_preview(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "row": row["row"],
        "full_name": row["full_name"],
        "birth_date": row["birth_date"],
        "sex": Sex(row["sex"]).label if row["sex"] else "",
        "cccd": mask_cccd(row["cccd"]),
        "village": str(row["village"] or ""),
        "residence_type": ResidenceType(row["residence_type"]).label if row["residence_type"] else "",
        "resident_since": row["resident_since"],
        "presence": Presence(row["presence"] or Presence.PRESENT).label,
        "status": StatusKind(row["status"]).label if row["status"] else "",
        "status_start": row["status_start"],
    }


def _create_persons(rows: list[dict[str, Any]], user: Any) -> ImportResult:
    persons = [
        Person(
            full_name=row["full_name"],
            name_search=row["name_key"],
            birth_date=row["birth_date"],
            sex=row["sex"],
            cccd=row["cccd"] or None,
            village=row["village"],
            address=row["address"] or "",
            residence_type=row["residence_type"],
            resident_since=row["resident_since"],
            presence=row["presence"] or Presence.PRESENT,
            note=row["note"] or "",
        )
        for row in rows
    ]
    created = bulk_create_with_history(
        persons, Person, batch_size=IMPORT_BATCH, default_user=user, default_change_reason=IMPORT_REASON
    )
    statuses = [
        PersonStatus(
            person=person,
            kind=row["status"],
            start_date=row["status_start"],
            end_date=row["status_end"],
            basis=IMPORT_REASON,
        )
        for person, row in zip(created, rows, strict=True)
        if row["status"]
    ]
    if statuses:
        bulk_create_with_history(
            statuses,
            PersonStatus,
            batch_size=IMPORT_BATCH,
            default_user=user,
            default_change_reason=IMPORT_REASON,
        )
    return ImportResult(ImportKind.PERSONS, len(created), len(statuses))


# ---------------------------------------------------------------- import: drug tests


def _parse_tests(raw_rows: list[tuple[int, dict[str, Any]]], user: Any) -> tuple[list, list[Problem]]:
    reader = _RowReader(ImportKind.TESTS, user)
    problems: list[Problem] = []
    rows = [reader.read(number, raw, problems) for number, raw in raw_rows]
    return rows, problems


def _check_tests(rows: list[dict[str, Any]], user: Any) -> list[Problem]:
    """Each test matched to a person the user may see (by CCCD, or by name + birth date +
    village); one test per person and day, in the file and in the register."""
    problems: list[Problem] = []
    header = _column_headers(ImportKind.TESTS)
    visible = Person.objects.visible_to(user)
    fields = ("pk", "full_name", "name_search", "birth_date", "village_id", "cccd")
    by_cccd: dict[str, tuple] = {}
    for chunk in _chunks(sorted({row["cccd"] for row in rows if row["cccd"]})):
        by_cccd.update((p[5], p) for p in visible.filter(cccd__in=chunk).values_list(*fields))
    identities = {_identity(row) for row in rows if not row["cccd"]} - {None}
    by_identity: dict[tuple, tuple] = {}
    village_ids = sorted({identity[2] for identity in identities})
    for chunk in _chunks(sorted({identity[0] for identity in identities})):
        for p in visible.filter(village_id__in=village_ids, name_search__in=chunk).values_list(*fields):
            by_identity[(p[2], p[3], p[4])] = p

    seen: dict[tuple[int, dt.date], int] = {}
    for row in rows:
        number = row["row"]
        invalid = row.get("_invalid", set())
        person = None
        if row["cccd"]:
            person = by_cccd.get(row["cccd"])
            if person is None:
                problems.append(
                    Problem(
                        number,
                        header["cccd"],
                        "Không tìm thấy đối tượng có số CCCD này trong sổ theo dõi của địa bàn.",
                    )
                )
            elif row["full_name"] and row["name_key"] != person[2]:
                problems.append(
                    Problem(number, header["full_name"], "Họ tên không khớp với đối tượng có số CCCD này.")
                )
        elif _identity(row):
            person = by_identity.get(_identity(row))
            if person is None:
                problems.append(
                    Problem(
                        number,
                        header["full_name"],
                        "Không tìm thấy đối tượng cùng họ tên, ngày sinh, thôn, bản trong sổ theo dõi.",
                    )
                )
        elif not invalid & {"cccd", "full_name", "birth_date", "village"}:
            problems.append(
                Problem(
                    number,
                    header["cccd"],
                    "Cần số CCCD, hoặc đủ họ tên, ngày sinh và thôn, bản để xác định đối tượng.",
                )
            )
        row["person"] = person
        if person and row["tested_on"]:
            if row["tested_on"] < person[3]:
                problems.append(
                    Problem(number, header["tested_on"], "Ngày xét nghiệm không được trước ngày sinh.")
                )
            key = (person[0], row["tested_on"])
            if key in seen:
                problems.append(
                    Problem(
                        number,
                        header["tested_on"],
                        f"Trùng với dòng {seen[key]} trong tệp (cùng đối tượng, ngày xét nghiệm).",
                    )
                )
            else:
                seen[key] = number

    existing: set[tuple[int, dt.date]] = set()
    person_ids = sorted({key[0] for key in seen})
    for chunk in _chunks(person_ids):
        existing.update(
            DrugTest.objects.filter(person_id__in=chunk, tested_on__in={key[1] for key in seen}).values_list(
                "person_id", "tested_on"
            )
        )
    for row in rows:
        if row["person"] and (row["person"][0], row["tested_on"]) in existing:
            problems.append(
                Problem(
                    row["row"],
                    header["tested_on"],
                    "Đối tượng đã có kết quả xét nghiệm ngày này trong sổ theo dõi.",
                )
            )
    return problems


def _test_preview(row: dict[str, Any]) -> dict[str, Any]:
    person = row["person"]
    return {
        "row": row["row"],
        "full_name": person[1] if person else row["full_name"],
        "cccd": mask_cccd(person[5] if person else row["cccd"]),
        "tested_on": row["tested_on"],
        "result": TestResult(row["result"]).label if row["result"] else "",
        "substance": row["substance"] or "",
        "method": TestMethod(row["method"] or TestMethod.KIT).label,
        "reason": TestReason(row["reason"] or TestReason.PERIODIC).label,
    }


def _create_tests(rows: list[dict[str, Any]], user: Any) -> ImportResult:
    tests = [
        DrugTest(
            person_id=row["person"][0],
            tested_on=row["tested_on"],
            result=row["result"],
            substance=row["substance"] or "",
            method=row["method"] or TestMethod.KIT,
            reason=row["reason"] or TestReason.PERIODIC,
            note=row["note"] or "",
        )
        for row in rows
    ]
    created = bulk_create_with_history(
        tests, DrugTest, batch_size=IMPORT_BATCH, default_user=user, default_change_reason=IMPORT_REASON
    )
    return ImportResult(ImportKind.TESTS, len(created))


_PARSERS = {ImportKind.PERSONS: _parse_persons, ImportKind.TESTS: _parse_tests}
_REGISTER_CHECKS = {ImportKind.PERSONS: _check_persons, ImportKind.TESTS: _check_tests}
_PREVIEWS = {ImportKind.PERSONS: _person_preview, ImportKind.TESTS: _test_preview}
_CREATORS = {ImportKind.PERSONS: _create_persons, ImportKind.TESTS: _create_tests}


# ---------------------------------------------------------------- import: the services


def _require_editor(user: Any) -> None:
    if not can_edit_registers(user):
        raise PermissionDenied("Chỉ công an xã được nhập dữ liệu vào sổ theo dõi.")


def _column_headers(kind: str) -> dict[str, str]:
    return {column.key: column.header for column in COLUMNS[kind]}


def _sorted(problems: list[Problem], columns: tuple[Column, ...]) -> list[Problem]:
    order = {c.header: i for i, c in enumerate(columns)}
    return sorted(problems, key=lambda p: (p.row or 0, order.get(p.column, len(order))))


def check_import(*, kind: str, file: IO[bytes] | Any, user: Any) -> ImportCheck:
    """Read the whole file and validate every row against the register and the user's
    jurisdiction, without writing anything. Raises `ImportFileError` when the file is not an
    import at all; otherwise every problem is listed by row and column, in Vietnamese."""
    _require_editor(user)
    kind = ImportKind(kind)
    raw_rows = _read_rows(kind, file)
    parsed, problems = _PARSERS[kind](raw_rows, user)
    problems += _REGISTER_CHECKS[kind](parsed, user)
    return ImportCheck(
        kind=kind,
        user_id=user.pk,
        raw_rows=raw_rows,
        rows=[_PREVIEWS[kind](row) for row in parsed],
        problems=_sorted(problems, COLUMNS[kind]),
        parsed=parsed,
    )


def apply_import(*, check: ImportCheck, user: Any, request: HttpRequest | None = None) -> ImportResult:
    """Write every row of a clean check, or none. The rows are checked again against the
    register and the user's jurisdiction inside the transaction (both may have changed since the
    preview); a person created meanwhile by someone else surfaces as `ImportRejected`, never as a
    duplicate or half an import. History rows carry the acting user; the access log records the
    import (kind and count)."""
    _require_editor(user)
    if check.user_id != user.pk:
        raise PermissionDenied("Kết quả kiểm tra tệp thuộc về người dùng khác.")
    if not check.ok:
        raise ImportRejected(check.problems)
    kind = ImportKind(check.kind)
    rows = check.parsed
    try:
        with transaction.atomic():
            problems = _outside_jurisdiction(rows, user) + _REGISTER_CHECKS[kind](rows, user)
            if problems:
                raise ImportRejected(_sorted(problems, COLUMNS[kind]))
            result = _CREATORS[kind](rows, user)
            _log_import(kind=kind, result=result, user=user, request=request, rows=rows)
    except IntegrityError as exc:
        raise ImportRejected(
            [
                Problem(
                    None,
                    "",
                    "Sổ theo dõi vừa được người khác cập nhật (trùng số CCCD hoặc trùng người) trong lúc nhập; "
                    "không dòng nào được nhập. Hãy tải tệp lên và kiểm tra lại.",
                )
            ]
        ) from exc
    return result


def _outside_jurisdiction(rows: list[dict[str, Any]], user: Any) -> list[Problem]:
    """Rows naming a village the user may no longer write to (reassigned, village closed)."""
    named = {row["village"].pk for row in rows if row.get("village")}
    if not named:
        return []
    allowed = set(
        Area.objects.visible_to(user)
        .filter(level=Level.VILLAGE, pk__in=named)
        .open_on(timezone.localdate())
        .values_list("pk", flat=True)
    )
    return [
        Problem(row["row"], _VILLAGE.header, f"Thôn, bản “{row['village']}” không còn thuộc địa bàn quản lý.")
        for row in rows
        if row.get("village") and row["village"].pk not in allowed
    ]


def _log_import(
    *, kind: str, result: ImportResult, user: Any, request: HttpRequest | None, rows: list
) -> None:
    if user.area_id:
        area = user.area
    elif kind == ImportKind.PERSONS:
        area = rows[0]["village"]
    else:
        area = Person.objects.select_related("village").get(pk=rows[0]["person"][0]).village
    description = f"Nhập từ Excel: {ImportKind(kind).label.lower()}, {result.created} dòng"
    object_type = "đối tượng" if kind == ImportKind.PERSONS else "xét nghiệm chất ma túy"
    if request is not None:
        log_access(
            request=request,
            action=AccessAction.IMPORT,
            object_type=object_type,
            area=area,
            description=description,
        )
    else:
        AccessLog.objects.create(
            user=user, action=AccessAction.IMPORT, object_type=object_type, area=area, description=description
        )


# ---------------------------------------------------------------- import: the template


def build_template(kind: str, *, user: Any = None) -> bytes:
    """A workbook to fill in: the header row (required columns marked *), date and CCCD cells
    already formatted, drop-downs for every choice and for the user's villages, an instructions
    sheet in Vietnamese, and a "Danh mục" sheet listing the choices and the villages."""
    kind = ImportKind(kind)
    columns = COLUMNS[kind]
    villages = _Villages(user, timezone.localdate()).areas if user is not None else []
    workbook = Workbook()
    data = workbook.active
    data.title = "Dữ liệu"
    lists = workbook.create_sheet("Danh mục")
    guide = workbook.create_sheet("Hướng dẫn")

    list_columns: dict[str, str] = {}
    list_sources: list[tuple[str, str, list[str]]] = [
        (c.key, c.header, [str(label) for label in c.choices.labels]) for c in columns if c.choices
    ]
    if any(c.kind == "village" for c in columns):
        list_sources.append(("village", "Thôn, bản", [v.name for v in villages]))
    for index, (key, header, values) in enumerate(list_sources, start=1):
        letter = get_column_letter(index)
        lists.cell(row=1, column=index, value=header).font = HEADER_FONT
        for offset, value in enumerate(values, start=2):
            lists.cell(row=offset, column=index, value=value)
        lists.column_dimensions[letter].width = max([len(header), *(len(v) for v in values)]) + 2
        if values:
            list_columns[key] = f"'Danh mục'!${letter}$2:${letter}${len(values) + 1}"
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
        if column.key in list_columns:
            validation = DataValidation(
                type="list",
                formula1=f"={list_columns[column.key]}",
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
    for text in [*INSTRUCTIONS[kind], *COMMON_INSTRUCTIONS]:
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
            guide.cell(row=line, column=1, value=village.name)

    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
