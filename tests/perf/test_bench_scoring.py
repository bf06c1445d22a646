"""The `bench_scoring` command runs end to end on a small data set: it scores every unit, times
the SQL aggregate and the reading of the batch's own statements, and ends with one RESULT line.
(The figures that count come from PostgreSQL at the issue's size; here only that it works.)"""

from __future__ import annotations

import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

RESULT = re.compile(
    r"^RESULT scoring_s=([\d.]+) sql_aggregate_s=([\d.]+) ratio=([\d.]+|inf) "
    r"villages=(\d+) persons=(\d+) tests=(\d+)$"
)


@pytest.mark.django_db
def test_bench_scoring_reports_scoring_aggregate_and_reading_and_ends_with_one_result_line():
    out = StringIO()
    # The guard is for the size on PostgreSQL; at this size only the run is checked.
    call_command("bench_scoring", villages=40, persons=300, tests=900, repeat=1, max_ratio=0, stdout=out)

    lines = out.getvalue().strip().splitlines()
    match = RESULT.match(lines[-1])
    assert match, lines[-1]
    assert match.group(4, 5, 6) == ("40", "300", "900")
    reading = next(line for line in lines if line.startswith("Chỉ đọc dữ liệu ("))
    # The batch's statements were recorded and replayed: as many as kinds of fact, not of units.
    statements = int(re.search(r"\((\d+) truy vấn", reading).group(1))
    assert 5 <= statements <= 25
    assert sum(line.startswith("RESULT") for line in lines) == 1


@pytest.mark.django_db
def test_bench_scoring_fails_when_the_ratio_exceeds_the_guard_after_printing_its_result():
    out = StringIO()
    with pytest.raises(CommandError, match="Chấm điểm chậm hơn ngưỡng"):
        call_command(
            "bench_scoring", villages=20, persons=100, tests=200, repeat=1, max_ratio=0.001, stdout=out
        )
    assert RESULT.match(out.getvalue().strip().splitlines()[-1])


def test_the_guard_is_five_times_the_aggregate():
    from criteria.management.commands.bench_scoring import MAX_RATIO

    assert MAX_RATIO == 5.0
