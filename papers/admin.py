from django.contrib import admin

from .models import Paper


@admin.register(Paper)
class PaperAdmin(admin.ModelAdmin):
    list_display = ["__str__", "dossier", "issuer", "state", "issued_on"]
    list_filter = ["kind", "state"]
    search_fields = ["dossier__area__name", "entry__number"]
    readonly_fields = [f.name for f in Paper._meta.fields]

    def has_add_permission(self, request, obj=None):  # papers are written through the dossier page
        return False

    def has_delete_permission(self, request, obj=None):
        return False
