"""How a register's rows read on screen: a column, a value as a person reads it (choice labels,
Có/Không, units by name), and the small cells the register tables share."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.html import format_html, format_html_join

from . import models as m


def display_value(obj: Any, name: str) -> Any:
    """A model field's value as a person reads it: choice labels, Có/Không, units by name."""
    field_obj = obj._meta.get_field(name)
    value = getattr(obj, name)
    if field_obj.choices and value not in (None, ""):
        return getattr(obj, f"get_{name}_display")()
    if isinstance(value, bool):
        return "Có" if value else "Không"
    return "" if value is None else value


@dataclass(frozen=True)
class Column:
    label: str
    value: str | Callable[[Any], Any]
    link: bool = False
    align: str = ""

    def cell(self, obj: Any) -> Any:
        return self.value(obj) if callable(self.value) else display_value(obj, self.value)


def masked_cccd(person: m.Person) -> str:
    return format_html('<span class="masked">{}</span>', person.masked_cccd)


def status_badges(person: m.Person) -> str:
    return format_html_join(
        " ",
        '<span class="badge text-bg-light border">{}</span>',
        ((status.get_kind_display(),) for status in person.active_statuses),
    )


def percent(commitment: m.HouseholdCommitment) -> str:
    if not commitment.households:
        return ""
    return f"{commitment.signed * 100 / commitment.households:.1f} %".replace(".", ",")


def recorded(value: bool | None, yes: str, no: str) -> str:
    return "(chưa ghi nhận)" if value is None else (yes if value else no)


def treatment_kind(treatment: m.Treatment) -> str:
    # The substitution label names both medicines; a row names the one given.
    if treatment.kind == m.TreatmentKind.SUBSTITUTION and treatment.medication:
        return f"Điều trị thay thế ({treatment.get_medication_display()})"
    return treatment.get_kind_display()
