"""Excel (.xlsx) export of any register list, and import of the registers officers keep in Excel.

One module per concern: `cells` (text cells written safely), `export`, `columns`, `reading`
(limits, then openpyxl's read-only reader), `parsing` (Excel's quirks), `registers` (the shared
import: `full_clean()` per row, batched unique rules), one module per imported register,
`template`. The import services themselves are `subjects.services.check_import` / `apply_import`.
"""

from .cells import guard_cell, guard_row
from .export import export_xlsx
from .persons import PersonImport
from .reading import MAX_UPLOAD_BYTES
from .registry import REGISTERS
from .results import ImportCheck, ImportFileError, ImportKind, ImportRejected, ImportResult, Problem
from .template import build_template

PERSON_COLUMNS = PersonImport.columns

__all__ = [
    "MAX_UPLOAD_BYTES",
    "PERSON_COLUMNS",
    "REGISTERS",
    "ImportCheck",
    "ImportFileError",
    "ImportKind",
    "ImportRejected",
    "ImportResult",
    "Problem",
    "build_template",
    "export_xlsx",
    "guard_cell",
    "guard_row",
]
