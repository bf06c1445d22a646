"""Writing the access log: every read of a person's record and every export."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from areas.models import Area
from config.client_ip import client_ip

from .models import AccessAction, AccessLog


def log_access(
    *,
    request: HttpRequest,
    action: AccessAction | str,
    object_type: str,
    area: Area,
    object_id: int | None = None,
    description: str = "",
    user: Any = None,
) -> AccessLog:
    """Record that the requesting user read or exported something of `area`.

    `description` must not carry personal data (no names, ID numbers): say what kind of list or
    record and how many rows, and give the record's id in `object_id`."""
    return AccessLog.objects.create(
        user=user or request.user,
        action=action,
        object_type=object_type,
        object_id=object_id,
        description=description[:255],
        ip_address=client_ip(request),
        area=area,
    )
