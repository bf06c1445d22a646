"""The filters of each register's list page (django-filter). Choices of units and users are
limited to what the requesting user may see; the querysets filtered are already gated."""

from __future__ import annotations

from typing import Any

import django_filters as df
from django import forms
from django.db.models import F, Q, QuerySet

from areas.jurisdiction import jurisdiction_q
from areas.models import Area, Level, User
from areas.permissions import can_edit_registers
from areas.widgets import DateFilter, UnitFilter

from . import models as m
from . import selectors


def visible_villages(request: Any) -> QuerySet[Area]:
    if request is None:
        return Area.objects.none()
    return Area.objects.visible_to(request.user).filter(level=Level.VILLAGE).order_by("name")


def visible_places(request: Any) -> QuerySet[Area]:
    if request is None:
        return Area.objects.none()
    return (
        Area.objects.visible_to(request.user)
        .filter(level__in=[Level.VILLAGE, Level.COMMUNE])
        .order_by("path")
    )


def visible_users(request: Any) -> QuerySet[User]:
    if request is None:
        return User.objects.none()
    return User.objects.filter(jurisdiction_q(request.user, "area__path")).order_by("username")


def sees_cccd(request: Any) -> bool:
    """Whoever may see whole CCCD numbers (the registers' editors) may search by their last digits."""
    return request is not None and can_edit_registers(request.user)


def _checkbox(label: str, method: str) -> df.BooleanFilter:
    return df.BooleanFilter(label=label, method=method, widget=forms.CheckboxInput)


def _date_range(label_from: str, label_to: str, field: str) -> tuple[df.DateFilter, df.DateFilter]:
    return (
        DateFilter(label=label_from, field_name=field, lookup_expr="gte"),
        DateFilter(label=label_to, field_name=field, lookup_expr="lte"),
    )


