from django.contrib import admin

from .models import Decision, Dossier, DossierDocument, DossierEvent, Notification, Registration, WatchAlert


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class EventInline(ReadOnlyInline):
    model = DossierEvent
    fields = ["at", "move", "from_state", "to_state", "actor", "comment"]
    readonly_fields = fields


class DocumentInline(ReadOnlyInline):
    model = DossierDocument
    fields = ["kind", "title", "uploaded_by", "uploaded_at", "size"]
    readonly_fields = fields


@admin.register(Dossier)
class DossierAdmin(admin.ModelAdmin):
    # The route is changed only through the service: the admin reads.
    list_display = ["area", "commune", "programme", "appraiser", "decider", "state", "state_since"]
    list_filter = ["state", "is_demo"]
    search_fields = ["area__name", "commune__name"]
    readonly_fields = [
        "registration",
        "area",
        "commune",
        "programme",
        "appraiser",
        "council",
        "decider",
        "state",
        "state_since",
        "is_demo",
    ]
    inlines = [EventInline, DocumentInline]

    def has_add_permission(self, request):
        return False


@admin.register(Registration)
class RegistrationAdmin(admin.ModelAdmin):
    list_display = ["area", "phase", "registered_on", "target_date"]
    search_fields = ["area__name"]
    readonly_fields = ["area", "phase", "registered_by", "registered_on", *Registration.BASELINE_FIELDS]


@admin.register(Decision)
class DecisionAdmin(admin.ModelAdmin):
    list_display = ["number", "decided_on", "dossier", "signer_name", "signed_at"]
    readonly_fields = [
        "dossier",
        "number",
        "decided_on",
        "signer",
        "signer_name",
        "file",
        "sha256",
        "signed_at",
    ]

    def has_add_permission(self, request):
        return False


@admin.register(WatchAlert)
class WatchAlertAdmin(admin.ModelAdmin):
    list_display = ["dossier", "detected_on", "resolved_on"]
    list_filter = ["resolved_on"]
    readonly_fields = ["dossier", "detected_on", "broken"]
    exclude = ["scorecard"]


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["user", "text", "read", "created_at"]
    list_filter = ["read"]
