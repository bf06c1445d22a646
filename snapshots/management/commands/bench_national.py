"""`python manage.py bench_national`: the nightly scoring of the whole country across real Celery
workers, and (`--view`) the national view at that size.

Generates the national data once (`generate_national`, reused afterwards), then for each worker
count (1, then 2): starts `celery worker --pool=prefork --concurrency=N` as a subprocess on the
configured broker (REDIS_URL), queues the per-province fan-out for today, waits until every open
village and commune has today's snapshot written after the start, samples the resident memory of
the worker's processes meanwhile, and stops the worker. Prints per run
`RESULT units=… workers=… wall_s=… per_unit_ms=… peak_rss_mb=…`, then the speed-up and the
machine's load (`uptime`), which matters on a shared machine. Needs PostgreSQL and Redis.
"""

from __future__ import annotations

import datetime as dt
import os
import secrets
import signal
import statistics
import subprocess
import sys
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils import timezone

from snapshots import national_data, services
from snapshots.models import ScoreSnapshot

PAGE_SIZE = 1024 * 1024


class Command(BaseCommand):
    help = "Đo thời gian chấm điểm cả nước theo từng tỉnh trên 1 và 2 tiến trình Celery, và trang toàn quốc."

    def add_arguments(self, parser):
        parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
        parser.add_argument("--timeout", type=float, default=1800, help="giây tối đa cho một lượt chấm")
        parser.add_argument("--view", action="store_true", help="chỉ đo trang toàn quốc (p95)")
        parser.add_argument("--requests", type=int, default=30, help="số lần mở trang toàn quốc")

    def handle(self, *args, **options):
        if not (settings.USING_POSTGRES and settings.REDIS_URL):
            raise CommandError("Cần PostgreSQL (DATABASE_URL) và Redis (REDIS_URL).")
        self._data()
        if options["view"]:
            self._view(options["requests"])
            return
        day = timezone.localdate()
        units = services.units_scored(day)
        walls: dict[int, float] = {}
        for workers in options["workers"]:
            load_before = _load()
            wall, peak, cpu = self._run(workers, day, units, options["timeout"])
            walls[workers] = wall
            # cpu_s: CPU time of the worker's processes; cpu_s / wall_s near the worker count means
            # they really ran in parallel (lower: waiting for the database or for a busy machine).
            self.stdout.write(
                f"RESULT units={units} workers={workers} wall_s={wall:.1f} "
                f"per_unit_ms={wall * 1000 / units:.2f} peak_rss_mb={peak:.0f} "
                f"cpu_s={cpu:.1f} parallel={cpu / wall:.2f} load_before={load_before} load_after={_load()}"
            )
        for workers, wall in walls.items():
            if workers != 1 and 1 in walls:
                self.stdout.write(f"RESULT speedup workers={workers} vs=1 ratio={walls[1] / wall:.2f}")
        load = subprocess.run(["uptime"], capture_output=True, text=True, check=False).stdout.strip()
        self.stdout.write(f"Tải máy (uptime): {load}")

    # ------------------------------------------------------------ data

    def _data(self) -> None:
        if national_data.has_national_data():
            self.stdout.write("Dùng lại dữ liệu cả nước đã có.")
            return
        self.stdout.write("Chưa có dữ liệu cả nước: đang sinh (generate_national)…")
        started = time.perf_counter()
        national_data.generate(as_of=timezone.localdate(), say=self.stdout.write)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        self.stdout.write(f"Đã sinh dữ liệu trong {time.perf_counter() - started:.1f} s.")

    # ------------------------------------------------------------ one run

    def _run(self, workers: int, day, units: int, timeout: float) -> tuple[float, float, float]:
        _purge_queue()
        worker = _start_worker(workers)
        try:
            _wait_ready(worker, timeout=120)
            started_at = timezone.now()
            started = time.perf_counter()
            services.fan_out(day)
            peak = 0.0
            cpu: dict[int, float] = {}
            db_cpu: dict[int, float] = {}
            while True:
                peak = max(peak, _tree_rss_mb(worker.pid))
                cpu.update(_tree_cpu_s(worker.pid))
                db_cpu.update(_database_cpu_s())
                done = ScoreSnapshot.objects.filter(day=day, computed_at__gte=started_at).count()
                if done >= units:
                    break
                if worker.poll() is not None:
                    raise CommandError(f"Tiến trình Celery đã dừng (mã {worker.returncode}).")
                if time.perf_counter() - started > timeout:
                    raise CommandError(f"Quá {timeout:.0f} s: mới chấm {done}/{units} đơn vị.")
                time.sleep(1)
            wall = time.perf_counter() - started
            peak = max(peak, _tree_rss_mb(worker.pid))
            cpu.update(_tree_cpu_s(worker.pid))
            db_cpu.update(_database_cpu_s())
        finally:
            _stop(worker)
        self.stdout.write(
            f"{workers} tiến trình: {units} đơn vị trong {wall:.1f} s; CPU của PostgreSQL cho các tiến trình này "
            f"≈ {sum(db_cpu.values()):.1f} s (đọc từ /proc khi PostgreSQL chạy trên cùng máy)."
        )
        return wall, peak, sum(cpu.values())

    # ------------------------------------------------------------ the national view

    def _view(self, requests: int) -> None:
        from django.test import Client
        from django.urls import reverse

        from areas.demo import ensure_national_observer

        user = ensure_national_observer()
        host = next((h.lstrip(".") for h in settings.ALLOWED_HOSTS if h != "*"), "localhost")
        client = Client(HTTP_HOST=host)
        client.force_login(user)
        url = reverse("reports:national")
        # Today's snapshots and last year's last day's (the trend reads each year's last day),
        # scored in this process where missing.
        today = timezone.localdate()
        for day in (dt.date(today.year - 1, 12, 31), today):
            if not ScoreSnapshot.objects.filter(day=day).exists():
                self.stdout.write(
                    f"Chưa có kết quả chấm ngày {day:%d/%m/%Y}: chấm cả nước trong tiến trình này…"
                )
                for pk in services.provinces_by_size():
                    services.snapshot_province(province_id=pk, day=day, watch=False)
        times = []
        for _ in range(requests + 3):
            started = time.perf_counter()
            response = client.get(url, secure=True)
            times.append((time.perf_counter() - started) * 1000)
            if response.status_code != 200:
                raise CommandError(f"Trang toàn quốc trả về {response.status_code}.")
        times = sorted(times[3:])  # after warm-up
        p95 = times[max(0, round(0.95 * len(times)) - 1)]
        snapshots = ScoreSnapshot.objects.count()
        self.stdout.write(
            f"RESULT view=national p50_ms={statistics.median(times):.0f} p95_ms={p95:.0f} "
            f"requests={len(times)} snapshots={snapshots}"
        )


