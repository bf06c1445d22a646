from django.contrib import admin

from .models import OutgoingEntry


@admin.register(OutgoingEntry)
class OutgoingEntryAdmin(admin.ModelAdmin):
    list_display = ["reference", "issued_on", "kind", "summary", "body", "reserved_by_hand"]
    list_filter = ["year", "kind", "reserved_by_hand", "body"]
    search_fields = ["summary"]
    # Entries are the register itself: numbers are taken by the services, never typed over here.
    readonly_fields = [f.name for f in OutgoingEntry._meta.fields]

    @admin.display(description="số, ký hiệu")
    def reference(self, entry: OutgoingEntry) -> str:
        return entry.reference

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False
