"""Field verifications, reconciliation rounds (đợt rà soát) and the monthly quality snapshots.

A verification records that an officer checked a person against reality on a date, with an
outcome; a round is a superior body's call to its communes to verify everyone by a due date;
each commune works and closes its own part. The “sống” indicator (`quality.checks`) reads the
latest verification of each person.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from areas.jurisdiction import JurisdictionQuerySet
from areas.models import Area, Body
from subjects.models import Ordered, Person, register_date

from .checks import Indicator


class Outcome(models.TextChoices):
    CONFIRMED = "confirmed", "Đúng thực tế"
    CHANGED = "changed", "Có thay đổi, đã cập nhật"
    MOVED = "moved", "Đã chuyển đi nơi khác"
    DEAD = "dead", "Đã chết"
    NOT_FOUND = "not_found", "Không tìm thấy"


# Column heads of the round summaries (the full labels are too long for a table of communes).
OUTCOME_HEADS = {
    Outcome.CONFIRMED: "Đúng thực tế",
    Outcome.CHANGED: "Có thay đổi",
    Outcome.MOVED: "Chuyển đi",
    Outcome.DEAD: "Đã chết",
    Outcome.NOT_FOUND: "Không tìm thấy",
}

# Outcomes after which the person's record should no longer be kept as an active one.
GONE_OUTCOMES = frozenset({Outcome.MOVED, Outcome.DEAD})


class ReconciliationRoundQuerySet(JurisdictionQuerySet):
    area_path_lookup = "area__path"


class ReconciliationRound(models.Model):
    """A round opened by a superior body (district or province police) for communes under it."""

    title = models.CharField("tên đợt rà soát", max_length=200)
    body = models.ForeignKey(Body, verbose_name="cơ quan mở đợt", on_delete=models.PROTECT, related_name="+")
    area = models.ForeignKey(Area, verbose_name="địa bàn", on_delete=models.PROTECT, related_name="+")
    starts_on = models.DateField("từ ngày", validators=[register_date])
    due_on = models.DateField("hạn hoàn thành")
    instructions = models.TextField("yêu cầu", max_length=2000, blank=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="người mở", on_delete=models.PROTECT, related_name="+"
    )
    opened_at = models.DateTimeField("thời điểm mở", default=timezone.now)
    closed_at = models.DateTimeField("thời điểm kết thúc", null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người kết thúc",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects = ReconciliationRoundQuerySet.as_manager()
    period = Ordered("starts_on", "due_on", "Hạn hoàn thành không được trước ngày bắt đầu.")

    class Meta:
        verbose_name = "đợt rà soát"
        verbose_name_plural = "đợt rà soát"
        ordering = ["-starts_on", "-pk"]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        if error := self.period.error(self):
            raise ValidationError({"due_on": error})

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None


class RoundPartQuerySet(JurisdictionQuerySet):
    area_path_lookup = "commune__path"


class RoundPart(models.Model):
    """One commune's part of a round: its due date and when it closed it."""

    round = models.ForeignKey(
        ReconciliationRound, verbose_name="đợt rà soát", on_delete=models.CASCADE, related_name="parts"
    )
    commune = models.ForeignKey(Area, verbose_name="xã", on_delete=models.PROTECT, related_name="+")
    due_on = models.DateField("hạn hoàn thành")
    closed_at = models.DateTimeField("thời điểm xã kết thúc", null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người kết thúc",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects = RoundPartQuerySet.as_manager()

    class Meta:
        verbose_name = "phần rà soát của xã"
        verbose_name_plural = "phần rà soát của xã"
        ordering = ["round", "commune__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "commune"],
                name="roundpart_one_per_commune",
                violation_error_message="Xã này đã có trong đợt rà soát.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.round} — {self.commune}"

    def is_late(self, today) -> bool:
        """Closed after its due date, or still open past it."""
        if self.closed_at is not None:
            return timezone.localtime(self.closed_at).date() > self.due_on
        return today > self.due_on


class FieldVerificationQuerySet(JurisdictionQuerySet):
    area_path_lookup = "person__village__path"


class FieldVerification(models.Model):
    """A person checked against reality (đã xác minh thực tế) on a date by an officer."""

    person = models.ForeignKey(
        Person, verbose_name="đối tượng", on_delete=models.CASCADE, related_name="verifications"
    )
    part = models.ForeignKey(
        RoundPart,
        verbose_name="đợt rà soát",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="verifications",
    )
    verified_on = models.DateField("ngày xác minh", validators=[register_date])
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="cán bộ xác minh", on_delete=models.PROTECT, related_name="+"
    )
    outcome = models.CharField("kết quả", max_length=10, choices=Outcome.choices)
    note = models.CharField("nội dung thay đổi / ghi chú", max_length=500, blank=True)
    recorded_at = models.DateTimeField("thời điểm ghi", default=timezone.now)

    objects = FieldVerificationQuerySet.as_manager()

    class Meta:
        verbose_name = "xác minh thực tế"
        verbose_name_plural = "xác minh thực tế"
        ordering = ["-verified_on", "-pk"]
        indexes = [models.Index(fields=["person", "verified_on"], name="verification_person_day_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["part", "person"],
                condition=Q(part__isnull=False),
                name="verification_one_per_person_and_round",
                violation_error_message="Đối tượng này đã được xác minh trong đợt rà soát này.",
            ),
        ]

    def __str__(self) -> str:
        return f"Xác minh {self.verified_on:%d/%m/%Y}: {self.get_outcome_display()}"


class SnapshotQuerySet(JurisdictionQuerySet):
    area_path_lookup = "area__path"


class QualitySnapshot(models.Model):
    """A commune's quality scores for a month (the last computation in the month stands)."""

    area = models.ForeignKey(Area, verbose_name="xã", on_delete=models.CASCADE, related_name="+")
    month = models.DateField("tháng", help_text="Ngày đầu tháng.")
    score_correct = models.DecimalField("đúng (%)", max_digits=5, decimal_places=1)
    score_complete = models.DecimalField("đủ (%)", max_digits=5, decimal_places=1)
    score_clean = models.DecimalField("sạch (%)", max_digits=5, decimal_places=1)
    score_live = models.DecimalField("sống (%)", max_digits=5, decimal_places=1)
    overall = models.DecimalField("chung (%)", max_digits=5, decimal_places=1)
    records = models.PositiveIntegerField("số bản ghi kiểm tra")
    defects = models.PositiveIntegerField("số bản ghi cần sửa")
    computed_at = models.DateTimeField("thời điểm tính", default=timezone.now)

    objects = SnapshotQuerySet.as_manager()

    class Meta:
        verbose_name = "chất lượng dữ liệu theo tháng"
        verbose_name_plural = "chất lượng dữ liệu theo tháng"
        ordering = ["area", "-month"]
        constraints = [
            models.UniqueConstraint(
                fields=["area", "month"],
                name="snapshot_one_per_area_month",
                violation_error_message="Đơn vị đã có số liệu chất lượng của tháng này.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.area} {self.month:%m/%Y}: {self.overall} %"

    def indicator_scores(self) -> list[tuple[str, Any]]:
        """(label, score) of each indicator, in the indicators' order."""
        values = {
            Indicator.CORRECT: self.score_correct,
            Indicator.COMPLETE: self.score_complete,
            Indicator.CLEAN: self.score_clean,
            Indicator.LIVE: self.score_live,
        }
        return [(indicator.label, values[indicator]) for indicator in Indicator]
