"""Writing text cells of any .xlsx the app produces (register exports, reports, templates)."""

from __future__ import annotations

from typing import Any

# OWASP "CSV injection": text starting with one of these is taken by spreadsheet programs for a
# formula (=HYPERLINK(…) leaks the sheet, =cmd|… runs programs), or turns into one once edited.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def guard_cell(cell: Any) -> Any:
    """Make a text cell that could start a formula plain text: stored as a string (openpyxl
    would write "=…" as a live formula) and marked with Excel's quote prefix (the cell reads as
    typed after an apostrophe, so editing it does not turn it into a formula either). The text
    itself is kept unchanged; numbers, dates and booleans are left alone."""
    value = cell.value
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        cell.data_type = "s"
        cell.quotePrefix = True
    return cell


def guard_row(cells: Any) -> None:
    for cell in cells:
        guard_cell(cell)
