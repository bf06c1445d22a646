"""Benchmark batch scoring against one plain SQL aggregate over the same rows.

Generates (once; a second run reuses it) a synthetic province of 1,000 villages with 50,000
persons and 200,000 drug tests through `subjects.synthetic`, then times, on the configured
database:
- scoring: one `score_areas` batch over every village (Lai Châu set) and commune (a copy of the
  Thanh Hóa set bound to the synthetic province), so every kind of fact is read;
- the SQL aggregate: one statement counting, per village, the rows scoring reads — statuses,
  files, treatments running on the day, tests in the widest window (30 days), the last test of
  each suspected or post-rehab person, points, groups, cultivation and case involvements up to
  the day (the shipped sets state no window for them), commitments, boards, models.
- reading alone: the statements the scoring batch sends, run again with every row fetched and
  nothing built from them, which shows how much of the scoring time is the database and the
  driver, and how much is Python deciding the criteria.
Each is run `--repeat` times and the median is kept. Ends with one line:
`RESULT scoring_s=… sql_aggregate_s=… ratio=… villages=… persons=… tests=…`.

The ratio is a regression guard: the engine keeps its rules in Python (decided on issue 19, rather
than pushing them into SQL to reach 3×), and the command fails when scoring takes more than
`--max-ratio` (5) times the aggregate. `--max-ratio 0` only measures.
"""

from __future__ import annotations

import datetime as dt
import statistics
import time
from collections.abc import Callable
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils import timezone

from areas.models import Area, Level
from criteria.models import CriteriaSet
from criteria.services import score_areas
from subjects.models import DrugTest, Person

PROVINCE_NAME = "Tỉnh Thử Nghiệm Tiêu Chí"
VILLAGES_PER_COMMUNE = 20
# The regression guard on scoring time / one SQL aggregate's (see the module's docstring).
MAX_RATIO = 5.0


