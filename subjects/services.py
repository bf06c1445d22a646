"""Writes to the registers made from the web pages."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.forms import ModelForm

from areas.permissions import can_edit_registers


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
