from django.contrib import admin

from .models import Phase, Plan, ProvinceTarget, ReportRequest


class PhaseInline(admin.StackedInline):
    model = Phase
    extra = 0
    filter_horizontal = ["target_units"]


@admin.register(Plan)
class PlanAdmin(admin.ModelAdmin):
    list_display = ["number", "title", "issuing_body", "issuing_unit", "signed_on", "is_demo"]
    list_filter = ["is_demo"]
    search_fields = ["number", "title", "issuing_body"]
    autocomplete_fields = ["issuing_unit"]
    list_select_related = ["issuing_unit"]
    inlines = [PhaseInline]


@admin.register(Phase)
class PhaseAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "plan",
        "starts_on",
        "ends_on",
        "target_level",
        "target_kind",
        "target_value",
        "report_due_on",
    ]
    list_filter = ["target_level", "target_kind"]
    search_fields = ["name", "plan__number"]
    autocomplete_fields = ["target_units"]
    list_select_related = ["plan"]


@admin.register(ProvinceTarget)
class ProvinceTargetAdmin(admin.ModelAdmin):
    list_display = ["province", "year", "target_kind", "target_value", "basis", "is_demo"]
    list_filter = ["year", "is_demo"]
    autocomplete_fields = ["province"]
    list_select_related = ["province"]


@admin.register(ReportRequest)
class ReportRequestAdmin(admin.ModelAdmin):
    list_display = ["__str__", "status", "requested_by", "requested_at", "finished_at", "attempts"]
    list_filter = ["kind", "status"]
    search_fields = ["unit__name"]
    autocomplete_fields = ["unit", "phase"]
    list_select_related = ["unit", "requested_by"]
    readonly_fields = [
        "status",
        "error",
        "attempts",
        "started_at",
        "finished_at",
        "figures",
        "gather_seconds",
        "render_seconds",
    ]
