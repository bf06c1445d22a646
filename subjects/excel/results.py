"""What an import check and an import give back."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import models


class ImportKind(models.TextChoices):
    PERSONS = "persons", "Danh sách đối tượng"
    TESTS = "tests", "Kết quả xét nghiệm chất ma túy"
    TREATMENTS = "treatments", "Cai nghiện, điều trị"
    FILES = "files", "Hồ sơ quản lý"
    COMMITMENTS = "commitments", "Cam kết của hộ gia đình"
    POINTS = "points", "Điểm, tụ điểm ma túy"


class ImportFileError(Exception):
    """The file cannot be read as an import at all (not .xlsx, too large, no header, empty)."""


@dataclass(frozen=True)
class Problem:
    row: int | None
    column: str
    message: str


@dataclass
class PreviewRow:
    row: int
    values: dict[str, Any]
    cells: list[Any]


@dataclass
class ImportCheck:
    """The outcome of reading and validating a whole file; nothing has been written."""

    kind: str
    user_id: int
    raw_rows: list[tuple[int, dict[str, Any]]]
    rows: list[PreviewRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    preview_headers: list[str] = field(default_factory=list)
    # The validated rows behind `rows` (villages and persons resolved), what `apply_import` writes.
    parsed: list[Any] = field(default_factory=list, repr=False)

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
    # Rows whose CCCD another jurisdiction holds: sent as transfer requests, not created.
    transfers: int = 0

    @property
    def kind_label(self) -> str:
        return ImportKind(self.kind).label
