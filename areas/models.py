"""The administrative tree, its history, and the users bound to it.

Every unit keeps a materialised path of ids ("/1/4/27/") so that "this unit and everything
below it" is one indexed prefix match. That path is what the jurisdiction gate
(`areas.jurisdiction`) filters on for every app.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.urls import reverse

from .jurisdiction import JurisdictionQuerySet


class Level(models.TextChoices):
    NATION = "nation", "Toàn quốc"
    PROVINCE = "province", "Cấp tỉnh"
    DISTRICT = "district", "Cấp huyện"
    COMMUNE = "commune", "Cấp xã"
    VILLAGE = "village", "Thôn, bản, tổ dân phố"


# Which level may sit directly under which. The district level is optional since 1 July 2025.
# The national unit is a root of its own: the provinces stay roots (their paths, and every path
# below them, do not change), and a user bound to it sees every province (`areas.jurisdiction`).
ALLOWED_PARENT_LEVELS: dict[str, tuple[str, ...]] = {
    Level.NATION: (),
    Level.PROVINCE: (),
    Level.DISTRICT: (Level.PROVINCE,),
    Level.COMMUNE: (Level.DISTRICT, Level.PROVINCE),
    Level.VILLAGE: (Level.COMMUNE,),
}

LEVEL_ORDER = [Level.NATION, Level.PROVINCE, Level.DISTRICT, Level.COMMUNE, Level.VILLAGE]


class AreaQuerySet(JurisdictionQuerySet):
    area_path_lookup = "path"

    def open_on(self, day: dt.date) -> AreaQuerySet:
        return self.filter(models.Q(closed_on__isnull=True) | models.Q(closed_on__gt=day))

    def subtree(self, area: Area) -> AreaQuerySet:
        return self.filter(path__startswith=area.path)


class Area(models.Model):
    level = models.CharField("cấp", max_length=10, choices=Level.choices, db_index=True)
    kind = models.CharField(
        "loại đơn vị",
        max_length=40,
        help_text="Từ chỉ loại đơn vị: tỉnh, thành phố, huyện, xã, phường, thị trấn, đặc khu, thôn, bản, "
        "tổ dân phố…",
    )
    name = models.CharField(
        "tên", max_length=200, help_text="Tên đầy đủ kèm loại đơn vị, ví dụ “Bản Co Muông”."
    )
    code = models.CharField(
        "mã đơn vị hành chính",
        max_length=10,
        null=True,
        blank=True,
        unique=True,
        help_text="Mã của Tổng cục Thống kê, nếu có.",
    )
    parent = models.ForeignKey(
        "self",
        verbose_name="đơn vị cấp trên",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    path = models.CharField(max_length=255, db_index=True, editable=False, default="")
    established_on = models.DateField("ngày thành lập", null=True, blank=True)
    closed_on = models.DateField(
        "ngày giải thể / sáp nhập",
        null=True,
        blank=True,
        help_text="Từ ngày này đơn vị không còn; hồ sơ của đơn vị hiển thị dưới đơn vị kế thừa.",
    )
    is_demo = models.BooleanField("dữ liệu minh họa", default=False)
    # When the unit last changed: other systems sync units incrementally by it (exchange API).
    updated_at = models.DateTimeField("ngày cập nhật", auto_now=True)

    objects = AreaQuerySet.as_manager()

    class Meta:
        verbose_name = "đơn vị hành chính"
        verbose_name_plural = "đơn vị hành chính"
        ordering = ["path"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(parent__isnull=True)
                | models.Q(level__in=["district", "commune", "village"]),
                name="area_only_provinces_are_roots_check",
                violation_error_message="Chỉ đơn vị cấp tỉnh không có đơn vị cấp trên.",
            ),
            models.CheckConstraint(
                condition=~models.Q(level="province") | models.Q(parent__isnull=True),
                name="area_province_has_no_parent_check",
                violation_error_message="Đơn vị cấp tỉnh không có đơn vị cấp trên.",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        # The path is storage, not a business rule: it must follow the parent on every save,
        # including the admin's, or the jurisdiction gate would read a stale tree.
        with transaction.atomic():
            old_path = self.path
            super().save(*args, **kwargs)
            parent_path = Area.objects.only("path").get(pk=self.parent_id).path if self.parent_id else "/"
            new_path = f"{parent_path}{self.pk}/"
            if new_path != old_path:
                Area.objects.filter(pk=self.pk).update(path=new_path)
                self.path = new_path
                if old_path:
                    self._move_descendants(old_path, new_path)

    def get_absolute_url(self) -> str:
        return reverse("areas:detail", args=[self.pk])

    def clean(self) -> None:
        allowed = ALLOWED_PARENT_LEVELS.get(self.level, ())
        if self.parent is None and allowed:
            raise ValidationError({"parent": "Đơn vị này phải có đơn vị cấp trên."})
        if self.parent is not None and self.parent.level not in allowed:
            raise ValidationError(
                {
                    "parent": f"{self.get_level_display()} không thể trực thuộc {self.parent.get_level_display().lower()}."
                }
            )
        if self.pk and self.parent_id and self.parent.path.startswith(self.path or "\0"):
            raise ValidationError({"parent": "Không thể chọn đơn vị cấp dưới của chính nó làm cấp trên."})
        if self.closed_on and self.established_on and self.closed_on < self.established_on:
            raise ValidationError({"closed_on": "Ngày giải thể không thể trước ngày thành lập."})

    @staticmethod
    def _move_descendants(old_path: str, new_path: str) -> None:
        for child in Area.objects.filter(path__startswith=old_path).exclude(path=old_path).only("path"):
            Area.objects.filter(pk=child.pk).update(path=new_path + child.path[len(old_path) :])

    @property
    def ancestor_ids(self) -> list[int]:
        return [int(part) for part in self.path.strip("/").split("/") if part][:-1]

    def ancestors(self) -> list[Area]:
        """The units above this one, top first, in one query."""
        ids = self.ancestor_ids
        by_id = Area.objects.in_bulk(ids)
        return [by_id[i] for i in ids if i in by_id]

    def is_open_on(self, day: dt.date) -> bool:
        return self.closed_on is None or self.closed_on > day


class SuccessionKind(models.TextChoices):
    MERGE = "merge", "Sáp nhập"
    SPLIT = "split", "Chia tách"
    RENAME = "rename", "Đổi tên / điều chỉnh"


class AreaSuccession(models.Model):
    """A closed unit and one unit that took over from it on a date."""

    predecessor = models.ForeignKey(
        Area, verbose_name="đơn vị cũ", on_delete=models.PROTECT, related_name="successions_out"
    )
    successor = models.ForeignKey(
        Area, verbose_name="đơn vị kế thừa", on_delete=models.PROTECT, related_name="successions_in"
    )
    kind = models.CharField(
        "hình thức", max_length=10, choices=SuccessionKind.choices, default=SuccessionKind.MERGE
    )
    effective_on = models.DateField("ngày có hiệu lực")
    basis = models.CharField("văn bản căn cứ", max_length=255, blank=True)

    class Meta:
        verbose_name = "sắp xếp đơn vị hành chính"
        verbose_name_plural = "sắp xếp đơn vị hành chính"
        constraints = [
            models.UniqueConstraint(
                fields=["predecessor", "successor"],
                name="area_succession_unique_pair",
                violation_error_message="Đã ghi nhận đơn vị kế thừa này.",
            ),
            models.CheckConstraint(
                condition=~models.Q(predecessor=models.F("successor")),
                name="area_succession_not_self_check",
                violation_error_message="Đơn vị không thể kế thừa chính nó.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.predecessor} → {self.successor} ({self.effective_on:%d/%m/%Y})"


class DrugClass(models.TextChoices):
    KEY_I = "key_1", "Trọng điểm loại I"
    KEY_II = "key_2", "Trọng điểm loại II"
    KEY_III = "key_3", "Trọng điểm loại III"
    LESS_COMPLEX = "less_complex", "Ít phức tạp"
    DRUG_FREE = "drug_free", "Không có ma túy"


class AreaClassification(models.Model):
    """The drug-situation class of a unit from a date, with the document it rests on."""

    area = models.ForeignKey(
        Area, verbose_name="đơn vị", on_delete=models.CASCADE, related_name="classifications"
    )
    drug_class = models.CharField("phân loại", max_length=20, choices=DrugClass.choices)
    valid_from = models.DateField("từ ngày")
    basis = models.CharField("văn bản căn cứ", max_length=255, blank=True)
    note = models.TextField("ghi chú", blank=True)

    class Meta:
        verbose_name = "phân loại địa bàn"
        verbose_name_plural = "phân loại địa bàn"
        ordering = ["area", "-valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["area", "valid_from"],
                name="area_classification_one_per_day",
                violation_error_message="Đơn vị đã có phân loại từ ngày này.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.area}: {self.get_drug_class_display()} từ {self.valid_from:%d/%m/%Y}"


class Role(models.TextChoices):
    """What a user does; the body they do it for is data (`User.body`), set by each programme's
    route (`programmes.RouteStep`)."""

    COMMUNE_POLICE = "commune_police", "Công an xã"
    COMMUNE_CHAIR = "commune_chair", "Chủ tịch UBND xã"
    APPRAISING_POLICE = "appraising_police", "Cơ quan công an thẩm định"
    CO_APPRAISER = "co_appraiser", "Cơ quan phối hợp thẩm định"
    COUNCIL_MEMBER = "council_member", "Thành viên Hội đồng xét duyệt"
    DECIDING_CHAIR = "deciding_chair", "Chủ tịch UBND (quyết định công nhận)"
    PROVINCE_OBSERVER = "province_observer", "Công an tỉnh / Ban Chỉ đạo tỉnh (theo dõi)"
    NATIONAL_OBSERVER = (
        "national_observer",
        "Cục Cảnh sát điều tra tội phạm về ma túy – C04 (theo dõi toàn quốc)",
    )


# The levels a user of each role may be bound to.
ROLE_LEVELS: dict[str, tuple[str, ...]] = {
    Role.COMMUNE_POLICE: (Level.COMMUNE,),
    Role.COMMUNE_CHAIR: (Level.COMMUNE,),
    Role.APPRAISING_POLICE: (Level.COMMUNE, Level.DISTRICT, Level.PROVINCE),
    Role.CO_APPRAISER: (Level.COMMUNE, Level.DISTRICT, Level.PROVINCE),
    Role.COUNCIL_MEMBER: (Level.DISTRICT, Level.PROVINCE),
    Role.DECIDING_CHAIR: (Level.COMMUNE, Level.DISTRICT, Level.PROVINCE),
    Role.PROVINCE_OBSERVER: (Level.PROVINCE,),
    Role.NATIONAL_OBSERVER: (Level.NATION,),
}

# The kind of body a user of each role acts for.
ROLE_BODY_KINDS: dict[str, str] = {
    Role.COMMUNE_POLICE: "police",
    Role.COMMUNE_CHAIR: "committee",
    Role.APPRAISING_POLICE: "police",
    Role.CO_APPRAISER: "department",
    Role.COUNCIL_MEMBER: "council",
    Role.DECIDING_CHAIR: "committee",
    Role.PROVINCE_OBSERVER: "police",
    Role.NATIONAL_OBSERVER: "police",
}

# The day districts ceased (Nghị quyết 202/2025/QH15): documents from then on speak of
# "xã, phường, đặc khu" instead of "xã, phường, thị trấn".
DISTRICTS_CEASED_ON = dt.date(2025, 7, 1)


def commune_level_words(day: dt.date) -> str:
    """How documents of `day` name the commune level as a whole."""
    return "xã, phường, thị trấn" if day < DISTRICTS_CEASED_ON else "xã, phường, đặc khu"


class BodyKind(models.TextChoices):
    COMMITTEE = "committee", "Ủy ban nhân dân"
    POLICE = "police", "Cơ quan công an"
    DEPARTMENT = "department", "Cơ quan chuyên môn, đơn vị phối hợp"
    COUNCIL = "council", "Hội đồng xét duyệt"


class BodyQuerySet(JurisdictionQuerySet):
    area_path_lookup = "area__path"

    def open_on(self, day: dt.date) -> BodyQuerySet:
        return self.filter(models.Q(closed_on__isnull=True) | models.Q(closed_on__gt=day)).filter(
            models.Q(area__closed_on__isnull=True) | models.Q(area__closed_on__gt=day)
        )


class Body(models.Model):
    """An organisation that takes part in the route or issues documents: a People's Committee,
    a police body, a co-appraising department, a council. Its name, head title and document
    symbol are data, as are its closing and the body that took over from it."""

    kind = models.CharField("loại cơ quan", max_length=20, choices=BodyKind.choices)
    name = models.CharField(
        "tên cơ quan", max_length=200, help_text="Tên đầy đủ, ví dụ “Công an huyện Phong Thổ”."
    )
    area = models.ForeignKey(
        Area, verbose_name="đơn vị hành chính", on_delete=models.PROTECT, related_name="bodies"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name="cơ quan cấp trên trực tiếp",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        help_text="Dòng trên của tiêu đề văn bản, ví dụ Công an tỉnh Lai Châu đối với Công an huyện.",
    )
    head_title = models.CharField(
        "chức danh người đứng đầu",
        max_length=150,
        help_text="Đứng trước tên cơ quan: “Trưởng” (Công an huyện, xã), “Giám đốc” (Công an tỉnh, thành "
        "phố), “Chủ tịch” (Ủy ban nhân dân, Hội đồng).",
    )
    symbol = models.CharField(
        "ký hiệu cơ quan trên văn bản",
        max_length=20,
        help_text="Phần sau loại văn bản trong số, ký hiệu, ví dụ “UBND”, “CAH”, “CAT”, “HĐXD”.",
    )
    closed_on = models.DateField(
        "ngày thôi hoạt động",
        null=True,
        blank=True,
        help_text="Từ ngày này cơ quan không tiếp nhận, thẩm định, quyết định hồ sơ mới. "
        "Bỏ trống: theo ngày giải thể của đơn vị hành chính.",
    )
    successor = models.ForeignKey(
        "self",
        verbose_name="cơ quan kế thừa",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="predecessors",
    )
    numbers_per_kind = models.BooleanField(
        "đánh số riêng theo loại văn bản",
        default=False,
        help_text="Sổ văn bản đi: bỏ chọn nếu cơ quan đánh một dãy số chung cho mọi loại văn bản trong năm; "
        "chọn nếu mỗi loại (quyết định, tờ trình, biên bản, báo cáo…) có dãy số riêng.",
    )
    is_demo = models.BooleanField("dữ liệu minh họa", default=False)

    objects = BodyQuerySet.as_manager()

    class Meta:
        verbose_name = "cơ quan"
        verbose_name_plural = "cơ quan"
        ordering = ["area__path", "kind", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["area", "name"],
                name="body_unique_name_per_area",
                violation_error_message="Đơn vị hành chính này đã có cơ quan mang tên này.",
            ),
            models.CheckConstraint(
                condition=~models.Q(successor=models.F("pk")),
                name="body_successor_not_self_check",
                violation_error_message="Cơ quan không thể kế thừa chính nó.",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def closing_date(self) -> dt.date | None:
        """The first day the body no longer acts: its own closing or its unit's, whichever is first."""
        days = [d for d in (self.closed_on, self.area.closed_on) if d is not None]
        return min(days) if days else None

    def is_open_on(self, day: dt.date) -> bool:
        closing = self.closing_date()
        return closing is None or closing > day

    def acting_successor(self, day: dt.date) -> Body | None:
        """The body that acts in this one's place on `day`: following the chain of successors to
        the first one open then (None when no successor is recorded)."""
        seen = {self.pk}
        body = self.successor
        while body is not None and body.pk not in seen:
            if body.is_open_on(day):
                return body
            seen.add(body.pk)
            body = body.successor
        return None

    def closed_message(self, day: dt.date) -> str:
        """Why this body cannot act on `day`, naming who now does."""
        closing = self.closing_date()
        text = f"{self.name} đã thôi hoạt động từ ngày {closing:%d/%m/%Y}"
        successor = self.acting_successor(day)
        if successor is not None:
            return f"{text}; cơ quan kế thừa: {successor.name}."
        return f"{text}; chưa ghi nhận cơ quan kế thừa — đề nghị quản trị hệ thống cập nhật."

    @property
    def head_of(self) -> str:
        """ "Giám đốc Công an thành phố Hải Phòng"."""
        return f"{self.head_title} {self.name}"

    def header_lines(self) -> tuple[str, str]:
        """(parent line, own line) of the document header, in capitals. A People's Committee
        names itself in two lines, "ỦY BAN NHÂN DÂN" over the unit."""
        if self.kind == BodyKind.COMMITTEE:
            unit = self.name.removeprefix("Ủy ban nhân dân ").removeprefix("UBND ")
            return "", f"ỦY BAN NHÂN DÂN\n{unit.upper()}"
        return (self.parent.name.upper() if self.parent else ""), self.name.upper()


