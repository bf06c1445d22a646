"""Programmes (kế hoạch): what each jurisdiction's own plan decides, as data.

A programme is issued by a body for the units of a subtree and is valid between two dates. For
those units and that time it says which documents the papers cite (legal bases), which criteria
sets score villages and communes, which bodies prepare, review, appraise, give opinions, vote and
decide (the route), how long each step may take, when the periodic reports close their figures
and fall due, and the phases with their targets. Nothing of this is code: a province with another
plan is configured in the admin. The unit's governing programme on a date is the nearest one
above it (`programmes.selectors.governing_programme`).

This app sits below the criteria engine, the dossiers and the reports: it imports only `areas`.
Its criteria-set fields name `criteria.CriteriaSet` lazily, so no Python import goes upward.
"""

from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse

from areas.jurisdiction import JurisdictionQuerySet
from areas.models import Area, Body, BodyKind, Level, commune_level_words


def long_date(day: dt.date) -> str:
    """ "ngày 24 tháng 5 năm 2024" (a day below 10 and months 1–2 with a leading 0)."""
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"ngày {day.day:02d} tháng {month} năm {day.year}"


class TargetLevel(models.TextChoices):
    VILLAGE = "village", "Thôn, bản, tổ dân phố"
    COMMUNE = "commune", "Xã, phường, thị trấn, đặc khu"


class TargetKind(models.TextChoices):
    COUNT = "count", "Số đơn vị"
    PERCENT = "percent", "Tỷ lệ %"


def unit_words(level: str, day: dt.date) -> str:
    """How a count of units reads in a sentence on `day`: "27/170 thôn, bản", "3/17 xã, thị trấn"
    (before 01/7/2025), "3/51 xã, phường, đặc khu" (after)."""
    if level == TargetLevel.VILLAGE:
        return "thôn, bản"
    return commune_level_words(day)


def required_count(kind: str, value: Decimal, total: int) -> int:
    """The number of units a target asks for out of `total`: a count as it is, a percentage
    rounded up (at least 60 % of 17 communes is 11, not 10.2)."""
    if kind == TargetKind.COUNT:
        return int(value)
    return math.ceil(Decimal(value) * total / 100 - Decimal("1e-9"))


PERCENT_OVER_100 = "Tỷ lệ chỉ tiêu không vượt quá 100 %."


def percent_at_most_100(name: str) -> models.CheckConstraint:
    """A target given as a percentage is at most 100 (phases and provinces' yearly targets)."""
    return models.CheckConstraint(
        condition=~Q(target_kind="percent") | Q(target_value__lte=100),
        name=name,
        violation_error_message=PERCENT_OVER_100,
    )


def check_percent(target_kind: str, target_value: Decimal | None) -> None:
    """The same rule in `clean()`, reported on the target's value."""
    if target_kind == TargetKind.PERCENT and target_value is not None and target_value > 100:
        raise ValidationError({"target_value": PERCENT_OVER_100})


class ReportKind(models.TextChoices):
    SIX_MONTH = "six_month", "Báo cáo 06 tháng"
    ANNUAL = "annual", "Báo cáo năm"
    PHASE_SUMMARY = "phase_summary", "Báo cáo sơ kết giai đoạn"
    FINAL_SUMMARY = "final_summary", "Báo cáo tổng kết"
    ACTION_MONTH = "action_month", "Báo cáo Tháng hành động phòng, chống ma túy"


class ProgrammeQuerySet(JurisdictionQuerySet):
    area_path_lookup = "issuing_unit__path"

    def valid_on(self, day: dt.date) -> ProgrammeQuerySet:
        return self.filter(is_active=True, valid_from__lte=day).filter(
            Q(valid_until__isnull=True) | Q(valid_until__gte=day)
        )


