"""The register of outgoing documents (sổ đăng ký văn bản đi) each body keeps.

Every document the app issues for a body — a decision, a tờ trình, a biên bản, a báo cáo — takes
its number here. Numbers run per body and year from 01, in one series or one per kind of document
(`Body.numbers_per_kind`), are never reused, and the database refuses a second entry with the same
number: two signings at the same instant cannot share one.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone

from areas.models import Body

# One series for every kind: the series key is empty.
SINGLE_SERIES = ""


class DocumentKind(models.TextChoices):
    """Kinds of administrative documents and their abbreviations (Nghị định 30/2020, Phụ lục III)."""

    DECISION = "QĐ", "Quyết định"
    SUBMISSION = "TTr", "Tờ trình"
    MINUTES = "BB", "Biên bản"
    REPORT = "BC", "Báo cáo"
    PLAN = "KH", "Kế hoạch"
    NOTICE = "TB", "Thông báo"


class OutgoingEntry(models.Model):
    body = models.ForeignKey(
        Body, verbose_name="cơ quan", on_delete=models.PROTECT, related_name="outgoing_entries"
    )
    year = models.PositiveSmallIntegerField("năm")
    series = models.CharField(
        "sổ",
        max_length=5,
        blank=True,
        editable=False,
        help_text="Trống: một dãy số cho mọi loại văn bản; ngược lại: dãy số riêng của loại này.",
    )
    number = models.PositiveIntegerField("số")
    kind = models.CharField("loại văn bản", max_length=5, choices=DocumentKind.choices)
    issued_on = models.DateField("ngày văn bản")
    summary = models.CharField("trích yếu nội dung", max_length=500)
    reserved_by_hand = models.BooleanField(
        "số giữ chỗ nhập tay",
        default=False,
        help_text="Số đã lấy trong sổ giấy, nhập lại để phần mềm không cấp trùng.",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người lấy số",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("thời điểm lấy số", default=timezone.now)
    # The document that carries the number, once it is issued (a reservation has none yet).
    document_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    document_id = models.PositiveBigIntegerField(null=True, blank=True)
    document = GenericForeignKey("document_type", "document_id")

    class Meta:
        verbose_name = "văn bản đi"
        verbose_name_plural = "sổ đăng ký văn bản đi"
        ordering = ["body", "-year", "series", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["body", "year", "series", "number"],
                name="outgoing_number_unique_per_body_year_series",
                violation_error_message="Số này đã có trong sổ văn bản đi của cơ quan trong năm.",
            ),
            models.UniqueConstraint(
                fields=["document_type", "document_id"],
                name="outgoing_one_number_per_document",
                violation_error_message="Văn bản này đã được vào sổ.",
            ),
            models.CheckConstraint(condition=models.Q(number__gte=1), name="outgoing_number_from_one"),
        ]

    def __str__(self) -> str:
        return f"Số {self.reference} ngày {self.issued_on:%d/%m/%Y}"

    @property
    def reference(self) -> str:
        """The number and symbol as written on the document: "215/QĐ-UBND"."""
        return reference(self.number, self.kind, self.body.symbol)

    @property
    def is_free(self) -> bool:
        """A number reserved by hand that no document has used yet."""
        return self.document_id is None


def reference(number: int, kind: str, symbol: str) -> str:
    """ "05/TTr-CAX" — numbers below 10 written 01…09 (Nghị định 30/2020, Phụ lục I)."""
    return f"{number:02d}/{kind}-{symbol}"
