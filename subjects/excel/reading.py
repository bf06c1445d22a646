"""Reading an uploaded workbook: limits checked on the zip and on the sheets' extent before any
cell is parsed, then the cell values of the first sheet that has the import's header, through
python-calamine (a maintained Rust reader: dates, the 1904 calendar, shared and rich strings,
formulas' cached values)."""

from __future__ import annotations

import re
import zipfile
from typing import IO, Any

from python_calamine import CalamineError, CalamineWorkbook, PasswordError, XmlError, ZipError

from .columns import Column, header_key
from .results import ImportFileError

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_ROWS = 20_000
MAX_COLUMNS = 60
MAX_CELL_CHARS = 10_000
HEADER_SEARCH_ROWS = 10
# A bomb is small outside and huge inside: a 1 MB file with a 1 GB shared string. An honest
# 20,000-row register is a few tens of MB of XML, compressed about 10 to 30 times.
MAX_UNCOMPRESSED_BYTES = 150 * 1024 * 1024
MAX_MEMBER_RATIO = 200
MAX_MEMBERS = 500
# A reader lays a sheet out as rows × columns from A1 to its last cell: one cell at XFD1048576
# is 17 billion of them. A register's sheet stays far below this.
MAX_SHEET_CELLS = 3_000_000
NOT_XLSX = "Không đọc được tệp: chỉ nhận tệp Excel .xlsx (Excel 2007 trở lên)."
TOO_BIG = (
    "Tệp giải nén ra quá lớn hoặc nén bất thường (có thể là tệp độc hại); "
    "hãy mở bằng Excel, xóa các trang, cột không dùng và lưu lại."
)
TOO_WIDE = (
    "Trang tính trải tới dòng {rows} và cột thứ {columns}: quá rộng cho một sổ theo dõi. "
    "Hãy xóa các dòng, cột không dùng (kể cả ô chỉ có định dạng) rồi lưu lại."
)
_CELL_REF = re.compile(rb"<(?:\w+:)?c\s[^>]{0,200}?\br=\"([A-Z]{1,3})([0-9]{1,7})\"")
_TAG = re.compile(rb"<(?:\w+:)?(row|c)[\s/>]")
_ROW_REF = re.compile(rb"<(?:\w+:)?row\s[^>]{0,200}?\br=\"([0-9]{1,7})\"")
_SCAN_CHUNK = 1024 * 1024
_CALAMINE_ERRORS = (CalamineError, PasswordError, XmlError, ZipError)
_OVERLAP = 256


def _thousands(number: int) -> str:
    return f"{number:,}".replace(",", ".")


def _column_number(letters: bytes) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + letter - 64
    return number


def check_archive(file: IO[bytes] | Any) -> None:
    """Refuse, before parsing anything, a file that is not a zip, would expand beyond what a
    register can hold (total size, ratio of any member, number of members), or has a sheet
    reaching further than a register does."""
    try:
        with zipfile.ZipFile(file) as archive:
            members = archive.infolist()
            if len(members) > MAX_MEMBERS:
                raise ImportFileError(TOO_BIG)
            total = 0
            for member in members:
                total += member.file_size
                ratio = member.file_size / max(member.compress_size, 1)
                if total > MAX_UNCOMPRESSED_BYTES or (
                    member.file_size > 1024 * 1024 and ratio > MAX_MEMBER_RATIO
                ):
                    raise ImportFileError(TOO_BIG)
            for member in members:
                if member.filename.startswith("xl/worksheets/") and member.filename.endswith(".xml"):
                    _check_extent(archive, member.filename)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise ImportFileError(NOT_XLSX) from exc


def _check_extent(archive: zipfile.ZipFile, name: str) -> None:
    """The last row and column a sheet reaches, from its cell references (and, for cells and
    rows written without one, from their count), found by a byte scan: no XML is built."""
    rows = columns = cell_refs = row_refs = cell_tags = row_tags = 0
    in_row = widest = 0  # cells in the current row, most cells in one row
    tail = b""
    with archive.open(name) as source:
        while True:
            chunk = source.read(_SCAN_CHUNK)
            data = tail + chunk
            # A match is counted in the window where it starts before `cut`; the bytes after
            # `cut` (longer than any match) are scanned again with the next chunk.
            cut = len(data) - _OVERLAP if chunk else len(data)
            for match in _CELL_REF.finditer(data, 0, cut + _OVERLAP):
                if match.start() < cut:
                    cell_refs += 1
                    columns = max(columns, _column_number(match.group(1)))
                    rows = max(rows, int(match.group(2)))
            for match in _ROW_REF.finditer(data, 0, cut + _OVERLAP):
                if match.start() < cut:
                    row_refs += 1
                    rows = max(rows, int(match.group(1)))
            for match in _TAG.finditer(data, 0, cut + _OVERLAP):
                if match.start() >= cut:
                    break
                if match.group(1) == b"row":
                    row_tags += 1
                    in_row = 0
                else:
                    cell_tags += 1
                    in_row += 1
                    widest = max(widest, in_row)
            if not chunk:
                break
            tail = data[cut:]
    # Cells or rows written without a reference follow the one before: counts bound their reach.
    if cell_tags > cell_refs:
        columns = max(columns, widest)
    if row_tags > row_refs:
        rows = max(rows, row_tags)
    if columns > 16_384 or rows * columns > MAX_SHEET_CELLS:
        raise ImportFileError(TOO_WIDE.format(rows=_thousands(rows), columns=_thousands(columns)))