class Programme(models.Model):
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
        related_name="programmes",
        limit_choices_to={"level__in": [Level.PROVINCE, Level.DISTRICT, Level.COMMUNE]},
        help_text="Kế hoạch áp dụng cho đơn vị này và mọi đơn vị trực thuộc.",
    )
    signed_on = models.DateField("ngày ký", null=True, blank=True)
    title = models.CharField("trích yếu", max_length=500)
    valid_from = models.DateField("áp dụng từ ngày")
    valid_until = models.DateField(
        "áp dụng đến ngày", null=True, blank=True, help_text="Bỏ trống: chưa có ngày kết thúc."
    )
    is_active = models.BooleanField(
        "đang áp dụng", default=True, help_text="Bỏ chọn để ngừng dùng kế hoạch mà không xóa."
    )
    village_criteria_set = models.ForeignKey(
        "criteria.CriteriaSet",
        verbose_name="bộ tiêu chí cho thôn, bản, tổ dân phố",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="village_programmes",
    )
    commune_criteria_set = models.ForeignKey(
        "criteria.CriteriaSet",
        verbose_name="bộ tiêu chí cho xã, phường, đặc khu",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="commune_programmes",
    )
    village_meeting_required = models.BooleanField(
        "họp thôn, bản, tổ dân phố trước khi xã họp xét",
        default=False,
        help_text="Chọn nếu hồ sơ của thôn, bản phải có biên bản họp thôn, bản.",
    )
    posting_days = models.PositiveSmallIntegerField(
        "số ngày niêm yết công khai",
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
        help_text="Hồ sơ của thôn, bản phải có biên bản niêm yết công khai trong số ngày này. "
        "Bỏ trống nếu kế hoạch không yêu cầu niêm yết.",
    )
    note = models.TextField(
        "ghi chú",
        blank=True,
        help_text="Nêu rõ phần nào là cấu hình minh họa khi chưa có văn bản gốc.",
    )
    is_demo = models.BooleanField("dữ liệu minh họa", default=False)
    # Data quality (“đúng, đủ, sạch, sống”, `quality.checks`): the windows the plan sets for its
    # units. Empty: the check that needs the window is not run and the quality page says so.
    test_window_days = models.PositiveSmallIntegerField(
        "xét nghiệm định kỳ trong (ngày)",
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text="Người sử dụng, người nghiện, người sau cai, người bị nghi phải có kết quả xét nghiệm "
        "trong số ngày này (chỉ số “đủ”). Ghi rõ trong ghi chú nếu đây là cấu hình minh họa.",
    )
    field_check_days = models.PositiveSmallIntegerField(
        "xác minh thực tế trong (ngày)",
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text="Mỗi đối tượng phải được xác minh thực tế tại địa bàn trong số ngày này (chỉ số “sống”).",
    )
    absent_check_days = models.PositiveSmallIntegerField(
        "kiểm tra người vắng mặt trong (ngày)",
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text="Người vắng mặt, không rõ nơi ở phải được kiểm tra lại trong số ngày này (chỉ số “sống”).",
    )

    objects = ProgrammeQuerySet.as_manager()

    class Meta:
        verbose_name = "kế hoạch"
        verbose_name_plural = "kế hoạch"
        ordering = ["-valid_from", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["issuing_unit", "number", "signed_on"],
                name="programme_unique_number_per_unit_and_date",
                violation_error_message="Địa bàn này đã có kế hoạch mang số, ký hiệu và ngày ký này.",
            ),
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=models.F("valid_from")),
                name="programme_valid_until_after_from_check",
                violation_error_message="Ngày kết thúc áp dụng không được trước ngày bắt đầu.",
            ),
        ]

    def __str__(self) -> str:
        signed = f" ngày {self.signed_on:%d/%m/%Y}" if self.signed_on else ""
        return f"Kế hoạch số {self.number}{signed}"

    def get_absolute_url(self) -> str:
        return reverse("reports:plan", args=[self.pk])

    def clean(self) -> None:
        if self.valid_from and self.valid_until and self.valid_until < self.valid_from:
            raise ValidationError({"valid_until": "Ngày kết thúc áp dụng không được trước ngày bắt đầu."})
        for field in ("village_criteria_set", "commune_criteria_set"):
            criteria_set = getattr(self, field)
            if criteria_set is None or self.issuing_unit_id is None:
                continue
            bound = criteria_set.jurisdiction
            if bound is not None and not self.issuing_unit.path.startswith(bound.path):
                raise ValidationError(
                    {
                        field: f"Bộ tiêu chí “{criteria_set}” chỉ áp dụng trong {bound}, không dùng cho {self.issuing_unit}."
                    }
                )
        if self.is_active and self.issuing_unit_id and self.valid_from:
            overlapping = Programme.objects.filter(
                issuing_unit_id=self.issuing_unit_id, is_active=True
            ).exclude(pk=self.pk)
            end = self.valid_until or dt.date.max
            overlapping = overlapping.filter(valid_from__lte=end).filter(
                Q(valid_until__isnull=True) | Q(valid_until__gte=self.valid_from)
            )
            clash = overlapping.first()
            if clash is not None:
                raise ValidationError(
                    f"{self.issuing_unit} đã có {clash} đang áp dụng trong cùng thời gian; "
                    "hãy đặt ngày kết thúc cho kế hoạch cũ hoặc ngừng áp dụng."
                )

    def is_valid_on(self, day: dt.date) -> bool:
        return (
            self.is_active
            and self.valid_from <= day
            and (self.valid_until is None or self.valid_until >= day)
        )

    def criteria_set_id_for(self, level: str) -> int | None:
        if level == Level.VILLAGE:
            return self.village_criteria_set_id
        if level == Level.COMMUNE:
            return self.commune_criteria_set_id
        return None

    def basis_lines(self, day: dt.date) -> list[str]:
        """The "Căn cứ …" lines a paper issued under this programme on `day` cites, in order."""
        return [basis.citation for basis in self.legal_bases.all() if basis.cited_on(day)]

    def basis_references(self, day: dt.date) -> list[str]:
        """The same documents as `basis_lines`, without "Căn cứ" (for "Thực hiện …" sentences)."""
        return [basis.reference for basis in self.legal_bases.all() if basis.cited_on(day)]


