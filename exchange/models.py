"""Other systems that read from the app: client systems, their access tokens, and the bulk
exports of a whole province.

A token is shown once, when it is issued; the database keeps only its SHA-256 (`secret_hash`) and
a public prefix to find it by. Each token is scoped to one unit: it reads exactly what a user bound
to that unit would see (`areas.jurisdiction`), through `exchange.principal.ScopedPrincipal`.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone

from areas.jurisdiction import JurisdictionQuerySet
from areas.models import Area, Level

# The units a token or an export may be scoped to.
SCOPE_LEVELS = [Level.PROVINCE, Level.DISTRICT, Level.COMMUNE]


class ClientSystem(models.Model):
    """A named system of another body (the province's systems, the national drug database) that
    is issued tokens. Its `account` is an inactive user standing for it in the access log."""

    name = models.CharField("tên hệ thống", max_length=200, unique=True)
    operator = models.CharField(
        "cơ quan quản lý hệ thống", max_length=200, help_text="Cơ quan chịu trách nhiệm về hệ thống kết nối."
    )
    contact = models.CharField("đầu mối liên hệ", max_length=200, blank=True)
    note = models.TextField("ghi chú", blank=True)
    account = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name="tài khoản ghi nhật ký",
        on_delete=models.PROTECT,
        related_name="client_system",
        editable=False,
    )
    created_at = models.DateTimeField("ngày tạo", auto_now_add=True)

    class Meta:
        verbose_name = "hệ thống kết nối"
        verbose_name_plural = "hệ thống kết nối"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ApiTokenQuerySet(JurisdictionQuerySet):
    area_path_lookup = "area__path"


class ApiToken(models.Model):
    client = models.ForeignKey(
        ClientSystem, verbose_name="hệ thống kết nối", on_delete=models.PROTECT, related_name="tokens"
    )
    area = models.ForeignKey(
        Area,
        verbose_name="phạm vi dữ liệu",
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"level__in": SCOPE_LEVELS},
        help_text="Hệ thống chỉ đọc được dữ liệu của đơn vị này và các đơn vị trực thuộc.",
    )
    prefix = models.CharField("mã nhận diện", max_length=16, unique=True, editable=False)
    secret_hash = models.CharField(max_length=64, editable=False)
    personal_data = models.BooleanField(
        "được nhận dữ liệu cá nhân",
        default=False,
        help_text="Họ tên, số CCCD, ngày sinh, địa chỉ, ghi chú. Không chọn: các trường này để trống (null).",
    )
    expires_at = models.DateTimeField("hết hạn lúc")
    rate_per_minute = models.PositiveIntegerField(
        "số lượt gọi tối đa mỗi phút",
        default=120,
        validators=[
            MinValueValidator(1, "Số lượt gọi mỗi phút phải từ 1 trở lên."),
            MaxValueValidator(6000, "Số lượt gọi mỗi phút không quá 6.000."),
        ],
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người cấp",
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField("thời điểm cấp", auto_now_add=True)
    revoked_at = models.DateTimeField("thu hồi lúc", null=True, blank=True, editable=False)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người thu hồi",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    last_used_at = models.DateTimeField("lần gọi gần nhất", null=True, blank=True, editable=False)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = "mã truy cập API"
        verbose_name_plural = "mã truy cập API"
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(rate_per_minute__gte=1),
                name="apitoken_rate_positive_check",
                violation_error_message="Số lượt gọi mỗi phút phải từ 1 trở lên.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.client} — {self.area} ({self.prefix})"

    def clean(self) -> None:
        if self.area_id and self.area.level not in SCOPE_LEVELS:
            raise ValidationError({"area": "Phạm vi dữ liệu phải là tỉnh, huyện hoặc xã."})
        if self.expires_at and self.pk is None and self.expires_at <= timezone.now():
            raise ValidationError({"expires_at": "Thời điểm hết hạn phải sau thời điểm hiện tại."})

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    def is_usable(self, now=None) -> bool:
        return self.revoked_at is None and self.expires_at > (now or timezone.now())

    @property
    def status_label(self) -> str:
        if self.revoked_at is not None:
            return "Đã thu hồi"
        if self.expires_at <= timezone.now():
            return "Đã hết hạn"
        return "Đang hiệu lực"


class ExportStatus(models.TextChoices):
    QUEUED = "queued", "Đang chờ xử lý"
    RUNNING = "running", "Đang tạo tệp"
    DONE = "done", "Đã hoàn thành"
    FAILED = "failed", "Lỗi"


class BulkExportQuerySet(JurisdictionQuerySet):
    area_path_lookup = "province__path"


def export_file_path(instance: BulkExport, filename: str) -> str:
    return f"exports/{instance.province_id}/export-{instance.pk}.zip"


class BulkExport(models.Model):
    """The registers of a whole province as JSON Lines, one file per kind, in one zip."""

    province = models.ForeignKey(
        Area,
        verbose_name="tỉnh, thành phố",
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"level": Level.PROVINCE},
    )
    personal_data = models.BooleanField(
        "kèm dữ liệu cá nhân",
        default=False,
        help_text="Họ tên, số CCCD, ngày sinh, địa chỉ, ghi chú. Không chọn: các trường này để trống (null).",
    )
    status = models.CharField(
        "trạng thái", max_length=10, choices=ExportStatus.choices, default=ExportStatus.QUEUED
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="người yêu cầu", on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField("thời điểm yêu cầu", default=timezone.now)
    started_at = models.DateTimeField("bắt đầu", null=True, blank=True)
    finished_at = models.DateTimeField("hoàn thành", null=True, blank=True)
    attempts = models.PositiveSmallIntegerField("số lần tạo", default=0)
    counts = models.JSONField("số bản ghi theo loại", null=True, blank=True, editable=False)
    file = models.FileField("tệp zip", upload_to=export_file_path, blank=True, editable=False)
    size = models.PositiveBigIntegerField("dung lượng (byte)", null=True, blank=True, editable=False)
    sha256 = models.CharField(max_length=64, blank=True, editable=False)
    error = models.TextField("lỗi", blank=True)

    objects = BulkExportQuerySet.as_manager()

    class Meta:
        verbose_name = "bản xuất dữ liệu toàn tỉnh"
        verbose_name_plural = "bản xuất dữ liệu toàn tỉnh"
        ordering = ["-requested_at", "-pk"]

    def __str__(self) -> str:
        return f"Bản xuất dữ liệu {self.province} ({self.requested_at:%d/%m/%Y %H:%M})"

    @property
    def is_pending(self) -> bool:
        return self.status in (ExportStatus.QUEUED, ExportStatus.RUNNING)
