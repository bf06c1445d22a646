"""Writes to the registers: a record saved from its page, an Excel import (check, then apply),
the CCCD lookups that never reveal a record outside the user's jurisdiction, and the transfer of a
person between communes."""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable
from typing import IO, Any

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.forms import ModelForm
from django.http import HttpRequest
from django.utils import timezone

from areas.models import Area, Level
from areas.permissions import REFUSALS, Action, can, require

from .access import log_access, log_area
from .excel.reading import read_rows
from .excel.registers import RegisterImport
from .excel.registry import REGISTERS
from .excel.results import ImportCheck, ImportKind, ImportRejected, ImportResult, PreviewRow, Problem
from .models import AccessAction, AccessLog, Person, TransferRequest, TransferStatus


@transaction.atomic
def save_register_record(*, user: Any, form: ModelForm) -> models.Model | None:
    """Save a valid register form as `user`, keeping who changed what in the history.

    The record must still be inside the user's jurisdiction once saved (NetBox's
    restrict-after-save): otherwise the whole write is rolled back and PermissionDenied raised,
    so nobody moves a record out of their own reach. When a database constraint refuses the
    record after the form was checked (the same form sent twice at once), nothing is written,
    the constraint's message goes onto the form and None is returned."""
    require(user, Action.EDIT_REGISTERS)
    form.instance._history_user = user
    try:
        with transaction.atomic():
            record = form.save()
    except IntegrityError:
        try:
            form.instance.validate_constraints()
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            form.add_error(
                None, "Sổ theo dõi vừa được cập nhật cùng lúc; không có gì được ghi. Hãy kiểm tra lại."
            )
        return None
    model = type(record)
    if not model.objects.visible_to(user).filter(pk=record.pk).exists():
        raise PermissionDenied("Bản ghi nằm ngoài địa bàn được giao.")
    return record


# ---------------------------------------------------------------- CCCD lookups and transfers between communes


class CccdHolder(enum.Enum):
    """Where a CCCD number is held, as the services see it. Pages and the import must show
    ELSEWHERE exactly as FREE, except that a write then becomes a transfer request."""

    FREE = "free"
    HERE = "here"  # a person inside the user's jurisdiction holds it: say so
    ELSEWHERE = "elsewhere"  # held outside the jurisdiction: never revealed


LOOKUP_LIMIT_MESSAGE = (
    "Bạn đã tra cứu số CCCD quá {limit} lần trong một giờ. Hãy thử lại sau; "
    "nếu cần nhập nhiều đối tượng, hãy dùng chức năng nhập từ Excel."
)
TRANSFER_SENT_MESSAGE = (
    "Đã gửi yêu cầu tiếp nhận đối tượng mang số CCCD này; cơ quan có thẩm quyền sẽ xem xét và trả lời."
)


class LookupLimitExceeded(Exception):
    def __init__(self, limit: int) -> None:
        self.message = LOOKUP_LIMIT_MESSAGE.format(limit=limit)
        super().__init__(self.message)


def _count_lookup(user: Any) -> None:
    """One CCCD lookup against the user's hourly quota (Django's cache; a shared cache such as
    Redis makes the quota hold across server processes)."""
    limit = getattr(settings, "CCCD_LOOKUPS_PER_HOUR", 60)
    key = f"cccd-lookups:{user.pk}:{timezone.now():%Y%m%d%H}"
    cache.add(key, 0, timeout=3600)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=3600)
        count = 1
    if count > limit:
        raise LookupLimitExceeded(limit)


def lookup_cccds(*, request: HttpRequest, numbers: Iterable[str], purpose: str) -> dict[str, CccdHolder]:
    """Where each of `numbers` is held, for the requesting user: HERE, ELSEWHERE or FREE.

    One call is one lookup against the user's hourly quota (LookupLimitExceeded past it) and one
    access-log row, whatever the number of numbers (the import asks for a whole file at once).
    The log says how many numbers and why, never the numbers."""
    wanted = sorted({n for n in numbers if n})
    user = request.user
    _count_lookup(user)
    found = dict(Person.objects.filter(cccd__in=wanted).values_list("cccd", "pk"))
    here = set(Person.objects.visible_to(user).filter(pk__in=found.values()).values_list("cccd", flat=True))
    area = log_area(user)
    if area is not None:
        log_access(
            request=request,
            action=AccessAction.VIEW,
            object_type="cccd_lookup",
            area=area,
            description=f"Tra cứu số CCCD ({purpose}): {len(wanted)} số",
        )
    return {
        n: CccdHolder.HERE if n in here else CccdHolder.ELSEWHERE if n in found else CccdHolder.FREE
        for n in wanted
    }


