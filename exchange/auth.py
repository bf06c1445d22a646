"""`Authorization: Bearer <token>` for the exchange API. A call that passes is counted against the
token's rate and written to the access log before the endpoint runs, so no endpoint can forget."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer

from . import ratelimit, services


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        api_token = services.authenticate(token)
        if api_token is None:
            return None
        ratelimit.count_call(api_token)
        services.log_call(request=request, token=api_token)
        request.principal = services.principal_of(api_token)  # type: ignore[attr-defined]
        return api_token
