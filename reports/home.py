"""What the reports put on the responsible users' home page: drafts waiting to be written and
issued, the reports their unit owes within ten days or overdue, and — for a superior body — the
reports its units have not sent on time."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone

from areas.home import Task
from areas.models import Level
from areas.permissions import READ_ONLY_ROLES, REPORT_WRITERS, Action, can, role_of

from .models import ReportRequest, ReportStatus
from .reminders import overdue_below, owed_by


def report_tasks(user: Any) -> list[Task]:
    if not user.area_id:
        return []
    tasks = []
    today = timezone.localdate()
    # Who answers for a unit's reports: those who may write them (the policy's REQUEST_REPORT).
    if can(user, Action.REQUEST_REPORT, user.area):
        drafts = list(
            ReportRequest.objects.filter(
                unit_id=user.area_id, status__in=[ReportStatus.DRAFT, ReportStatus.FAILED]
            ).order_by("period_end")
        )
        for report in drafts:
            failed = report.status == ReportStatus.FAILED
            tasks.append(
                Task(
                    title=report.title,
                    detail="Tổng hợp báo cáo bị lỗi, cần lập lại."
                    if failed
                    else "Dự thảo: hoàn thiện nội dung rồi ban hành."
                    if report.figures is not None
                    else "Đã có bản nháp theo lịch: tổng hợp số liệu để bắt đầu viết.",
                    url=report.get_absolute_url(),
                    icon="bi-file-earmark-text",
                )
            )
        for item in owed_by(user.area, today):
            url = (
                item.report.get_absolute_url()
                if item.report is not None
                else f"{reverse('reports:reports')}?{urlencode({'ky': item.period.key})}"
            )
            tasks.append(
                Task(
                    title=f"{'Quá hạn' if item.overdue else 'Sắp đến hạn'}: {item.title}",
                    detail=f"{item.unit}: {item.when_text}.",
                    url=url,
                    icon="bi-alarm",
                )
            )
    if user.area.level != Level.COMMUNE and role_of(user) in REPORT_WRITERS | READ_ONLY_ROLES:
        late = overdue_below(user.area, today)
        if late:
            tasks.append(
                Task(
                    title="Báo cáo của đơn vị cấp dưới quá hạn",
                    detail="Các đơn vị trên địa bàn chưa gửi báo cáo đúng hạn.",
                    url=reverse("reports:overdue"),
                    icon="bi-hourglass-bottom",
                    count=len(late),
                    count_label="báo cáo",
                )
            )
    return tasks