def read_rows(
    file: IO[bytes] | Any, columns: tuple[Column, ...], label: str
) -> list[tuple[int, dict[str, Any]]]:
    """(row number, {column key: cell value}) for every non-empty row under the header."""
    size = getattr(file, "size", None)
    if size is None and hasattr(file, "stat"):
        size = file.stat().st_size
    if size is not None and size > MAX_UPLOAD_BYTES:
        raise ImportFileError("Tệp quá lớn: tối đa 5 MB.")
    check_archive(file)
    try:
        if hasattr(file, "seek"):
            file.seek(0)
            workbook = CalamineWorkbook.from_filelike(file)
        else:
            workbook = CalamineWorkbook.from_path(str(file))
    except (*_CALAMINE_ERRORS, OSError, ValueError) as exc:
        raise ImportFileError(NOT_XLSX) from exc
    try:
        for name in workbook.sheet_names:
            sheet = workbook.get_sheet_by_name(name)
            found = _read_sheet(sheet.to_python(skip_empty_area=False), columns)
            if found is not None:
                return found
    except _CALAMINE_ERRORS as exc:
        raise ImportFileError(
            "Tệp Excel bị hỏng hoặc có ô không đọc được; hãy mở và lưu lại bằng Excel."
        ) from exc
    finally:
        workbook.close()
    required = ", ".join(f"“{c.header}”" for c in columns if c.required)
    raise ImportFileError(
        f"Không nhận ra dòng tiêu đề của {label.lower()}: tệp cần có các cột {required}. "
        "Hãy tải tệp mẫu và nhập dữ liệu vào đó."
    )


def _read_sheet(
    table: list[list[Any]], columns: tuple[Column, ...]
) -> list[tuple[int, dict[str, Any]]] | None:
    """The rows under the header; `table` starts at A1 (row number = index + 1)."""
    by_name = {name: column for column in columns for name in column.names}
    positions: dict[int, Column] = {}
    header_index = None
    for index, values in enumerate(table[: HEADER_SEARCH_ROWS + 50]):
        if not any(value not in (None, "") for value in values):
            continue
        positions = {
            i: by_name[header_key(v)]
            for i, v in enumerate(values[:MAX_COLUMNS])
            if isinstance(v, str) and header_key(v) in by_name
        }
        # A header row names at least two of the columns this import knows.
        if len({c.key for c in positions.values()}) >= 2:
            header_index = index
            break
    if header_index is None:
        return None
    missing = [c.header for c in columns if c.required and c not in positions.values()]
    if missing:
        raise ImportFileError(
            "Dòng tiêu đề thiếu cột bắt buộc: " + ", ".join(f"“{m}”" for m in missing) + "."
        )
    found: list[tuple[int, dict[str, Any]]] = []
    for index in range(header_index + 1, len(table)):
        values = table[index]
        number = index + 1
        record = {}
        for i, column in positions.items():
            value = values[i] if i < len(values) else None
            if isinstance(value, str):
                if len(value) > MAX_CELL_CHARS:
                    raise ImportFileError(
                        f"Dòng {number}, cột “{column.header}”: ô dài quá {_thousands(MAX_CELL_CHARS)} ký tự."
                    )
                value = value.strip()
            if value not in (None, "") and column.key not in record:
                record[column.key] = value
        if not record:
            continue
        found.append((number, record))
        if len(found) > MAX_ROWS:
            raise ImportFileError(f"Tệp có quá nhiều dòng: tối đa {_thousands(MAX_ROWS)} dòng mỗi lần nhập.")
    if not found:
        raise ImportFileError("Tệp không có dòng dữ liệu nào dưới dòng tiêu đề.")
    return found
