"""The registers the criteria are computed from (domain brief §3).

Every fact that changes over time carries its own dates (a status from/to, a file opened/closed,
a treatment start/end, a point found/eliminated), so the state of a unit on any past date can be
computed. Every register keeps a change history (who, when, before, after) through
django-simple-history, and is reached only through `visible_to(user)`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

from django import forms
from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.core.validators import MaxLengthValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from areas.jurisdiction import JurisdictionQuerySet
from areas.models import Area

from .text import clean_cccd, clean_line, has_letter, is_cccd, mask_cccd, normalise_name, tidy_name

VILLAGE_ONLY = {"level": "village"}
EARLIEST_YEAR = 1900
NOTE_MAX_LENGTH = 2000

# ---------------------------------------------------------------- the rules of one value
# Each rule is defined once here; the forms inherit them from the model fields and the Excel
# import validates every row with `full_clean()`, so both refuse the same value for the same reason.


def cccd_validator(value: str) -> None:
    if not is_cccd(value):
        raise ValidationError("Số CCCD phải gồm đúng 12 chữ số.", code="cccd")


def name_validator(value: str) -> None:
    if not has_letter(value):
        raise ValidationError("Họ và tên phải có chữ cái.", code="name")


def not_in_future(value: dt.date) -> None:
    # Kept for migration 0001; register dates use `register_date`.
    if value and value > timezone.localdate():
        raise ValidationError("Ngày không được sau ngày hôm nay.")


def register_date(value: dt.date) -> None:
    """A date in a register: from 1900 on and not after today."""
    if value and value.year < EARLIEST_YEAR:
        raise ValidationError(
            f"Ngày {value.day:02d}/{value.month:02d}/{value.year:04d} không hợp lệ: phải từ năm {EARLIEST_YEAR}.",
            code="early",
        )
    if value and value > timezone.localdate():
        raise ValidationError("Ngày không được sau ngày hôm nay.", code="future")


class _CleanedFormField(forms.CharField):
    def __init__(self, *, cleaner: Any, **kwargs: Any) -> None:
        self.cleaner = cleaner
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> Any:
        value = super().to_python(value)
        return self.cleaner(value) or self.empty_value if value not in self.empty_values else value


class CleanedCharField(models.CharField):
    """A CharField whose value is cleaned (`subjects.text`) wherever it is validated: in the
    form field before its validators, and in `full_clean()` before the model's."""

    cleaner: ClassVar[Any] = staticmethod(clean_line)

    def clean(self, value: Any, model_instance: models.Model | None) -> Any:
        # Here and not in to_python(): to_python also prepares every save and every lookup,
        # which must keep their values as given.
        value = self.to_python(value)
        if value:
            value = self.cleaner(value) or (None if self.null else "")
        self.validate(value, model_instance)
        self.run_validators(value)
        return value

    def formfield(self, **kwargs: Any) -> Any:
        return super().formfield(**{"form_class": _CleanedFormField, "cleaner": self.cleaner, **kwargs})


class NameField(CleanedCharField):
    """A person's name: visible characters, single spaces, words capitalised, a letter at least."""

    cleaner = staticmethod(tidy_name)
    default_validators = [name_validator]
    empty_message = "Nhập họ và tên."

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("error_messages", {"blank": self.empty_message, "null": self.empty_message})
        super().__init__(*args, **kwargs)

    def formfield(self, **kwargs: Any) -> Any:
        return super().formfield(**{"error_messages": {"required": self.empty_message}, **kwargs})


class CccdField(CleanedCharField):
    """A CCCD number: spaces and invisible characters removed, then 12 ASCII digits."""

    cleaner = staticmethod(clean_cccd)
    default_validators = [cccd_validator]


# ---------------------------------------------------------------- the rules of one record


class RecordRule:
    """A rule over several fields of one record, declared once as a class attribute of a
    register model: it adds its CheckConstraint (if the database can hold it) to the model and
    `Register.clean()` checks it in Python, reporting on one field (forms, imports)."""

    def contribute_to_class(self, cls: type[models.Model], name: str) -> None:
        self.attname = name
        setattr(cls, name, self)
        cls._record_rules = (*getattr(cls, "_record_rules", ()), self)
        constraint = self.constraint(cls)
        if constraint is not None:
            cls._meta.constraints = [*cls._meta.constraints, constraint]
            # Migrations read a model's constraints only when its Meta declared some.
            cls._meta.original_attrs["constraints"] = cls._meta.constraints

    def constraint(self, cls: type[models.Model]) -> models.BaseConstraint | None:
        return None

    field_name: str

    def error(self, instance: models.Model) -> str | None:
        """The message when `instance` breaks the rule (reported on `field_name`), else None."""
        raise NotImplementedError


