from django.contrib import admin

from .models import ReportRequest


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