class LegalBasis(models.Model):
    """One document a programme's papers cite ("Căn cứ …")."""

    programme = models.ForeignKey(
        Programme, verbose_name="kế hoạch", on_delete=models.CASCADE, related_name="legal_bases"
    )
    position = models.PositiveSmallIntegerField("thứ tự", default=1)
    document_kind = models.CharField(
        "loại văn bản", max_length=50, help_text="Luật, Nghị định, Quyết định, Kế hoạch, Hướng dẫn…"
    )
    number = models.CharField("số, ký hiệu", max_length=50, blank=True)
    issued_on = models.DateField("ngày ban hành", null=True, blank=True)
    issuer = models.CharField("cơ quan ban hành", max_length=200, blank=True)
    title = models.CharField(
        "tên hoặc trích yếu",
        max_length=500,
        help_text="Với luật: tên luật (“Tổ chức chính quyền địa phương”); văn bản khác: “về việc …”.",
    )
    cited_from = models.DateField(
        "trích dẫn từ ngày", null=True, blank=True, help_text="Bỏ trống: từ khi kế hoạch có hiệu lực."
    )
    cited_until = models.DateField(
        "trích dẫn đến ngày",
        null=True,
        blank=True,
        help_text="Ví dụ Luật Tổ chức chính quyền địa phương 2015 được trích dẫn đến 30/6/2025.",
    )

    class Meta:
        verbose_name = "căn cứ pháp lý"
        verbose_name_plural = "căn cứ pháp lý"
        ordering = ["programme", "position", "pk"]

    def __str__(self) -> str:
        return self.citation

    def cited_on(self, day: dt.date) -> bool:
        return (self.cited_from is None or self.cited_from <= day) and (
            self.cited_until is None or self.cited_until >= day
        )

    @property
    def reference(self) -> str:
        """A law reads "Luật Tổ chức chính quyền địa phương ngày 16 tháng 6 năm 2025"; any other
        document "Kế hoạch số 1246/KH-UBND ngày 09 tháng 4 năm 2024 của UBND tỉnh Lai Châu về …"."""
        date = f" {long_date(self.issued_on)}" if self.issued_on else ""
        if not self.number:
            return f"{self.document_kind} {self.title}{date}".strip()
        issuer = f" của {self.issuer}" if self.issuer else ""
        return f"{self.document_kind} số {self.number}{date}{issuer} {self.title}".strip()

    @property
    def citation(self) -> str:
        return f"Căn cứ {self.reference}"