class LabelledFilterSet(df.FilterSet):
    """Choice filters read "Tất cả" when nothing is chosen."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for filter_ in self.filters.values():
            if isinstance(filter_, df.ChoiceFilter):
                filter_.extra["empty_label"] = "Tất cả"


class RegisterFilterSet(LabelledFilterSet):
    """Free text over a few columns, plus whatever each register declares."""

    search_fields: tuple[str, ...] = ()

    q = df.CharFilter(label="Tìm kiếm", method="filter_text")

    def filter_text(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        query = Q()
        for field in self.search_fields:
            query |= Q(**{f"{field}__icontains": value.strip()})
        return queryset.filter(query) if value.strip() else queryset


class VillageRegisterFilterSet(RegisterFilterSet):
    village = UnitFilter(label="Thôn, bản", queryset=visible_villages)


class PersonFilterSet(LabelledFilterSet):
    q = df.CharFilter(label="Họ tên hoặc số CCCD", method="filter_search")
    village = UnitFilter(label="Thôn, bản", queryset=visible_villages)
    status = df.MultipleChoiceFilter(
        label="Diện đang quản lý",
        choices=m.StatusKind.choices,
        method="filter_status",
        widget=forms.CheckboxSelectMultiple,
    )
    presence = df.ChoiceFilter(label="Tình trạng có mặt", choices=m.Presence.choices)
    residence_type = df.ChoiceFilter(label="Loại cư trú", choices=m.ResidenceType.choices)
    no_negative_30d = _checkbox("Không có kết quả xét nghiệm âm tính trong 30 ngày", "filter_no_negative")
    addict_without_file = _checkbox("Người nghiện chưa có hồ sơ quản lý", "filter_addict_without_file")

    class Meta:
        model = m.Person
        fields: list[str] = []

    def filter_search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return selectors.search_persons(queryset, value, cccd_suffix=sees_cccd(self.request))

    def filter_status(self, queryset: QuerySet, name: str, value: list[str]) -> QuerySet:
        return queryset.filter(selectors.has_status(value, selectors.today())) if value else queryset

    def filter_no_negative(self, queryset: QuerySet, name: str, value: bool) -> QuerySet:
        return selectors.without_recent_negative_test(queryset) if value else queryset

    def filter_addict_without_file(self, queryset: QuerySet, name: str, value: bool) -> QuerySet:
        return selectors.addicts_without_file(queryset) if value else queryset


class DrugPointFilterSet(VillageRegisterFilterSet):
    search_fields = ("description",)
    not_eliminated = _checkbox("Chưa triệt xóa", "filter_open")

    class Meta:
        model = m.DrugPoint
        fields = ["kind"]

    def filter_open(self, queryset: QuerySet, name: str, value: bool) -> QuerySet:
        return queryset.filter(eliminated_on__isnull=True) if value else queryset


class CriminalGroupFilterSet(VillageRegisterFilterSet):
    search_fields = ("name",)
    active = _checkbox("Chưa triệt phá", "filter_open")

    class Meta:
        model = m.CriminalGroup
        fields = ["kind"]

    def filter_open(self, queryset: QuerySet, name: str, value: bool) -> QuerySet:
        return queryset.filter(dismantled_on__isnull=True) if value else queryset


class DrugCaseFilterSet(VillageRegisterFilterSet):
    search_fields = ("summary",)
    occurred_from, occurred_to = _date_range("Xảy ra từ ngày", "đến ngày", "occurred_on")

    class Meta:
        model = m.DrugCase
        fields = ["kind", "severity"]


class CultivationIncidentFilterSet(VillageRegisterFilterSet):
    search_fields = ("season",)
    not_eradicated = _checkbox("Chưa phá nhổ", "filter_open")

    class Meta:
        model = m.CultivationIncident
        fields = ["plant", "season"]

    def filter_open(self, queryset: QuerySet, name: str, value: bool) -> QuerySet:
        return queryset.filter(eradicated_on__isnull=True) if value else queryset


class HouseholdCommitmentFilterSet(VillageRegisterFilterSet):
    incomplete = _checkbox("Chưa đủ 100% hộ ký cam kết", "filter_incomplete")

    class Meta:
        model = m.HouseholdCommitment
        fields = ["kind"]

    def filter_incomplete(self, queryset: QuerySet, name: str, value: bool) -> QuerySet:
        return queryset.filter(signed__lt=F("households")) if value else queryset


class HotlineBoardFilterSet(VillageRegisterFilterSet):
    search_fields = ("location",)
    in_place = _checkbox("Đang niêm yết / đang đặt", "filter_in_place")

    class Meta:
        model = m.HotlineBoard
        fields = ["kind"]

    def filter_in_place(self, queryset: QuerySet, name: str, value: bool) -> QuerySet:
        return queryset.filter(removed_on__isnull=True) if value else queryset


class PreventionModelFilterSet(RegisterFilterSet):
    search_fields = ("name", "lead_organisation")
    area = UnitFilter(label="Địa bàn", queryset=visible_places)
    is_active = df.BooleanFilter(
        label="Đang duy trì hoạt động",
        widget=forms.Select(choices=[("", "Tất cả"), ("true", "Có"), ("false", "Không")]),
    )

    class Meta:
        model = m.PreventionModel
        fields = ["kind", "is_active"]


class PersonRecordFilterSet(LabelledFilterSet):
    """A register kept on the person pages (files, treatments, tests), listed across persons:
    found by the person's name, accents optional, or CCCD, and by the person's village."""

    q = df.CharFilter(label="Họ tên hoặc số CCCD", method="filter_person")
    village = UnitFilter(label="Thôn, bản", field_name="person__village", queryset=visible_villages)

    def filter_person(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if not value.strip():
            return queryset
        # The outer queryset is already gated; the persons here only narrow it.
        persons = selectors.search_persons(m.Person.objects.all(), value, cccd_suffix=sees_cccd(self.request))
        return queryset.filter(person__in=persons)


class ManagementFileFilterSet(PersonRecordFilterSet):
    open_now = _checkbox("Đang quản lý (chưa kết thúc)", "filter_open")
    opened_from, opened_to = _date_range("Lập từ ngày", "đến ngày", "opened_on")

    class Meta:
        model = m.ManagementFile
        fields = ["kind"]

    def filter_open(self, queryset: QuerySet, name: str, value: bool) -> QuerySet:
        return queryset.filter(closed_on__isnull=True) if value else queryset


class TreatmentFilterSet(PersonRecordFilterSet):
    running = _checkbox("Đang cai nghiện, điều trị", "filter_running")
    breaking = _checkbox("Vi phạm nội quy hoặc sử dụng ma túy khác", "filter_breaking")
    unrecorded = _checkbox("Chưa ghi nhận việc chấp hành, sử dụng ma túy khác", "filter_unrecorded")

    class Meta:
        model = m.Treatment
        fields = ["kind"]

    def filter_running(self, queryset: QuerySet, name: str, value: bool) -> QuerySet:
        return queryset.filter(selectors.running_on(selectors.today())) if value else queryset

    def filter_breaking(self, queryset: QuerySet, name: str, value: bool) -> QuerySet:
        return queryset.filter(Q(complies_with_rules=False) | Q(uses_other_drugs=True)) if value else queryset

    def filter_unrecorded(self, queryset: QuerySet, name: str, value: bool) -> QuerySet:
        unrecorded = Q(complies_with_rules__isnull=True) | Q(uses_other_drugs__isnull=True)
        return queryset.filter(unrecorded) if value else queryset


class DrugTestFilterSet(PersonRecordFilterSet):
    tested_from, tested_to = _date_range("Xét nghiệm từ ngày", "đến ngày", "tested_on")

    class Meta:
        model = m.DrugTest
        fields = ["result", "method", "reason"]


class AccessLogFilterSet(LabelledFilterSet):
    user = df.ModelChoiceFilter(label="Người truy cập", queryset=visible_users)
    action = df.ChoiceFilter(label="Thao tác", choices=m.AccessAction.choices)
    date_from = DateFilter(label="Từ ngày", field_name="at", lookup_expr="date__gte")
    date_to = DateFilter(label="Đến ngày", field_name="at", lookup_expr="date__lte")

    class Meta:
        model = m.AccessLog
        fields: list[str] = []
