"""Plans and their phases, yearly province targets, and the reports built from the registers.

A plan (e.g. Phong Thổ's 174/KH-UBND) is data: its phases carry dates, a target (a count or a
percentage of the villages or communes of the plan's unit), the units it names and the date the
phase summary is due. A `ReportRequest` is one report (kind × unit × period): asking twice gives
the same row, the background task fills in the figures it used and the PDF / xlsx files.
"""

from __future__ import annotations

import math
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone

from areas.jurisdiction import JurisdictionQuerySet
from areas.models import Area, Level


class TargetLevel(models.TextChoices):
    VILLAGE = "village", "Thôn, bản, tổ dân phố"
    COMMUNE = "commune", "Xã, phường, thị trấn"


class TargetKind(models.TextChoices):
    COUNT = "count", "Số đơn vị"
    PERCENT = "percent", "Tỷ lệ %"


# How a count of units reads in a sentence: "27/170 thôn, bản".
UNIT_WORDS = {TargetLevel.VILLAGE: "thôn, bản", TargetLevel.COMMUNE: "xã, thị trấn"}


def required_count(kind: str, value: Decimal, total: int) -> int:
    """The number of units a target asks for out of `total`: a count as it is, a percentage
    rounded up (at least 60 % of 17 communes is 11, not 10.2)."""
    if kind == TargetKind.COUNT:
        return int(value)
    return math.ceil(Decimal(value) * total / 100 - Decimal("1e-9"))


class PlanQuerySet(JurisdictionQuerySet):
    area_path_lookup = "issuing_unit__path"


class Plan(models.Model):
    number = models.CharField(
        "số, ký hiệu",
        max_length=40,
        help_text="Ví dụ “174/KH-UBND”; để trống phần số nếu văn bản chưa có số.",
    )
    issuing_body = models.CharField(
        "cơ quan ban hành", max_length=200, help_text="Ví dụ “UBND huyện Phong Thổ”."
    )
    issuing_unit = models.ForeignKey(
        Area,
        verbose_name="địa bàn thực hiện",
        on_delete=models.PROTECT,
        related_name="plans",
        limit_choices_to={"level__in": [Level.PROVINCE, Level.DISTRICT, Level.COMMUNE]},
    )
    signed_on = models.DateField("ngày ký", null=True, blank=True)
    title = models.CharField("trích yếu", max_length=500)
    basis = models.TextField("căn cứ", blank=True)
    is_demo = models.BooleanField("dữ liệu minh họa", default=False)

    objects = PlanQuerySet.as_manager()

    class Meta:
        verbose_name = "kế hoạch"
        verbose_name_plural = "kế hoạch"
        ordering = ["-signed_on", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["issuing_unit", "number", "signed_on"],
                name="plan_unique_number_per_unit_and_date",
                violation_error_message="Địa bàn này đã có kế hoạch mang số, ký hiệu và ngày ký này.",
            )
        ]

    def __str__(self) -> str:
        signed = f" ngày {self.signed_on:%d/%m/%Y}" if self.signed_on else ""
        return f"Kế hoạch số {self.number}{signed}"

    def get_absolute_url(self) -> str:
        return reverse("reports:plan", args=[self.pk])


class PhaseQuerySet(JurisdictionQuerySet):
    area_path_lookup = "plan__issuing_unit__path"


