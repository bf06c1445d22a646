"""The `bench_registers` command runs end to end on a small data set and refuses a database that
holds other data. (The figures that count come from PostgreSQL with 100,000 persons; here only
that the command works and reports its one RESULT line.)"""

from __future__ import annotations

import re
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from areas.models import Area
from subjects.models import Person
from tests.factories import AreaFactory, PersonFactory

RESULT = re.compile(
    r"^RESULT list_p95_ms=(\d+|n/a) search_p95_ms=(\d+|n/a) import_10k_s=[\d.]+ persons=(\d+)$"
)


@pytest.mark.django_db(transaction=True)
def test_bench_registers_measures_pages_and_an_import_and_ends_with_one_result_line():
    out = StringIO()
    call_command("bench_registers", persons=400, tests=400, requests=3, import_rows=60, stdout=out)

    lines = out.getvalue().strip().splitlines()
    match = RESULT.match(lines[-1])
    assert match, lines[-1]
    assert match.group(3) == "400"
    assert match.group(1) != "n/a" and match.group(2) != "n/a"
    assert sum(line.startswith("RESULT") for line in lines) == 1
    # The imported rows are measured, then taken out again: a second run sees the same data.
    assert Person.objects.count() == 400


@pytest.mark.django_db
def test_bench_registers_refuses_a_database_with_other_data_unless_forced():
    village = AreaFactory(
        level="village", parent=AreaFactory(level="commune", parent=AreaFactory(level="province"))
    )
    PersonFactory(village=village)
    with pytest.raises(CommandError, match="--force"):
        call_command("bench_registers", persons=10, requests=1, import_rows=5, stdout=StringIO())
    assert Area.objects.count() == 3
