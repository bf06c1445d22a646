"""The programme tests walk dossiers with the dossier tests' fixtures."""

from tests.dossiers.conftest import _media_and_signing, clean, walk  # noqa: F401  (fixtures)
