"""Writes to the registers: a record saved from its page, and an Excel import (check, then apply)."""

from __future__ import annotations

import datetime as dt
from typing import IO, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.forms import ModelForm
from django.http import HttpRequest

from areas.permissions import can_edit_registers

from .access import log_access
from .excel.reading import read_rows
from .excel.registers import RegisterImport
from .excel.registry import REGISTERS
from .excel.results import ImportCheck, ImportKind, ImportRejected, ImportResult, PreviewRow, Problem
from .models import AccessAction, AccessLog


@transaction.atomic
def save_register_record(*, user: Any, form: ModelForm) -> models.Model | None:
    """Save a valid register form as `user`, keeping who changed what in the history.

    The record must still be inside the user's jurisdiction once saved (NetBox's
    restrict-after-save): otherwise the whole write is rolled back and PermissionDenied raised,
    so nobody moves a record out of their own reach. When a database constraint refuses the
    record after the form was checked (the same form sent twice at once), nothing is written,
    the constraint's message goes onto the form and None is returned."""
    if not can_edit_registers(user):
        raise PermissionDenied("Chỉ Công an xã được cập nhật sổ theo dõi.")
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


# ---------------------------------------------------------------- Excel import


def _require_importer(user: Any) -> None:
    if not can_edit_registers(user):
        raise PermissionDenied("Chỉ công an xã được nhập dữ liệu vào sổ theo dõi.")


def _display(value: Any) -> Any:
    if isinstance(value, dt.date):
        return f"{value:%d/%m/%Y}"
    return "" if value is None else value


def _sorted(problems: list[Problem], register: RegisterImport) -> list[Problem]:
    order = {c.header: i for i, c in enumerate(register.columns)}
    return sorted(problems, key=lambda p: (p.row or 0, order.get(p.column, len(order))))


def check_import(*, kind: str, file: IO[bytes] | Any, user: Any) -> ImportCheck:
    """Read the whole file and validate every row as the register's page would (the model's
    `full_clean()`), against the register and the user's jurisdiction, without writing anything.
    Raises `ImportFileError` when the file is not an import at all (or is too big to be one);
    otherwise every problem is listed by row and column, in Vietnamese."""
    _require_importer(user)
    kind = ImportKind(kind)
    register = REGISTERS[kind](user)
    raw_rows = read_rows(file, register.columns, kind.label)
    rows, problems = register.check(raw_rows)
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
    register = REGISTERS[ImportKind(check.kind)](user)
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
