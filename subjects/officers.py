"""The responsible officer of a person's record (cán bộ phụ trách): giving a record to an officer
and handing all of one officer's records over to another, each change written to
`OfficerChange` in the same transaction as the change itself."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from areas.models import Area, Level, User
from areas.permissions import REGISTER_KEEPERS, Action, require

from .models import OfficerChange, Person


def commune_officers(commune: Area) -> Any:
    """The officers who may hold records of `commune`: its active police users."""
    return User.objects.filter(area=commune, role__in=REGISTER_KEEPERS, is_active=True).order_by(
        "full_name", "username"
    )


def _check_officer(officer: User | None, commune: Area) -> None:
    if officer is not None and not commune_officers(commune).filter(pk=officer.pk).exists():
        raise ValidationError("Cán bộ phụ trách phải là cán bộ Công an của xã quản lý đối tượng.")


@transaction.atomic
def assign_officer(
    *, user: Any, person: Person, officer: User | None, reason: str = ""
) -> OfficerChange | None:
    """Make `officer` responsible for `person` (None: no one); nothing happens when it already is."""
    person = (
        Person.objects.select_for_update(of=("self",)).select_related("village__parent").get(pk=person.pk)
    )
    require(user, Action.ASSIGN_OFFICERS, person.village)
    if person.village.parent is None:
        raise ValidationError("Thôn, bản của đối tượng chưa thuộc xã nào.")
    _check_officer(officer, person.village.parent)
    new_id = officer.pk if officer else None
    if person.officer_id == new_id:
        return None
    change = OfficerChange.objects.create(
        person=person, from_officer_id=person.officer_id, to_officer=officer, changed_by=user, reason=reason
    )
    person.officer = officer
    person._change_reason = "Đổi cán bộ phụ trách"  # type: ignore[attr-defined]
    person.save(update_fields=["officer", "updated_at"])
    return change


@transaction.atomic
def hand_over(*, user: Any, commune: Area, from_officer: User, to_officer: User, reason: str) -> int:
    """Move every record of `commune` held by `from_officer` to `to_officer` in one step (rows
    locked, one history row each); returns how many moved."""
    if commune.level != Level.COMMUNE:
        raise ValidationError("Chỉ bàn giao trong phạm vi một xã.")
    require(user, Action.ASSIGN_OFFICERS, commune)
    if from_officer.pk == to_officer.pk:
        raise ValidationError("Cán bộ nhận bàn giao phải khác cán bộ bàn giao.")
    _check_officer(to_officer, commune)
    if not reason.strip():
        raise ValidationError("Ghi lý do bàn giao.")
    persons = list(
        Person.objects.select_for_update()
        .filter(village__parent=commune, officer=from_officer)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    if not persons:
        return 0
    OfficerChange.objects.bulk_create(
        OfficerChange(
            person_id=pk,
            from_officer=from_officer,
            to_officer=to_officer,
            changed_by=user,
            reason=reason.strip(),
            is_handover=True,
        )
        for pk in persons
    )
    # One statement for the move itself; the change history above says who held what before.
    # (`updated_at` moves too, so incremental readers of the register see the change.)
    Person.objects.filter(pk__in=persons).update(officer=to_officer, updated_at=timezone.now())
    return len(persons)
