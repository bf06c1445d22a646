"""The papers of a dossier the app writes itself (tờ trình, báo cáo, biên bản), in the official
form of Nghị định 30/2020.

A paper starts as a draft pre-filled from the registers and the route; its text sections are
edited as plain text. Finalising it numbers it in the issuing body's register of outgoing
documents (`registry`) and stores its PDF with the SHA-256; from then on it is not edited. A
correction is a new paper that replaces it (`replaces`), numbered again.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from areas.models import Body
from dossiers.models import Dossier, DossierScopedQuerySet
from registry.models import OutgoingEntry


class PaperKind(models.TextChoices):
    COMMUNE_SUBMISSION = "commune_submission", "Tờ trình đề nghị thẩm định của UBND cấp xã"
    UNIT_REPORT = "unit_report", "Báo cáo kết quả xây dựng"
    VILLAGE_MINUTES = "village_minutes", "Biên bản họp thôn, bản, tổ dân phố"
    POSTING = "posting", "Biên bản niêm yết công khai"
    REVIEW_MINUTES = "review_minutes", "Biên bản họp xét của UBND cấp xã"
    APPRAISAL_MINUTES = "appraisal_minutes", "Biên bản thẩm định"
    APPRAISAL_SUBMISSION = "appraisal_submission", "Tờ trình đề nghị công nhận của cơ quan thẩm định"


class PaperState(models.TextChoices):
    DRAFT = "draft", "Bản nháp"
    FINAL = "final", "Đã hoàn thành, vào sổ"


def paper_path(instance: Paper, filename: str) -> str:
    return f"papers/{uuid.uuid4().hex}.pdf"


class Paper(models.Model):
    dossier = models.ForeignKey(
        Dossier, verbose_name="hồ sơ", on_delete=models.PROTECT, related_name="papers"
    )
    kind = models.CharField("loại văn bản", max_length=30, choices=PaperKind.choices)
    issuer = models.ForeignKey(
        Body, verbose_name="cơ quan ban hành", on_delete=models.PROTECT, related_name="papers"
    )
    state = models.CharField(
        "tình trạng", max_length=10, choices=PaperState.choices, default=PaperState.DRAFT
    )
    sections = models.JSONField("nội dung các phần", default=dict)
    replaces = models.OneToOneField(
        "self",
        verbose_name="thay thế văn bản",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="replaced_by",
    )
    # Set on a final paper when the final paper replacing it is issued: it stays in the register
    # and on file, but no longer counts as the dossier's paper of its kind.
    superseded_at = models.DateTimeField("bị thay thế lúc", null=True, blank=True)
    issued_on = models.DateField("ngày văn bản", null=True, blank=True)
    entry = models.OneToOneField(
        OutgoingEntry,
        verbose_name="số trong sổ văn bản đi",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="paper",
    )
    file = models.FileField("tệp PDF", upload_to=paper_path, blank=True)
    sha256 = models.CharField(max_length=64, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="người lập", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("lập lúc", default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người sửa lần cuối",
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    updated_at = models.DateTimeField("sửa lần cuối lúc", default=timezone.now)
    finalised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người hoàn thành",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    finalised_at = models.DateTimeField("hoàn thành lúc", null=True, blank=True)

    objects = DossierScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "văn bản của hồ sơ"
        verbose_name_plural = "văn bản của hồ sơ"
        ordering = ["dossier", "created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["dossier", "kind"],
                condition=Q(state="draft"),
                name="paper_one_draft_per_kind",
                violation_error_message="Hồ sơ đã có bản nháp của văn bản này.",
            ),
            models.UniqueConstraint(
                fields=["dossier", "kind"],
                condition=Q(state="final", superseded_at__isnull=True),
                name="paper_one_current_per_kind",
                violation_error_message="Hồ sơ đã có văn bản này; hãy lập văn bản thay thế.",
            ),
            models.CheckConstraint(
                condition=Q(state="draft")
                | (Q(entry__isnull=False) & Q(issued_on__isnull=False) & ~Q(sha256="")),
                name="paper_final_is_numbered_and_stored",
                violation_error_message="Văn bản đã hoàn thành phải có số, ngày và tệp.",
            ),
        ]

    def __str__(self) -> str:
        number = f" số {self.entry.reference}" if self.entry is not None else " (bản nháp)"
        return f"{self.get_kind_display()}{number}"

    def get_absolute_url(self) -> str:
        return reverse("papers:edit", args=[self.pk])

    def file_url(self) -> str:
        return reverse("papers:file", args=[self.pk])

    @property
    def title(self) -> str:
        """What a list of the dossier's documents shows for it (as `DossierDocument.title`)."""
        return str(self)

    @property
    def is_final(self) -> bool:
        return self.state == PaperState.FINAL
