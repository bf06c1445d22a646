"""Client systems, their tokens and the bulk exports in the admin. A token is issued through the
service and its secret shown once, on the page that follows the issue (never stored, never put
in a message cookie); revocation is an action."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html

from . import services
from .models import ApiToken, BulkExport, ClientSystem


@admin.register(ClientSystem)
class ClientSystemAdmin(admin.ModelAdmin):
    list_display = ["name", "operator", "contact", "created_at"]
    search_fields = ["name", "operator"]

    def save_model(self, request: HttpRequest, obj: ClientSystem, form: Any, change: bool) -> None:
        if not change:
            obj.account = services.new_client_account(obj.name)
        super().save_model(request, obj, form, change)


def _default_expiry() -> dt.datetime:
    return timezone.now() + dt.timedelta(days=settings.API_TOKEN_DEFAULT_DAYS)


class TokenForm(forms.ModelForm):
    class Meta:
        model = ApiToken
        fields = ["client", "area", "personal_data", "expires_at", "rate_per_minute"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if "expires_at" in self.fields:
            self.fields["expires_at"].initial = _default_expiry


@admin.action(description="Thu hồi các mã truy cập đã chọn")
def revoke(modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: Any) -> None:
    revoked = sum(services.revoke_token(token=token, by=request.user) for token in queryset)
    modeladmin.message_user(request, f"Đã thu hồi {revoked} mã truy cập.", messages.SUCCESS)


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    form = TokenForm
    list_display = ["prefix", "client", "area", "personal_data", "expires_at", "status", "last_used_at"]
    list_filter = ["personal_data", "client"]
    search_fields = ["prefix", "client__name", "area__name"]
    autocomplete_fields = ["area"]
    list_select_related = ["client", "area"]
    actions = [revoke]
    readonly_fields = ["prefix", "created_by", "created_at", "revoked_at", "revoked_by", "last_used_at"]

    @admin.display(description="trạng thái")
    def status(self, obj: ApiToken) -> str:
        return obj.status_label

    def get_readonly_fields(self, request: HttpRequest, obj: ApiToken | None = None) -> Any:
        if obj is not None:
            # An issued token keeps its scope and grant: issue another one to change them.
            return [*TokenForm.Meta.fields, *self.readonly_fields]
        return self.readonly_fields

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # revoked, never deleted: the access log refers to its calls

    def save_model(self, request: HttpRequest, obj: ApiToken, form: Any, change: bool) -> None:
        if change:
            return
        try:
            token, secret = services.issue_token(
                client=obj.client,
                area=obj.area,
                expires_at=obj.expires_at,
                issued_by=request.user,
                personal_data=obj.personal_data,
                rate_per_minute=obj.rate_per_minute,
            )
        except services.ExchangeRefused as refusal:
            raise ValidationError(refusal.message) from refusal
        obj.pk = token.pk
        obj._secret = secret  # type: ignore[attr-defined]

    def response_add(
        self, request: HttpRequest, obj: ApiToken, post_url_continue: Any = None
    ) -> HttpResponse:
        secret = getattr(obj, "_secret", None)
        if secret is None:
            return super().response_add(request, obj, post_url_continue)
        token = ApiToken.objects.select_related("client", "area").get(pk=obj.pk)
        context = {
            **self.admin_site.each_context(request),
            "title": "Mã truy cập vừa cấp",
            "token": token,
            "secret": secret,
            "opts": self.model._meta,
            "list_url": reverse("admin:exchange_apitoken_changelist"),
            "schema_url": reverse("exchange-api:openapi-json"),
            "base_url": request.build_absolute_uri(reverse("exchange-api:api-root")),
        }
        response = TemplateResponse(request, "exchange/admin/token_issued.html", context)
        response["Cache-Control"] = "no-store"
        return response


@admin.register(BulkExport)
class BulkExportAdmin(admin.ModelAdmin):
    list_display = ["pk", "province", "personal_data", "status", "requested_by", "requested_at", "download"]
    list_filter = ["status", "personal_data"]
    fields = ["province", "personal_data"]
    list_select_related = ["province", "requested_by"]

    @admin.display(description="tệp")
    def download(self, obj: BulkExport) -> str:
        if obj.status != "done":
            return "—"
        return format_html('<a href="{}">Tải tệp zip</a>', reverse("exchange:export_download", args=[obj.pk]))

    def get_readonly_fields(self, request: HttpRequest, obj: BulkExport | None = None) -> Any:
        if obj is not None:
            return ["province", "personal_data", "status", "counts", "size", "sha256", "error", "download"]
        return []

    def get_fields(self, request: HttpRequest, obj: BulkExport | None = None) -> Any:
        return self.get_readonly_fields(request, obj) if obj is not None else self.fields

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: BulkExport, form: Any, change: bool) -> None:
        if change:
            return
        export = services.request_export(
            request=request, province=obj.province, personal_data=obj.personal_data
        )
        obj.pk = export.pk
