"""Reading an uploaded workbook: limits checked on the zip before any XML is parsed, then the
cell values of the first sheet that has the import's header, through openpyxl's read-only
reader (a maintained parser, streaming, dates and the 1904 calendar handled)."""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from typing import IO, Any

from openpyxl import load_workbook

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
NOT_XLSX = "Không đọc được tệp: chỉ nhận tệp Excel .xlsx (Excel 2007 trở lên)."
TOO_BIG = (
    "Tệp giải nén ra quá lớn hoặc nén bất thường (có thể là tệp độc hại); "
    "hãy mở bằng Excel, xóa các trang, cột không dùng và lưu lại."
)


def _thousands(number: int) -> str:
    return f"{number:,}".replace(",", ".")


def check_archive(file: IO[bytes] | Any) -> None:
    """Refuse, before parsing anything, a file that is not a zip or would expand beyond what a
    register can hold (total size, ratio of any member, number of members)."""
    try:
        with zipfile.ZipFile(file) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise ImportFileError(NOT_XLSX) from exc
    if len(members) > MAX_MEMBERS:
        raise ImportFileError(TOO_BIG)
    total = 0
    for member in members:
        total += member.file_size
        ratio = member.file_size / max(member.compress_size, 1)
        if total > MAX_UNCOMPRESSED_BYTES or (member.file_size > 1024 * 1024 and ratio > MAX_MEMBER_RATIO):
            raise ImportFileError(TOO_BIG)


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
    if hasattr(file, "seek"):
        file.seek(0)
    try:
        workbook = load_workbook(file, read_only=True, data_only=True, keep_links=False)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file; all mean "not .xlsx"
        raise ImportFileError(NOT_XLSX) from exc
    try:
        for sheet in workbook.worksheets:
            found = _read_sheet(_rows(sheet), columns)
            if found is not None:
                return found
    except ImportFileError:
        raise
    except Exception as exc:
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


def _rows(sheet: Any) -> Iterator[tuple[int, tuple[Any, ...]]]:
    # Only the first MAX_COLUMNS cells of a row are kept; a sheet filled to column XFD is
    # stopped by its size (check_archive) or by MAX_ROWS below, not read to the end.
    for row in sheet.iter_rows(max_col=MAX_COLUMNS):
        values = tuple(cell.value for cell in row)
        if any(value not in (None, "") for value in values):
            yield row[0].row, values


def _read_sheet(
    rows: Iterator[tuple[int, tuple[Any, ...]]], columns: tuple[Column, ...]
) -> list[tuple[int, dict[str, Any]]] | None:
    by_name = {name: column for column in columns for name in column.names}
    positions: dict[int, Column] = {}
    for _index, (_number, values) in zip(range(HEADER_SEARCH_ROWS), rows, strict=False):
        positions = {i: by_name[header_key(v)] for i, v in enumerate(values) if header_key(v) in by_name}
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
