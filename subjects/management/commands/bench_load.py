"""Load benchmark: many officers at once against the app as deployed.

1. Data (once; a second run reuses it): the demo (`load_demo`: Lai Châu → Phong Thổ with its
   dossiers, signed decisions and one account per role) and, in Phong Thổ's 170 villages,
   synthetic registers from `subjects.synthetic` (the `bench_registers` generator) up to
   --persons persons with twice as many tests. Then, on every run, what the night's tasks
   leave on a deployed server: today's score snapshots and this month's quality scores.
2. The app as deployed: `collectstatic`, gunicorn with `deploy/gunicorn.conf.py` and DEBUG off,
   a Celery worker — on the configured database and broker (PostgreSQL and Redis when
   DATABASE_URL / REDIS_URL are set). They run in their own process groups and are stopped on
   the way out, also after Ctrl-C or a failure.
3. Locust, headless (`subjects/loadtest/locustfile.py`): commune police listing, searching,
   opening persons and adding tests (POST with CSRF); appraising police at home, in the inbox,
   the table of units and scorecards, requesting reports; chairs opening dossiers, decisions and
   appraisal minutes (PDF). Users wait 1–3 s between pages. Steps of --steps users print
   `RESULT users=… rps=… p50_ms=… p95_ms=… p99_ms=… errors=…`; then --saturation-users with
   no wait print `RESULT saturation users=… rps=…`; then one user, no wait, gives the per-page
   table and `RESULT single_user max_page_p95_ms=… page=…`.
"""

from __future__ import annotations

import contextlib
import csv
import json
import os
import resource
import runpy
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from importlib import import_module
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test.utils import override_settings
from django.urls import reverse
from django.utils import timezone

from areas.models import Area, Level, User
from areas.permissions import Action, can

DEMO_DISTRICT = "Phong Thổ"
ACCOUNTS = {
    "commune_officer": ["cax_hoangthen", "cax_muongso"],
    "appraiser": ["ca_laichau"],
    "chair": ["ctx_hoangthen", "ct_laichau"],
}
SEARCHES = ["nguyen van", "giang a", "thi mai", "lo van", "seo", "hoang", "vang a pao", "ly", "sung"]
BASE_DIR = Path(settings.BASE_DIR)


