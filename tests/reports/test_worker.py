"""A report survives the death of its worker: the build holds a lease on the report row, kept
alive by a heartbeat; the reaper on the beat schedule queues again a running report whose lease
expired, and a second delivery of the same message leaves a live build alone.

The lease and the reaper are tested on any database. A real Celery worker on Redis, with the
production broker settings, is tested where CI runs: PostgreSQL (DATABASE_URL) and Redis
(REDIS_URL); SQLite runs skip those."""

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

from programmes.models import ReportKind
from reports import lease, services, tasks
from reports.models import ReportRequest, ReportStatus
from tests.reports.conftest import OFFICER_TEXT

REAL = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        not (settings.USING_POSTGRES and settings.REDIS_URL),
        reason="needs PostgreSQL (DATABASE_URL) and Redis (REDIS_URL), as in CI",
    ),
    pytest.mark.django_db(transaction=True),
    # One Redis database for the whole run: under pytest-xdist these tests share one process,
    # so no two workers purge or consume each other's queue (`--dist loadgroup` in .ci/run).
    pytest.mark.xdist_group("redis"),
]


def real(test):
    for mark in REAL:
        test = mark(test)
    return test


@pytest.fixture
def queued(monkeypatch):
    ids: list[int] = []
    monkeypatch.setattr(tasks.build_report, "delay", lambda report_id: ids.append(report_id))
    return ids


def _running(report, *, lease_until, attempts=1):
    ReportRequest.objects.filter(pk=report.pk).update(
        status=ReportStatus.RUNNING, attempts=attempts, started_at=timezone.now(), lease_until=lease_until
    )


@pytest.fixture
def annual(db, people, tree, queued):
    """An annual report gathered, written and issued: its rendering is queued."""
    report, _ = services.request_report(
        user=people.district_police, kind=ReportKind.ANNUAL, unit=tree.phong_tho, year=2024
    )
    services.build_report(report_id=report.pk)
    services.save_text(user=people.district_police, report=report, texts=OFFICER_TEXT)
    report = services.issue_report(user=people.district_police, report=report)
    queued.clear()
    return report


def test_a_build_holds_a_lease_while_it_runs_and_releases_it_when_done(annual, monkeypatch):
    seen = []
    render = services.output.render_pdf

    def watching(report, figures, texts):
        seen.append(ReportRequest.objects.values_list("status", "lease_until").get(pk=report.pk))
        return render(report, figures, texts)

    monkeypatch.setattr(services.output, "render_pdf", watching)
    before = timezone.now()
    built = services.build_report(report_id=annual.pk)
    [(status, lease_until)] = seen
    assert status == ReportStatus.RUNNING
    assert lease_until >= before + dt.timedelta(seconds=settings.REPORT_LEASE_SECONDS)
    assert built.status == ReportStatus.DONE and built.lease_until is None


@pytest.mark.django_db(transaction=True)  # the heartbeat writes from its own thread and connection
def test_the_heartbeat_extends_the_lease_of_a_long_build(annual, settings):
    settings.REPORT_LEASE_SECONDS = 3  # a beat each second
    _running(annual, lease_until=timezone.now())
    with lease.heartbeat(annual.pk):
        start = ReportRequest.objects.get(pk=annual.pk).lease_until
        deadline = time.monotonic() + 10
        while ReportRequest.objects.get(pk=annual.pk).lease_until == start:
            assert time.monotonic() < deadline, "no heartbeat in 10 s"
            time.sleep(0.1)
    assert ReportRequest.objects.get(pk=annual.pk).lease_until > start


def test_a_second_delivery_leaves_a_live_build_alone(annual):
    _running(annual, lease_until=timezone.now() + dt.timedelta(seconds=60))
    report = services.build_report(report_id=annual.pk)
    assert report.status == ReportStatus.RUNNING and report.attempts == 1
    assert not report.pdf


def test_a_build_whose_lease_expired_is_taken_over(annual):
    _running(annual, lease_until=timezone.now() - dt.timedelta(seconds=1))
    report = services.build_report(report_id=annual.pk)
    assert report.status == ReportStatus.DONE and report.attempts == 2


def test_the_reaper_queues_again_a_running_report_whose_lease_expired(
    annual, queued, django_capture_on_commit_callbacks
):
    _running(annual, lease_until=timezone.now() - dt.timedelta(seconds=1))
    with django_capture_on_commit_callbacks(execute=True):
        assert lease.reap_expired() == [annual.pk]
    assert queued == [annual.pk]
    annual.refresh_from_db()
    assert annual.status == ReportStatus.QUEUED and annual.lease_until is None
    # Idempotent: a second pass (or a second beat) finds nothing to do.
    with django_capture_on_commit_callbacks(execute=True):
        assert lease.reap_expired() == []
    assert queued == [annual.pk]


def test_the_reaper_leaves_live_leases_and_finished_reports_alone(
    annual, people, tree, queued, django_capture_on_commit_callbacks
):
    _running(annual, lease_until=timezone.now() + dt.timedelta(seconds=30))
    other, _ = services.request_report(
        user=people.district_police, kind=ReportKind.SIX_MONTH, unit=tree.phong_tho, year=2025
    )
    ReportRequest.objects.filter(pk=other.pk).update(
        status=ReportStatus.DONE, lease_until=timezone.now() - dt.timedelta(hours=1)
    )
    queued.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert lease.reap_expired() == []
    assert queued == []


