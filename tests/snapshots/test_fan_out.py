"""The nightly scoring writes one snapshot per unit and day, province by province: run twice it
leaves the same rows, and a province whose worker process is killed mid-way is redone by another
process, with no province lost and no snapshot duplicated.

The service and the eager fan-out are tested on any database; the real Celery workers on Redis
where CI runs them (PostgreSQL and Redis), like tests/reports/test_worker.py."""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from criteria.services import score_areas
from snapshots import services
from snapshots.models import ScoreSnapshot
from subjects.models import DrugPoint

DAY = dt.date(2026, 3, 2)
COMPARED = ["area_id", "province_id", "level", "day", "status", "recognised", "met_count", "results"]


def _rows(day=DAY) -> list[tuple]:
    return list(ScoreSnapshot.objects.filter(day=day).order_by("area_id").values_list(*COMPARED))


@pytest.fixture
def point(tree):
    """A drug point in Bản Tả Lèng: the village and Xã Hoang Thèn fail criterion 1."""
    return DrugPoint.objects.create(
        village=tree.ta_leng, kind="hotspot", description="Bãi đất trống", found_on=dt.date(2025, 1, 5)
    )


@pytest.fixture
def eager():
    from config.celery import app

    before = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = before


def test_a_province_is_written_once_per_unit_and_day_and_a_second_run_changes_nothing(tree, point):
    first = services.snapshot_province(province_id=tree.lai_chau.pk, day=DAY)
    rows = _rows()
    assert first.units == 5 == len(rows)  # 3 villages and 2 communes
    second = services.snapshot_province(province_id=tree.lai_chau.pk, day=DAY)
    assert second.units == 5
    assert _rows() == rows
    assert ScoreSnapshot.objects.count() == 5


def test_a_snapshot_says_what_live_scoring_says(tree, point):
    services.snapshot_province(province_id=tree.lai_chau.pk, day=DAY)
    units = [tree.ta_leng, tree.ho_sao, tree.hoang_then, tree.co_muong, tree.muong_so]
    cards = score_areas(areas=units, as_of=DAY)
    snapshots = {s.area_id: s for s in ScoreSnapshot.objects.filter(day=DAY)}
    for unit in units:
        card, snapshot = cards[unit.pk], snapshots[unit.pk]
        assert snapshot.status == card.verdict
        assert snapshot.met_count == card.met_count
        assert snapshot.criteria_count == len(card.results) == 8
        assert [r["status"] for r in snapshot.results] == [r.status for r in card.results]
        assert snapshot.failing_count == sum(len(r.failing) for r in card.results)
    # The point makes criterion 1 fail where it lies, and nowhere else.
    assert snapshots[tree.ta_leng.pk].results[0]["failing"] == 1
    assert snapshots[tree.hoang_then.pk].results[0]["status"] == "not_met"
    assert snapshots[tree.co_muong.pk].results[0]["status"] == "met"
    assert snapshots[tree.ta_leng.pk].province_id == tree.lai_chau.pk


def test_a_change_in_the_registers_updates_the_same_days_row(tree, point):
    services.snapshot_province(province_id=tree.lai_chau.pk, day=DAY)
    assert ScoreSnapshot.objects.get(area=tree.ta_leng, day=DAY).results[0]["status"] == "not_met"
    point.eliminated_on = dt.date(2025, 2, 1)
    point.save()
    services.snapshot_province(province_id=tree.lai_chau.pk, day=DAY)
    assert ScoreSnapshot.objects.get(area=tree.ta_leng, day=DAY).results[0]["status"] == "met"
    assert ScoreSnapshot.objects.filter(area=tree.ta_leng).count() == 1


def test_daily_snapshots_older_than_the_retention_keep_only_month_ends(tree, point):
    days = [dt.date(2026, 1, 30), dt.date(2026, 1, 31), dt.date(2026, 2, 1), dt.date(2026, 2, 28)]
    for day in days:
        services.snapshot_province(province_id=tree.lai_chau.pk, day=day, watch=False)
        services.snapshot_province(province_id=tree.hai_phong.pk, day=day, watch=False)
    # 35 days after 1/2, the province scored that day keeps 31/1 and drops 30/1 and 1/2.
    services.snapshot_province(province_id=tree.lai_chau.pk, day=dt.date(2026, 3, 9), watch=False)
    kept = set(ScoreSnapshot.objects.filter(province=tree.lai_chau).values_list("day", flat=True))
    assert kept == {dt.date(2026, 1, 31), dt.date(2026, 2, 28), dt.date(2026, 3, 9)}
    assert ScoreSnapshot.objects.filter(province=tree.hai_phong).count() == 4 * 2  # not its turn


