"""Calls per token per minute, counted in the shared "api-rate" cache (Redis in production)."""

from __future__ import annotations

import time

from django.core.cache import caches

from .models import ApiToken


class RateLimited(Exception):
    def __init__(self, retry_after: int) -> None:
        super().__init__(retry_after)
        self.retry_after = retry_after


def count_call(token: ApiToken, now: float | None = None) -> None:
    """Count one call of `token` in the current minute; RateLimited (with the seconds until the
    next minute) once it is over the token's `rate_per_minute`."""
    now = time.time() if now is None else now
    window = int(now // 60)
    # Keyed by the token's random prefix, not its id: ids repeat across databases sharing a cache.
    key = f"{token.prefix}:{window}"
    cache = caches["api-rate"]
    cache.add(key, 0, timeout=120)
    try:
        calls = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=120)
        calls = 1
    if calls > token.rate_per_minute:
        raise RateLimited(retry_after=max(1, 60 - int(now % 60)))
