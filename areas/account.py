"""Signing in and out in Vietnamese: a warning before the attempt that locks an account (django-axes
counts the failures), and a word on the login page after signing out."""

from __future__ import annotations

from typing import Any

from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_failure_limit
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse


def lockout_duration(delta: Any) -> str:
    """How long a locked account waits, as an officer reads it: "01 giờ", "30 phút"."""
    minutes = int(delta.total_seconds() // 60) if delta else 0
    hours, rest = divmod(minutes, 60)
    if hours and not rest:
        return f"{hours:02d} giờ"
    if hours:
        return f"{hours:02d} giờ {rest:02d} phút"
    return f"{minutes:02d} phút"


class LoginForm(AuthenticationForm):
    def clean(self) -> dict[str, Any]:
        try:
            return super().clean()
        except ValidationError as error:
            warning = self.last_attempt_warning()
            if warning:
                raise ValidationError(
                    [*error.error_list, ValidationError(warning, code="last_attempt")]
                ) from None
            raise

    def last_attempt_warning(self) -> str | None:
        username = self.cleaned_data.get("username")
        if not username or self.request is None:
            return None
        credentials = {"username": username}
        remaining = get_failure_limit(self.request, credentials) - AxesProxyHandler.get_failures(
            self.request, credentials
        )
        if remaining != 1:
            return None
        return (
            "Chú ý: chỉ còn 01 lần thử. Nếu nhập sai lần nữa, tài khoản sẽ bị tạm khóa "
            f"{lockout_duration(settings.AXES_COOLOFF_TIME)}."
        )


class LogoutView(auth_views.LogoutView):
    """Sign out, then say so on the login page."""

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = super().post(request, *args, **kwargs)
        messages.success(request, "Bạn đã đăng xuất. Hẹn gặp lại.")
        return response