def test_the_fan_out_queues_every_province_largest_first_and_writes_every_unit(tree, point, eager):
    assert services.provinces_by_size() == [tree.lai_chau.pk, tree.hai_phong.pk]
    queued = services.fan_out(DAY)
    assert queued == [tree.lai_chau.pk, tree.hai_phong.pk]
    assert ScoreSnapshot.objects.filter(day=DAY).count() == services.units_scored(DAY) == 7
    rows = _rows()
    services.fan_out(DAY)
    assert _rows() == rows


def test_the_nightly_scoring_is_on_the_beat_schedule(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["snapshots-score-nightly"]
    assert entry["task"] == "snapshots.tasks.score_nightly"
    from snapshots import tasks

    assert tasks.score_province.acks_late and tasks.score_province.reject_on_worker_lost


# ---------------------------------------------------------------- real workers

REAL = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        not (settings.USING_POSTGRES and settings.REDIS_URL),
        reason="needs PostgreSQL (DATABASE_URL) and Redis (REDIS_URL), as in CI",
    ),
    pytest.mark.django_db(transaction=True),
    pytest.mark.xdist_group("redis"),
]
BASE_DIR = Path(settings.BASE_DIR)


def real(test):
    for mark in REAL:
        test = mark(test)
    return test


def _purge_queue() -> None:
    from config.celery import app

    with app.connection_for_write() as conn:
        app.control.purge(connection=conn)
        conn.default_channel.client.delete("unacked", "unacked_index", "unacked_mutex")


@pytest.fixture
def worker_env(settings):
    db = connection.settings_dict
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}",
        "REDIS_URL": settings.REDIS_URL,
        "VAR_DIR": str(settings.VAR_DIR),
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "PYTHONPATH": str(BASE_DIR),
        "SNAPSHOTS_TEST_BATCH_DELAY": "3",
    }
    _purge_queue()
    yield env
    _purge_queue()


class Worker:
    def __init__(self, env: dict[str, str], log: Path, name: str) -> None:
        self.log = log.open("ab")
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "tests.snapshots.celery_app",
                "worker",
                "--pool=prefork",
                "--concurrency=1",
                "--loglevel=INFO",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                f"--hostname={name}@%h",
            ],
            cwd=BASE_DIR,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def pool_processes(self) -> list[int]:
        """The worker's pool processes (the ones that run tasks)."""
        found = []
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                try:
                    ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
                except OSError:
                    continue
                if ppid == self.process.pid:
                    found.append(int(entry.name))
        return found

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=30)
        self.log.close()


def _wait(condition, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError(f"{what}: not within {timeout} s")


@real
def test_real_workers_a_killed_process_loses_no_province_and_duplicates_no_snapshot(
    tree, point, worker_env, tmp_path
):
    day = timezone.localdate()
    lai_chau_units = 5
    log = tmp_path / "worker.log"
    first = Worker(worker_env, log, "first")
    second = None
    try:
        services.fan_out(day)  # Lai Châu first: one commune per batch, 3 s after each
        _wait(
            lambda: ScoreSnapshot.objects.filter(day=day, province=tree.lai_chau).exists(),
            timeout=120,
            what="the first batch of Lai Châu",
        )
        written = ScoreSnapshot.objects.filter(day=day, province=tree.lai_chau).count()
        assert 0 < written < lai_chau_units  # half-written
        [busy] = first.pool_processes()
        os.kill(busy, signal.SIGKILL)
        killed_at = timezone.now()
        second = Worker(worker_env, log, "second")
        _wait(
            lambda: ScoreSnapshot.objects.filter(day=day, computed_at__gt=killed_at).count() >= 7,
            timeout=120,
            what="every unit scored after the kill",
        )
        # The killed province was redone from the start: all its rows rewritten after the kill.
        assert not ScoreSnapshot.objects.filter(
            day=day, province=tree.lai_chau, computed_at__lte=killed_at
        ).exists()
        rows = _rows(day)
        assert len(rows) == len({r[0] for r in rows}) == services.units_scored(day) == 7

        # Run twice: the same snapshots.
        again = timezone.now()
        services.fan_out(day)
        _wait(
            lambda: ScoreSnapshot.objects.filter(day=day, computed_at__gt=again).count() >= 7,
            timeout=120,
            what="the second run",
        )
        assert _rows(day) == rows
    finally:
        first.stop()
        if second is not None:
            second.stop()
    text = log.read_text(errors="replace")
    assert "SIGKILL" in text or "signal 9" in text, text[-2000:]
    assert ScoreSnapshot.objects.count() == 7