class Phase(models.Model):
    plan = models.ForeignKey(Plan, verbose_name="kế hoạch", on_delete=models.CASCADE, related_name="phases")
    number = models.PositiveSmallIntegerField("giai đoạn số")
    name = models.CharField(
        "tên giai đoạn", max_length=200, help_text="Ví dụ “Giai đoạn 01: Quý II/2024 – 12/2024”."
    )
    starts_on = models.DateField("từ ngày")
    ends_on = models.DateField("đến ngày")
    target_level = models.CharField("đơn vị tính chỉ tiêu", max_length=10, choices=TargetLevel.choices)
    target_kind = models.CharField("cách tính chỉ tiêu", max_length=10, choices=TargetKind.choices)
    target_value = models.DecimalField(
        "chỉ tiêu",
        max_digits=7,
        decimal_places=2,
        validators=[MinValueValidator(0)],
        help_text="Số đơn vị (ví dụ 27) hoặc tỷ lệ phần trăm (ví dụ 60) được công nhận đến hết giai đoạn.",
    )
    target_note = models.TextField("nội dung chỉ tiêu", blank=True, help_text="Nguyên văn theo kế hoạch.")
    target_units = models.ManyToManyField(
        Area,
        verbose_name="đơn vị được giao chỉ tiêu",
        blank=True,
        related_name="phase_targets",
        help_text="Các thôn, bản hoặc xã kế hoạch nêu tên.",
    )
    report_due_on = models.DateField("hạn gửi báo cáo sơ kết, tổng kết", null=True, blank=True)
    is_final = models.BooleanField(
        "giai đoạn cuối (báo cáo tổng kết)",
        default=False,
        help_text="Báo cáo của giai đoạn này là báo cáo tổng kết.",
    )

    objects = PhaseQuerySet.as_manager()

    class Meta:
        verbose_name = "giai đoạn"
        verbose_name_plural = "giai đoạn"
        ordering = ["plan", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "number"],
                name="phase_unique_number_in_plan",
                violation_error_message="Kế hoạch đã có giai đoạn mang số này.",
            ),
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="phase_ends_after_start_check",
                violation_error_message="Ngày kết thúc giai đoạn không được trước ngày bắt đầu.",
            ),
            models.CheckConstraint(
                condition=~models.Q(target_kind="percent") | models.Q(target_value__lte=100),
                name="phase_percent_at_most_100_check",
                violation_error_message="Tỷ lệ chỉ tiêu không vượt quá 100 %.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} — {self.plan.number}"

    def clean(self) -> None:
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": "Ngày kết thúc giai đoạn không được trước ngày bắt đầu."})
        if (
            self.target_kind == TargetKind.PERCENT
            and self.target_value is not None
            and self.target_value > 100
        ):
            raise ValidationError({"target_value": "Tỷ lệ chỉ tiêu không vượt quá 100 %."})
        if self.target_kind == TargetKind.COUNT and self.target_value is not None and self.target_value % 1:
            raise ValidationError({"target_value": "Chỉ tiêu theo số đơn vị phải là số nguyên."})

    @property
    def period_text(self) -> str:
        return f"{self.starts_on:%d/%m/%Y} – {self.ends_on:%d/%m/%Y}"


class ProvinceTargetQuerySet(JurisdictionQuerySet):
    area_path_lookup = "province__path"


class ProvinceTarget(models.Model):
    """A province's registered target for one year towards the national goal (Kết luận
    132-KL/TW: at least 50 % of commune-level units "không ma túy" by the end of 2030)."""

    province = models.ForeignKey(
        Area,
        verbose_name="tỉnh, thành phố",
        on_delete=models.PROTECT,
        related_name="yearly_targets",
        limit_choices_to={"level": Level.PROVINCE},
    )
    year = models.PositiveSmallIntegerField(
        "năm", validators=[MinValueValidator(2020), MaxValueValidator(2100)]
    )
    target_kind = models.CharField(
        "cách tính chỉ tiêu", max_length=10, choices=TargetKind.choices, default=TargetKind.PERCENT
    )
    target_value = models.DecimalField(
        "chỉ tiêu xã, phường đạt “không ma túy” đến hết năm",
        max_digits=7,
        decimal_places=2,
        validators=[MinValueValidator(0)],
    )
    basis = models.CharField("văn bản đăng ký", max_length=255, blank=True)
    is_demo = models.BooleanField("dữ liệu minh họa", default=False)

    objects = ProvinceTargetQuerySet.as_manager()

    class Meta:
        verbose_name = "chỉ tiêu năm của tỉnh"
        verbose_name_plural = "chỉ tiêu năm của tỉnh"
        ordering = ["province", "year"]
        constraints = [
            models.UniqueConstraint(
                fields=["province", "year"],
                name="province_target_one_per_year",
                violation_error_message="Tỉnh đã đăng ký chỉ tiêu cho năm này.",
            ),
            models.CheckConstraint(
                condition=~models.Q(target_kind="percent") | models.Q(target_value__lte=100),
                name="province_target_percent_at_most_100_check",
                violation_error_message="Tỷ lệ chỉ tiêu không vượt quá 100 %.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.province} — năm {self.year}"

    def clean(self) -> None:
        if self.province_id and self.province.level != Level.PROVINCE:
            raise ValidationError({"province": "Chỉ tiêu năm được đăng ký cho cấp tỉnh."})
        if (
            self.target_kind == TargetKind.PERCENT
            and self.target_value is not None
            and self.target_value > 100
        ):
            raise ValidationError({"target_value": "Tỷ lệ chỉ tiêu không vượt quá 100 %."})


class ReportKind(models.TextChoices):
    SIX_MONTH = "six_month", "Báo cáo 06 tháng"
    ANNUAL = "annual", "Báo cáo năm"
    PHASE_SUMMARY = "phase_summary", "Báo cáo sơ kết giai đoạn"
    FINAL_SUMMARY = "final_summary", "Báo cáo tổng kết"
    ACTION_MONTH = "action_month", "Báo cáo Tháng hành động phòng, chống ma túy"


class ReportStatus(models.TextChoices):
    DRAFT = "draft", "Bản nháp — chờ nhập nội dung"
    QUEUED = "queued", "Đang chờ xử lý"
    RUNNING = "running", "Đang tổng hợp"
    DONE = "done", "Đã hoàn thành"
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
    as_of = models.DateField("số liệu tính đến ngày")
    difficulties = models.TextField("khó khăn, vướng mắc", blank=True)
    proposals = models.TextField("đề xuất, kiến nghị", blank=True)
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
                fields=["kind", "unit", "period_start", "period_end"],
                name="report_one_per_kind_unit_period",
                violation_error_message="Đã có báo cáo loại này của đơn vị cho kỳ này.",
            ),
            models.CheckConstraint(
                condition=models.Q(period_end__gte=models.F("period_start")),
                name="report_period_ends_after_start_check",
                violation_error_message="Ngày cuối kỳ báo cáo không được trước ngày đầu kỳ.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.unit} ({self.period_text})"

    def get_absolute_url(self) -> str:
        return reverse("reports:report", args=[self.pk])

    @property
    def period_text(self) -> str:
        return f"{self.period_start:%d/%m/%Y} – {self.period_end:%d/%m/%Y}"

    @property
    def is_pending(self) -> bool:
        return self.status in (ReportStatus.QUEUED, ReportStatus.RUNNING)
