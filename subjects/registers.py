"""The registers as configuration (as NetBox's views are): each register names its model,
filterset, form, columns and detail fields; the generic views in `views.py` and the routes in
`urls.py` are written once from this table."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.db.models import Count
from django.urls import reverse

from areas.models import Area

from . import filters, forms, tables
from . import models as m


@dataclass(frozen=True)
class RegisterConfig:
    key: str
    slug: str
    model: type[models.Model]
    title: str
    icon: str
    form: type[forms.RegisterForm]
    filterset: type | None = None
    columns: tuple[tables.Column, ...] = ()
    detail_fields: tuple[str, ...] = ()
    related: tuple[str, ...] = ()
    prefetch: tuple[Any, ...] = ()
    annotate: dict[str, Any] = field(default_factory=dict)
    persons_field: str = ""  # the many-to-many to persons shown on the detail page
    of_person: bool = False  # created and read from the person page
    ordering: tuple[str, ...] = ()  # of the list, when not the model's own

    @property
    def noun(self) -> str:
        return str(self.model._meta.verbose_name)

    @property
    def object_type(self) -> str:
        return self.model._meta.model_name

    @property
    def holds_person_data(self) -> bool:
        return self.model is m.Person or self.of_person

    @property
    def names_persons(self) -> bool:
        """Its pages name persons: its own records, or its members (a group's, a case's)."""
        return self.holds_person_data or bool(self.persons_field)

    def queryset(self, user: Any) -> models.QuerySet:
        queryset = self.model.objects.visible_to(user).select_related(*self.related)
        if self.prefetch:
            queryset = queryset.prefetch_related(*self.prefetch)
        if self.annotate:
            queryset = queryset.annotate(**self.annotate)
        # Aggregating drops Meta.ordering; the pk keeps pages stable between equal rows.
        return queryset.order_by(*(self.ordering or self.model._meta.ordering), "pk")

    def url(self, action: str, *args: Any) -> str:
        return reverse(f"subjects:{self.key}_{action}", args=args)

    def area_of(self, record: Any) -> Area:
        if self.of_person:
            return record.person.village
        return record.area if self.model is m.PreventionModel else record.village

    def object_url(self, record: Any) -> str:
        if self.of_person:
            return reverse("subjects:person_detail", args=[record.person_id])
        return self.url("detail", record.pk)


_VILLAGE = tables.Column("Thôn, bản", lambda obj: obj.village.name)

PERSONS = RegisterConfig(
    key="person",
    slug="doi-tuong",
    model=m.Person,
    title="Đối tượng",
    icon="bi-person-vcard",
    form=forms.PersonForm,
    filterset=filters.PersonFilterSet,
    columns=(
        tables.Column("Họ và tên", "full_name", link=True),
        tables.Column("Ngày sinh", "birth_date"),
        tables.Column("Giới tính", "sex"),
        tables.Column("Số CCCD", tables.masked_cccd),
        _VILLAGE,
        tables.Column("Cư trú", "residence_type"),
        tables.Column("Có mặt", "presence"),
        tables.Column("Diện đang quản lý", tables.status_badges),
    ),
    related=("village",),
)

STATUSES = RegisterConfig(
    key="status",
    slug="dien-quan-ly",
    model=m.PersonStatus,
    title="Diện quản lý",
    icon="bi-person-badge",
    form=forms.PersonStatusForm,
    related=("person__village",),
    of_person=True,
)
# Files, treatments and tests are written from the person page and listed across persons; a row
# links to its person's page, where every view is logged.
_PERSON_NAME = tables.Column("Họ và tên", lambda record: record.person.full_name, link=True)
_PERSON_VILLAGE = tables.Column("Thôn, bản", lambda record: record.person.village.name)


FILES = RegisterConfig(
    key="file",
    slug="ho-so-quan-ly",
    model=m.ManagementFile,
    title="Hồ sơ quản lý",
    icon="bi-folder2",
    form=forms.ManagementFileForm,
    filterset=filters.ManagementFileFilterSet,
    columns=(
        _PERSON_NAME,
        _PERSON_VILLAGE,
        tables.Column("Loại hồ sơ", "kind"),
        tables.Column("Ngày lập", "opened_on"),
        tables.Column("Ngày kết thúc quản lý", "closed_on"),
        tables.Column("Người / tổ chức được giao quản lý", "responsible"),
    ),
    related=("person__village",),
    of_person=True,
    ordering=("-opened_on",),
)
TREATMENTS = RegisterConfig(
    key="treatment",
    slug="cai-nghien-dieu-tri",
    model=m.Treatment,
    title="Cai nghiện, điều trị",
    icon="bi-capsule",
    form=forms.TreatmentForm,
    filterset=filters.TreatmentFilterSet,
    columns=(
        _PERSON_NAME,
        _PERSON_VILLAGE,
        tables.Column("Hình thức", tables.treatment_kind),
        tables.Column("Ngày bắt đầu", "start_date"),
        tables.Column("Ngày kết thúc", "end_date"),
        tables.Column(
            "Chấp hành nội quy", lambda t: tables.recorded(t.complies_with_rules, "Tốt", "Vi phạm")
        ),
        tables.Column("Ma túy khác", lambda t: tables.recorded(t.uses_other_drugs, "Có sử dụng", "Không")),
    ),
    related=("person__village",),
    of_person=True,
    ordering=("-start_date",),
)
TESTS = RegisterConfig(
    key="test",
    slug="xet-nghiem",
    model=m.DrugTest,
    title="Xét nghiệm chất ma túy",
    icon="bi-eyedropper",
    form=forms.DrugTestForm,
    filterset=filters.DrugTestFilterSet,
    columns=(
        _PERSON_NAME,
        _PERSON_VILLAGE,
        tables.Column("Ngày xét nghiệm", "tested_on"),
        tables.Column("Kết quả", "result"),
        tables.Column("Chất ma túy", "substance"),
        tables.Column("Phương pháp", "method"),
        tables.Column("Lý do", "reason"),
    ),
    related=("person__village",),
    of_person=True,
    ordering=("-tested_on",),
)

VILLAGE_REGISTERS = (
    RegisterConfig(
        key="point",
        slug="diem-ma-tuy",
        model=m.DrugPoint,
        title="Điểm, tụ điểm ma túy",
        icon="bi-geo",
        form=forms.DrugPointForm,
        filterset=filters.DrugPointFilterSet,
        columns=(
            tables.Column("Mô tả, vị trí", "description", link=True),
            tables.Column("Loại", "kind"),
            _VILLAGE,
            tables.Column("Ngày phát hiện", "found_on"),
            tables.Column("Ngày triệt xóa", "eliminated_on"),
        ),
        detail_fields=("village", "kind", "description", "found_on", "eliminated_on", "note"),
        related=("village",),
    ),
    RegisterConfig(
        key="group",
        slug="o-nhom",
        model=m.CriminalGroup,
        title="Ổ nhóm, đường dây",
        icon="bi-people",
        form=forms.CriminalGroupForm,
        filterset=filters.CriminalGroupFilterSet,
        columns=(
            tables.Column("Tên gọi / mô tả", "name", link=True),
            tables.Column("Loại", "kind"),
            _VILLAGE,
            tables.Column("Ngày phát hiện", "found_on"),
            tables.Column("Ngày triệt phá", "dismantled_on"),
            tables.Column("Số thành viên", lambda g: g.member_count, align="text-end"),
        ),
        detail_fields=("village", "kind", "name", "found_on", "dismantled_on", "note"),
        related=("village",),
        annotate={"member_count": Count("members")},
        persons_field="members",
    ),
    RegisterConfig(
        key="case",
        slug="vu-an",
        model=m.DrugCase,
        title="Vụ án, vụ việc về ma túy",
        icon="bi-exclamation-octagon",
        form=forms.DrugCaseForm,
        filterset=filters.DrugCaseFilterSet,
        columns=(
            tables.Column("Tóm tắt", "summary", link=True),
            tables.Column("Loại", "kind"),
            tables.Column("Mức độ", "severity"),
            tables.Column("Ngày xảy ra", "occurred_on"),
            _VILLAGE,
            tables.Column("Số đối tượng", lambda c: c.person_count, align="text-end"),
        ),
        detail_fields=("village", "kind", "occurred_on", "severity", "summary", "note"),
        related=("village",),
        annotate={"person_count": Count("persons")},
        persons_field="persons",
    ),
    RegisterConfig(
        key="cultivation",
        slug="trong-cay",
        model=m.CultivationIncident,
        title="Trồng cây có chứa chất ma túy",
        icon="bi-flower1",
        form=forms.CultivationIncidentForm,
        filterset=filters.CultivationIncidentFilterSet,
        columns=(
            tables.Column("Loại cây", "plant", link=True),
            tables.Column("Niên vụ", "season"),
            _VILLAGE,
            tables.Column("Diện tích (m²)", "area_m2", align="text-end"),
            tables.Column("Số cây", "plant_count", align="text-end"),
            tables.Column("Ngày phát hiện", "found_on"),
            tables.Column("Ngày phá nhổ", "eradicated_on"),
        ),
        detail_fields=(
            "village",
            "plant",
            "season",
            "area_m2",
            "plant_count",
            "found_on",
            "eradicated_on",
            "note",
        ),
        related=("village",),
    ),
    RegisterConfig(
        key="commitment",
        slug="cam-ket",
        model=m.HouseholdCommitment,
        title="Cam kết của hộ gia đình",
        icon="bi-house-check",
        form=forms.HouseholdCommitmentForm,
        filterset=filters.HouseholdCommitmentFilterSet,
        columns=(
            tables.Column("Tính đến ngày", "as_of", link=True),
            _VILLAGE,
            tables.Column("Loại cam kết", "kind"),
            tables.Column("Tổng số hộ", "households", align="text-end"),
            tables.Column("Số hộ đã ký", "signed", align="text-end"),
            tables.Column("Tỷ lệ", tables.percent, align="text-end"),
        ),
        detail_fields=("village", "kind", "as_of", "households", "signed", "note"),
        related=("village",),
    ),
    RegisterConfig(
        key="board",
        slug="bang-hom-thu",
        model=m.HotlineBoard,
        title="Bảng đường dây nóng, hòm thư tố giác",
        icon="bi-mailbox",
        form=forms.HotlineBoardForm,
        filterset=filters.HotlineBoardFilterSet,
        columns=(
            tables.Column("Vị trí đặt", "location", link=True),
            tables.Column("Loại", "kind"),
            _VILLAGE,
            tables.Column("Ngày lắp đặt", "installed_on"),
            tables.Column("Ngày gỡ bỏ", "removed_on"),
        ),
        detail_fields=("village", "kind", "location", "installed_on", "removed_on", "note"),
        related=("village",),
    ),
    RegisterConfig(
        key="prevention",
        slug="mo-hinh",
        model=m.PreventionModel,
        title="Mô hình phòng, chống ma túy",
        icon="bi-stars",
        form=forms.PreventionModelForm,
        filterset=filters.PreventionModelFilterSet,
        columns=(
            tables.Column("Tên mô hình", "name", link=True),
            tables.Column("Loại", "kind"),
            tables.Column("Địa bàn", lambda p: p.area.name),
            tables.Column("Tổ chức chủ trì", "lead_organisation"),
            tables.Column("Ngày thành lập", "established_on"),
            tables.Column("Đang duy trì", "is_active"),
            tables.Column("Hiệu quả", "evaluated_effective"),
        ),
        detail_fields=(
            "area",
            "name",
            "kind",
            "lead_organisation",
            "established_on",
            "is_active",
            "ended_on",
            "last_evaluated_on",
            "evaluated_effective",
            "note",
        ),
        related=("area",),
    ),
)

PERSON_RECORDS = (STATUSES, FILES, TREATMENTS, TESTS)
# Registers with their own pages (list, create, detail); person records are edited from the person page.
LISTED_REGISTERS = (PERSONS, *VILLAGE_REGISTERS)
# Every list page, in the order of the register index.
LIST_PAGES = (PERSONS, FILES, TREATMENTS, TESTS, *VILLAGE_REGISTERS)
REGISTERS = {r.key: r for r in (*LISTED_REGISTERS, *PERSON_RECORDS)}
TIMELINE_REGISTERS = {"status": STATUSES, "file": FILES, "treatment": TREATMENTS, "test": TESTS}
