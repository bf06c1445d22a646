"""The register pages. CRUD views are configuration (as NetBox's): the list / detail / edit /
history / export flow is written once in the generic views below, and each register in
`REGISTERS` only names its model, filterset, form and columns. Every lookup starts from
`Model.objects.visible_to(user)`; only commune police write (`areas.permissions`)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

from django.apps import apps
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import models
from django.db.models import Count, Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.views import View

from areas.jurisdiction import get_visible_or_404
from areas.models import Area, Role
from areas.permissions import can_edit_registers

from . import filters, forms, selectors, services
from . import models as m
from .access import log_access

PAGE_SIZE = 25
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ACCESS_LOG_READERS = {Role.APPRAISING_POLICE, Role.PROVINCE_OBSERVER}


# ---------------------------------------------------------------- how a value reads on screen


def display_value(obj: Any, name: str) -> Any:
    """A model field's value as a person reads it: choice labels, Có/Không, units by name."""
    field_obj = obj._meta.get_field(name)
    value = getattr(obj, name)
    if field_obj.choices and value not in (None, ""):
        return getattr(obj, f"get_{name}_display")()
    if isinstance(value, bool):
        return "Có" if value else "Không"
    return "" if value is None else value


@dataclass(frozen=True)
class Column:
    label: str
    value: str | Callable[[Any], Any]
    link: bool = False
    align: str = ""

    def cell(self, obj: Any) -> Any:
        return self.value(obj) if callable(self.value) else display_value(obj, self.value)


def _status_badges(person: m.Person) -> str:
    return format_html_join(
        " ",
        '<span class="badge text-bg-light border">{}</span>',
        ((status.get_kind_display(),) for status in person.active_statuses),
    )


def _percent(commitment: m.HouseholdCommitment) -> str:
    if not commitment.households:
        return ""
    return f"{commitment.signed * 100 / commitment.households:.1f} %".replace(".", ",")


# ---------------------------------------------------------------- the registers, as configuration


@dataclass(frozen=True)
class RegisterConfig:
    key: str
    slug: str
    model: type[models.Model]
    title: str
    icon: str
    form: type[forms.RegisterForm]
    filterset: type | None = None
    columns: tuple[Column, ...] = ()
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


_VILLAGE = Column("Thôn, bản", lambda obj: obj.village.name)

