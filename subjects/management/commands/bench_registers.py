"""Benchmark of the registers through the code paths users hit.

Fills the configured database with a synthetic province (`subjects.synthetic`) of 100,000 persons
and their histories (once; a second run reuses and tops it up), then measures:
- the person list (several pages and filters) and the accent-insensitive name search, as the
  district police (the whole province) and as one commune's police, through Django's test
  Client against the real URLs (middleware, jurisdiction gate, filters, templates included);
- a 10,000-row import of persons through `check_import` + `apply_import`, from a generated .xlsx.
Ends with exactly one line: `RESULT list_p95_ms=… search_p95_ms=… import_10k_s=… persons=…`.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import os
import random
import statistics
import time
from collections.abc import Callable

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.db.models import Max
from django.db.models.functions import Substr
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from openpyxl import Workbook

from areas.models import Area, Level, Role, User
from subjects import excel, services
from subjects.models import Person, PersonStatus, Sex, StatusKind
from subjects.text import normalise_name

PROVINCE_NAME = "Tỉnh Đo Hiệu Năng Sổ Theo Dõi"
COMMUNES = 50
VILLAGES_PER_COMMUNE = 10
# Imported persons get CCCDs under their own prefix (synthetic ones use 099), so the rows of an
# import can be found and removed after the measurement.
IMPORT_CCCD_PREFIX = "097"
DISTRICT_USER = "bench_cah"
COMMUNE_USER = "bench_cax"

_FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vàng", "Giàng", "Lò", "Tẩn", "Sùng", "Lý", "Đặng"]
_MIDDLE = {Sex.MALE: ["Văn", "A", "Seo", "Đức", "Láo"], Sex.FEMALE: ["Thị", "Seo", "Tả", "Ngọc"]}
_GIVEN = {
    Sex.MALE: ["An", "Bình", "Chứ", "Dình", "Páo", "Sính", "Tủa", "Vảng", "Khánh", "Lâm", "Mỷ", "Sáng"],
    Sex.FEMALE: ["Mai", "Lan", "Dợ", "Chía", "Mỷ", "Pà", "Sua", "Xí", "Hoa", "Lả", "Nhung", "Vân"],
}
_SEARCHES = [
    "nguyen van",
    "giang a",
    "thi mai",
    "lo van",
    "seo",
    "vang a pao",
    "hoang",
    "tan lao",
    "ly",
    "sung",
]


class Command(BaseCommand):
    help = (
        "Đo hiệu năng sổ theo dõi: danh sách đối tượng, tìm kiếm theo tên và nhập 10.000 dòng từ Excel, "
        "trên 100.000 đối tượng (sinh bằng subjects.synthetic). Ghi dữ liệu thử nghiệm vào CƠ SỞ DỮ LIỆU "
        "ĐANG CẤU HÌNH, nên hãy dùng một cơ sở dữ liệu riêng, mới: ví dụ "
        "DATABASE_URL=postgres://postgres@127.0.0.1:5432/khongmatuy_bench (chạy migrate trước). "
        "Lệnh từ chối chạy khi cơ sở dữ liệu đã có dữ liệu khác ngoài tỉnh thử nghiệm, trừ khi có --force. "
        "Chạy lại sẽ dùng lại dữ liệu đã sinh; các dòng nhập thử được xóa sau khi đo (trừ khi --keep-import)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--persons", type=int, default=100_000, help="số đối tượng cần có (mặc định 100000)"
        )
        parser.add_argument(
            "--tests",
            type=int,
            default=None,
            help="số lần xét nghiệm khi sinh dữ liệu (mặc định 2 × số đối tượng)",
        )
        parser.add_argument(
            "--requests", type=int, default=30, help="số lượt đo mỗi loại trang, mỗi người dùng"
        )
        parser.add_argument("--import-rows", type=int, default=10_000, help="số dòng của tệp nhập thử")
        parser.add_argument("--seed", type=int, default=0)
        parser.add_argument(
            "--force",
            action="store_true",
            help="chạy cả khi cơ sở dữ liệu đã có dữ liệu khác (chỉ thêm tỉnh thử nghiệm, không xóa gì khác)",
        )
        parser.add_argument(
            "--keep-import", action="store_true", help="giữ lại các đối tượng nhập thử sau khi đo"
        )

    def handle(self, *args, **options):
        as_of = timezone.localdate()
        self._guard(options["force"])
        province = self._data(options, as_of)
        commune = (
            Area.objects.filter(path__startswith=province.path, level=Level.COMMUNE).order_by("pk").first()
        )
        district_user = self._user(DISTRICT_USER, Role.APPRAISING_POLICE, commune.parent)
        commune_user = self._user(COMMUNE_USER, Role.COMMUNE_POLICE, commune)
        persons = Person.objects.filter(village__path__startswith=province.path).count()
        self.stdout.write(
            f"Dữ liệu: {persons} đối tượng trong {PROVINCE_NAME}; cơ sở dữ liệu: {connection.vendor}; "
            f"tải máy (1 phút): {os.getloadavg()[0]:.1f} trên {os.cpu_count()} lõi."
        )

        list_ms, search_ms = self._pages(options["requests"], district_user, commune_user, province)
        import_s = self._import(options, commune_user, commune, as_of)

        def fmt(value: float | None) -> str:
            return "n/a" if value is None else f"{value:.0f}"

        self.stdout.write(
            f"RESULT list_p95_ms={fmt(list_ms)} search_p95_ms={fmt(search_ms)} import_10k_s={import_s:.1f} "
            f"persons={persons}"
        )

    # ------------------------------------------------------------ data

    def _guard(self, force: bool) -> None:
        """Refuse to write into a database that holds anything but the benchmark province."""
        province = Area.objects.filter(name=PROVINCE_NAME, level=Level.PROVINCE).first()
        areas, persons = Area.objects.all(), Person.objects.all()
        if province is not None:
            areas = areas.exclude(path__startswith=province.path)
            persons = persons.exclude(village__path__startswith=province.path)
        foreign_areas, foreign_persons = areas.count(), persons.count()
        if (foreign_areas or foreign_persons) and not force:
            raise CommandError(
                f"Cơ sở dữ liệu “{connection.settings_dict['NAME']}” đã có {foreign_areas} đơn vị hành chính và "
                f"{foreign_persons} đối tượng không thuộc dữ liệu thử nghiệm. Hãy chạy trên một cơ sở dữ liệu "
                "riêng (DATABASE_URL=…/khongmatuy_bench, migrate trước), hoặc thêm --force nếu chấp nhận "
                "ghi thêm tỉnh thử nghiệm vào cơ sở dữ liệu này."
            )

    def _data(self, options, as_of: dt.date) -> Area:
        from subjects import synthetic

        province = Area.objects.filter(name=PROVINCE_NAME, level=Level.PROVINCE).first()
        if province is None:
            synthetic.make_bench_tree(
                province_name=PROVINCE_NAME, communes=COMMUNES, villages_per_commune=VILLAGES_PER_COMMUNE
            )
            province = Area.objects.get(name=PROVINCE_NAME, level=Level.PROVINCE)
        villages = list(
            Area.objects.filter(path__startswith=province.path, level=Level.VILLAGE).order_by("pk")
        )
        have = Person.objects.filter(village__path__startswith=province.path).count()
        missing = options["persons"] - have
        if missing > 0:
            tests = options["tests"] if options["tests"] is not None else 2 * options["persons"]
            self.stdout.write(f"Đang sinh {missing} đối tượng và lịch sử của họ…")
            started = time.perf_counter()
            counts = synthetic.generate(
                villages=villages,
                persons=missing,
                tests=max(0, tests * missing // options["persons"]),
                as_of=as_of,
                seed=options["seed"] + have,
            )
            summary = ", ".join(f"{label} {count}" for label, count in counts.items())
            self.stdout.write(f"Đã sinh trong {time.perf_counter() - started:.1f} s: {summary}.")
        else:
            self.stdout.write("Dùng lại dữ liệu thử nghiệm đã có.")
        if connection.vendor == "postgresql":
            # As autovacuum leaves a settled database: statistics for the planner, and the
            # visibility map that lets counts use index-only scans.
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE")
        return province

    def _user(self, username: str, role: str, area: Area) -> User:
        user, created = User.objects.get_or_create(
            username=username, defaults={"role": role, "area": area, "full_name": "Tài khoản đo hiệu năng"}
        )
        if created:
            user.set_unusable_password()
            user.save(update_fields=["password"])
        elif (user.role, user.area_id) != (role, area.pk):
            user.role, user.area = role, area
            user.save(update_fields=["role", "area"])
        return user

    # ------------------------------------------------------------ pages

    def _pages(
        self, count: int, district_user: User, commune_user: User, province: Area
    ) -> tuple[float | None, float | None]:
        try:
            list_url = reverse("subjects:person_list")
        except NoReverseMatch:
            self.stdout.write(
                "Chưa có trang danh sách đối tượng (subjects:person_list): bỏ qua phần đo trang."
            )
            return None, None
        rng = random.Random(0)
        list_samples: list[float] = []
        search_samples: list[float] = []
        for user in (district_user, commune_user):
            client = Client(HTTP_HOST="localhost")
            client.force_login(user)
            villages = list(
                Area.objects.visible_to(user).filter(level=Level.VILLAGE).values_list("pk", flat=True)[:50]
            )
            variants = [
                "",
                "?page=2",
                "?page=20",
                f"?village={villages[0]}",
                "?status=addict",
                "?status=user&status=psychosis",
                "?presence=absent",
                "?residence_type=temporary",
                "?no_negative_30d=on",
                "?addict_without_file=on",
                f"?status=addict&no_negative_30d=on&village={villages[-1]}",
            ]
            names = list(
                Person.objects.visible_to(user)
                .order_by("?")
                .values_list("full_name", "cccd")[: max(1, count // 3)]
            )
            searches = list(_SEARCHES)
            for full_name, cccd in names:
                words = normalise_name(full_name).split()
                searches.append(" ".join(words[-2:]) if rng.random() < 0.5 else normalise_name(full_name))
                if cccd:
                    searches.append(cccd)
            label = user.get_role_display()
            list_samples += self._measure(
                client, [list_url + v for v in variants], count, f"Danh sách — {label}"
            )
            search_urls = [f"{list_url}?q={s.replace(' ', '+')}" for s in searches]
            search_samples += self._measure(client, search_urls, count, f"Tìm kiếm — {label}")
        return _p95(list_samples), _p95(search_samples)

    def _measure(self, client: Client, urls: list[str], count: int, label: str) -> list[float]:
        for url in urls[:2]:
            self._get(client, url)  # warm-up: connection, templates, query plans
        samples = []
        for i in range(count):
            url = urls[i % len(urls)]
            started = time.perf_counter()
            self._get(client, url)
            samples.append((time.perf_counter() - started) * 1000)
        with CaptureQueriesContext(connection) as captured:
            self._get(client, urls[0])
        self.stdout.write(
            f"{label}: {count} lượt, p50 {statistics.median(samples):.0f} ms, p95 {_p95(samples):.0f} ms, "
            f"chậm nhất {max(samples):.0f} ms ({urls[samples.index(max(samples)) % len(urls)]}); "
            f"{len(captured)} truy vấn mỗi trang"
        )
        return samples

    @staticmethod
    def _get(client: Client, url: str) -> None:
        response = client.get(url)
        if response.status_code != 200:
            raise CommandError(f"{url} trả về {response.status_code}.")

    # ------------------------------------------------------------ import

    def _import(self, options, user: User, commune: Area, as_of: dt.date) -> float:
        rows = options["import_rows"]
        started = time.perf_counter()
        content = _import_file(rows, commune, as_of, random.Random(options["seed"]))
        self.stdout.write(
            f"Tệp nhập thử: {rows} dòng, {len(content) / 1e6:.1f} MB, tạo trong "
            f"{time.perf_counter() - started:.1f} s."
        )
        check, check_time = _timed(
            lambda: services.check_import(kind="persons", file=io.BytesIO(content), user=user)
        )
        if not check.ok:
            raise CommandError(f"Tệp nhập thử có lỗi: {check.problems[:3]}")
        result, apply_time = _timed(lambda: services.apply_import(check=check, user=user))
        self.stdout.write(
            f"Nhập {result.created} đối tượng ({result.statuses} diện quản lý): kiểm tra {check_time:.1f} s, "
            f"ghi {apply_time:.1f} s."
        )
        if not options["keep_import"]:
            _remove_imported()
        return check_time + apply_time


def _timed(func: Callable):
    started = time.perf_counter()
    value = func()
    return value, time.perf_counter() - started


def _p95(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


def _import_file(rows: int, commune: Area, as_of: dt.date, rng: random.Random) -> bytes:
    """A persons workbook as commune police would fill it: real Excel dates, CCCD as text, some
    addicts with the date addiction was determined; no row collides with the register."""
    villages = list(Area.objects.filter(parent=commune, level=Level.VILLAGE).order_by("name"))
    taken = set(
        Person.objects.filter(village__in=villages).values_list("name_search", "birth_date", "village_id")
    )
    top = Person.objects.filter(cccd__startswith=IMPORT_CCCD_PREFIX).aggregate(top=Max(Substr("cccd", 4, 9)))[
        "top"
    ]
    serial = int(top) + 1 if top else 1
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Dữ liệu")
    headers = [c.header for c in excel.PERSON_COLUMNS]
    sheet.append(headers)
    made = 0
    while made < rows:
        sex = Sex.MALE if rng.random() < 0.85 else Sex.FEMALE
        name = f"{rng.choice(_FAMILY)} {rng.choice(_MIDDLE[sex])} {rng.choice(_GIVEN[sex])} {rng.choice(_GIVEN[sex])}"
        birth = as_of - dt.timedelta(days=rng.randint(16 * 365, 60 * 365))
        village = rng.choice(villages)
        key = (normalise_name(name), birth, village.pk)
        if key in taken:
            continue
        taken.add(key)
        addict = rng.random() < 0.3
        values = {
            "Họ và tên": name,
            "Ngày sinh": dt.datetime.combine(birth, dt.time()),
            "Giới tính": Sex(sex).label,
            "Số CCCD": f"{IMPORT_CCCD_PREFIX}{serial:09d}",
            "Thôn, bản": village.name,
            "Loại cư trú": "Thường trú" if rng.random() < 0.9 else "Tạm trú",
            "Cư trú từ ngày": (birth + dt.timedelta(days=rng.randint(0, 15 * 365))).strftime("%d/%m/%Y"),
            "Diện quản lý": StatusKind.ADDICT.label if addict else None,
            "Diện từ ngày": (as_of - dt.timedelta(days=rng.randint(30, 900))).strftime("%d/%m/%Y")
            if addict
            else None,
        }
        sheet.append([values.get(header) for header in headers])
        serial += 1
        made += 1
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@transaction.atomic
def _remove_imported() -> None:
    """Take the imported rows out again (with their history), so every run measures the same data."""
    imported = Person.objects.filter(cccd__startswith=IMPORT_CCCD_PREFIX)
    ids = list(imported.values_list("pk", flat=True))
    PersonStatus.history.filter(person_id__in=ids).delete()
    Person.history.filter(id__in=ids).delete()
    imported.delete()
