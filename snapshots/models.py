"""Dated score snapshots: what the nightly scoring found for each village and commune.

The province and national roll-ups read these rows instead of re-scoring the country live; a
unit's own scorecard (the criteria pages, a dossier) is still scored live. One row per unit and
day: the nightly run upserts on (unit, day), so running a province twice, or again after its
worker died, leaves the same rows.
"""

from __future__ import annotations

from django.db import models

from areas.jurisdiction import JurisdictionQuerySet
from areas.models import Area
from criteria.models import CriteriaSet
from criteria.scoring import Status
from programmes.models import Programme


class SnapshotQuerySet(JurisdictionQuerySet):
    area_path_lookup = "area__path"


class ScoreSnapshot(models.Model):
    area = models.ForeignKey(Area, verbose_name="đơn vị", on_delete=models.CASCADE, related_name="snapshots")
    # The unit's province and level, copied so a national roll-up groups without joining the tree.
    province = models.ForeignKey(
        Area, verbose_name="tỉnh, thành phố", on_delete=models.CASCADE, related_name="+"
    )
    level = models.CharField("cấp", max_length=10)
    day = models.DateField("ngày chấm")
    status = models.CharField("kết quả", max_length=20, choices=Status.choices)
    has_criteria = models.BooleanField(
        "có bộ tiêu chí áp dụng", default=True, help_text="Sai khi chưa có kế hoạch hoặc bộ tiêu chí áp dụng."
    )
    recognised = models.BooleanField(
        "đang được công nhận", default=False, help_text="Có quyết định công nhận còn hiệu lực vào ngày chấm."
    )
    met_count = models.PositiveSmallIntegerField("số tiêu chí đạt", default=0)
    criteria_count = models.PositiveSmallIntegerField("số tiêu chí", default=0)
    not_met_count = models.PositiveSmallIntegerField("số tiêu chí chưa đạt", default=0)
    needs_evidence_count = models.PositiveSmallIntegerField("số tiêu chí cần minh chứng", default=0)
    failing_count = models.PositiveIntegerField("số bản ghi làm chưa đạt", default=0)
    # Per criterion: {"number", "status", "figures", "failing"} (a count, never names).
    results = models.JSONField("kết quả từng tiêu chí", default=list)
    criteria_set = models.ForeignKey(
        CriteriaSet,
        verbose_name="bộ tiêu chí",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    programme = models.ForeignKey(
        Programme, verbose_name="kế hoạch", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    computed_at = models.DateTimeField("thời điểm chấm")

    objects = SnapshotQuerySet.as_manager()

    class Meta:
        verbose_name = "kết quả chấm điểm theo ngày"
        verbose_name_plural = "kết quả chấm điểm theo ngày"
        constraints = [
            models.UniqueConstraint(
                fields=["area", "day"],
                name="snapshot_one_per_unit_and_day",
                violation_error_message="Đơn vị đã có kết quả chấm điểm của ngày này.",
            ),
            models.CheckConstraint(
                condition=models.Q(met_count__lte=models.F("criteria_count")),
                name="snapshot_met_at_most_criteria_check",
                violation_error_message="Số tiêu chí đạt không thể lớn hơn số tiêu chí.",
            ),
        ]
        # The national roll-up: commune-level rows of a few days, grouped by province.
        indexes = [models.Index(fields=["level", "day", "province"], name="snapshot_level_day_province")]

    def __str__(self) -> str:
        return f"{self.area_id} {self.day:%d/%m/%Y}: {self.get_status_display()}"

    @property
    def passed(self) -> bool:
        return self.status == Status.MET