class RouteFunction(models.TextChoices):
    PREPARE = "prepare", "Lập hồ sơ"
    REVIEW = "review", "Xét duyệt, đề nghị (cấp xã)"
    APPRAISE = "appraise", "Chủ trì thẩm định"
    CO_APPRAISE = "co_appraise", "Phối hợp thẩm định"
    COUNCIL = "council", "Hội đồng xét duyệt"
    DECIDE = "decide", "Quyết định công nhận"


# Functions whose body is the dossier's own commune (its police, its committee): no body is named.
COMMUNE_FUNCTIONS = {RouteFunction.PREPARE, RouteFunction.REVIEW}
# Functions a route must name exactly one body for, at each level it covers.
SINGLE_BODY_FUNCTIONS = {RouteFunction.APPRAISE, RouteFunction.DECIDE, RouteFunction.COUNCIL}
REQUIRED_FUNCTIONS = {RouteFunction.APPRAISE, RouteFunction.DECIDE}
FUNCTION_BODY_KINDS = {
    RouteFunction.APPRAISE: BodyKind.POLICE,
    RouteFunction.CO_APPRAISE: BodyKind.DEPARTMENT,
    RouteFunction.COUNCIL: BodyKind.COUNCIL,
    RouteFunction.DECIDE: BodyKind.COMMITTEE,
}


class RouteStep(models.Model):
    """Who takes one function of the route for the programme's villages or communes, and how many
    days the step may take (none: the programme sets no deadline and none is shown)."""

    programme = models.ForeignKey(
        Programme, verbose_name="kế hoạch", on_delete=models.CASCADE, related_name="route_steps"
    )
    unit_level = models.CharField("hồ sơ của", max_length=10, choices=TargetLevel.choices)
    function = models.CharField("nhiệm vụ", max_length=20, choices=RouteFunction.choices)
    body = models.ForeignKey(
        Body,
        verbose_name="cơ quan",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="route_steps",
        help_text="Bỏ trống với “Lập hồ sơ” và “Xét duyệt” (Công an xã, UBND xã của chính đơn vị).",
    )
    deadline_days = models.PositiveSmallIntegerField(
        "thời hạn (ngày)",
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
        help_text="Bỏ trống nếu kế hoạch không quy định thời hạn.",
    )

    class Meta:
        verbose_name = "bước của quy trình công nhận"
        verbose_name_plural = "quy trình công nhận"
        ordering = ["programme", "unit_level", "function", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "unit_level", "function", "body"],
                name="route_step_unique",
                violation_error_message="Kế hoạch đã có bước này cho cơ quan này.",
            ),
            models.UniqueConstraint(
                fields=["programme", "unit_level", "function"],
                condition=Q(function__in=["prepare", "review", "appraise", "council", "decide"]),
                name="route_step_one_body_per_function",
                violation_error_message="Mỗi cấp hồ sơ chỉ có một cơ quan cho nhiệm vụ này.",
            ),
        ]

    def __str__(self) -> str:
        who = self.body.name if self.body is not None else "đơn vị cấp xã"
        return f"{self.get_function_display()} ({self.get_unit_level_display().lower()}): {who}"

    def clean(self) -> None:
        if self.function in COMMUNE_FUNCTIONS:
            if self.body_id is not None:
                raise ValidationError({"body": "Bước này do chính xã thực hiện; không chọn cơ quan."})
            return
        body = self.body
        if body is None:
            raise ValidationError({"body": "Hãy chọn cơ quan thực hiện bước này."})
        wanted = FUNCTION_BODY_KINDS[RouteFunction(self.function)]
        if body.kind != wanted:
            raise ValidationError(
                {"body": f"“{self.get_function_display()}” do {BodyKind(wanted).label.lower()} thực hiện."}
            )
        # A body acts for the units under its own unit: the programme's units must be among them.
        if self.programme_id and not self.programme.issuing_unit.path.startswith(body.area.path):
            raise ValidationError({"body": f"{body} không có thẩm quyền trên địa bàn của kế hoạch."})


