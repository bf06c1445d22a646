"""Criteria sets as data, and the attestations that satisfy what the registers cannot decide.

A set names its legal basis, the levels and the subtree it applies to and its validity dates; its
numbered criteria each name a rule of `criteria.rules` and that rule's parameters. The rules are
code, their parameters are data: another province with other thresholds is configured in the
admin.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse

from areas.jurisdiction import JurisdictionQuerySet
from areas.models import Area, Level

from . import rules


class CriteriaSetQuerySet(models.QuerySet):
    def valid_on(self, day: dt.date) -> CriteriaSetQuerySet:
        return self.filter(is_active=True, valid_from__lte=day).filter(
            Q(valid_until__isnull=True) | Q(valid_until__gte=day)
        )

    def for_level(self, level: str) -> CriteriaSetQuerySet:
        if level == Level.VILLAGE:
            return self.filter(for_villages=True)
        if level == Level.COMMUNE:
            return self.filter(for_communes=True)
        return self.none()


class CriteriaSet(models.Model):
    name = models.CharField("tên bộ tiêu chí", max_length=200)
    legal_basis = models.CharField(
        "căn cứ", max_length=500, help_text="Văn bản ban hành bộ tiêu chí, ví dụ “Kế hoạch số 1246/KH-UBND…”."
    )
    for_villages = models.BooleanField("áp dụng cho thôn, bản, tổ dân phố", default=True)
    for_communes = models.BooleanField("áp dụng cho xã, phường, thị trấn", default=True)
    valid_from = models.DateField("áp dụng từ ngày")
    valid_until = models.DateField("áp dụng đến ngày", null=True, blank=True)
    jurisdiction = models.ForeignKey(
        Area,
        verbose_name="phạm vi áp dụng",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="criteria_sets",
        limit_choices_to={"level__in": [Level.PROVINCE, Level.DISTRICT, Level.COMMUNE]},
        help_text="Đơn vị mà bộ tiêu chí áp dụng cho toàn bộ địa bàn trực thuộc; bỏ trống: áp dụng mọi nơi. "
        "Nơi có nhiều bộ cùng hiệu lực, bộ gắn với đơn vị gần nhất được dùng.",
    )
    is_active = models.BooleanField(
        "đang áp dụng", default=True, help_text="Bỏ chọn để ngừng dùng bộ tiêu chí mà không xóa."
    )
    note = models.TextField("ghi chú", blank=True)

    objects = CriteriaSetQuerySet.as_manager()

    class Meta:
        verbose_name = "bộ tiêu chí"
        verbose_name_plural = "bộ tiêu chí"
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=models.F("valid_from")),
                name="criteria_set_valid_until_after_from_check",
                violation_error_message="Ngày hết hiệu lực không được trước ngày bắt đầu áp dụng.",
            ),
            models.CheckConstraint(
                condition=Q(for_villages=True) | Q(for_communes=True),
                name="criteria_set_applies_to_a_level_check",
                violation_error_message="Bộ tiêu chí phải áp dụng cho thôn, bản hoặc cho xã (hoặc cả hai).",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("criteria:set_detail", args=[self.pk])

    def clean(self) -> None:
        if self.valid_from and self.valid_until and self.valid_until < self.valid_from:
            raise ValidationError({"valid_until": "Ngày hết hiệu lực không được trước ngày bắt đầu áp dụng."})
        if not self.for_villages and not self.for_communes:
            raise ValidationError("Bộ tiêu chí phải áp dụng cho thôn, bản hoặc cho xã (hoặc cả hai).")

    @property
    def levels_display(self) -> str:
        levels = []
        if self.for_villages:
            levels.append("thôn, bản, tổ dân phố")
        if self.for_communes:
            levels.append("xã, phường, thị trấn")
        return "; ".join(levels)


def rule_choices() -> list[tuple[str, str]]:
    return rules.rule_choices()


class Criterion(models.Model):
    criteria_set = models.ForeignKey(
        CriteriaSet, verbose_name="bộ tiêu chí", on_delete=models.CASCADE, related_name="criteria"
    )
    number = models.PositiveSmallIntegerField("số thứ tự")
    text = models.TextField("nội dung tiêu chí", help_text="Nguyên văn theo văn bản ban hành.")
    short_name = models.CharField(
        "tên ngắn",
        max_length=40,
        blank=True,
        help_text="Đầu cột của bảng tiêu chí, ví dụ “Không có điểm ma túy”; bỏ trống: “TC” và số thứ tự.",
    )
    rule = models.CharField("quy tắc đánh giá", max_length=50, choices=rule_choices)
    params = models.JSONField(
        "tham số",
        default=dict,
        blank=True,
        help_text='Tham số của quy tắc, dạng JSON, ví dụ {"min_residence_months": 3}.',
    )
    evidence_valid_days = models.PositiveIntegerField(
        "thời hạn giá trị của minh chứng (ngày)",
        null=True,
        blank=True,
        validators=[MinValueValidator(1, "Thời hạn giá trị của minh chứng phải từ 01 ngày trở lên.")],
        help_text="Minh chứng của tiêu chí này có giá trị trong số ngày này, tính từ ngày tiếp theo ngày "
        "xác nhận; hết thời hạn, tiêu chí lại cần minh chứng mới. Bỏ trống: minh chứng không hết hạn.",
    )

    class Meta:
        verbose_name = "tiêu chí"
        verbose_name_plural = "tiêu chí"
        ordering = ["criteria_set", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["criteria_set", "number"],
                name="criterion_unique_number_in_set",
                violation_error_message="Bộ tiêu chí đã có tiêu chí mang số thứ tự này.",
            ),
            models.CheckConstraint(
                condition=Q(evidence_valid_days__isnull=True) | Q(evidence_valid_days__gte=1),
                name="criterion_evidence_valid_days_positive_check",
                violation_error_message="Thời hạn giá trị của minh chứng phải từ 01 ngày trở lên.",
            ),
        ]

    def __str__(self) -> str:
        return f"Tiêu chí {self.number}"

    @property
    def label(self) -> str:
        return self.short_name or f"TC {self.number}"

    def clean(self) -> None:
        if not self.rule:
            return
        try:
            self.params = rules.validate_params(self.rule, self.params)
        except ValidationError as exc:
            raise ValidationError({"params": exc.messages}) from exc

    def evidence_valid_until(self, attested_on: dt.date) -> dt.date | None:
        """The last day an attestation of `attested_on` satisfies this criterion (None: no expiry).
        A period in days runs from the day after the event (Bộ luật Dân sự 2015, Điều 147)."""
        if self.evidence_valid_days is None:
            return None
        return attested_on + dt.timedelta(days=self.evidence_valid_days)


class EvidenceQuerySet(JurisdictionQuerySet):
    area_path_lookup = "area__path"


def evidence_upload_to(instance: EvidenceAttestation, filename: str) -> str:
    # The stored name carries no personal data: the unit's id and the original extension only.
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return (
        f"criteria/evidence/{instance.area_id}/{dt.date.today():%Y%m%d}-{instance.criterion_id}.{extension}"
    )


EVIDENCE_EXTENSIONS = ["pdf", "jpg", "jpeg", "png"]
EVIDENCE_MAX_BYTES = 10 * 1024 * 1024


class EvidenceAttestation(models.Model):
    """A named officer attests, with a document, that a unit meets a criterion the registers
    cannot decide."""

    area = models.ForeignKey(
        Area, verbose_name="đơn vị", on_delete=models.PROTECT, related_name="attestations"
    )
    criterion = models.ForeignKey(
        Criterion, verbose_name="tiêu chí", on_delete=models.CASCADE, related_name="attestations"
    )
    document = models.FileField(
        "tài liệu minh chứng",
        upload_to=evidence_upload_to,
        validators=[FileExtensionValidator(EVIDENCE_EXTENSIONS, "Chỉ nhận tệp PDF, JPG hoặc PNG.")],
        help_text="Tệp PDF, JPG hoặc PNG, tối đa 10 MB.",
    )
    officer_name = models.CharField("cán bộ xác nhận", max_length=150)
    officer_position = models.CharField("chức vụ", max_length=150, blank=True)
    attested_on = models.DateField("ngày xác nhận")
    note = models.TextField("nội dung xác nhận", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="người tải lên", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("thời điểm tải lên", auto_now_add=True)

    objects = EvidenceQuerySet.as_manager()

    class Meta:
        verbose_name = "minh chứng tiêu chí"
        verbose_name_plural = "minh chứng tiêu chí"
        ordering = ["-attested_on", "-pk"]
        indexes = [
            models.Index(fields=["area", "criterion", "attested_on"], name="evidence_area_crit_date_idx")
        ]

    def __str__(self) -> str:
        return f"Minh chứng {self.criterion} — {self.area} ({self.attested_on:%d/%m/%Y})"

    def get_absolute_url(self) -> str:
        return reverse("criteria:evidence_document", args=[self.pk])
