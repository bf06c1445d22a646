from django.contrib import admin

from .models import (
    LegalBasis,
    Phase,
    Programme,
    ProvinceTarget,
    ReportingWindow,
    RequiredComponent,
    RouteStep,
)


class LegalBasisInline(admin.TabularInline):
    model = LegalBasis
    extra = 0


class RouteStepInline(admin.TabularInline):
    model = RouteStep
    extra = 0
    autocomplete_fields = ["body"]


class RequiredComponentInline(admin.TabularInline):
    model = RequiredComponent
    extra = 0


class ReportingWindowInline(admin.TabularInline):
    model = ReportingWindow
    extra = 0


class PhaseInline(admin.StackedInline):
    model = Phase
    extra = 0
    filter_horizontal = ["target_units"]


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    list_display = [
        "number",
        "title",
        "issuing_body",
        "issuing_unit",
        "valid_from",
        "valid_until",
        "is_active",
    ]
    list_filter = ["is_active", "is_demo"]
    search_fields = ["number", "title", "issuing_body"]
    autocomplete_fields = ["issuing_unit"]
    list_select_related = ["issuing_unit"]
    inlines = [LegalBasisInline, RouteStepInline, RequiredComponentInline, ReportingWindowInline, PhaseInline]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "number",
                    "issuing_body",
                    "issuing_unit",
                    "signed_on",
                    "title",
                    "valid_from",
                    "valid_until",
                    "is_active",
                    "village_criteria_set",
                    "commune_criteria_set",
                    "note",
                    "is_demo",
                ]
            },
        ),
        (
            "Văn bản của hồ sơ thôn, bản",
            {"fields": ["village_meeting_required", "posting_days"]},
        ),
        (
            "Chất lượng dữ liệu (đúng, đủ, sạch, sống)",
            {"fields": ["test_window_days", "field_check_days", "absent_check_days"]},
        ),
    ]


@admin.register(Phase)
class PhaseAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "programme",
        "starts_on",
        "ends_on",
        "target_level",
        "target_kind",
        "target_value",
        "report_due_on",
    ]
    list_filter = ["target_level", "target_kind"]
    search_fields = ["name", "programme__number"]
    autocomplete_fields = ["target_units"]
    list_select_related = ["programme"]


@admin.register(ProvinceTarget)
class ProvinceTargetAdmin(admin.ModelAdmin):
    list_display = ["province", "year", "target_kind", "target_value", "basis", "is_demo"]
    list_filter = ["year", "is_demo"]
    autocomplete_fields = ["province"]
    list_select_related = ["province"]
