"""The register pages. CRUD views are configuration (as NetBox's): the list / detail / edit /
history / export flow is written once in the generic views below, and each register in
`registers.REGISTERS` only names its model, filterset, form and columns. Every lookup starts from
`Model.objects.visible_to(user)`; what a user may do is asked of `areas.permissions`."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from django.apps import apps
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views import View

from areas.jurisdiction import get_visible_or_404
from areas.permissions import Action, can, require

from . import filters, selectors, services
from . import models as m
from .access import log_access, log_area, log_person_read
from .forms import AssignForm
from .officers import commune_officers
from .pagination import CountCachingPaginator
from .registers import LIST_PAGES, PERSON_RECORDS, PERSONS, REGISTERS, TIMELINE_REGISTERS, RegisterConfig
from .tables import display_value

PAGE_SIZE = 25
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FILTER_ERROR = (
    "Bộ lọc không hợp lệ: hãy sửa các ô được đánh dấu rồi lọc lại (chưa hiển thị, chưa xuất dữ liệu nào)."
)


# ---------------------------------------------------------------- shared view plumbing


def _crumb(name: str, url: str) -> SimpleNamespace:
    return SimpleNamespace(name=name, get_absolute_url=url)


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
        # A filter that does not hold (a village out of reach, a bad date) is an error, never
        # silently dropped: that would answer the whole list as if it were the filtered one.
        valid = filterset.is_valid() if filterset.is_bound else True
        if not valid:
            messages.error(request, FILTER_ERROR)
        queryset = filterset.qs if valid else filterset.queryset.none()
        page = CountCachingPaginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
        rows = [
            (self.register.object_url(obj), [(column, column.cell(obj)) for column in self.register.columns])
            for obj in page
        ]
        if rows and self.register.holds_person_data:
            log_person_read(
                request,
                object_type=self.register.object_type,
                description=f"Danh sách {self.register.title.lower()}: {len(rows)} dòng (trang {page.number})",
            )
        context = {
            "register": self.register,
            "filter": filterset,
            "page": page,
            "rows": rows,
            "query": _query_without_page(request),
            "can_edit": can(request.user, Action.EDIT_REGISTERS),
            "crumbs": [_crumb("Sổ theo dõi", reverse("subjects:index"))],
            "trail": self.register.title,
        }
        return render(request, self.template_name, context, status=200 if valid else 400)


class ObjectExportView(ObjectListView):
    """The filtered list as .xlsx; the access log records the register, row count and filter
    keys (never their values: a search may be a person's name)."""

    def get(self, request: HttpRequest) -> HttpResponse:
        from .excel import export_xlsx

        filterset = self.filterset(for_export=True)
        if filterset.is_bound and not filterset.is_valid():
            return HttpResponse(FILTER_ERROR, status=400, content_type="text/plain; charset=utf-8")
        queryset = filterset.qs
        rows = queryset.count()
        content = export_xlsx(model=self.register.model, queryset=queryset, fields=self.export_fields())
        keys = sorted(k for k, v in request.GET.lists() if k != "page" and any(v))
        area = log_area(request.user)
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
        if self.register.model is not m.Person or can(self.request.user, Action.SEE_FULL_CCCD):
            return None
        return [f.name for f in m.Person._meta.concrete_fields if f.editable and f.name not in ("id", "cccd")]


class ObjectDetailView(RegisterView):
    template_name = "subjects/object_detail.html"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        record = self.get_object(pk)
        persons, persons_elsewhere = [], 0
        if self.register.persons_field:
            # Only the persons in the user's own reach are named; the others are counted.
            related = getattr(record, self.register.persons_field)
            persons = list(related.visible_to(request.user).select_related("village").order_by("name_search"))
            persons_elsewhere = related.count() - len(persons)
            if persons:
                log_person_read(
                    request,
                    object_type=self.register.object_type,
                    object_id=record.pk,
                    area=self.register.area_of(record),
                    description=f"Xem {self.register.noun}: {len(persons)} đối tượng",
                )
        context = {
            "register": self.register,
            "record": record,
            "fields": [
                (record._meta.get_field(name).verbose_name, display_value(record, name))
                for name in self.register.detail_fields
            ],
            "persons": persons,
            "persons_elsewhere": persons_elsewhere,
            "can_edit": can(request.user, Action.EDIT_REGISTERS, self.register.area_of(record)),
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
        require(self.request.user, Action.EDIT_REGISTERS, area)

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
        if self.register.names_persons:
            # The form names persons: the record's own, its person, or the choices of members.
            log_person_read(
                request,
                object_type=self.register.object_type,
                object_id=instance.pk,
                area=self.register.area_of(instance) if (instance.pk or self.register.of_person) else None,
                description=f"Mở biểu mẫu {'sửa' if instance.pk else 'thêm'}: {self.register.noun}",
            )
        return self.render_form(self.register.form(instance=instance, user=request.user), instance)

    def post(self, request: HttpRequest, pk: int | None = None, person_pk: int | None = None) -> HttpResponse:
        instance = self.get_instance(pk, person_pk)
        self.check_may_edit(instance)
        form = self.register.form(request.POST, instance=instance, user=request.user)
        if not form.is_valid():
            return self.render_form(form, instance)
        if self.register.model is m.Person and "cccd" in form.changed_data and form.cleaned_data.get("cccd"):
            refused = self.check_cccd(form, instance)
            if refused is not None:
                return refused
        record = services.save_register_record(user=request.user, form=form)
        if record is None:  # refused by a constraint meanwhile (a double submit): the form says why
            return self.render_form(form, instance)
        messages.success(request, f"Đã lưu {self.register.noun}.")
        return redirect(self.register.object_url(record))

    def check_cccd(self, form: Any, instance: Any) -> HttpResponse | None:
        """A new CCCD held inside the jurisdiction is a duplicate the user may be told of; one held
        outside becomes a transfer request, answered as the transfer page answers (the same whether
        or not the number exists). None: the number is free, save."""
        request = self.request
        try:
            holder = services.lookup_cccd(
                request=request, cccd=form.cleaned_data["cccd"], purpose="thêm, sửa đối tượng"
            )
        except services.LookupLimitExceeded as exceeded:
            form.add_error(None, exceeded.message)
            return self.render_form(form, instance)
        if holder is services.CccdHolder.HERE:
            form.add_error("cccd", "Số CCCD này đã có trong sổ theo dõi.")
            return self.render_form(form, instance)
        if holder is services.CccdHolder.ELSEWHERE:
            data = form.cleaned_data
            action = "sửa" if instance.pk else "thêm"
            services.request_transfer(
                request=request,
                cccd=data["cccd"],
                village=data["village"],
                reason=f"Đề nghị khi {action} đối tượng; cư trú tại địa bàn từ {data['resident_since']:%d/%m/%Y}.",
                holder=holder,
            )
            messages.info(request, services.TRANSFER_SENT_MESSAGE)
            return redirect("subjects:transfers")
        return None


class ObjectHistoryView(RegisterView):
    template_name = "subjects/object_history.html"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        record = self.get_object(pk)
        if self.register.names_persons:
            log_person_read(
                request,
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
            "versions": selectors.change_history(record, request.user),
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
            m.Person.objects.select_related("village__parent", "officer").prefetch_related(
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
        can_edit = can(request.user, Action.EDIT_REGISTERS, person.village)
        officer_form = None
        if can(request.user, Action.ASSIGN_OFFICERS, person.village):
            officer_form = AssignForm(
                officers=commune_officers(person.village.parent), initial={"officer": person.officer_id}
            )
        context = {
            "officer_form": officer_form,
            "officer_changes": person.officer_changes.select_related("from_officer", "to_officer")[:10],
            "verifications": person.verifications.order_by("-verified_on", "-pk")[:1],
            "person": person,
            "cccd": person.cccd if can(request.user, Action.SEE_FULL_CCCD, person) else person.masked_cccd,
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
        context = {"registers": registers, "can_edit": can(request.user, Action.EDIT_REGISTERS)}
        return render(request, "subjects/index.html", context)


class AccessLogView(LoginRequiredMixin, View):
    """The appraising police and the province observer read who opened or exported what in
    their jurisdiction. Other roles get 403: the page exists, it is not theirs."""

    def get(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        require(user, Action.READ_ACCESS_LOG)
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

    if not can(user, Action.EDIT_REGISTERS):
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
            count_label="người",
        ),
        Task(
            title="Chưa xét nghiệm âm tính trong 30 ngày",
            detail="Người sử dụng, nghiện, sau cai, loạn thần chưa có kết quả xét nghiệm âm tính trong 30 ngày.",
            url=f"{persons}?{monitored}&no_negative_30d=on",
            icon="bi-eyedropper",
            count=backlog["untested"],
            count_label="người",
        ),
    ]
