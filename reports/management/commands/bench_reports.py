"""Benchmark of report building through the task users trigger.

Generates (once; a second run reuses them) two synthetic units with `subjects.synthetic`:
a district of 17 communes × 10 villages (170 villages, the size of Phong Thổ) and a province
without districts of 50 communes × 20 villages (1,000 villages), each with registers. Then, for
each, asks for a report as a user does (`reports.services.request_report`) and runs the same
Celery task (`reports.tasks.build_report`) eagerly in this process, timing request → stored PDF.
Ends with exactly one line: `RESULT district_s=… province_s=… gather_share=…`, where
gather_share is the share of the build time spent gathering figures rather than rendering.
"""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils import timezone

from areas.models import Area, Body, BodyKind, Level, User
from programmes.models import ReportKind
from reports import services, tasks
from reports.models import ReportRequest, ReportStatus
from subjects.models import Person

DISTRICT_PROVINCE = "Tỉnh Đo Hiệu Năng Báo Cáo Huyện"
PROVINCE = "Tỉnh Đo Hiệu Năng Báo Cáo Tỉnh"
BENCH_USER = "bench_reports"


class Command(BaseCommand):
    help = (
        "Đo thời gian lập báo cáo (từ lúc yêu cầu đến khi lưu PDF) qua đúng tác vụ Celery người dùng kích "
        "hoạt: báo cáo 06 tháng của một huyện 170 thôn, bản và báo cáo của một tỉnh 1.000 thôn, bản. Ghi dữ "
        "liệu thử nghiệm vào cơ sở dữ liệu đang cấu hình — hãy dùng cơ sở dữ liệu riêng, ví dụ "
        "DATABASE_URL=postgres://postgres@127.0.0.1:5432/khongmatuy_reports (chạy migrate trước)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--persons-per-village", type=int, default=15)
        parser.add_argument("--seed", type=int, default=0)

    def handle(self, *args, **options):
        # The request queues `reports.tasks.build_report` on commit, as for a user; run eagerly, the
        # same task executes here, so the time measured is request → stored PDF.
        tasks.build_report.app.conf.task_always_eager = True
        tasks.build_report.app.conf.task_eager_propagates = True
        today = timezone.localdate()
        user = self._user()
        district = self._unit(
            DISTRICT_PROVINCE, communes=17, villages=10, with_district=True, options=options, as_of=today
        )
        province = self._unit(
            PROVINCE, communes=50, villages=20, with_district=False, options=options, as_of=today
        )
        self.stdout.write(f"Cơ sở dữ liệu: {connection.vendor}; bắt đầu đo.")

        district_s, district_gather = self._build(user, district, ReportKind.SIX_MONTH, today.year)
        province_s, province_gather = self._build(user, province, ReportKind.ANNUAL, today.year)
        share = (district_gather + province_gather) / (district_s + province_s)
        self.stdout.write(
            f"RESULT district_s={district_s:.1f} province_s={province_s:.1f} gather_share={share:.2f}"
        )

    def _user(self) -> User:
        user, created = User.objects.get_or_create(
            username=BENCH_USER, defaults={"is_superuser": True, "full_name": "Đo hiệu năng báo cáo"}
        )
        if created:
            user.set_unusable_password()
            user.save()
        return user

    def _unit(self, province_name: str, *, communes: int, villages: int, with_district: bool, options, as_of):
        from subjects import synthetic

        province = Area.objects.filter(name=province_name, level=Level.PROVINCE).first()
        if province is None:
            synthetic.make_bench_tree(
                province_name=province_name,
                communes=communes,
                villages_per_commune=villages,
                with_district=with_district,
            )
            province = Area.objects.get(name=province_name, level=Level.PROVINCE)
        from criteria.models import CriteriaSet
        from programmes.services import benchmark_programme

        lai_chau = CriteriaSet.objects.get(name="Bộ tiêu chí tỉnh Lai Châu (8 tiêu chí)")
        benchmark_programme(unit=province, village_set=lai_chau, commune_set=lai_chau)
        unit = province
        if with_district:
            unit = Area.objects.get(parent=province, level=Level.DISTRICT)
        village_list = list(
            Area.objects.filter(path__startswith=unit.path, level=Level.VILLAGE).order_by("pk")
        )
        if len(village_list) != communes * villages:
            raise CommandError(f"{province_name} có {len(village_list)} thôn, bản, không đúng cấu hình đo.")
        if not Person.objects.filter(village__path__startswith=unit.path).exists():
            persons = options["persons_per_village"] * len(village_list)
            self.stdout.write(f"Đang sinh {persons} đối tượng cho {unit}…")
            synthetic.generate(
                villages=village_list, persons=persons, tests=2 * persons, as_of=as_of, seed=options["seed"]
            )
        return unit

    def _build(self, user: User, unit: Area, kind: str, year: int) -> tuple[float, float]:
        # A fresh report each run: the previous run's one (and its files) are removed first.
        for old in ReportRequest.objects.filter(unit=unit, kind=kind).order_by("-version"):
            old.pdf.delete(save=False)
            old.xlsx.delete(save=False)
            old.delete()
        Body.objects.get_or_create(
            area=unit,
            name=f"Ủy ban nhân dân {unit.kind} {unit.name.split(' ', 1)[-1]}",
            defaults={
                "kind": BodyKind.COMMITTEE,
                "head_title": "Chủ tịch",
                "symbol": "UBND",
                "is_demo": True,
            },
        )
        # As a unit does it: ask (the figures are gathered and the draft written), write the
        # assessment, issue (numbered, then the PDF and xlsx rendered) — the same task both times.
        started = time.perf_counter()
        report, _ = services.request_report(user=user, kind=kind, unit=unit, year=year)
        report.refresh_from_db()
        if report.status != ReportStatus.DRAFT:
            raise CommandError(f"Báo cáo của {unit} không tổng hợp được: {report.error}")
        services.save_text(
            user=user,
            report=report,
            texts=dict.fromkeys(
                ("strengths", "weaknesses", "causes", "next_tasks"), "Nội dung đo hiệu năng."
            ),
        )
        services.issue_report(user=user, report=report)
        elapsed = time.perf_counter() - started
        report.refresh_from_db()
        if report.status != ReportStatus.DONE:
            raise CommandError(f"Báo cáo của {unit} không hoàn thành: {report.error}")
        figures = report.figures or {}
        rows = len(figures["criteria"]["rows"])
        self.stdout.write(
            f"{report.get_kind_display()} — {unit}: {elapsed:.1f} s (số liệu {report.gather_seconds:.1f} s, "
            f"dựng tệp {report.render_seconds:.1f} s), phụ lục {rows} đơn vị, "
            f"{len(figures['units']['rows'])} dòng bảng theo đơn vị, PDF {report.pdf.size // 1024} KB"
        )
        return elapsed, report.gather_seconds