def _purge_queue() -> None:
    from config.celery import app

    with app.connection_for_write() as conn:
        app.control.purge(connection=conn)
        conn.default_channel.client.delete("unacked", "unacked_index", "unacked_mutex")


def _start_worker(concurrency: int) -> subprocess.Popen:
    log = Path(settings.VAR_DIR) / "bench_national_worker.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    # As deployed: DEBUG off (with it on, Django keeps every query's SQL in memory, which a
    # long-lived worker never frees). A throwaway key and passphrase where none is configured:
    # scoring signs nothing.
    env = {
        "SECRET_KEY": secrets.token_urlsafe(50),
        "SIGNING_KEY_PASSPHRASE": secrets.token_urlsafe(30),
        "ALLOWED_HOSTS": "localhost",
        **os.environ,
        "DEBUG": "false",
        "CELERY_TASK_ALWAYS_EAGER": "false",
    }
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "--pool=prefork",
            f"--concurrency={concurrency}",
            "--loglevel=WARNING",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            f"--hostname=bench-national-{os.getpid()}@%h",
        ],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=log.open("ab"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def _wait_ready(worker: subprocess.Popen, timeout: float) -> None:
    from config.celery import app

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if worker.poll() is not None:
            raise CommandError(f"Tiến trình Celery không khởi động được (mã {worker.returncode}).")
        if app.control.ping(timeout=1.0):
            return
    raise CommandError("Tiến trình Celery không sẵn sàng sau 120 s.")


def _stop(worker: subprocess.Popen) -> None:
    if worker.poll() is None:
        os.killpg(worker.pid, signal.SIGTERM)
        try:
            worker.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(worker.pid, signal.SIGKILL)
            worker.wait(timeout=30)


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(entry.name))
    return found


def _rss_mb(pid: int) -> float:
    """The process's peak resident set (VmHWM) in MB; 0 once it is gone."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def _load() -> str:
    return Path("/proc/loadavg").read_text().split()[0]


def _tree_cpu_s(pid: int) -> dict[int, float]:
    """CPU seconds (user + system) used so far by each of the worker's pool processes."""
    ticks = os.sysconf("SC_CLK_TCK")
    used = {}
    for child in _children(pid):
        try:
            fields = Path(f"/proc/{child}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        used[child] = (int(fields[11]) + int(fields[12])) / ticks
    return used


def _database_cpu_s() -> dict[int, float]:
    """CPU seconds used so far by the PostgreSQL backends serving the workers (this database,
    other connections than this command's own); empty when PostgreSQL runs on another machine."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        pids = [row[0] for row in cursor.fetchall()]
    ticks = os.sysconf("SC_CLK_TCK")
    used = {}
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        used[pid] = (int(fields[11]) + int(fields[12])) / ticks
    return used


def _tree_rss_mb(pid: int) -> float:
    """The largest peak RSS among the worker's pool processes (each scores one province at a time)."""
    return max([_rss_mb(child) for child in _children(pid)] or [0.0])
