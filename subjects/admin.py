from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from . import models


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
class PersonAdmin(SimpleHistoryAdmin):
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
class GroupCaseAdmin(SimpleHistoryAdmin):
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