class User(AbstractUser):
    full_name = models.CharField("họ và tên", max_length=150, blank=True)
    position = models.CharField("chức vụ", max_length=150, blank=True)
    role = models.CharField("vai trò", max_length=30, choices=Role.choices, blank=True)
    area = models.ForeignKey(
        Area,
        verbose_name="đơn vị",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )
    body = models.ForeignKey(
        Body,
        verbose_name="cơ quan công tác",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
        help_text="Cơ quan mà người dùng thực hiện vai trò; phải thuộc đơn vị của người dùng.",
    )

    class Meta:
        verbose_name = "người dùng"
        verbose_name_plural = "người dùng"

    def __str__(self) -> str:
        return self.full_name or self.username

    def clean(self) -> None:
        super().clean()
        if self.role and self.area_id is None:
            raise ValidationError({"area": "Người dùng có vai trò phải gắn với một đơn vị."})
        if self.role and self.area is not None and self.area.level not in ROLE_LEVELS[self.role]:
            raise ValidationError(
                {
                    "area": f"Vai trò “{self.get_role_display()}” không gắn với {self.area.get_level_display().lower()}."
                }
            )
        body = self.body
        if body is not None and self.area_id is not None and body.area_id != self.area_id:
            raise ValidationError({"body": "Cơ quan công tác phải thuộc đơn vị của người dùng."})
        if body is not None and self.role and body.kind != ROLE_BODY_KINDS[self.role]:
            raise ValidationError(
                {
                    "body": f"Vai trò “{self.get_role_display()}” không thực hiện tại {body.get_kind_display().lower()}."
                }
            )

    @property
    def display_name(self) -> str:
        return self.full_name or self.get_full_name() or self.username