def test_a_running_report_without_a_lease_is_reaped_once_it_is_older_than_a_lease(
    annual, queued, django_capture_on_commit_callbacks
):
    # A row left running before leases existed.
    ReportRequest.objects.filter(pk=annual.pk).update(
        status=ReportStatus.RUNNING, started_at=timezone.now() - dt.timedelta(hours=1), lease_until=None
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert lease.reap_expired() == [annual.pk]


def test_a_report_whose_builds_keep_dying_fails_instead_of_looping(
    annual, queued, django_capture_on_commit_callbacks
):
    _running(annual, lease_until=timezone.now() - dt.timedelta(seconds=1), attempts=lease.MAX_ATTEMPTS)
    with django_capture_on_commit_callbacks(execute=True):
        assert lease.reap_expired() == []
    annual.refresh_from_db()
    assert annual.status == ReportStatus.FAILED
    assert "bị gián đoạn" in annual.error
    assert queued == []


def test_the_reaper_is_on_the_beat_schedule_and_the_broker_redelivers_after_the_hard_limit(settings):
    entry = next(
        e for e in settings.CELERY_BEAT_SCHEDULE.values() if e["task"] == "reports.tasks.reap_reports"
    )
    assert entry["schedule"].total_seconds() < settings.REPORT_LEASE_SECONDS
    assert tasks.build_report.time_limit == settings.REPORT_TIME_LIMIT
    visibility = settings.REDIS_VISIBILITY_TIMEOUT
    assert settings.REPORT_TIME_LIMIT < visibility < 3600
    # A lease lost, found and rebuilt well inside two minutes.
    assert settings.REPORT_LEASE_SECONDS + entry["schedule"].total_seconds() <= 60


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
        "VAR_DIR": str(settings.VAR_DIR),
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "PYTHONPATH": str(BASE_DIR),
    }
    _purge_queue()
    return env


class Worker:
    """A worker as compose runs one; with `beat`, the beat schedule in the same process group
    (so a SIGKILL of the group kills both, like losing the whole container)."""

    def __init__(self, env: dict[str, str], log: Path, *, beat: bool = False) -> None:
        self.log = log.open("ab")
        beat_args = ["--beat", f"--schedule={log.parent / 'beat-schedule'}"] if beat else []
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
                *beat_args,
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


@real
def test_real_worker_builds_the_report_a_user_asks_for(people, tree, worker_env, tmp_path):
    worker = Worker(worker_env, tmp_path / "worker.log")
    try:
        report, queued = services.request_report(
            user=people.district_police, kind=ReportKind.ANNUAL, unit=tree.phong_tho, year=2024
        )
        assert queued
        drafted = _wait_for(report.pk, {ReportStatus.DRAFT, ReportStatus.FAILED}, timeout=120)
        assert drafted.status == ReportStatus.DRAFT, drafted.error
        services.save_text(user=people.district_police, report=drafted, texts=OFFICER_TEXT)
        services.issue_report(user=people.district_police, report=drafted)
        done = _wait_for(report.pk, {ReportStatus.DONE, ReportStatus.FAILED}, timeout=120)
    finally:
        worker.stop()
    assert done.status == ReportStatus.DONE, done.error
    assert done.pdf.read(5) == b"%PDF-"
    assert done.figures["unit"]["name"] == "Huyện Phong Thổ"


@real
def test_worker_group_killed_mid_report_and_restarted_finishes_it_within_two_minutes(
    people, tree, worker_env, tmp_path
):
    # The production broker settings (visibility timeout and all): only the rendering is slowed.
    worker_env["REPORTS_TEST_RENDER_DELAY"] = "4"
    log = tmp_path / "worker.log"
    worker = Worker(worker_env, log, beat=True)
    try:
        report, _ = services.request_report(
            user=people.district_police, kind=ReportKind.SIX_MONTH, unit=tree.phong_tho, year=2025
        )
        drafted = _wait_for(report.pk, {ReportStatus.DRAFT, ReportStatus.FAILED}, timeout=120)
        services.save_text(user=people.district_police, report=drafted, texts=OFFICER_TEXT)
        services.issue_report(user=people.district_police, report=drafted)
        _wait_for(report.pk, {ReportStatus.RUNNING}, timeout=120)
        time.sleep(1)  # now inside the (slowed) rendering
    finally:
        worker.kill()
    killed_at = time.monotonic()
    assert ReportRequest.objects.get(pk=report.pk).status == ReportStatus.RUNNING

    worker = Worker(worker_env, log, beat=True)
    try:
        done = _wait_for(report.pk, {ReportStatus.DONE, ReportStatus.FAILED}, timeout=120)
    finally:
        worker.stop()
    assert time.monotonic() - killed_at < 120
    assert done.status == ReportStatus.DONE, done.error
    assert done.attempts == 2  # the killed run, then the one the reaper queued
    assert done.lease_until is None
    assert ReportRequest.objects.count() == 1
    directory = Path(settings.MEDIA_ROOT) / "reports" / str(tree.phong_tho.pk)
    assert sorted(p.name for p in directory.iterdir()) == [
        f"report-{report.pk}.pdf",
        f"report-{report.pk}.xlsx",
    ]
