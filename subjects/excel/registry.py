"""Which register each import kind fills."""

from __future__ import annotations

from .commitments import CommitmentImport
from .drug_tests import DrugTestImport
from .files import ManagementFileImport
from .persons import PersonImport
from .points import DrugPointImport
from .registers import RegisterImport
from .results import ImportKind
from .treatments import TreatmentImport

REGISTERS: dict[str, type[RegisterImport]] = {
    ImportKind.PERSONS: PersonImport,
    ImportKind.TESTS: DrugTestImport,
    ImportKind.TREATMENTS: TreatmentImport,
    ImportKind.FILES: ManagementFileImport,
    ImportKind.COMMITMENTS: CommitmentImport,
    ImportKind.POINTS: DrugPointImport,
}
