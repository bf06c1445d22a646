"""What the reports put on the responsible users' home page: drafts waiting to be written and
built, and phase summaries coming due."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.urls import reverse
from django.utils import timezone

from areas.home import Task
from areas.permissions import Action, can
from programmes.models import Phase, ReportKind

from .models import ReportRequest, ReportStatus
from .services import REMIND_DAYS_BEFORE


def report_tasks(user: Any) -> list[Task]:
    # Who answers for a unit's reports: those who may write them (the policy's REQUEST_REPORT).
    if not can(user, Action.REQUEST_REPORT, user.area) or not user.area_id:
        return []
    tasks = []
    drafts = list(
        ReportRequest.objects.filter(
            unit_id=user.area_id, status__in=[ReportStatus.DRAFT, ReportStatus.FAILED]
        ).order_by("period_end")
    )
    for report in drafts:
        failed = report.status == ReportStatus.FAILED
        tasks.append(
            Task(
                title=f"{report.get_kind_display()} {report.period_end:%m/%Y}",
                detail="Tổng hợp báo cáo bị lỗi, cần lập lại."
                if failed
                else "Đã có bản nháp: nhập khó khăn, đề xuất rồi tạo báo cáo.",
                url=report.get_absolute_url(),
                icon="bi-file-earmark-text",
            )
        )
    today = timezone.localdate()
    due = Phase.objects.filter(
        programme__issuing_unit_id=user.area_id,
        report_due_on__gte=today,
        report_due_on__lte=today + dt.timedelta(days=REMIND_DAYS_BEFORE),
    ).exclude(
        reports__status=ReportStatus.DONE,
        reports__kind__in=[ReportKind.PHASE_SUMMARY, ReportKind.FINAL_SUMMARY],
    )
    for phase in due.select_related("programme"):
        tasks.append(
            Task(
                title=f"Hạn báo cáo {'tổng kết' if phase.is_final else 'sơ kết'}: {phase.report_due_on:%d/%m/%Y}",
                detail=f"{phase.name} — Kế hoạch số {phase.programme.number}.",
                url=reverse("reports:reports"),
                icon="bi-alarm",
            )
        )
    return tasks
