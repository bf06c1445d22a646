"""Every write of the exchange app: client systems and their tokens, the check of a presented
token, and the bulk export of a province.

Tokens are random (256 bits), shown once, and kept as their SHA-256 only: a stolen database does
not give working tokens. A token has the form `kmt_<prefix>_<secret>`; the prefix finds the row,
the secret's digest is compared in constant time.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import secrets
import tempfile
import zipfile
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from areas.models import Area, Level
from areas.permissions import Action, can
from subjects.access import log_access
from subjects.models import AccessAction

from . import selectors, shapes
from .models import SCOPE_LEVELS, ApiToken, BulkExport, ClientSystem, ExportStatus, export_file_path
from .principal import ScopedPrincipal

TOKEN_PREFIX = "kmt"


class ExchangeRefused(Exception):
    """A request this app refuses; `message` says why, in Vietnamese."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


# ---------------------------------------------------------------- client systems and tokens


def new_client_account(name: str) -> Any:
    """The inactive user that stands for a client system in the access log: no password, no role,
    no unit, so it can neither sign in nor see anything through the pages."""
    user_model = get_user_model()
    account = user_model(
        username=f"he-thong-{secrets.token_hex(5)}",
        full_name=f"Hệ thống kết nối: {name}"[:150],
        is_active=False,
    )
    account.set_unusable_password()
    account.save()
    return account


@transaction.atomic
def create_client_system(*, name: str, operator: str, contact: str = "", note: str = "") -> ClientSystem:
    return ClientSystem.objects.create(
        name=name, operator=operator, contact=contact, note=note, account=new_client_account(name)
    )


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@transaction.atomic
def issue_token(
    *,
    client: ClientSystem,
    area: Area,
    expires_at: dt.datetime,
    issued_by: Any,
    personal_data: bool = False,
    rate_per_minute: int = 120,
) -> tuple[ApiToken, str]:
    """A new token for `client`, reading `area`'s subtree until `expires_at`. Returns the row and
    the token itself, which is not kept and cannot be shown again."""
    if area.level not in SCOPE_LEVELS:
        raise ExchangeRefused("Phạm vi dữ liệu phải là tỉnh, huyện hoặc xã.")
    if expires_at <= timezone.now():
        raise ExchangeRefused("Thời điểm hết hạn phải sau thời điểm hiện tại.")
    prefix = secrets.token_hex(6)
    secret = secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        client=client,
        area=area,
        prefix=prefix,
        secret_hash=_digest(secret),
        personal_data=personal_data,
        expires_at=expires_at,
        rate_per_minute=rate_per_minute,
        created_by=issued_by,
    )
    return token, f"{TOKEN_PREFIX}_{prefix}_{secret}"


def revoke_token(*, token: ApiToken, by: Any) -> bool:
    """Revoke `token` from now on (True), or do nothing if it already was (False)."""
    return bool(
        ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
            revoked_at=timezone.now(), revoked_by=by
        )
    )


# A successful call moves `last_used_at` at most this often (one write per token per minute).
LAST_USED_RESOLUTION = dt.timedelta(minutes=1)


def authenticate(raw: str) -> ApiToken | None:
    """The token row `raw` stands for, if it exists, is not revoked and has not expired."""
    parts = raw.strip().split("_", 2)
    if len(parts) != 3 or parts[0] != TOKEN_PREFIX:
        return None
    _, prefix, secret = parts
    token = (
        ApiToken.objects.select_related("area", "client__account").filter(prefix=prefix).first()
        if prefix
        else None
    )
    if token is None:
        # Spend the same time as a comparison, so a missing prefix and a wrong secret look alike.
        hmac.compare_digest(_digest(secret), "0" * 64)
        return None
    if not hmac.compare_digest(_digest(secret), token.secret_hash):
        return None
    now = timezone.now()
    if not token.is_usable(now):
        return None
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token


def principal_of(token: ApiToken) -> ScopedPrincipal:
    return ScopedPrincipal(token.area)


def log_call(*, request: HttpRequest, token: ApiToken) -> None:
    """One access-log row per authenticated call: the client's account, the token's unit, the
    method and path (ids only; query strings are left out — a filter value is not logged)."""
    log_access(
        request=request,
        user=token.client.account,
        action=AccessAction.VIEW,
        object_type="api",
        area=token.area,
        description=f"API {request.method} {request.path} (mã {token.prefix})",
    )


# ---------------------------------------------------------------- bulk export of a province


