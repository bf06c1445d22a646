"""A real Celery worker on Redis builds the report a user asks for, and a worker killed with
SIGKILL mid-report, once started again, still ends with exactly one archived report.

Runs where CI runs: PostgreSQL (DATABASE_URL) and Redis (REDIS_URL). SQLite runs skip it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from programmes.models import ReportKind
from reports import services
from reports.models import ReportRequest, ReportStatus

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        not (settings.USING_POSTGRES and settings.REDIS_URL),
        reason="needs PostgreSQL (DATABASE_URL) and Redis (REDIS_URL), as in CI",
    ),
    pytest.mark.django_db(transaction=True),
]

BASE_DIR = Path(settings.BASE_DIR)


def _purge_queue() -> None:
    from config.celery import app

    with app.connection_for_write() as conn:
        app.control.purge(connection=conn)
        # Messages a killed worker never acknowledged live in kombu's own keys.
        client = conn.default_channel.client
        client.delete("unacked", "unacked_index", "unacked_mutex")


@pytest.fixture
def worker_env(settings, tmp_path):
    db = connection.settings_dict
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}",
        "REDIS_URL": settings.REDIS_URL,
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "PYTHONPATH": str(BASE_DIR),
    }
    _purge_queue()
    return env


class Worker:
    def __init__(self, env: dict[str, str], log: Path) -> None:
        self.log = log.open("ab")
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "tests.reports.celery_app",
                "worker",
                "--pool=prefork",
                "--concurrency=1",
                "--loglevel=INFO",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
            ],
            cwd=BASE_DIR,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def kill(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=30)
        self.log.close()

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
        self.log.close()


def _wait_for(report_id: int, statuses: set[str], timeout: float) -> ReportRequest:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        report = ReportRequest.objects.get(pk=report_id)
        if report.status in statuses:
            return report
        time.sleep(0.05)
    raise AssertionError(f"report {report_id} still {report.status} after {timeout} s")


def test_real_worker_builds_the_report_a_user_asks_for(people, tree, worker_env, tmp_path):
    worker = Worker(worker_env, tmp_path / "worker.log")
    try:
        report, queued = services.request_report(
            user=people.district_police, kind=ReportKind.ANNUAL, unit=tree.phong_tho, year=2024
        )
        assert queued
        done = _wait_for(report.pk, {ReportStatus.DONE, ReportStatus.FAILED}, timeout=120)
    finally:
        worker.stop()
    assert done.status == ReportStatus.DONE, done.error
    assert done.pdf.read(5) == b"%PDF-"
    assert done.figures["unit"]["name"] == "Huyện Phong Thổ"


def test_worker_killed_mid_report_and_restarted_ends_with_one_archived_report(
    people, tree, worker_env, tmp_path
):
    worker_env["REPORTS_TEST_RENDER_DELAY"] = "4"
    log = tmp_path / "worker.log"
    worker = Worker(worker_env, log)
    try:
        report, _ = services.request_report(
            user=people.district_police, kind=ReportKind.SIX_MONTH, unit=tree.phong_tho, year=2025
        )
        _wait_for(report.pk, {ReportStatus.RUNNING}, timeout=120)
        time.sleep(1)  # now inside the (slowed) rendering
    finally:
        worker.kill()
    assert ReportRequest.objects.get(pk=report.pk).status == ReportStatus.RUNNING

    worker = Worker(worker_env, log)
    try:
        done = _wait_for(report.pk, {ReportStatus.DONE, ReportStatus.FAILED}, timeout=180)
    finally:
        worker.stop()
    assert done.status == ReportStatus.DONE, done.error
    assert done.attempts >= 2  # the killed run, then the redelivered one
    assert ReportRequest.objects.count() == 1
    directory = Path(settings.MEDIA_ROOT) / "reports" / str(tree.phong_tho.pk)
    assert sorted(p.name for p in directory.iterdir()) == [
        f"report-{report.pk}.pdf",
        f"report-{report.pk}.xlsx",
    ]
