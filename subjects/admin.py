from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from . import models
from .access import log_person_read


class PersonDataAdmin(SimpleHistoryAdmin):
    """Admin pages that show persons write the access log, as the app's own pages do."""

    def _log(self, request, description: str, object_id=None) -> None:
        if request.method == "GET":
            log_person_read(
                request, object_type=self.model._meta.model_name, object_id=object_id, description=description
            )

    def changelist_view(self, request, extra_context=None):
        self._log(request, f"Quản trị: danh sách {self.model._meta.verbose_name}")
        return super().changelist_view(request, extra_context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        self._log(request, f"Quản trị: xem {self.model._meta.verbose_name}", int(object_id))
        return super().change_view(request, object_id, form_url, extra_context)

    def history_view(self, request, object_id, extra_context=None):
        self._log(request, f"Quản trị: lịch sử {self.model._meta.verbose_name}", int(object_id))
        return super().history_view(request, object_id, extra_context)


class PersonChildInline(admin.TabularInline):
    extra = 0


class StatusInline(PersonChildInline):
    model = models.PersonStatus


class FileInline(PersonChildInline):
    model = models.ManagementFile


class TreatmentInline(PersonChildInline):
    model = models.Treatment


class TestInline(PersonChildInline):
    model = models.DrugTest


@admin.register(models.Person)
class PersonAdmin(PersonDataAdmin):
    list_display = ["full_name", "birth_date", "village", "presence", "is_demo"]
    list_filter = ["presence", "residence_type", "is_demo"]
    search_fields = ["name_search", "cccd"]
    autocomplete_fields = ["village"]
    list_select_related = ["village"]
    inlines = [StatusInline, FileInline, TreatmentInline, TestInline]


@admin.register(models.DrugPoint, models.CultivationIncident, models.HouseholdCommitment, models.HotlineBoard)
class VillageRegisterAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "village", "is_demo"]
    autocomplete_fields = ["village"]
    list_select_related = ["village"]


@admin.register(models.CriminalGroup, models.DrugCase)
class GroupCaseAdmin(PersonDataAdmin):
    list_display = ["__str__", "village", "is_demo"]
    autocomplete_fields = ["village"]
    list_select_related = ["village"]
    raw_id_fields = []


@admin.register(models.PreventionModel)
class PreventionModelAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind", "area", "is_active", "is_demo"]
    list_filter = ["kind", "is_active"]
    autocomplete_fields = ["area"]


@admin.register(models.AccessLog)
class AccessLogAdmin(admin.ModelAdmin):
    list_display = ["at", "user", "action", "object_type", "object_id", "area", "ip_address"]
    list_filter = ["action", "object_type"]
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