class Ordered(RecordRule):
    """`high` is not before (not below) `low` when both are given: a period's end after its
    start, a residence after the birth, signatures not above the households."""

    def __init__(self, low: str, high: str, message: str, *, report_on: str | None = None) -> None:
        self.low, self.high, self.message = low, high, message
        self.field_name = report_on or high

    def constraint(self, cls: type[models.Model]) -> models.BaseConstraint:
        condition = Q(**{f"{self.high}__gte": models.F(self.low)})
        if cls._meta.get_field(self.high).null:
            condition = Q(**{f"{self.high}__isnull": True}) | condition
        return models.CheckConstraint(
            condition=condition,
            name=f"{cls._meta.model_name}_{self.high}_gte_{self.low}",
            violation_error_message=self.message,
        )

    def error(self, instance: models.Model) -> str | None:
        low, high = getattr(instance, self.low), getattr(instance, self.high)
        return self.message if low is not None and high is not None and high < low else None


class Period(Ordered):
    """The start/end pair of a register record over time (the end may stay open)."""

    def __init__(
        self, start: str, end: str, message: str = "Ngày kết thúc không được trước ngày bắt đầu."
    ) -> None:
        super().__init__(start, end, message)


class AfterBirth(RecordRule):
    """A date in a person's record is not before the person's birth (no database constraint:
    the birth date lives on another table)."""

    def __init__(self, field: str, message: str) -> None:
        self.field_name, self.message = field, message

    def error(self, instance: models.Model) -> str | None:
        day = getattr(instance, self.field_name)
        try:
            birth = instance.person.birth_date
        except ObjectDoesNotExist:
            return None
        return self.message if day is not None and birth is not None and day < birth else None


class VillageQuerySet(JurisdictionQuerySet):
    area_path_lookup = "village__path"


class Register(models.Model):
    """Fields every register record has, and the validation of its declared `RecordRule`s."""

    is_demo = models.BooleanField("dữ liệu minh họa", default=False, editable=False)
    note = models.TextField(
        "ghi chú", blank=True, max_length=NOTE_MAX_LENGTH, validators=[MaxLengthValidator(NOTE_MAX_LENGTH)]
    )
    created_at = models.DateTimeField("ngày tạo", auto_now_add=True)
    updated_at = models.DateTimeField("ngày cập nhật", auto_now=True)

    _record_rules: ClassVar[tuple[RecordRule, ...]] = ()

    class Meta:
        abstract = True

    def clean(self) -> None:
        errors: dict[str, list[str]] = {}
        for rule in self._record_rules:
            if (error := rule.error(self)) is not None:
                errors.setdefault(rule.field_name, []).append(error)
        if errors:
            raise ValidationError(errors)


# ---------------------------------------------------------------- persons and their history


class Sex(models.TextChoices):
    MALE = "male", "Nam"
    FEMALE = "female", "Nữ"


class ResidenceType(models.TextChoices):
    PERMANENT = "permanent", "Thường trú"
    TEMPORARY = "temporary", "Tạm trú"


class Presence(models.TextChoices):
    PRESENT = "present", "Có mặt tại địa phương"
    ABSENT = "absent", "Vắng mặt"
    IN_REHAB = "in_rehab", "Đang cai nghiện tập trung"
    IN_PRISON = "in_prison", "Đang chấp hành án"
    UNKNOWN = "unknown", "Không rõ nơi ở"


class PersonQuerySet(VillageQuerySet):
    pass