class Command(BaseCommand):
    help = "Đo thời gian chấm điểm tiêu chí hàng loạt so với một truy vấn SQL tổng hợp trên cùng dữ liệu."

    def add_arguments(self, parser):
        parser.add_argument("--villages", type=int, default=1000)
        parser.add_argument("--persons", type=int, default=50_000)
        parser.add_argument("--tests", type=int, default=200_000)
        parser.add_argument("--repeat", type=int, default=3)
        parser.add_argument("--seed", type=int, default=0)
        parser.add_argument(
            "--max-ratio",
            type=float,
            default=MAX_RATIO,
            help="lỗi khi thời gian chấm điểm vượt quá số lần này thời gian SQL tổng hợp (0: chỉ đo)",
        )

    def handle(self, *args, **options):
        as_of = timezone.localdate()
        villages, communes = self._tree(options, as_of)
        village_ids = [v.pk for v in villages]
        persons = Person.objects.filter(village_id__in=village_ids).count()
        tests = DrugTest.objects.filter(person__village_id__in=village_ids).count()
        self.stdout.write(
            f"Dữ liệu: {len(villages)} thôn, bản; {len(communes)} xã; {persons} người; {tests} xét nghiệm."
        )

        self._bind_thanh_hoa_copy(villages[0].ancestors()[0])
        units = [*villages, *communes]

        def scoring() -> None:
            cards = score_areas(areas=units, as_of=as_of)
            assert len(cards) == len(units)
            assert all(card.results for card in cards.values())

        def aggregate() -> None:
            with connection.cursor() as cursor:
                cursor.execute(*_aggregate_sql(village_ids, as_of))
                cursor.fetchall()

        statements = _statements_of(scoring)

        def reading() -> None:
            with connection.cursor() as cursor:
                for sql, params in statements:
                    cursor.execute(sql, params)
                    cursor.fetchall()

        medians = self._medians(
            {"chấm điểm": scoring, "SQL tổng hợp": aggregate, "chỉ đọc dữ liệu": reading}, options["repeat"]
        )
        scoring_s, sql_s, read_s = medians.values()
        ratio = scoring_s / sql_s if sql_s else float("inf")
        self.stdout.write(
            f"Chỉ đọc dữ liệu ({len(statements)} truy vấn của lượt chấm, lấy hết các dòng, không dựng gì): "
            f"{read_s:.3f} s = {read_s / sql_s if sql_s else float('inf'):.2f} lần SQL tổng hợp; "
            f"phần Python dựng dữ kiện và xét tiêu chí ≈ {max(0.0, scoring_s - read_s):.3f} s."
        )
        self.stdout.write(
            f"RESULT scoring_s={scoring_s:.3f} sql_aggregate_s={sql_s:.3f} ratio={ratio:.2f} "
            f"villages={len(villages)} persons={persons} tests={tests}"
        )
        if options["max_ratio"] and ratio > options["max_ratio"]:
            raise CommandError(
                f"Chấm điểm chậm hơn ngưỡng: {ratio:.2f} lần SQL tổng hợp, quá {options['max_ratio']:g} lần."
            )

    def _tree(self, options, as_of: dt.date) -> tuple[list[Area], list[Area]]:
        from subjects import synthetic

        province = Area.objects.filter(name=PROVINCE_NAME, level=Level.PROVINCE).first()
        if province is None:
            self.stdout.write("Đang sinh dữ liệu thử nghiệm…")
            started = time.perf_counter()
            villages = synthetic.make_bench_tree(
                province_name=PROVINCE_NAME,
                communes=max(1, options["villages"] // VILLAGES_PER_COMMUNE),
                villages_per_commune=VILLAGES_PER_COMMUNE,
            )
            synthetic.generate(
                villages=villages,
                persons=options["persons"],
                tests=options["tests"],
                as_of=as_of,
                seed=options["seed"],
            )
            self.stdout.write(f"Đã sinh dữ liệu trong {time.perf_counter() - started:.1f} s.")
        else:
            self.stdout.write("Dùng lại dữ liệu thử nghiệm đã có.")
        subtree = Area.objects.filter(
            path__startswith=Area.objects.get(name=PROVINCE_NAME, level=Level.PROVINCE).path
        )
        villages = list(subtree.filter(level=Level.VILLAGE).order_by("pk"))
        communes = list(subtree.filter(level=Level.COMMUNE).order_by("pk"))
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        return villages, communes

    @staticmethod
    def _bind_thanh_hoa_copy(province: Area) -> None:
        """The synthetic province scores its communes with the Thanh Hóa criteria (a copy without
        an end date, bound to it) and its villages with the default Lai Châu set: one batch then
        reads every kind of fact, tests and cases included."""
        from programmes.services import benchmark_programme

        shipped = CriteriaSet.objects.filter(name__contains="Thanh Hóa").order_by("pk")[0]
        copy, created = CriteriaSet.objects.get_or_create(
            name=f"{shipped.name} (thử nghiệm hiệu năng)",
            defaults={
                "legal_basis": shipped.legal_basis,
                "for_villages": False,
                "for_communes": True,
                "valid_from": shipped.valid_from,
                "jurisdiction": province,
                "is_active": True,
            },
        )
        if created:
            for criterion in shipped.criteria.all():
                criterion.pk, criterion.criteria_set = None, copy
                criterion.save()
        lai_chau = CriteriaSet.objects.get(name="Bộ tiêu chí tỉnh Lai Châu (8 tiêu chí)")
        benchmark_programme(unit=province, village_set=lai_chau, commune_set=copy)

    def _medians(self, timed: dict[str, Callable[[], None]], repeat: int) -> dict[str, float]:
        """Median time of each, run in turn in every round so that all see the same load on the
        machine (after one warm-up round: caches, connection, query plans)."""
        for func in timed.values():
            func()
        times: dict[str, list[float]] = {label: [] for label in timed}
        for _ in range(max(1, repeat)):
            for label, func in timed.items():
                started = time.perf_counter()
                func()
                times[label].append(time.perf_counter() - started)
        for label, values in times.items():
            self.stdout.write(f"{label}: " + ", ".join(f"{t:.3f}" for t in values) + " s")
        return {label: statistics.median(values) for label, values in times.items()}


def _statements_of(func: Callable[[], None]) -> list[tuple[str, Any]]:
    """The SQL statements, with their parameters, that `func` sends to the database."""
    statements: list[tuple[str, Any]] = []

    def record(execute, sql, params, many, context):
        statements.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        func()
    return statements


def _aggregate_sql(village_ids: list[int], as_of: dt.date) -> tuple[str, list]:
    """One statement reading what scoring reads, counted per village."""
    ids = ",".join(str(int(pk)) for pk in village_ids)
    window_start = as_of - dt.timedelta(days=30)
    sql = f"""
    SELECT village_id, SUM(n), MAX(last_test) FROM (
        SELECT p.village_id, COUNT(*) AS n, CAST(NULL AS DATE) AS last_test
          FROM subjects_personstatus s JOIN subjects_person p ON p.id = s.person_id
         WHERE p.village_id IN ({ids}) AND s.start_date <= %s AND (s.end_date IS NULL OR s.end_date >= %s)
         GROUP BY p.village_id
        UNION ALL
        SELECT p.village_id, COUNT(*), NULL
          FROM subjects_managementfile f JOIN subjects_person p ON p.id = f.person_id
         WHERE p.village_id IN ({ids}) AND f.opened_on <= %s AND (f.closed_on IS NULL OR f.closed_on > %s)
         GROUP BY p.village_id
        UNION ALL
        SELECT p.village_id, COUNT(*), NULL
          FROM subjects_treatment t JOIN subjects_person p ON p.id = t.person_id
         WHERE p.village_id IN ({ids}) AND t.start_date <= %s AND (t.end_date IS NULL OR t.end_date >= %s)
         GROUP BY p.village_id
        UNION ALL
        SELECT p.village_id, COUNT(*), MAX(d.tested_on)
          FROM subjects_drugtest d JOIN subjects_person p ON p.id = d.person_id
         WHERE p.village_id IN ({ids}) AND d.tested_on >= %s AND d.tested_on <= %s
         GROUP BY p.village_id
        UNION ALL
        SELECT p.village_id, COUNT(*),
               MAX((SELECT MAX(d.tested_on) FROM subjects_drugtest d WHERE d.person_id = s.person_id AND d.tested_on <= %s))
          FROM subjects_personstatus s JOIN subjects_person p ON p.id = s.person_id
         WHERE p.village_id IN ({ids}) AND s.kind IN ('suspected', 'post_rehab') AND s.start_date <= %s
           AND (s.end_date IS NULL OR s.end_date >= %s)
         GROUP BY p.village_id
        UNION ALL
        SELECT village_id, COUNT(*), NULL FROM subjects_drugpoint
         WHERE village_id IN ({ids}) AND found_on <= %s AND (eliminated_on IS NULL OR eliminated_on > %s) GROUP BY village_id
        UNION ALL
        SELECT village_id, COUNT(*), NULL FROM subjects_criminalgroup
         WHERE village_id IN ({ids}) AND found_on <= %s AND (dismantled_on IS NULL OR dismantled_on > %s) GROUP BY village_id
        UNION ALL
        SELECT village_id, COUNT(*), NULL FROM subjects_cultivationincident
         WHERE village_id IN ({ids}) AND found_on <= %s GROUP BY village_id
        UNION ALL
        SELECT p.village_id, COUNT(*), NULL
          FROM subjects_drugcase_persons cp JOIN subjects_person p ON p.id = cp.person_id
          JOIN subjects_drugcase c ON c.id = cp.drugcase_id
         WHERE p.village_id IN ({ids}) AND c.occurred_on <= %s GROUP BY p.village_id
        UNION ALL
        SELECT village_id, COUNT(*), NULL FROM subjects_householdcommitment
         WHERE village_id IN ({ids}) AND as_of <= %s GROUP BY village_id
        UNION ALL
        SELECT village_id, COUNT(*), NULL FROM subjects_hotlineboard
         WHERE village_id IN ({ids}) AND installed_on <= %s AND (removed_on IS NULL OR removed_on > %s) GROUP BY village_id
        UNION ALL
        SELECT area_id, COUNT(*), NULL FROM subjects_preventionmodel
         WHERE area_id IN ({ids}) AND established_on <= %s GROUP BY area_id
    ) per_kind GROUP BY village_id
    """
    params = [
        as_of, as_of,  # statuses
        as_of, as_of,  # files
        as_of, as_of,  # treatments
        window_start, as_of,  # tests in the window
        as_of, as_of, as_of,  # suspected and post-rehab persons' last test
        as_of, as_of,  # points
        as_of, as_of,  # groups
        as_of,  # cultivation
        as_of,  # cases
        as_of,  # commitments
        as_of, as_of,  # boards
        as_of,  # models
    ]  # fmt: skip
    return sql, params
