"""The one place that decides who the client of a request is (the access log and the lockout).

`X-Forwarded-For` is written by whoever sends the request, so it is believed only as far as the
`TRUSTED_PROXY_COUNT` reverse proxies in front of the app wrote it: each of them appends the
address it was connected from, so the client is the N-th address from the right. Anything that
is not an IP address is no address (PostgreSQL's inet refuses it, and a log must not store it)."""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def _valid(value: str | None) -> str | None:
    if not value:
        return None
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def client_ip(request: HttpRequest) -> str | None:
    """The client's address: the one the trusted proxies saw, else the connected peer."""
    peer = _valid(request.META.get("REMOTE_ADDR"))
    proxies: int = settings.TRUSTED_PROXY_COUNT
    if proxies <= 0:
        return peer
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    if len(forwarded) < proxies:
        return peer  # the proxy did not add its entry: a misconfiguration, keep the true peer
    return _valid(forwarded[-proxies]) or peer
