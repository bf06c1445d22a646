"""`python manage.py generate_national`: the whole country as synthetic benchmark data (see
`snapshots.national_data`). Use a database of its own; a second run says the data is there."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand
from django.db import connection
from django.utils import timezone

from snapshots import national_data


class Command(BaseCommand):
    help = (
        "Sinh dữ liệu cả nước để đo hiệu năng: 34 tỉnh, 3.321 xã thật, khoảng 100.000 thôn, 250.000 người, "
        "1.000.000 xét nghiệm, kế hoạch và chỉ tiêu năm của từng tỉnh (dữ liệu minh họa)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--villages", type=int, default=100_000)
        parser.add_argument("--persons", type=int, default=250_000)
        parser.add_argument("--tests", type=int, default=1_000_000)
        parser.add_argument("--seed", type=int, default=0)

    def handle(self, *args, **options):
        if national_data.has_national_data():
            self.stdout.write("Dữ liệu cả nước đã có; không sinh lại.")
            return
        started = time.perf_counter()
        counts = national_data.generate(
            villages=options["villages"],
            persons=options["persons"],
            tests=options["tests"],
            as_of=timezone.localdate(),
            seed=options["seed"],
            say=self.stdout.write,
        )
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        elapsed = time.perf_counter() - started
        rows = sum(counts.values())
        self.stdout.write(", ".join(f"{label}: {n}" for label, n in sorted(counts.items())))
        self.stdout.write(
            f"RESULT generate_s={elapsed:.1f} rows={rows} villages={counts.get('Area(village)', 0)} "
            f"persons={counts.get('Person', 0)} tests={counts.get('DrugTest', 0)}"
        )