PERSONS = RegisterConfig(
    key="person",
    slug="doi-tuong",
    model=m.Person,
    title="Đối tượng",
    icon="bi-person-vcard",
    form=forms.PersonForm,
    filterset=filters.PersonFilterSet,
    columns=(
        Column("Họ và tên", "full_name", link=True),
        Column("Ngày sinh", "birth_date"),
        Column("Giới tính", "sex"),
        Column("Số CCCD", lambda p: format_html('<span class="masked">{}</span>', p.masked_cccd)),
        _VILLAGE,
        Column("Cư trú", "residence_type"),
        Column("Có mặt", "presence"),
        Column("Diện đang quản lý", _status_badges),
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
_PERSON_NAME = Column("Họ và tên", lambda record: record.person.full_name, link=True)
_PERSON_VILLAGE = Column("Thôn, bản", lambda record: record.person.village.name)


def _recorded(value: bool | None, yes: str, no: str) -> str:
    return "(chưa ghi nhận)" if value is None else (yes if value else no)


def _treatment_kind(treatment: m.Treatment) -> str:
    # The substitution label names both medicines; a row names the one given.
    if treatment.kind == m.TreatmentKind.SUBSTITUTION and treatment.medication:
        return f"Điều trị thay thế ({treatment.get_medication_display()})"
    return treatment.get_kind_display()


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
        Column("Loại hồ sơ", "kind"),
        Column("Ngày lập", "opened_on"),
        Column("Ngày kết thúc quản lý", "closed_on"),
        Column("Người / tổ chức được giao quản lý", "responsible"),
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
        Column("Hình thức", _treatment_kind),
        Column("Ngày bắt đầu", "start_date"),
        Column("Ngày kết thúc", "end_date"),
        Column("Chấp hành nội quy", lambda t: _recorded(t.complies_with_rules, "Tốt", "Vi phạm")),
        Column("Ma túy khác", lambda t: _recorded(t.uses_other_drugs, "Có sử dụng", "Không")),
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
        Column("Ngày xét nghiệm", "tested_on"),
        Column("Kết quả", "result"),
        Column("Chất ma túy", "substance"),
        Column("Phương pháp", "method"),
        Column("Lý do", "reason"),
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
            Column("Mô tả, vị trí", "description", link=True),
            Column("Loại", "kind"),
            _VILLAGE,
            Column("Ngày phát hiện", "found_on"),
            Column("Ngày triệt xóa", "eliminated_on"),
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
            Column("Tên gọi / mô tả", "name", link=True),
            Column("Loại", "kind"),
            _VILLAGE,
            Column("Ngày phát hiện", "found_on"),
            Column("Ngày triệt phá", "dismantled_on"),
            Column("Số thành viên", lambda g: g.member_count, align="text-end"),
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
            Column("Tóm tắt", "summary", link=True),
            Column("Loại", "kind"),
            Column("Mức độ", "severity"),
            Column("Ngày xảy ra", "occurred_on"),
            _VILLAGE,
            Column("Số đối tượng", lambda c: c.person_count, align="text-end"),
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
            Column("Loại cây", "plant", link=True),
            Column("Niên vụ", "season"),
            _VILLAGE,
            Column("Diện tích (m²)", "area_m2", align="text-end"),
            Column("Số cây", "plant_count", align="text-end"),
            Column("Ngày phát hiện", "found_on"),
            Column("Ngày phá nhổ", "eradicated_on"),
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
            Column("Tính đến ngày", "as_of", link=True),
            _VILLAGE,
            Column("Loại cam kết", "kind"),
            Column("Tổng số hộ", "households", align="text-end"),
            Column("Số hộ đã ký", "signed", align="text-end"),
            Column("Tỷ lệ", _percent, align="text-end"),
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
            Column("Vị trí đặt", "location", link=True),
            Column("Loại", "kind"),
            _VILLAGE,
            Column("Ngày lắp đặt", "installed_on"),
            Column("Ngày gỡ bỏ", "removed_on"),
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
            Column("Tên mô hình", "name", link=True),
            Column("Loại", "kind"),
            Column("Địa bàn", lambda p: p.area.name),
            Column("Tổ chức chủ trì", "lead_organisation"),
            Column("Ngày thành lập", "established_on"),
            Column("Đang duy trì", "is_active"),
            Column("Hiệu quả", "evaluated_effective"),
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


# ---------------------------------------------------------------- shared view plumbing


def _crumb(name: str, url: str) -> SimpleNamespace:
    return SimpleNamespace(name=name, get_absolute_url=url)


def _log_area(user: Any) -> Area | None:
    """The unit a list or export is logged against: the user's own (a superuser has none, so
    the first top unit)."""
    return user.area or Area.objects.filter(parent__isnull=True).order_by("pk").first()


def _query_without_page(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


class RegisterView(LoginRequiredMixin, View):
    register: RegisterConfig = PERSONS

    def crumbs(self, *extra: SimpleNamespace) -> list[SimpleNamespace]:
        trail = [_crumb("Sổ theo dõi", reverse("subjects:index"))]
        if not self.register.of_person:
            trail.append(_crumb(self.register.title, self.register.url("list")))
        return trail + list(extra)

    def get_object(self, pk: int) -> Any:
        return get_visible_or_404(self.register.queryset(self.request.user), self.request.user, pk=pk)


class ObjectListView(RegisterView):
    template_name = "subjects/object_list.html"

    def filterset(self, for_export: bool = False) -> Any:
        queryset = self.register.queryset(self.request.user)
        if self.register.model is m.Person and not for_export:
            queryset = selectors.with_active_statuses(queryset)
        return self.register.filterset(self.request.GET or None, queryset=queryset, request=self.request)

    def get(self, request: HttpRequest) -> HttpResponse:
        filterset = self.filterset()
        page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
        rows = [
            (self.register.object_url(obj), [(column, column.cell(obj)) for column in self.register.columns])
            for obj in page
        ]
        context = {
            "register": self.register,
            "filter": filterset,
            "page": page,
            "rows": rows,
            "query": _query_without_page(request),
            "can_edit": can_edit_registers(request.user),
            "crumbs": [_crumb("Sổ theo dõi", reverse("subjects:index"))],
            "trail": self.register.title,
        }
        return render(request, self.template_name, context)


class ObjectExportView(ObjectListView):
    """The filtered list as .xlsx; the access log records the register, row count and filter
    keys (never their values: a search may be a person's name)."""

    def get(self, request: HttpRequest) -> HttpResponse:
        from .excel import export_xlsx

        queryset = self.filterset(for_export=True).qs
        rows = queryset.count()
        content = export_xlsx(model=self.register.model, queryset=queryset, fields=self.export_fields())
        keys = sorted(k for k, v in request.GET.lists() if k != "page" and any(v))
        area = _log_area(request.user)
        if area is not None:
            log_access(
                request=request,
                action=m.AccessAction.EXPORT,
                object_type=self.register.object_type,
                area=area,
                description=f"{self.register.title}: {rows} dòng; lọc theo: {', '.join(keys) or 'không'}",
            )
        response = HttpResponse(content, content_type=XLSX_TYPE)
        filename = f"{self.register.slug}-{timezone.localdate():%Y%m%d}.xlsx"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response

    def export_fields(self) -> list[str] | None:
        """All columns, except that only the commune police who keep the register get full CCCD
        numbers (as on the person page)."""
        if self.register.model is not m.Person or can_edit_registers(self.request.user):
            return None
        return [f.name for f in m.Person._meta.concrete_fields if f.editable and f.name not in ("id", "cccd")]


class ObjectDetailView(RegisterView):
    template_name = "subjects/object_detail.html"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        record = self.get_object(pk)
        persons = []
        if self.register.persons_field:
            persons = list(
                getattr(record, self.register.persons_field).select_related("village").order_by("name_search")
            )
        context = {
            "register": self.register,
            "record": record,
            "fields": [
                (record._meta.get_field(name).verbose_name, display_value(record, name))
                for name in self.register.detail_fields
            ],
            "persons": persons,
            "can_edit": can_edit_registers(request.user, self.register.area_of(record)),
            "crumbs": self.crumbs(),
            "trail": str(record),
        }
        return render(request, self.template_name, context)


class ObjectEditView(RegisterView):
    """Create (no pk) or edit (pk) one record; for a person's records, `person_pk` names the
    person they are added to."""

    template_name = "subjects/object_form.html"

    def get_instance(self, pk: int | None, person_pk: int | None) -> Any:
        if pk is not None:
            return self.get_object(pk)
        instance = self.register.model()
        if self.register.of_person:
            instance.person = get_visible_or_404(
                m.Person.objects.select_related("village"), self.request.user, pk=person_pk
            )
        return instance

    def check_may_edit(self, instance: Any) -> None:
        area = self.register.area_of(instance) if (instance.pk or self.register.of_person) else None
        if not can_edit_registers(self.request.user, area):
            raise PermissionDenied("Chỉ Công an xã được cập nhật sổ theo dõi.")

    def render_form(self, form: Any, instance: Any) -> HttpResponse:
        person = instance.person if self.register.of_person else None
        if person is not None:
            back = reverse("subjects:person_detail", args=[person.pk])
            crumbs = self.crumbs(_crumb("Đối tượng", PERSONS.url("list")), _crumb(str(person), back))
        else:
            back = self.register.url("detail", instance.pk) if instance.pk else self.register.url("list")
            crumbs = self.crumbs(_crumb(str(instance), back)) if instance.pk else self.crumbs()
        action = "Sửa" if instance.pk else "Thêm"
        context = {
            "register": self.register,
            "form": form,
            "record": instance,
            "person": person,
            "heading": f"{action} {self.register.noun}",
            "back": back,
            "crumbs": crumbs,
            "trail": action,
        }
        return render(self.request, self.template_name, context)

    def get(self, request: HttpRequest, pk: int | None = None, person_pk: int | None = None) -> HttpResponse:
        instance = self.get_instance(pk, person_pk)
        self.check_may_edit(instance)
        if instance.pk and self.register.holds_person_data:
            log_access(
                request=request,
                action=m.AccessAction.VIEW,
                object_type=self.register.object_type,
                object_id=instance.pk,
                area=self.register.area_of(instance),
                description=f"Mở biểu mẫu sửa: {self.register.noun}",
            )
        return self.render_form(self.register.form(instance=instance, user=request.user), instance)

    def post(self, request: HttpRequest, pk: int | None = None, person_pk: int | None = None) -> HttpResponse:
        instance = self.get_instance(pk, person_pk)
        self.check_may_edit(instance)
        form = self.register.form(request.POST, instance=instance, user=request.user)
        if not form.is_valid():
            return self.render_form(form, instance)
        record = services.save_register_record(user=request.user, form=form)
        if record is None:  # refused by a constraint meanwhile (a double submit): the form says why
            return self.render_form(form, instance)
        messages.success(request, f"Đã lưu {self.register.noun}.")
        return redirect(self.register.object_url(record))


class ObjectHistoryView(RegisterView):
    template_name = "subjects/object_history.html"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        record = self.get_object(pk)
        if self.register.holds_person_data:
            log_access(
                request=request,
                action=m.AccessAction.HISTORY,
                object_type=self.register.object_type,
                object_id=record.pk,
                area=self.register.area_of(record),
                description=f"Lịch sử thay đổi: {self.register.noun}",
            )
        back = self.register.object_url(record)
        context = {
            "register": self.register,
            "record": record,
            "versions": selectors.change_history(record),
            "back": back,
            "crumbs": self.crumbs(_crumb(str(record), back)),
            "trail": "Lịch sử thay đổi",
        }
        return render(request, self.template_name, context)


# ---------------------------------------------------------------- persons


class PersonDetailView(RegisterView):
    """A person's record and its timeline. Every opening is written to the access log; the
    full CCCD is shown to the commune police who keep the record, masked for everyone else."""

    register = PERSONS
    template_name = "subjects/person_detail.html"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        person = get_visible_or_404(
            m.Person.objects.select_related("village").prefetch_related(
                "statuses",
                "files",
                "treatments",
                "tests",
                # Cases and groups elsewhere are another commune's records: only those in reach.
                Prefetch("cases", queryset=m.DrugCase.objects.visible_to(request.user)),
                Prefetch("criminal_groups", queryset=m.CriminalGroup.objects.visible_to(request.user)),
            ),
            request.user,
            pk=pk,
        )
        log_access(
            request=request,
            action=m.AccessAction.VIEW,
            object_type="person",
            object_id=person.pk,
            area=person.village,
            description="Xem hồ sơ đối tượng",
        )
        timeline = []
        for entry in selectors.person_timeline(person):
            register = TIMELINE_REGISTERS.get(entry.kind)
            if register is not None:
                edit, history = (
                    register.url("edit", entry.record.pk),
                    register.url("history", entry.record.pk),
                )
            else:
                edit, history = REGISTERS[entry.kind].url("detail", entry.record.pk), ""
            timeline.append((entry, edit, history))
        can_edit = can_edit_registers(request.user, person.village)
        context = {
            "person": person,
            "cccd": person.cccd if can_edit else person.masked_cccd,
            "active_statuses": selectors.statuses_held_on(person, selectors.today()),
            "timeline": timeline,
            "can_edit": can_edit,
            "add_links": [(r.noun, r.icon, r.url("create", person.pk)) for r in PERSON_RECORDS],
            "crumbs": self.crumbs(),
            "trail": person.full_name,
        }
        return render(request, self.template_name, context)


# ---------------------------------------------------------------- index and access log


class IndexView(LoginRequiredMixin, View):
    """ "Sổ theo dõi": every register with how many records the user's jurisdiction holds (one
    count per register, whatever the data)."""

    def get(self, request: HttpRequest) -> HttpResponse:
        registers = [(r, r.model.objects.visible_to(request.user).count(), r.url("list")) for r in LIST_PAGES]
        context = {"registers": registers, "can_edit": can_edit_registers(request.user)}
        return render(request, "subjects/index.html", context)


class AccessLogView(LoginRequiredMixin, View):
    """The appraising police and the province observer read who opened or exported what in
    their jurisdiction. Other roles get 403: the page exists, it is not theirs."""

    def get(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if not (user.is_superuser or user.role in ACCESS_LOG_READERS):
            raise PermissionDenied("Chỉ Công an huyện / tỉnh được xem nhật ký truy cập.")
        queryset = m.AccessLog.objects.visible_to(user).select_related("user", "area").order_by("-at", "-pk")
        filterset = filters.AccessLogFilterSet(request.GET or None, queryset=queryset, request=request)
        page = Paginator(filterset.qs, PAGE_SIZE * 2).get_page(request.GET.get("page"))
        labels = {
            model._meta.model_name: model._meta.verbose_name
            for model in apps.get_app_config("subjects").get_models()
        }
        for entry in page:
            entry.object_label = labels.get(entry.object_type, entry.object_type)
        context = {
            "filter": filterset,
            "page": page,
            "query": _query_without_page(request),
            "crumbs": [_crumb("Sổ theo dõi", reverse("subjects:index"))],
            "trail": "Nhật ký truy cập",
        }
        return render(request, "subjects/access_log.html", context)


def register_tasks(user: Any) -> list:
    """Home-page tasks for commune police: addicts without a management file and monitored
    persons without a negative test in 30 days, each linking to the pre-filtered list."""
    from areas.home import Task

    if getattr(user, "role", None) != Role.COMMUNE_POLICE:
        return []
    backlog = selectors.commune_police_backlog(m.Person.objects.visible_to(user))
    persons = PERSONS.url("list")
    monitored = "&".join(f"status={kind}" for kind in selectors.MONITORED_KINDS)
    return [
        Task(
            title="Người nghiện chưa có hồ sơ quản lý",
            detail="Lập hồ sơ quản lý cho từng người nghiện đang cư trú trên địa bàn.",
            url=f"{persons}?addict_without_file=on",
            icon="bi-folder-plus",
            count=backlog["addicts_without_file"],
        ),
        Task(
            title="Chưa xét nghiệm âm tính trong 30 ngày",
            detail="Người sử dụng, nghiện, sau cai, loạn thần chưa có kết quả xét nghiệm âm tính trong 30 ngày.",
            url=f"{persons}?{monitored}&no_negative_30d=on",
            icon="bi-eyedropper",
            count=backlog["untested"],
        ),
    ]
