"""The reports built from the registers.

Programmes, their phases and targets, and the reporting calendar live in `programmes`. A
`ReportRequest` is one report (kind × unit × period): asking twice gives the same row, the
background task fills in the figures it used and the PDF / xlsx files.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from areas.jurisdiction import JurisdictionQuerySet
from areas.models import Area, Body, Level
from programmes.models import Phase, ReportKind


class ReportStatus(models.TextChoices):
    DRAFT = "draft", "Dự thảo — đang hoàn thiện nội dung"
    QUEUED = "queued", "Đang chờ xử lý"
    RUNNING = "running", "Đang tổng hợp"
    DONE = "done", "Đã ban hành"
    FAILED = "failed", "Lỗi"


REPORT_UNIT_LEVELS = [Level.PROVINCE, Level.DISTRICT, Level.COMMUNE]


class ReportRequestQuerySet(JurisdictionQuerySet):
    area_path_lookup = "unit__path"


def report_file_path(instance: ReportRequest, filename: str) -> str:
    # One name per report and format: a rebuild replaces the file instead of adding one.
    extension = filename.rsplit(".", 1)[-1]
    return f"reports/{instance.unit_id}/report-{instance.pk}.{extension}"


class ReportRequest(models.Model):
    kind = models.CharField("loại báo cáo", max_length=20, choices=ReportKind.choices)
    unit = models.ForeignKey(
        Area,
        verbose_name="đơn vị báo cáo",
        on_delete=models.PROTECT,
        related_name="report_requests",
        limit_choices_to={"level__in": REPORT_UNIT_LEVELS},
    )
    period_start = models.DateField("kỳ báo cáo từ ngày")
    period_end = models.DateField("kỳ báo cáo đến ngày")
    phase = models.ForeignKey(
        Phase,
        verbose_name="giai đoạn",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reports",
    )
    period_name = models.CharField(
        "tên kỳ báo cáo", max_length=200, blank=True, help_text="Ví dụ “06 tháng đầu năm 2026”."
    )
    period_slug = models.CharField("kỳ báo cáo trong tên tệp", max_length=60, blank=True)
    due_on = models.DateField("hạn gửi", null=True, blank=True)
    as_of = models.DateField("số liệu tính đến ngày")
    version = models.PositiveSmallIntegerField("phiên bản", default=1)
    replaces = models.OneToOneField(
        "self",
        verbose_name="thay thế báo cáo",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="replaced_by",
    )
    correction_reason = models.TextField("lý do đính chính", blank=True)
    issuing_body = models.ForeignKey(
        Body,
        verbose_name="cơ quan ban hành",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reports",
    )
    number = models.PositiveIntegerField("số văn bản", null=True, blank=True)
    reference = models.CharField("số, ký hiệu", max_length=40, blank=True)
    issued_on = models.DateField("ngày ban hành", null=True, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người ban hành",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField(
        "trạng thái", max_length=10, choices=ReportStatus.choices, default=ReportStatus.DRAFT
    )
    error = models.TextField("lỗi", blank=True)
    attempts = models.PositiveSmallIntegerField("số lần tổng hợp", default=0)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người yêu cầu",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Trống: bản nháp do hệ thống lập theo lịch.",
    )
    requested_at = models.DateTimeField("thời điểm yêu cầu", default=timezone.now)
    started_at = models.DateTimeField("bắt đầu tổng hợp", null=True, blank=True)
    finished_at = models.DateTimeField("hoàn thành", null=True, blank=True)
    lease_until = models.DateTimeField(
        "đang được tổng hợp đến",
        null=True,
        blank=True,
        editable=False,
        help_text="Bản tổng hợp đang chạy gia hạn mốc này; quá hạn nghĩa là nó đã dừng (reports/lease.py).",
    )
    figures = models.JSONField("số liệu sử dụng", null=True, blank=True, editable=False)
    pdf = models.FileField("tệp PDF", upload_to=report_file_path, blank=True)
    xlsx = models.FileField("tệp Excel", upload_to=report_file_path, blank=True)
    gather_seconds = models.FloatField(
        "thời gian tổng hợp số liệu (giây)", null=True, blank=True, editable=False
    )
    render_seconds = models.FloatField("thời gian dựng tệp (giây)", null=True, blank=True, editable=False)

    objects = ReportRequestQuerySet.as_manager()

    class Meta:
        verbose_name = "báo cáo"
        verbose_name_plural = "báo cáo"
        ordering = ["-period_end", "kind", "unit__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "unit", "period_start", "period_end", "version"],
                name="report_one_version_per_kind_unit_period",
                violation_error_message="Đã có phiên bản này của báo cáo loại này của đơn vị cho kỳ này.",
            ),
            models.UniqueConstraint(
                fields=["kind", "unit", "period_start", "period_end"],
                condition=~models.Q(status="done"),
                name="report_one_open_draft_per_kind_unit_period",
                violation_error_message="Đơn vị đang có một dự thảo báo cáo cho kỳ này.",
            ),
            models.CheckConstraint(
                condition=models.Q(period_end__gte=models.F("period_start")),
                name="report_period_ends_after_start_check",
                violation_error_message="Ngày cuối kỳ báo cáo không được trước ngày đầu kỳ.",
            ),
        ]

    def __str__(self) -> str:
        version = f", phiên bản {self.version}" if self.version > 1 else ""
        return f"{self.get_kind_display()} — {self.unit} ({self.period_name or self.period_text}{version})"

    def get_absolute_url(self) -> str:
        return reverse("reports:report", args=[self.pk])

    @property
    def period_text(self) -> str:
        return f"{self.period_start:%d/%m/%Y} – {self.period_end:%d/%m/%Y}"

    @property
    def is_pending(self) -> bool:
        return self.status in (ReportStatus.QUEUED, ReportStatus.RUNNING)

    @property
    def is_issued(self) -> bool:
        """Numbered in the body's register: the text is final, only the files remain to render."""
        return self.number is not None

    @property
    def is_editable(self) -> bool:
        """A draft with its figures gathered, not yet numbered."""
        return self.status == ReportStatus.DRAFT and self.figures is not None and not self.is_issued

    @property
    def period_title(self) -> str:
        return self.period_name or self.period_text

    @property
    def title(self) -> str:
        """ "Báo cáo năm 2026", "Báo cáo 06 tháng đầu năm 2026", "Báo cáo sơ kết giai đoạn 01 (…)"."""
        if self.period_name:
            return f"Báo cáo {self.period_name}"
        return f"{self.get_kind_display()} {self.period_text}"


class ReportText(models.Model):
    """The narrative of a report the officer writes over the app's pre-filled draft: one text per
    section of the report's kind (`reports.sections`), kept with its history (who, when, what)."""

    report = models.OneToOneField(
        ReportRequest, verbose_name="báo cáo", on_delete=models.CASCADE, related_name="text"
    )
    sections = models.JSONField("nội dung các phần", default=dict)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người sửa",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    updated_at = models.DateTimeField("thời điểm sửa", default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "nội dung báo cáo"
        verbose_name_plural = "nội dung báo cáo"

    def __str__(self) -> str:
        return f"Nội dung — {self.report}"