class ReportingWindow(models.Model):
    """When a periodic report's figures open and close, and when it is due, as the programme sets
    it (e.g. 6-month figures 15/12 of the year before to 14/6, due 20/6)."""

    programme = models.ForeignKey(
        Programme, verbose_name="kế hoạch", on_delete=models.CASCADE, related_name="reporting_windows"
    )
    kind = models.CharField(
        "loại báo cáo",
        max_length=20,
        choices=[
            (k.value, k.label) for k in (ReportKind.SIX_MONTH, ReportKind.ANNUAL, ReportKind.ACTION_MONTH)
        ],
    )
    opens_previous_year = models.BooleanField(
        "số liệu bắt đầu từ năm trước", default=False, help_text="Ví dụ từ 15/12 năm trước."
    )
    opens_month = models.PositiveSmallIntegerField(
        "số liệu từ tháng", validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    opens_day = models.PositiveSmallIntegerField(
        "số liệu từ ngày", validators=[MinValueValidator(1), MaxValueValidator(31)]
    )
    closes_month = models.PositiveSmallIntegerField(
        "số liệu đến tháng", validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    closes_day = models.PositiveSmallIntegerField(
        "số liệu đến ngày", validators=[MinValueValidator(1), MaxValueValidator(31)]
    )
    due_month = models.PositiveSmallIntegerField(
        "hạn gửi: tháng", validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    due_day = models.PositiveSmallIntegerField(
        "hạn gửi: ngày", validators=[MinValueValidator(1), MaxValueValidator(31)]
    )
    commune_due_month = models.PositiveSmallIntegerField(
        "hạn gửi của cấp xã: tháng",
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
        help_text="Khi cấp xã gửi sớm hơn để cấp trên tổng hợp (ví dụ Tháng hành động: xã trước 02/7, "
        "thành phố trước 08/7). Bỏ trống: cùng hạn với đơn vị ban hành kế hoạch.",
    )
    commune_due_day = models.PositiveSmallIntegerField(
        "hạn gửi của cấp xã: ngày",
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(31)],
    )

    class Meta:
        verbose_name = "lịch báo cáo"
        verbose_name_plural = "lịch báo cáo"
        ordering = ["programme", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "kind"],
                name="reporting_window_one_per_kind",
                violation_error_message="Kế hoạch đã có lịch cho loại báo cáo này.",
            )
        ]

    def __str__(self) -> str:
        text = f"{self.get_kind_display()}: số liệu {self.opens_day:02d}/{self.opens_month:02d} – {self.closes_day:02d}/{self.closes_month:02d}, hạn {self.due_day:02d}/{self.due_month:02d}"
        if self.commune_due_month and self.commune_due_day:
            text += f" (cấp xã: {self.commune_due_day:02d}/{self.commune_due_month:02d})"
        return text

    def clean(self) -> None:
        for month, day, field in (
            (self.opens_month, self.opens_day, "opens_day"),
            (self.closes_month, self.closes_day, "closes_day"),
            (self.due_month, self.due_day, "due_day"),
            (self.commune_due_month, self.commune_due_day, "commune_due_day"),
        ):
            if month and day:
                try:
                    dt.date(2024, month, day)  # a leap year admits 29/02
                except ValueError as exc:
                    raise ValidationError({field: f"Ngày {day:02d}/{month:02d} không có thật."}) from exc
        if (self.commune_due_month is None) != (self.commune_due_day is None):
            raise ValidationError(
                {"commune_due_day": "Hạn gửi của cấp xã cần cả ngày và tháng (hoặc bỏ trống cả hai)."}
            )

    def window(self, year: int, level: str | None = None) -> tuple[dt.date, dt.date, dt.date]:
        """(first day of figures, last day of figures, due date) of the report of `year`; for a
        commune (`level`) the commune's own due date where the calendar sets one."""
        opens_year = year - 1 if self.opens_previous_year else year
        month, day = self.due_month, self.due_day
        if level == Level.COMMUNE and self.commune_due_month and self.commune_due_day:
            month, day = self.commune_due_month, self.commune_due_day
        due_year = year if (month, day) >= (self.closes_month, self.closes_day) else year + 1
        return (
            _day(opens_year, self.opens_month, self.opens_day),
            _day(year, self.closes_month, self.closes_day),
            _day(due_year, month, day),
        )