def lookup_cccd(*, request: HttpRequest, cccd: str, purpose: str) -> CccdHolder:
    return lookup_cccds(request=request, numbers=[cccd], purpose=purpose)[cccd]


def lowest_common_body(first: Area, second: Area) -> Area | None:
    """The lowest unit above both (a district before 2025, the province after); None when they
    sit in different provinces."""
    first_ids = [int(i) for i in first.path.strip("/").split("/")]
    second_ids = [int(i) for i in second.path.strip("/").split("/")]
    common = None
    for a, b in zip(first_ids, second_ids, strict=False):
        if a != b:
            break
        common = a
    if common is None:
        return None
    unit: Area | None = Area.objects.get(pk=common)
    today = timezone.localdate()
    # A district that has ceased (01/07/2025) decides nothing: its province does.
    while unit is not None and (
        unit.level not in (Level.DISTRICT, Level.PROVINCE) or not unit.is_open_on(today)
    ):
        unit = unit.parent
    return unit


def _body_above(commune: Area) -> Area:
    """The nearest district (while districts exist) or province above `commune`."""
    today = timezone.localdate()
    for unit in reversed(commune.ancestors()):
        if unit.level in (Level.DISTRICT, Level.PROVINCE) and unit.is_open_on(today):
            return unit
    raise ValidationError("Xã chưa thuộc huyện hoặc tỉnh nào; không gửi được yêu cầu.")


@transaction.atomic
def request_transfer(
    *, request: HttpRequest, cccd: str, village: Area, reason: str, holder: CccdHolder | None = None
) -> TransferRequest:
    """Ask to take over the person holding `cccd` into `village` of the user's commune.

    The answer is the same whether or not the number is held anywhere: a request is recorded
    and the user is told it was sent. Who decides: the police of the lowest body above both
    communes when the number is held elsewhere (the holder's province when the communes sit in
    different provinces), the body above the requesting commune otherwise (it finds no record
    and answers). A number held inside the user's own jurisdiction needs no transfer. `holder`:
    the caller's own `lookup_cccd` of the number in this request, so it is not counted twice."""
    user: Any = request.user
    require(user, Action.REQUEST_TRANSFER)
    require(user, Action.EDIT_REGISTERS, village)
    commune = village.parent
    if village.level != Level.VILLAGE or commune is None:
        raise ValidationError({"village": "Chọn thôn, bản tiếp nhận đối tượng."})
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": "Ghi lý do, căn cứ đề nghị tiếp nhận (nơi chuyển đến, giấy tờ)."})
    if holder is None:
        holder = lookup_cccd(request=request, cccd=cccd, purpose="đề nghị tiếp nhận")
    if holder is CccdHolder.HERE:
        raise ValidationError({"cccd": "Số CCCD này đã có trong sổ theo dõi của địa bàn bạn quản lý."})
    person = None
    if holder is CccdHolder.ELSEWHERE:
        person = Person.objects.select_related("village__parent").get(cccd=cccd)
    if person is not None:
        holder_commune: Any = person.village.parent
        deciding_body = lowest_common_body(commune, person.village) or _body_above(holder_commune)
    else:
        deciding_body = _body_above(commune)
    return TransferRequest.objects.create(
        requesting_commune=commune,
        village=village,
        cccd=cccd,
        reason=reason,
        requested_by=user,
        person=person,
        from_village=person.village if person else None,
        deciding_body=deciding_body,
    )


@transaction.atomic
def decide_transfer(*, user: Any, transfer_id: int, accept: bool, note: str = "") -> TransferRequest:
    """The deciding body's answer. Accepting moves the person's record (statuses, files,
    treatments, tests and its change history go with it) to the requesting village."""
    transfer = TransferRequest.objects.select_for_update().filter(pk=transfer_id).first()
    if transfer is None or not can(user, Action.DECIDE_TRANSFER, transfer):
        raise PermissionDenied(REFUSALS[Action.DECIDE_TRANSFER])
    if transfer.status != TransferStatus.PENDING:
        raise ValidationError("Yêu cầu này đã được quyết định.")
    note = note.strip()
    if accept:
        person = (
            Person.objects.select_for_update().filter(pk=transfer.person_id or 0, cccd=transfer.cccd).first()
        )
        if person is None:
            raise ValidationError(
                "Không có đối tượng mang số CCCD này trong sổ theo dõi: chỉ có thể không chấp nhận."
            )
        person.village = transfer.village
        # django-simple-history reads who made the change and why from these two attributes.
        person._history_user = user  # type: ignore[attr-defined]
        person._change_reason = f"Chuyển quản lý theo yêu cầu #{transfer.pk}"  # type: ignore[attr-defined]
        try:
            person.full_clean(exclude=["cccd"])
        except ValidationError as error:
            raise ValidationError("Không chuyển được: " + " ".join(error.messages)) from error
        person.save()
    elif not note:
        raise ValidationError({"note": "Ghi lý do không chấp nhận."})
    transfer.status = TransferStatus.ACCEPTED if accept else TransferStatus.REFUSED
    transfer.decided_by, transfer.decided_at, transfer.decision_note = user, timezone.now(), note
    transfer.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    return transfer


