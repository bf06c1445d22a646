"""The admin site: a way round the jurisdiction gate (it shows every unit's records), so it is for
superusers only, each signed in with a one-time code (django-otp's `OTPAdminSite`), and the
admin pages that show persons write the access log (`subjects.admin`)."""

from __future__ import annotations

from django.http import HttpRequest
from django_otp.admin import OTPAdminSite

from .permissions import Action, can


class SecureAdminSite(OTPAdminSite):
    site_header = "Quản trị hệ thống — Địa bàn không ma túy"
    site_title = "Quản trị"

    def __init__(self, name: str = "admin") -> None:
        super().__init__(name)

    def has_permission(self, request: HttpRequest) -> bool:
        return super().has_permission(request) and can(request.user, Action.USE_ADMIN)