class Command(BaseCommand):
    help = (
        "Đo tải nhiều người dùng đồng thời: sinh (một lần) dữ liệu minh họa với 100.000 đối tượng, chạy ứng "
        "dụng như khi triển khai (gunicorn theo deploy/gunicorn.conf.py, DEBUG tắt, một Celery worker) trên "
        "cơ sở dữ liệu và Redis đang cấu hình, rồi dùng Locust (không giao diện) mô phỏng công an xã, công "
        "an thẩm định và chủ tịch UBND. Hãy dùng một cơ sở dữ liệu riêng, ví dụ "
        "DATABASE_URL=postgres://postgres@127.0.0.1:5432/khongmatuy_load (chạy migrate trước)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--persons", type=int, default=100_000, help="số đối tượng cần có (mặc định 100000)"
        )
        parser.add_argument(
            "--steps", default="10,50,100", help="số người dùng từng bậc (mặc định 10,50,100)"
        )
        parser.add_argument("--step-seconds", type=int, default=60, help="thời gian đo mỗi bậc, giây")
        parser.add_argument("--saturation-users", type=int, default=16, help="số người dùng không chờ")
        parser.add_argument("--saturation-seconds", type=int, default=45)
        parser.add_argument(
            "--single-seconds",
            type=int,
            default=20,
            help="đo từng trang: giây cho mỗi vai trò, một người dùng",
        )
        parser.add_argument(
            "--port", type=int, default=0, help="cổng của gunicorn (mặc định: một cổng trống)"
        )
        parser.add_argument(
            "--workers", type=int, default=None, help="GUNICORN_WORKERS (mặc định theo cấu hình)"
        )
        parser.add_argument(
            "--threads", type=int, default=None, help="GUNICORN_THREADS (mặc định theo cấu hình)"
        )
        parser.add_argument("--seed", type=int, default=0)

    def handle(self, *args, **options):
        steps = [int(s) for s in options["steps"].split(",") if s.strip()]
        self._data(options)
        with tempfile.TemporaryDirectory(prefix="bench-load-") as tmp_name:
            tmp = Path(tmp_name)
            port = options["port"] or _free_port()
            env = self._app_env(tmp, options)
            # Sessions are signed with the app's key: made under the key gunicorn gets.
            with override_settings(SECRET_KEY=env["SECRET_KEY"]):
                plan = self._plan(max([*steps, options["saturation_users"], 1]) + 2)
            (tmp / "plan.json").write_text(json.dumps(plan), encoding="utf-8")
            with _Processes(self.stdout) as processes:
                self._start(processes, env, tmp, port)
                host = f"http://127.0.0.1:{port}"
                self.stdout.write(
                    f"Ứng dụng: {host}, gunicorn {_gunicorn(env)}; cơ sở dữ liệu {connection.vendor}; "
                    f"{_load()}"
                )
                # Warm-up: every worker imports, connects and fills its template cache.
                self._locust(tmp, host, users=4, seconds=max(3, options["step_seconds"] // 6), wait=False)
                for users in steps:
                    stats = self._locust(tmp, host, users=users, seconds=options["step_seconds"], wait=True)
                    total = stats["Aggregated"]
                    self.stdout.write(
                        f"RESULT users={users} rps={total['rps']:.1f} p50_ms={total['p50']:.0f} "
                        f"p95_ms={total['p95']:.0f} p99_ms={total['p99']:.0f} errors={total['errors']}"
                    )
                    self.stdout.write(f"  ({_load()})")
                users = options["saturation_users"]
                cpu_before, busy_before = processes.cpu_seconds(), _machine_busy()
                stats = self._locust(
                    tmp, host, users=users, seconds=options["saturation_seconds"], wait=False
                )
                cpu_after, busy_after = processes.cpu_seconds(), _machine_busy()
                total = stats["Aggregated"]
                self.stdout.write(
                    f"RESULT saturation users={users} rps={total['rps']:.1f} p50_ms={total['p50']:.0f} "
                    f"p95_ms={total['p95']:.0f} errors={total['errors']}"
                )
                if total["count"]:
                    # CPU the app and its database spent per request, whatever else the machine
                    # runs: the throughput these cores would give with nothing else on them.
                    spent = processes.cpu_spent(cpu_before, cpu_after)
                    app = spent["app"] * 1000 / total["count"]
                    db = spent["db"] * 1000 / total["count"]
                    cores = os.cpu_count() or 1
                    tool = self.locust_cpu_s * 1000 / total["count"]
                    # The whole machine's busy time per request covers what the per-process
                    # figures miss: a database connection renewed after DB_CONN_MAX_AGE is a new
                    # backend whose CPU before its end is not counted; the kernel; Redis.
                    machine = (busy_after - busy_before) * 1000 / total["count"]
                    self.stdout.write(
                        f"  CPU mỗi lượt: gunicorn và worker {app:.1f} ms + PostgreSQL {db:.1f} ms → trần ước tính trên "
                        f"{cores} lõi rảnh ≈ {cores * 1000 / max(app + db, 0.1):.0f} lượt/s; "
                        f"Locust dùng thêm {tool:.1f} ms; cả máy bận {machine:.1f} ms mỗi lượt"
                    )
                self.stdout.write(f"  ({_load()})")
                self._table("Theo trang khi bão hòa (ms):", stats)
                self.stdout.write(processes.memory())
                stats = {}
                for role in ("CommunePolice", "DistrictPolice", "Chair"):
                    stats |= self._locust(
                        tmp, host, users=1, seconds=options["single_seconds"], wait=False, classes=(role,)
                    )
                self._single_table(stats)
                processes.check_alive()

    # ------------------------------------------------------------ data

    def _data(self, options) -> None:
        from subjects import synthetic
        from subjects.models import Person

        if not Area.objects.filter(name__endswith=DEMO_DISTRICT, level=Level.DISTRICT).exists():
            foreign = Area.objects.exclude(is_demo=True).count()
            if foreign:
                raise CommandError(
                    f"Cơ sở dữ liệu “{connection.settings_dict['NAME']}” đã có {foreign} đơn vị hành chính không "
                    "phải dữ liệu minh họa. Hãy chạy trên một cơ sở dữ liệu riêng (DATABASE_URL=…, migrate trước)."
                )
            self.stdout.write("Đang nạp dữ liệu minh họa (load_demo)…")
        call_command("load_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115 — idempotent
        district = Area.objects.get(name__endswith=DEMO_DISTRICT, level=Level.DISTRICT)
        villages = list(
            Area.objects.filter(path__startswith=district.path, level=Level.VILLAGE).order_by("pk")
        )
        have = Person.objects.filter(village__path__startswith=district.path).count()
        missing = options["persons"] - have
        if missing > 0:
            self.stdout.write(
                f"Đang sinh {missing} đối tượng và lịch sử của họ trong {len(villages)} thôn, bản…"
            )
            started = time.perf_counter()
            synthetic.generate(
                villages=villages,
                persons=missing,
                tests=2 * missing,
                as_of=timezone.localdate(),
                seed=options["seed"] + have,
            )
            self.stdout.write(f"Đã sinh trong {time.perf_counter() - started:.0f} s.")
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("VACUUM ANALYZE")
        persons = Person.objects.filter(village__path__startswith=district.path).count()
        self.stdout.write(f"Dữ liệu: {persons} đối tượng trong {district}.")
        self._nightly()

    def _nightly(self) -> None:
        """What the night's beat tasks leave for the day, as on a deployed server: today's score
        snapshots of every unit and this month's data-quality scores of every commune, which the
        home pages and the roll-ups read."""
        from quality.services import take_snapshots
        from snapshots.services import provinces_by_size, snapshot_province

        started = time.perf_counter()
        today = timezone.localdate()
        for province_id in provinces_by_size():
            snapshot_province(province_id=province_id, day=today, watch=False)
        take_snapshots(today=today)
        self.stdout.write(
            f"Đã chấm điểm ban đêm (kết quả chấm, chất lượng dữ liệu) trong {time.perf_counter() - started:.0f} s."
        )

    def _plan(self, sessions_per_account: int) -> dict[str, Any]:
        from dossiers.models import Decision, Dossier
        from papers.models import Paper, PaperKind, PaperState
        from programmes.models import ReportKind
        from subjects.models import Person

        engine = import_module(settings.SESSION_ENGINE)
        roles: dict[str, list[dict[str, Any]]] = {}
        for role, usernames in ACCOUNTS.items():
            roles[role] = []
            for username in usernames:
                user = User.objects.get(username=username)
                visible = Area.objects.visible_to(user)
                dossiers = Dossier.objects.visible_to(user)
                ids = {
                    "persons": list(
                        Person.objects.visible_to(user).order_by("?").values_list("pk", flat=True)[:500]
                    ),
                    "villages": list(visible.filter(level=Level.VILLAGE).values_list("pk", flat=True)[:200]),
                    "units": list(
                        visible.filter(level__in=[Level.VILLAGE, Level.COMMUNE]).values_list("pk", flat=True)[
                            :300
                        ]
                    ),
                    # A commune's villages × criteria table. The table of a whole district or
                    # province scores every village live (seconds at this size): that page is
                    # for the dated score snapshots, not for this mix.
                    "tables": list(visible.filter(level=Level.COMMUNE).values_list("pk", flat=True)[:50]),
                    "dossiers": list(dossiers.values_list("pk", flat=True)[:100]),
                    "decisions": list(
                        Decision.objects.visible_to(user).values_list("dossier_id", flat=True)[:100]
                    ),
                    "minutes": list(
                        Paper.objects.filter(
                            dossier__in=dossiers, kind=PaperKind.APPRAISAL_MINUTES, state=PaperState.FINAL
                        ).values_list("pk", flat=True)[:100]
                    ),
                    "report_units": list(
                        visible.filter(level=Level.COMMUNE).values_list("pk", flat=True)[:20]
                    )
                    if can(user, Action.REQUEST_REPORT)
                    else [],
                }
                sessions = []
                for _ in range(sessions_per_account):
                    store = engine.SessionStore()
                    store[SESSION_KEY] = user._meta.pk.value_to_string(user)
                    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
                    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
                    store.create()
                    sessions.append(store.session_key)
                roles[role].append({"username": username, "sessions": sessions, "ids": ids})
        return {
            "session_cookie": settings.SESSION_COOKIE_NAME,
            "roles": roles,
            "searches": SEARCHES,
            "report_kind": ReportKind.SIX_MONTH,
            "urls": {
                "person_list": reverse("subjects:person_list"),
                "person_detail": reverse("subjects:person_detail", args=[0]).replace("/0/", "/{}/"),
                "test_list": reverse("subjects:test_list"),
                "test_create": reverse("subjects:test_create", args=[0]).replace("/0/", "/{}/"),
                "inbox": reverse("dossiers:inbox"),
                "table": reverse("criteria:table", args=[0]).replace("/0/", "/{}/"),
                "scorecard": reverse("criteria:scorecard", args=[0]).replace("/0/", "/{}/"),
                "report_list": reverse("reports:reports"),
                "dossier_list": reverse("dossiers:list"),
                "dossier_detail": reverse("dossiers:detail", args=[0]).replace("/0/", "/{}/"),
                "decision": reverse("dossiers:decision", args=[0]).replace("/0/", "/{}/"),
                "minutes": reverse("papers:file", args=[0]).replace("/0/", "/{}/"),
            },
        }

    # ------------------------------------------------------------ the app

    def _app_env(self, tmp: Path, options) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE", "TESTING"}}
        env.update(
            {
                "DEBUG": "false",
                "SECRET_KEY": secrets.token_urlsafe(50),
                "ALLOWED_HOSTS": "127.0.0.1,localhost",
                # Plain HTTP on the loopback address; deployed, the proxy terminates TLS.
                "SECURE_SSL_REDIRECT": "false",
                "SIGNING_KEY_PASSPHRASE": settings.SIGNING_KEY_PASSPHRASE,
                "STATIC_ROOT": str(tmp / "static"),
                "VAR_DIR": str(settings.VAR_DIR),
                "MEDIA_ROOT": str(settings.MEDIA_ROOT),
                "LOG_LEVEL": "WARNING",
                "PYTHONUNBUFFERED": "1",
            }
        )
        # The same database the data went into (a test run may have renamed it).
        db = settings.DATABASES["default"]
        if db["ENGINE"].endswith("sqlite3"):
            env["DATABASE_URL"] = f"sqlite:///{db['NAME']}"
        for name in ("workers", "threads"):
            if options[name]:
                env[f"GUNICORN_{name.upper()}"] = str(options[name])
        return env

    def _start(self, processes: _Processes, env: dict[str, str], tmp: Path, port: int) -> None:
        bin_dir = Path(sys.executable).parent
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"],
            cwd=BASE_DIR,
            env=env,
            check=True,
        )
        if not env.get("REDIS_URL"):
            for folder in ("queue", "processed", "control"):
                (Path(settings.CELERY_QUEUE_DIR) / folder).mkdir(parents=True, exist_ok=True)
        processes.start(
            "celery",
            [str(bin_dir / "celery"), "-A", "config", "worker", "--loglevel=WARNING", "--concurrency=1"],
            env,
            tmp / "worker.log",
        )
        processes.start(
            "gunicorn",
            [
                str(bin_dir / "gunicorn"),
                "config.wsgi:application",
                "--config",
                str(BASE_DIR / "deploy" / "gunicorn.conf.py"),
                "--bind",
                f"127.0.0.1:{port}",
                "--access-logfile",
                "-" if os.environ.get("BENCH_ACCESS_LOG") else "/dev/null",
            ],
            env,
            tmp / "gunicorn.log",
        )
        deadline = time.monotonic() + 120
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/dang-nhap/", timeout=10) as answer:
                    if answer.status == 200:
                        return
            except OSError:
                pass
            processes.check_alive()
            if time.monotonic() > deadline:
                raise CommandError("gunicorn không trả lời trong 120 giây:\n" + processes.tail("gunicorn"))
            time.sleep(0.3)

    # ------------------------------------------------------------ Locust

    def _locust(
        self, tmp: Path, host: str, *, users: int, seconds: int, wait: bool, classes: tuple[str, ...] = ()
    ) -> dict[str, dict[str, Any]]:
        prefix = tmp / f"locust-{users}-{int(wait)}-{time.monotonic_ns()}"
        env = {
            **os.environ,
            "LOAD_PLAN": str(tmp / "plan.json"),
            "LOAD_WAIT_MIN": "1" if wait else "0",
            "LOAD_WAIT_MAX": "3" if wait else "0",
        }
        command = [
            str(Path(sys.executable).parent / "locust"),
            "-f",
            str(BASE_DIR / "subjects" / "loadtest" / "locustfile.py"),
            "--headless",
            "--host",
            host,
            "--users",
            str(users),
            "--spawn-rate",
            str(max(1, users // 2)),
            "--run-time",
            f"{seconds + 3}s",
            "--reset-stats",
            "--csv",
            str(prefix),
            "--only-summary",
            "--loglevel",
            "ERROR",
            "--exit-code-on-error",
            "0",
            *classes,
        ]
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        result = subprocess.run(command, cwd=BASE_DIR, env=env, capture_output=True, text=True)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        # The load tool shares the cores with the app: its CPU is printed with the app's.
        self.locust_cpu_s = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
        stats_file = Path(f"{prefix}_stats.csv")
        if result.returncode != 0 or not stats_file.exists():
            raise CommandError(f"Locust dừng với mã {result.returncode}:\n{result.stderr[-3000:]}")
        stats: dict[str, dict[str, Any]] = {}
        with stats_file.open(encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                stats[row["Name"]] = {
                    "count": int(row["Request Count"]),
                    "errors": int(row["Failure Count"]),
                    "rps": float(row["Requests/s"]),
                    "p50": _num(row["50%"]),
                    "p95": _num(row["95%"]),
                    "p99": _num(row["99%"]),
                    "max": _num(row["Max Response Time"]),
                }
        failures = Path(f"{prefix}_failures.csv")
        if failures.exists():
            with failures.open(encoding="utf-8") as handle:
                for row in list(csv.DictReader(handle))[:5]:
                    self.stdout.write(f"  lỗi: {row['Name']}: {row['Error']} ×{row['Occurrences']}")
        return stats

    def _table(self, title: str, stats: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
        pages = {name: row for name, row in stats.items() if name != "Aggregated"}
        self.stdout.write(title)
        self.stdout.write(f"  {'trang':<26}{'lượt':>6}{'p50':>7}{'p95':>7}{'max':>7}{'lỗi':>6}")
        for name, row in sorted(pages.items(), key=lambda item: -item[1]["p95"]):
            self.stdout.write(
                f"  {name:<26}{row['count']:>6}{row['p50']:>7.0f}{row['p95']:>7.0f}{row['max']:>7.0f}"
                f"{row['errors']:>6}"
            )
        return pages

    def _single_table(self, stats: dict[str, dict[str, Any]]) -> None:
        pages = self._table("Một người dùng, không chờ — từng trang (ms):", stats)
        errors = sum(row["errors"] for row in pages.values())
        worst = max(pages.items(), key=lambda item: item[1]["p95"]) if pages else ("-", {"p95": 0})
        self.stdout.write(
            f"RESULT single_user max_page_p95_ms={worst[1]['p95']:.0f} page={worst[0].replace(' ', '_')} "
            f"errors={errors}"
        )


class _Processes:
    """gunicorn and the worker, each in its own process group; all stopped on exit, on Ctrl-C
    and on SIGTERM (turned into an exception so the `finally` runs)."""

    def __init__(self, stdout) -> None:
        self.stdout = stdout
        self.running: dict[str, tuple[subprocess.Popen, Path]] = {}

    def __enter__(self) -> _Processes:
        self._previous = signal.signal(signal.SIGTERM, self._terminate)
        # Ctrl-C interrupts even when started where SIGINT is ignored (a background job).
        self._previous_int = signal.signal(signal.SIGINT, signal.default_int_handler)
        return self

    @staticmethod
    def _terminate(signum, frame) -> None:
        raise KeyboardInterrupt

    def start(self, name: str, command: list[str], env: dict[str, str], log: Path) -> None:
        handle = log.open("wb")
        process = subprocess.Popen(
            command, cwd=BASE_DIR, env=env, stdout=handle, stderr=subprocess.STDOUT, start_new_session=True
        )
        handle.close()
        self.running[name] = (process, log)

    def tail(self, name: str) -> str:
        return self.running[name][1].read_text(errors="replace")[-3000:]

    def cpu_seconds(self) -> dict[int, tuple[str, float]]:
        """CPU time (user + system) so far of each process of gunicorn and the worker ("app") and
        of each PostgreSQL backend serving this database ("db"), by pid. An app process counts
        the children it has reaped as well: gunicorn replaces a worker after `max_requests`, and
        the replaced one's time then moves to the master."""
        import psutil  # type: ignore[import-untyped]

        found: dict[int, tuple[str, float]] = {}

        def note(process, kind: str) -> None:
            try:
                times = process.cpu_times()
            except (psutil.NoSuchProcess, psutil.AccessDenied):
                return
            seconds = times.user + times.system
            if kind == "app":
                seconds += times.children_user + times.children_system
            found[process.pid] = (kind, seconds)

        for process, _ in self.running.values():
            try:
                root = psutil.Process(process.pid)
                tree = [root, *root.children(recursive=True)]
            except psutil.NoSuchProcess:
                continue
            for member in tree:
                note(member, "app")
        name = settings.DATABASES["default"]["NAME"]
        if connection.vendor == "postgresql":
            for process in psutil.process_iter(["cmdline"]):
                title = " ".join(process.info["cmdline"] or [])
                if title.startswith("postgres:") and f" {name} " in f"{title} ":
                    note(process, "db")
        return found

    @staticmethod
    def cpu_spent(
        before: dict[int, tuple[str, float]], after: dict[int, tuple[str, float]]
    ) -> dict[str, float]:
        """Seconds spent between two readings. The app's is the difference of the totals (a
        replaced worker's time is in its parent's reading after, whole, as it was in its own
        before). A PostgreSQL backend that ended in between is not counted after its last
        reading, one that started is counted whole."""
        app = sum(seconds for kind, seconds in after.values() if kind == "app") - sum(
            seconds for kind, seconds in before.values() if kind == "app"
        )
        spent = {"app": app, "db": 0.0}
        for pid, (kind, seconds) in after.items():
            if kind == "db":
                earlier = before.get(pid)
                spent[kind] += seconds - (earlier[1] if earlier and earlier[0] == kind else 0.0)
        return spent

    def memory(self) -> str:
        """Resident memory of gunicorn's workers and of the Celery worker, after the load."""
        import psutil

        parts = []
        for name, (process, _) in self.running.items():
            try:
                tree = psutil.Process(process.pid).children(recursive=True)
            except psutil.NoSuchProcess:
                continue
            sizes = [p.memory_info().rss / 2**20 for p in tree if p.is_running()]
            if sizes:
                parts.append(
                    f"{name}: {len(sizes)} tiến trình con, lớn nhất {max(sizes):.0f} MB, tổng {sum(sizes):.0f} MB"
                )
        return "Bộ nhớ (RSS): " + "; ".join(parts)

    def check_alive(self) -> None:
        for name, (process, _) in self.running.items():
            if process.poll() is not None:
                raise CommandError(f"{name} đã dừng (mã {process.returncode}):\n{self.tail(name)}")

    def __exit__(self, *exc) -> None:
        for process, _ in self.running.values():
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
        deadline = time.monotonic() + 20
        for process, _ in self.running.values():
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        signal.signal(signal.SIGTERM, self._previous)
        signal.signal(signal.SIGINT, self._previous_int)


def _gunicorn(env: dict[str, str]) -> str:
    """Workers × threads as deploy/gunicorn.conf.py computes them with this environment."""
    saved = dict(os.environ)
    os.environ.update(env)
    try:
        conf = runpy.run_path(str(BASE_DIR / "deploy" / "gunicorn.conf.py"))
    finally:
        os.environ.clear()
        os.environ.update(saved)
    return f"{conf['workers']} tiến trình × {conf['threads']} luồng ({conf['worker_class']})"


def _num(value: str) -> float:
    try:
        return float(value)
    except ValueError:
        return 0.0


def _machine_busy() -> float:
    """Seconds the machine's cores have been busy (not idle, not waiting for disk) since boot."""
    import psutil

    times = psutil.cpu_times()
    return sum(getattr(times, name, 0.0) for name in ("user", "nice", "system", "irq", "softirq"))


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _load() -> str:
    one, five, _ = os.getloadavg()
    return f"tải máy {one:.1f} / {five:.1f} (1 / 5 phút) trên {os.cpu_count()} lõi"
