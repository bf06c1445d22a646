from django.contrib import admin

from .forms import CriterionAdminForm
from .models import CriteriaSet, Criterion, EvidenceAttestation


class CriterionInline(admin.StackedInline):
    model = Criterion
    form = CriterionAdminForm
    extra = 0
    ordering = ["number"]


@admin.register(CriteriaSet)
class CriteriaSetAdmin(admin.ModelAdmin):
    list_display = ["name", "levels_display", "valid_from", "valid_until", "jurisdiction", "is_active"]
    list_filter = ["is_active", "for_villages", "for_communes"]
    search_fields = ["name", "legal_basis"]
    autocomplete_fields = ["jurisdiction"]
    list_select_related = ["jurisdiction"]
    inlines = [CriterionInline]

    @admin.display(description="áp dụng cho")
    def levels_display(self, obj: CriteriaSet) -> str:
        return obj.levels_display


@admin.register(EvidenceAttestation)
class EvidenceAttestationAdmin(admin.ModelAdmin):
    list_display = ["criterion", "area", "officer_name", "attested_on", "created_by"]
    list_select_related = ["criterion", "area", "created_by"]
    autocomplete_fields = ["area"]
    raw_id_fields = ["criterion"]
    readonly_fields = ["created_by", "created_at"]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)
