"""Writes to the registers made from the web pages."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.forms import ModelForm

from areas.permissions import Action, require


@transaction.atomic
def save_register_record(*, user: Any, form: ModelForm) -> models.Model:
    """Save a valid register form as `user`, keeping who changed what in the history.

    The record must still be inside the user's jurisdiction once saved (NetBox's
    restrict-after-save): otherwise the whole write is rolled back and PermissionDenied raised,
    so nobody moves a record out of their own reach."""
    require(user, Action.EDIT_REGISTERS)
    form.instance._history_user = user
    record = form.save()
    model = type(record)
    if not model.objects.visible_to(user).filter(pk=record.pk).exists():
        raise PermissionDenied("Bản ghi nằm ngoài địa bàn được giao.")
    return record