class Person(Register):
    full_name = NameField("họ và tên", max_length=150)
    name_search = models.CharField(max_length=150, editable=False, db_index=True)
    birth_date = models.DateField("ngày sinh", validators=[register_date])
    sex = models.CharField("giới tính", max_length=10, choices=Sex.choices)
    cccd = CccdField(
        "số CCCD",
        max_length=12,
        null=True,
        blank=True,
        unique=True,
        help_text="Căn cước công dân, 12 chữ số (nếu có).",
        error_messages={"unique": "Số CCCD này đã có trong sổ theo dõi."},
    )
    village = models.ForeignKey(
        Area,
        verbose_name="thôn, bản nơi cư trú",
        on_delete=models.PROTECT,
        related_name="persons",
        limit_choices_to=VILLAGE_ONLY,
    )
    address = models.CharField("địa chỉ", max_length=255, blank=True)
    residence_type = models.CharField("loại cư trú", max_length=10, choices=ResidenceType.choices)
    resident_since = models.DateField(
        "cư trú từ ngày",
        validators=[register_date],
        help_text="Ngày bắt đầu thường trú / tạm trú tại địa bàn (để tính thời gian cư trú từ 03 tháng).",
    )
    presence = models.CharField(
        "tình trạng có mặt", max_length=10, choices=Presence.choices, default=Presence.PRESENT
    )
    # Changed only through `subjects.officers` (which writes an `OfficerChange`), never by a form.
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="cán bộ phụ trách",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects = PersonQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["name_search"])
    residence_after_birth = Ordered("birth_date", "resident_since", "Ngày cư trú không được trước ngày sinh.")

    class Meta:
        verbose_name = "đối tượng"
        verbose_name_plural = "đối tượng"
        ordering = ["name_search", "birth_date"]
        indexes = [
            # A commune's list is its villages' persons in name order: one index range per page.
            models.Index(
                fields=["village", "name_search", "birth_date", "id"], name="person_village_name_idx"
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["name_search", "birth_date", "village"],
                name="person_unique_name_birth_village",
                violation_error_message="Đã có người cùng họ tên, ngày sinh ở thôn, bản này.",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    def save(self, *args, **kwargs) -> None:
        self.derive_name_search()
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("subjects:person_detail", args=[self.pk])

    def clean(self) -> None:
        # Validated records (forms, imports written in bulk without save()) carry it too.
        self.derive_name_search()
        super().clean()

    def derive_name_search(self) -> None:
        """The derived search column (accents stripped), kept beside the name it comes from."""
        self.name_search = normalise_name(self.full_name)

    @property
    def masked_cccd(self) -> str:
        return mask_cccd(self.cccd)


class PersonRecordQuerySet(JurisdictionQuerySet):
    area_path_lookup = "person__village__path"


class OfficerChange(models.Model):
    """One change of a person's responsible officer (cán bộ phụ trách): who, when, from whom to
    whom, and whether it was part of a handover of all of an officer's records."""

    person = models.ForeignKey(
        Person, verbose_name="đối tượng", on_delete=models.CASCADE, related_name="officer_changes"
    )
    from_officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="cán bộ trước",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    to_officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="cán bộ nhận",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="người thực hiện", on_delete=models.PROTECT, related_name="+"
    )
    changed_at = models.DateTimeField("thời điểm", default=timezone.now)
    reason = models.CharField("lý do", max_length=255, blank=True)
    is_handover = models.BooleanField("bàn giao toàn bộ", default=False)

    objects = PersonRecordQuerySet.as_manager()

    class Meta:
        verbose_name = "thay đổi cán bộ phụ trách"
        verbose_name_plural = "thay đổi cán bộ phụ trách"
        ordering = ["-changed_at", "-pk"]

    def __str__(self) -> str:
        return f"Đổi cán bộ phụ trách #{self.pk} ({self.changed_at:%d/%m/%Y})"


class StatusKind(models.TextChoices):
    USER = "user", "Người sử dụng trái phép chất ma túy"
    ADDICT = "addict", "Người nghiện ma túy"
    POST_REHAB = "post_rehab", "Người sau cai nghiện"
    SUSPECTED = "suspected", "Người có căn cứ nghi sử dụng"
    PSYCHOSIS = "psychosis", "Có biểu hiện loạn thần (“ngáo đá”)"
    OFFENDER = "offender", "Đối tượng phạm tội về ma túy"
    SELLER = "seller", "Đối tượng bán lẻ trái phép chất ma túy"
    RELEASED = "released", "Chấp hành xong án phạt tù về ma túy"


class PersonStatus(Register):
    """One status of a person over a period; a person may hold several at once."""

    person = models.ForeignKey(
        Person, verbose_name="đối tượng", on_delete=models.CASCADE, related_name="statuses"
    )
    kind = models.CharField("diện", max_length=12, choices=StatusKind.choices)
    start_date = models.DateField(
        "từ ngày",
        validators=[register_date],
        help_text="Với người nghiện: ngày xác định tình trạng nghiện.",
    )
    end_date = models.DateField("đến ngày", null=True, blank=True, validators=[register_date])
    basis = models.CharField("căn cứ xác định", max_length=255, blank=True)

    objects = PersonRecordQuerySet.as_manager()
    history = HistoricalRecords()
    period = Period("start_date", "end_date")
    after_birth = AfterBirth("start_date", "Ngày bắt đầu diện không được trước ngày sinh.")

    class Meta:
        verbose_name = "diện quản lý"
        verbose_name_plural = "diện quản lý"
        ordering = ["person", "start_date"]
        indexes = [models.Index(fields=["kind", "start_date", "end_date"], name="status_kind_period_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.start_date:%d/%m/%Y})"


class FileKind(models.TextChoices):
    USER = "user", "Người sử dụng trái phép chất ma túy"
    ADDICT = "addict", "Người nghiện ma túy"
    POST_REHAB = "post_rehab", "Người sau cai nghiện"
    # The file a commune prepares to propose a treatment measure ("lập hồ sơ áp dụng biện pháp cai
    # nghiện"), open from the day it is prepared until the measure is decided.
    TREATMENT = "treatment", "Đề nghị áp dụng biện pháp cai nghiện"


class ManagementFile(Register):
    person = models.ForeignKey(
        Person, verbose_name="đối tượng", on_delete=models.CASCADE, related_name="files"
    )
    kind = models.CharField("loại hồ sơ", max_length=12, choices=FileKind.choices)
    opened_on = models.DateField("ngày lập", validators=[register_date])
    closed_on = models.DateField("ngày kết thúc quản lý", null=True, blank=True, validators=[register_date])
    responsible = models.CharField(
        "người / tổ chức được giao quản lý",
        max_length=200,
        help_text="Cán bộ phụ trách hoặc gia đình, đoàn thể được giao giúp đỡ, theo dõi.",
    )

    objects = PersonRecordQuerySet.as_manager()
    history = HistoricalRecords()
    period = Period("opened_on", "closed_on", "Ngày kết thúc quản lý không được trước ngày lập hồ sơ.")
    after_birth = AfterBirth("opened_on", "Ngày lập hồ sơ không được trước ngày sinh.")

    class Meta:
        verbose_name = "hồ sơ quản lý"
        verbose_name_plural = "hồ sơ quản lý"
        ordering = ["person", "opened_on"]

    def __str__(self) -> str:
        return f"Hồ sơ quản lý {self.get_kind_display().lower()} ({self.opened_on:%d/%m/%Y})"


class TreatmentKind(models.TextChoices):
    VOLUNTARY_COMMUNITY = "voluntary_community", "Cai nghiện tự nguyện tại gia đình, cộng đồng"
    VOLUNTARY_FACILITY = "voluntary_facility", "Cai nghiện tự nguyện tại cơ sở"
    COMPULSORY = "compulsory", "Cai nghiện bắt buộc tại cơ sở"
    SUBSTITUTION = "substitution", "Điều trị thay thế (Methadone / Buprenorphine)"


class Medication(models.TextChoices):
    METHADONE = "methadone", "Methadone"
    BUPRENORPHINE = "buprenorphine", "Buprenorphine"


class Treatment(Register):
    person = models.ForeignKey(
        Person, verbose_name="đối tượng", on_delete=models.CASCADE, related_name="treatments"
    )
    kind = models.CharField("hình thức", max_length=20, choices=TreatmentKind.choices)
    medication = models.CharField(
        "thuốc thay thế",
        max_length=15,
        choices=Medication.choices,
        blank=True,
        help_text="Chỉ với điều trị thay thế.",
    )
    start_date = models.DateField("ngày bắt đầu", validators=[register_date])
    end_date = models.DateField("ngày kết thúc", null=True, blank=True, validators=[register_date])
    facility = models.CharField("cơ sở điều trị / cấp phát thuốc", max_length=200, blank=True)
    complies_with_rules = models.BooleanField(
        "chấp hành tốt nội quy",
        null=True,
        blank=True,
        help_text="Chấp hành tốt nội quy của cơ sở điều trị, cơ sở cấp phát thuốc.",
    )
    uses_other_drugs = models.BooleanField("có sử dụng chất ma túy khác", null=True, blank=True)

    objects = PersonRecordQuerySet.as_manager()
    history = HistoricalRecords()
    period = Period("start_date", "end_date")
    after_birth = AfterBirth("start_date", "Ngày bắt đầu không được trước ngày sinh.")

    class Meta:
        verbose_name = "cai nghiện / điều trị"
        verbose_name_plural = "cai nghiện / điều trị"
        ordering = ["person", "start_date"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.start_date:%d/%m/%Y})"

    def clean(self) -> None:
        super().clean()
        if self.kind == TreatmentKind.SUBSTITUTION and not self.medication:
            raise ValidationError(
                {"medication": "Điều trị thay thế phải ghi rõ thuốc (Methadone hoặc Buprenorphine)."}
            )
        if self.kind != TreatmentKind.SUBSTITUTION and self.medication:
            raise ValidationError({"medication": "Chỉ ghi thuốc thay thế với hình thức điều trị thay thế."})


class TestResult(models.TextChoices):
    POSITIVE = "positive", "Dương tính"
    NEGATIVE = "negative", "Âm tính"


class TestMethod(models.TextChoices):
    KIT = "kit", "Que thử (test nhanh)"
    LAB = "lab", "Xét nghiệm tại phòng thí nghiệm"


class TestReason(models.TextChoices):
    PERIODIC = "periodic", "Định kỳ"
    SUDDEN = "sudden", "Đột xuất"
    SUSPICION = "suspicion", "Có căn cứ nghi sử dụng"
    OTHER = "other", "Khác"


class DrugTest(Register):
    person = models.ForeignKey(
        Person, verbose_name="đối tượng", on_delete=models.CASCADE, related_name="tests"
    )
    tested_on = models.DateField("ngày xét nghiệm", validators=[register_date])
    result = models.CharField("kết quả", max_length=10, choices=TestResult.choices)
    substance = models.CharField(
        "chất ma túy", max_length=100, blank=True, help_text="Ví dụ: Heroin, Methamphetamine (MET), cần sa."
    )
    method = models.CharField("phương pháp", max_length=5, choices=TestMethod.choices, default=TestMethod.KIT)
    reason = models.CharField("lý do", max_length=10, choices=TestReason.choices, default=TestReason.PERIODIC)

    objects = PersonRecordQuerySet.as_manager()
    history = HistoricalRecords()
    after_birth = AfterBirth("tested_on", "Ngày xét nghiệm không được trước ngày sinh.")

    class Meta:
        verbose_name = "xét nghiệm chất ma túy"
        verbose_name_plural = "xét nghiệm chất ma túy"
        ordering = ["person", "-tested_on"]
        indexes = [
            models.Index(fields=["person", "tested_on"], name="drugtest_person_date_idx"),
            # The cross-person list (newest first, pk for stable pages): read in index order and
            # stopped after a page, instead of sorting every test of a district or province.
            models.Index(fields=["-tested_on", "id"], name="drugtest_date_id_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(result__in=["positive", "negative"]),
                name="drugtest_result_valid_check",
                violation_error_message="Kết quả xét nghiệm chỉ là dương tính hoặc âm tính.",
            ),
            # One result per person, day and method: a quick test and its laboratory confirmation
            # may share a day; two results of one method that day cannot both be true (and a
            # submit sent twice must not record the test twice).
            models.UniqueConstraint(
                fields=["person", "tested_on", "method"],
                name="drugtest_one_result_per_person_day_method",
                violation_error_message="Đối tượng đã có kết quả xét nghiệm bằng phương pháp này trong ngày này.",
            ),
        ]

    def __str__(self) -> str:
        return f"Xét nghiệm {self.tested_on:%d/%m/%Y}: {self.get_result_display()}"


# ---------------------------------------------------------------- places, groups, cases


class PointKind(models.TextChoices):
    HOTSPOT = "hotspot", "Tụ điểm"
    COMPLEX = "complex", "Điểm phức tạp"
    AT_RISK = "at_risk", "Điểm có nguy cơ phức tạp"
    RETAIL = "retail", "Điểm bán lẻ"
    ORGANISING = "organising", "Điểm tổ chức, chứa chấp sử dụng"


class DrugPoint(Register):
    village = models.ForeignKey(
        Area,
        verbose_name="thôn, bản",
        on_delete=models.PROTECT,
        related_name="drug_points",
        limit_choices_to=VILLAGE_ONLY,
    )
    kind = models.CharField("loại", max_length=12, choices=PointKind.choices)
    description = models.CharField("mô tả, vị trí", max_length=255)
    found_on = models.DateField("ngày phát hiện", validators=[register_date])
    eliminated_on = models.DateField("ngày triệt xóa", null=True, blank=True, validators=[register_date])

    objects = VillageQuerySet.as_manager()
    history = HistoricalRecords()
    period = Period("found_on", "eliminated_on", "Ngày triệt xóa không được trước ngày phát hiện.")

    class Meta:
        verbose_name = "điểm, tụ điểm ma túy"
        verbose_name_plural = "điểm, tụ điểm ma túy"
        ordering = ["-found_on"]
        constraints = [
            # A point is known by where it is, what it is and when it was found: the same point
            # entered twice (a submit sent twice, an import run twice) is refused.
            models.UniqueConstraint(
                fields=["village", "kind", "description", "found_on"],
                name="point_unique_village_kind_description_found",
                violation_error_message="Điểm này (cùng thôn, bản, loại, mô tả và ngày phát hiện) đã có trong sổ theo dõi.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.description}"


class GroupKind(models.TextChoices):
    GROUP = "group", "Ổ nhóm"
    NETWORK = "network", "Đường dây"


class CriminalGroup(Register):
    village = models.ForeignKey(
        Area,
        verbose_name="địa bàn hoạt động",
        on_delete=models.PROTECT,
        related_name="criminal_groups",
        limit_choices_to=VILLAGE_ONLY,
    )
    kind = models.CharField("loại", max_length=10, choices=GroupKind.choices)
    name = models.CharField("tên gọi / mô tả", max_length=200)
    found_on = models.DateField("ngày phát hiện", validators=[register_date])
    dismantled_on = models.DateField("ngày triệt phá", null=True, blank=True, validators=[register_date])
    members = models.ManyToManyField(
        Person, verbose_name="thành viên", blank=True, related_name="criminal_groups"
    )

    objects = VillageQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[members])
    period = Period("found_on", "dismantled_on", "Ngày triệt phá không được trước ngày phát hiện.")

    class Meta:
        verbose_name = "ổ nhóm, đường dây"
        verbose_name_plural = "ổ nhóm, đường dây"
        ordering = ["-found_on"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.name}"


class CaseKind(models.TextChoices):
    CRIMINAL = "criminal", "Vụ án"
    INCIDENT = "incident", "Vụ việc"


class Severity(models.TextChoices):
    LESS_SERIOUS = "less_serious", "Ít nghiêm trọng"
    SERIOUS = "serious", "Nghiêm trọng"
    VERY_SERIOUS = "very_serious", "Rất nghiêm trọng"
    PARTICULARLY_SERIOUS = "particularly_serious", "Đặc biệt nghiêm trọng"


class DrugCase(Register):
    village = models.ForeignKey(
        Area,
        verbose_name="thôn, bản xảy ra",
        on_delete=models.PROTECT,
        related_name="drug_cases",
        limit_choices_to=VILLAGE_ONLY,
    )
    kind = models.CharField("loại", max_length=10, choices=CaseKind.choices)
    occurred_on = models.DateField("ngày xảy ra", validators=[register_date])
    severity = models.CharField("mức độ", max_length=25, choices=Severity.choices)
    summary = models.CharField("tóm tắt", max_length=255)
    persons = models.ManyToManyField(
        Person, verbose_name="đối tượng liên quan", blank=True, related_name="cases"
    )

    objects = VillageQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[persons])

    class Meta:
        verbose_name = "vụ án, vụ việc về ma túy"
        verbose_name_plural = "vụ án, vụ việc về ma túy"
        ordering = ["-occurred_on"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.occurred_on:%d/%m/%Y}: {self.summary}"


class Plant(models.TextChoices):
    POPPY = "poppy", "Cây thuốc phiện"
    CANNABIS = "cannabis", "Cây cần sa"
    OTHER = "other", "Cây khác có chứa chất ma túy"


class CultivationIncident(Register):
    village = models.ForeignKey(
        Area,
        verbose_name="thôn, bản",
        on_delete=models.PROTECT,
        related_name="cultivation_incidents",
        limit_choices_to=VILLAGE_ONLY,
    )
    plant = models.CharField("loại cây", max_length=10, choices=Plant.choices)
    season = models.CharField(
        "niên vụ",
        max_length=9,
        blank=True,
        validators=[RegexValidator(r"^\d{4}-\d{4}$", "Niên vụ ghi theo dạng 2018-2019.")],
        help_text="Ví dụ: 2018-2019.",
    )
    area_m2 = models.DecimalField(
        "diện tích (m²)",
        max_digits=10,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    plant_count = models.PositiveIntegerField("số cây", null=True, blank=True)
    found_on = models.DateField("ngày phát hiện", validators=[register_date])
    eradicated_on = models.DateField("ngày phá nhổ", null=True, blank=True, validators=[register_date])

    objects = VillageQuerySet.as_manager()
    history = HistoricalRecords()
    period = Period("found_on", "eradicated_on", "Ngày phá nhổ không được trước ngày phát hiện.")

    class Meta:
        verbose_name = "vụ trồng cây có chứa chất ma túy"
        verbose_name_plural = "vụ trồng cây có chứa chất ma túy"
        ordering = ["-found_on"]

    def __str__(self) -> str:
        return f"{self.get_plant_display()} ({self.found_on:%d/%m/%Y})"

    def clean(self) -> None:
        super().clean()
        if self.area_m2 is None and self.plant_count is None:
            raise ValidationError("Ghi diện tích hoặc số cây phát hiện.")


# ---------------------------------------------------------------- village-wide facts


class CommitmentKind(models.TextChoices):
    DRUG_FREE = "drug_free", "Cam kết không phạm tội, không tham gia tệ nạn ma túy"
    NO_POPPY = "no_poppy", "Cam kết không trồng cây thuốc phiện"


class HouseholdCommitment(Register):
    """The commitment count of a village as of a date."""

    village = models.ForeignKey(
        Area,
        verbose_name="thôn, bản",
        on_delete=models.PROTECT,
        related_name="commitments",
        limit_choices_to=VILLAGE_ONLY,
    )
    kind = models.CharField(
        "loại cam kết", max_length=10, choices=CommitmentKind.choices, default=CommitmentKind.DRUG_FREE
    )
    as_of = models.DateField("số liệu tính đến ngày", validators=[register_date])
    households = models.PositiveIntegerField("tổng số hộ")
    signed = models.PositiveIntegerField("số hộ đã ký cam kết")

    objects = VillageQuerySet.as_manager()
    history = HistoricalRecords()
    signed_within_households = Ordered(
        "signed", "households", "Số hộ đã ký không được lớn hơn tổng số hộ.", report_on="signed"
    )

    class Meta:
        verbose_name = "cam kết của hộ gia đình"
        verbose_name_plural = "cam kết của hộ gia đình"
        ordering = ["village", "-as_of"]
        constraints = [
            models.UniqueConstraint(
                fields=["village", "kind", "as_of"],
                name="commitment_one_count_per_day",
                violation_error_message="Thôn, bản đã có số liệu cam kết loại này tại ngày này.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.signed}/{self.households} hộ ({self.as_of:%d/%m/%Y})"


class BoardKind(models.TextChoices):
    HOTLINE = "hotline", "Bảng niêm yết số điện thoại đường dây nóng"
    MAILBOX = "mailbox", "Hòm thư tố giác tội phạm"


class HotlineBoard(Register):
    village = models.ForeignKey(
        Area,
        verbose_name="thôn, bản",
        on_delete=models.PROTECT,
        related_name="boards",
        limit_choices_to=VILLAGE_ONLY,
    )
    kind = models.CharField("loại", max_length=10, choices=BoardKind.choices)
    location = models.CharField("vị trí đặt", max_length=200)
    installed_on = models.DateField("ngày lắp đặt", validators=[register_date])
    removed_on = models.DateField("ngày gỡ bỏ", null=True, blank=True, validators=[register_date])

    objects = VillageQuerySet.as_manager()
    history = HistoricalRecords()
    period = Period("installed_on", "removed_on", "Ngày gỡ bỏ không được trước ngày lắp đặt.")

    class Meta:
        verbose_name = "bảng đường dây nóng, hòm thư tố giác"
        verbose_name_plural = "bảng đường dây nóng, hòm thư tố giác"
        ordering = ["village", "kind"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.location}"


class ModelKind(models.TextChoices):
    FAMILY = "family", "Gia đình không ma túy"
    CLAN = "clan", "Dòng họ không ma túy"
    PARISH = "parish", "Giáo họ không ma túy"
    SCHOOL = "school", "Trường học không ma túy"
    YOUTH = "youth", "Chi đoàn không ma túy"
    RESIDENTIAL = "residential", "Khu dân cư / thôn không ma túy"
    AFTERCARE = "aftercare", "Hỗ trợ người sau cai nghiện"
    OTHER = "other", "Mô hình khác"


class PreventionModelQuerySet(JurisdictionQuerySet):
    area_path_lookup = "area__path"


class PreventionModel(Register):
    area = models.ForeignKey(
        Area,
        verbose_name="địa bàn",
        on_delete=models.PROTECT,
        related_name="prevention_models",
        limit_choices_to={"level__in": ["village", "commune"]},
        help_text="Thôn, bản hoặc xã nơi mô hình hoạt động.",
    )
    name = models.CharField("tên mô hình", max_length=200)
    kind = models.CharField("loại mô hình", max_length=12, choices=ModelKind.choices)
    lead_organisation = models.CharField("tổ chức chủ trì", max_length=200)
    established_on = models.DateField("ngày thành lập", validators=[register_date])
    is_active = models.BooleanField("đang duy trì hoạt động", default=True)
    ended_on = models.DateField("ngày ngừng hoạt động", null=True, blank=True, validators=[register_date])
    last_evaluated_on = models.DateField(
        "ngày đánh giá gần nhất", null=True, blank=True, validators=[register_date]
    )
    evaluated_effective = models.BooleanField("đánh giá hoạt động hiệu quả", null=True, blank=True)

    objects = PreventionModelQuerySet.as_manager()
    history = HistoricalRecords()
    period = Period("established_on", "ended_on", "Ngày ngừng hoạt động không được trước ngày thành lập.")

    class Meta:
        verbose_name = "mô hình phòng, chống ma túy"
        verbose_name_plural = "mô hình phòng, chống ma túy"
        ordering = ["area", "name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        if self.ended_on and self.is_active:
            raise ValidationError({"is_active": "Mô hình đã ngừng hoạt động không thể đang duy trì."})


# ---------------------------------------------------------------- who read what


class AccessAction(models.TextChoices):
    VIEW = "view", "Xem hồ sơ"
    EXPORT = "export", "Xuất dữ liệu"
    IMPORT = "import", "Nhập dữ liệu"
    HISTORY = "history", "Xem lịch sử thay đổi"


class AccessLogQuerySet(JurisdictionQuerySet):
    area_path_lookup = "area__path"


class AccessLog(models.Model):
    """Every read of a person's record and every export: who, when, what, from where.
    `description` names the record or list by id and filter, never by a person's data."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="người truy cập", on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField("thời điểm", default=timezone.now, db_index=True)
    action = models.CharField("thao tác", max_length=10, choices=AccessAction.choices)
    object_type = models.CharField("loại dữ liệu", max_length=60)
    object_id = models.PositiveBigIntegerField("mã bản ghi", null=True, blank=True)
    description = models.CharField("nội dung", max_length=255, blank=True)
    ip_address = models.GenericIPAddressField("địa chỉ IP", null=True, blank=True)
    area = models.ForeignKey(
        Area, verbose_name="địa bàn của dữ liệu", on_delete=models.PROTECT, related_name="+"
    )

    objects = AccessLogQuerySet.as_manager()

    class Meta:
        verbose_name = "nhật ký truy cập"
        verbose_name_plural = "nhật ký truy cập"
        ordering = ["-at"]

    def __str__(self) -> str:
        return (
            f"{self.user} {self.get_action_display().lower()} {self.object_type} lúc {self.at:%d/%m/%Y %H:%M}"
        )


# ---------------------------------------------------------------- transfer of a person between communes


class TransferStatus(models.TextChoices):
    PENDING = "pending", "Đang chờ xử lý"
    ACCEPTED = "accepted", "Đã chấp nhận — đối tượng đã chuyển về xã"
    REFUSED = "refused", "Không chấp nhận"


class TransferRequestQuerySet(JurisdictionQuerySet):
    area_path_lookup = "requesting_commune__path"


class TransferRequest(models.Model):
    """A commune's request to take over the record of a person who moved in (chuyển quản lý,
    Nghị định 105/2021), named by the CCCD number only. The police of the lowest body above both
    communes decide; accepting moves the person's record, with its history, to `village`.

    The requesting commune sees its requests and their status, never whether or where the number
    was held: `person` and `deciding_body` are resolved by the service and shown only to the
    deciding body."""

    requesting_commune = models.ForeignKey(
        Area, verbose_name="xã đề nghị", on_delete=models.PROTECT, related_name="+"
    )
    village = models.ForeignKey(
        Area, verbose_name="thôn, bản tiếp nhận", on_delete=models.PROTECT, related_name="+"
    )
    cccd = models.CharField("số CCCD", max_length=12, validators=[cccd_validator])
    reason = models.TextField("lý do, căn cứ", max_length=2000)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="người đề nghị", on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField("thời điểm đề nghị", default=timezone.now)
    person = models.ForeignKey(
        Person, verbose_name="đối tượng", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    from_village = models.ForeignKey(
        Area,
        verbose_name="nơi quản lý trước",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    deciding_body = models.ForeignKey(
        Area, verbose_name="cơ quan xem xét", on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        "trạng thái", max_length=10, choices=TransferStatus.choices, default=TransferStatus.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người quyết định",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField("thời điểm quyết định", null=True, blank=True)
    decision_note = models.TextField("ý kiến", max_length=2000, blank=True)

    objects = TransferRequestQuerySet.as_manager()

    class Meta:
        verbose_name = "yêu cầu tiếp nhận đối tượng"
        verbose_name_plural = "yêu cầu tiếp nhận đối tượng"
        ordering = ["-requested_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="pending") | Q(decided_at__isnull=False),
                name="transfer_decided_has_date_check",
                violation_error_message="Yêu cầu đã quyết định phải có thời điểm quyết định.",
            ),
        ]

    def __str__(self) -> str:
        return f"Yêu cầu tiếp nhận #{self.pk} của {self.requesting_commune}"