def _day(year: int, month: int, day: int) -> dt.date:
    try:
        return dt.date(year, month, day)
    except ValueError:  # 29/02 in a common year
        return dt.date(year, month, day - 1)


class PhaseQuerySet(JurisdictionQuerySet):
    area_path_lookup = "programme__issuing_unit__path"


class Phase(models.Model):
    programme = models.ForeignKey(
        Programme, verbose_name="kế hoạch", on_delete=models.CASCADE, related_name="phases"
    )
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
        ordering = ["programme", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "number"],
                name="phase_unique_number_in_programme",
                violation_error_message="Kế hoạch đã có giai đoạn mang số này.",
            ),
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")),
                name="programme_phase_ends_after_start_check",
                violation_error_message="Ngày kết thúc giai đoạn không được trước ngày bắt đầu.",
            ),
            percent_at_most_100("programme_phase_percent_at_most_100_check"),
        ]

    def __str__(self) -> str:
        return f"{self.name} — {self.programme.number}"

    def clean(self) -> None:
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": "Ngày kết thúc giai đoạn không được trước ngày bắt đầu."})
        check_percent(self.target_kind, self.target_value)
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
                name="programme_province_target_one_per_year",
                violation_error_message="Tỉnh đã đăng ký chỉ tiêu cho năm này.",
            ),
            percent_at_most_100("programme_province_target_percent_at_most_100_check"),
        ]

    def __str__(self) -> str:
        return f"{self.province} — năm {self.year}"

    def clean(self) -> None:
        if self.province_id and self.province.level != Level.PROVINCE:
            raise ValidationError({"province": "Chỉ tiêu năm được đăng ký cho cấp tỉnh."})
        check_percent(self.target_kind, self.target_value)


def component_kinds() -> list[tuple[str, str]]:
    """The kinds of paper a dossier holds (`dossiers.DocumentKind`), read lazily: this app sits
    below the dossiers and names them only here."""
    from dossiers.models import DocumentKind

    return list(DocumentKind.choices)


class RequiredComponent(models.Model):
    """A paper the programme requires in a village's or a commune's dossier before it goes up
    (from the commune police to the commune chair, and from the chair to the appraising body)."""

    programme = models.ForeignKey(
        Programme, verbose_name="kế hoạch", on_delete=models.CASCADE, related_name="required_components"
    )
    unit_level = models.CharField("hồ sơ của", max_length=10, choices=TargetLevel.choices)
    kind = models.CharField("thành phần hồ sơ", max_length=20, choices=component_kinds)
    note = models.CharField(
        "ghi chú",
        max_length=300,
        blank=True,
        help_text="Nêu văn bản quy định thành phần này, hoặc “cấu hình minh họa” khi chưa có văn bản gốc.",
    )
    is_demo = models.BooleanField("cấu hình minh họa", default=False)

    class Meta:
        verbose_name = "thành phần hồ sơ bắt buộc"
        verbose_name_plural = "thành phần hồ sơ bắt buộc"
        ordering = ["programme", "unit_level", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "unit_level", "kind"],
                name="required_component_unique",
                violation_error_message="Kế hoạch đã yêu cầu thành phần này cho cấp hồ sơ này.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.get_unit_level_display().lower()})"
