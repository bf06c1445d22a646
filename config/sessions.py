"""Sessions expire after SESSION_COOKIE_AGE seconds without activity (and when the browser
closes). Django's SESSION_SAVE_EVERY_REQUEST slides that expiry by writing the session row on
every request — an UPDATE and a commit per page view, the largest write under load. This
middleware slides it the same way but writes at most once per REFRESH_SECONDS per session: the
idle limit stays, shorter by at most that much.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse

REFRESH_SECONDS = 60
STAMP = "_refreshed_at"


class SessionRefreshMiddleware:
    """Placed right after SessionMiddleware, so its mark is seen when the session is saved."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is not None and not session.is_empty():
            now = int(time.time())
            if now - int(session.get(STAMP, 0)) >= REFRESH_SECONDS:
                session[STAMP] = now  # modified: SessionMiddleware saves it, with a new expiry
        return response


def stamp_on_login(sender: Any, request: HttpRequest | None, **kwargs: Any) -> None:
    """A login saves the session anyway: stamp it then, so the next minute's pages write nothing."""
    if request is not None and hasattr(request, "session"):
        request.session[STAMP] = int(time.time())
