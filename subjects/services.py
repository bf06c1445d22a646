"""Writes to the registers made from the web pages."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.forms import ModelForm

from areas.permissions import can_edit_registers


@transaction.atomic
def save_register_record(*, user: Any, form: ModelForm) -> models.Model:
    """Save a valid register form as `user`, keeping who changed what in the history.

    The record must still be inside the user's jurisdiction once saved (NetBox's
    restrict-after-save): otherwise the whole write is rolled back and PermissionDenied raised,
    so nobody moves a record out of their own reach."""
    if not can_edit_registers(user):
        raise PermissionDenied("Chỉ Công an xã được cập nhật sổ theo dõi.")
    form.instance._history_user = user
    record = form.save()
    model = type(record)
    if not model.objects.visible_to(user).filter(pk=record.pk).exists():
        raise PermissionDenied("Bản ghi nằm ngoài địa bàn được giao.")
    return record