# ---------------------------------------------------------------- Excel import


def _require_importer(user: Any) -> None:
    require(user, Action.EDIT_REGISTERS)


def _display(value: Any) -> Any:
    if isinstance(value, dt.date):
        return f"{value:%d/%m/%Y}"
    return "" if value is None else value


def _sorted(problems: list[Problem], register: RegisterImport) -> list[Problem]:
    order = {c.header: i for i, c in enumerate(register.columns)}
    return sorted(problems, key=lambda p: (p.row or 0, order.get(p.column, len(order))))


def check_import(
    *, kind: str, file: IO[bytes] | Any, user: Any, request: HttpRequest | None = None
) -> ImportCheck:
    """Read the whole file and validate every row as the register's page would (the model's
    `full_clean()`), against the register and the user's jurisdiction, without writing anything.
    Raises `ImportFileError` when the file is not an import at all (or is too big to be one);
    otherwise every problem is listed by row and column, in Vietnamese."""
    _require_importer(user)
    kind = ImportKind(kind)
    register = REGISTERS[kind](user, request)
    raw_rows = read_rows(file, register.columns, kind.label)
    rows, problems = register.check(raw_rows)
    if request is not None and hasattr(register, "lookup"):
        register.lookup(rows)  # the CCCD numbers of the file: one logged, rate-limited lookup
    return ImportCheck(
        kind=kind,
        user_id=user.pk,
        raw_rows=raw_rows,
        rows=[
            PreviewRow(row.number, row.values, [_display(cell) for cell in register.preview(row)])
            for row in rows
        ],
        problems=_sorted(problems, register),
        preview_headers=register.preview_headers,
        parsed=rows,
    )


def apply_import(*, check: ImportCheck, user: Any, request: HttpRequest | None = None) -> ImportResult:
    """Write every row of a clean check, or none. The rows are checked again against the
    register and the user's jurisdiction inside the transaction (both may have changed since the
    preview); a record created meanwhile by someone else surfaces as `ImportRejected`, never as a
    duplicate or half an import. History rows carry the acting user; the access log records the
    import (kind and count, never a person's data)."""
    _require_importer(user)
    if check.user_id != user.pk:
        raise PermissionDenied("Kết quả kiểm tra tệp thuộc về người dùng khác.")
    if not check.ok:
        raise ImportRejected(check.problems)
    register = REGISTERS[ImportKind(check.kind)](user, request)
    rows = check.parsed
    try:
        with transaction.atomic():
            problems = register.recheck(rows)
            if problems:
                raise ImportRejected(_sorted(problems, register))
            result = register.create(rows)
            _log_import(register=register, result=result, request=request, rows=rows)
    except IntegrityError as exc:
        raise ImportRejected(
            [
                Problem(
                    None,
                    "",
                    "Sổ theo dõi vừa được người khác cập nhật (trùng bản ghi) trong lúc nhập; "
                    "không dòng nào được nhập. Hãy tải tệp lên và kiểm tra lại.",
                )
            ]
        ) from exc
    return result


def _log_import(
    *, register: RegisterImport, result: ImportResult, request: HttpRequest | None, rows: list
) -> None:
    user = register.user
    area = user.area if user.area_id else register.area_of(rows)
    description = f"Nhập từ Excel: {ImportKind(register.kind).label.lower()}, {result.created} dòng"
    if request is not None:
        log_access(
            request=request,
            action=AccessAction.IMPORT,
            object_type=register.object_type,
            area=area,
            description=description,
        )
    else:
        AccessLog.objects.create(
            user=user,
            action=AccessAction.IMPORT,
            object_type=register.object_type,
            area=area,
            description=description,
        )