def _enqueue(export_id: int) -> None:
    from .tasks import build_bulk_export

    transaction.on_commit(lambda: build_bulk_export.delay(export_id))


@transaction.atomic
def request_export(*, request: HttpRequest, province: Area, personal_data: bool = False) -> BulkExport:
    """Ask for a bulk export of `province` and queue its build (the build runs after commit).
    Logged as an export of the province."""
    user: Any = request.user
    if province.level != Level.PROVINCE or not can(user, Action.BULK_EXPORT, province):
        raise ExchangeRefused("Bạn không được xuất dữ liệu toàn tỉnh của đơn vị này.")
    export = BulkExport.objects.create(province=province, personal_data=personal_data, requested_by=user)
    log_access(
        request=request,
        action=AccessAction.EXPORT,
        object_type="bulk_export",
        object_id=export.pk,
        area=province,
        description=f"Yêu cầu xuất dữ liệu toàn tỉnh{' (kèm dữ liệu cá nhân)' if personal_data else ''}",
    )
    _enqueue(export.pk)
    return export


def export_grant(export: BulkExport) -> shapes.Grant:
    # The CCCD in full is for the commune police who keep the record; a province export masks it.
    return shapes.Grant(personal=export.personal_data, full_cccd=False)


CHUNK = 2000


def write_kind(handle: Any, kind: selectors.Kind, principal: Any, grant: shapes.Grant) -> int:
    """Write every record of `kind` in reach as one JSON line each; a constant number of queries
    per chunk (the queryset's prefetches run per chunk), memory flat whatever the size."""
    count = 0
    for record in selectors.records(kind, principal).iterator(chunk_size=CHUNK):
        line = json.dumps(kind.shape(record, grant), ensure_ascii=False, separators=(",", ":"))
        handle.write(line.encode() + b"\n")
        count += 1
    return count


def build_export(*, export_id: int) -> BulkExport:
    """Write the province's records, one JSON Lines file per kind, into a zip stored on the row.

    Idempotent: a finished export is left as it is; a re-run writes the zip under the same name,
    so it never leaves a second copy. The zip is written to a temporary file first and stored
    when complete."""
    with transaction.atomic():
        export = BulkExport.objects.select_for_update().select_related("province").get(pk=export_id)
        if export.status == ExportStatus.DONE:
            return export
        export.status = ExportStatus.RUNNING
        export.started_at = timezone.now()
        export.attempts += 1
        export.save(update_fields=["status", "started_at", "attempts"])

    principal = ScopedPrincipal(export.province)
    grant = export_grant(export)
    counts: dict[str, int] = {}
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "export.zip"
        with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for kind in selectors.KINDS.values():
                with archive.open(f"{kind.name}.jsonl", "w", force_zip64=True) as handle:
                    counts[kind.name] = write_kind(handle, kind, principal, grant)
            archive.writestr(
                "manifest.json",
                json.dumps(
                    {
                        "province_id": export.province_id,
                        "province": export.province.name,
                        "generated_at": timezone.now().isoformat(),
                        "personal_data": export.personal_data,
                        "counts": counts,
                    },
                    ensure_ascii=False,
                    indent=1,
                ),
            )
        digest = hashlib.sha256()
        with path.open("rb") as source:
            for block in iter(lambda: source.read(1 << 20), b""):
                digest.update(block)
        name = export_file_path(export, "export.zip")
        if default_storage.exists(name):
            default_storage.delete(name)
        with path.open("rb") as source:
            stored = default_storage.save(name, File(source))
        size = path.stat().st_size

    with transaction.atomic():
        export = BulkExport.objects.select_for_update().get(pk=export_id)
        export.file.name = stored
        export.size = size
        export.sha256 = digest.hexdigest()
        export.counts = counts
        export.status = ExportStatus.DONE
        export.error = ""
        export.finished_at = timezone.now()
        export.save(update_fields=["file", "size", "sha256", "counts", "status", "error", "finished_at"])
    return export


def record_export_failure(*, export_id: int, error: str, final: bool) -> None:
    status = ExportStatus.FAILED if final else ExportStatus.QUEUED
    BulkExport.objects.filter(pk=export_id).exclude(status=ExportStatus.DONE).update(
        status=status, error=error[:2000]
    )


def log_export_download(*, request: HttpRequest, export: BulkExport) -> None:
    log_access(
        request=request,
        action=AccessAction.EXPORT,
        object_type="bulk_export",
        object_id=export.pk,
        area=export.province,
        description="Tải tệp xuất dữ liệu toàn tỉnh",
    )
