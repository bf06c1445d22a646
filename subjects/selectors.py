"""Reads of the registers that carry logic: search, the "who is overdue" filters, a person's
timeline. Every function takes a queryset that already went through `visible_to(user)` (or a
person the user was allowed to open), so jurisdiction stays with the caller's gate."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.db.models.functions import Collate
from django.utils import timezone

from .models import (
    DrugTest,
    ManagementFile,
    Person,
    PersonStatus,
    StatusKind,
    TestResult,
)
from .text import normalise_name

RECENT_TEST_DAYS = 30
# The statuses the Thanh Hóa criteria want tested within 30 days and kept under watch.
MONITORED_KINDS = (StatusKind.USER, StatusKind.ADDICT, StatusKind.POST_REHAB, StatusKind.PSYCHOSIS)
_CCCD = re.compile(r"^\d{12}$")
_CCCD_END = re.compile(r"^\d{4,11}$")


def today() -> dt.date:
    return timezone.localdate()


# ---------------------------------------------------------------- search


def search_persons(queryset: QuerySet[Person], text: str, *, cccd_suffix: bool = False) -> QuerySet[Person]:
    """Persons whose name contains `text` whatever the accents ("nguyen van a" finds
    "Nguyễn Văn A"), or whose CCCD is exactly `text`; with `cccd_suffix` (for users who may see
    CCCD numbers) also those whose CCCD ends with 4 to 11 digits typed.

    Both sides go through one rule, `normalise_name`: the typed text here, the stored name in
    `Person.name_search`. On PostgreSQL a trigram index over that column serves searches of
    three letters or more; a shorter one ("ly", "hà") is narrowed by the jurisdiction's villages
    first, which the planner can do because it has statistics on the plain column."""
    text = (text or "").strip()
    if not text:
        return queryset
    if _CCCD.match(text):
        return queryset.filter(cccd=text)
    if cccd_suffix and _CCCD_END.match(text):
        return queryset.filter(cccd__endswith=text)
    found = queryset.filter(name_search__contains=normalise_name(text))
    if connection.vendor == "postgresql":
        # Sorting under the "C" collation keeps the planner from walking the name index in order
        # and filtering row by row; it takes the trigram index and sorts the few matches instead.
        return found.order_by(Collate("name_search", "C"), "birth_date", "pk")
    return found


# ---------------------------------------------------------------- facts about persons


def running_on(day: dt.date) -> Q:
    """A period with `start_date` and an inclusive `end_date` (a status, a treatment) running on `day`."""
    return Q(start_date__lte=day) & (Q(end_date__isnull=True) | Q(end_date__gte=day))


def has_status(kinds: list[str] | tuple[str, ...], day: dt.date) -> Exists:
    """A person holds one of `kinds` on `day`."""
    return Exists(PersonStatus.objects.filter(running_on(day), person=OuterRef("pk"), kind__in=kinds))


def has_recent_negative_test(day: dt.date, days: int = RECENT_TEST_DAYS) -> Exists:
    return Exists(
        DrugTest.objects.filter(
            person=OuterRef("pk"),
            result=TestResult.NEGATIVE,
            tested_on__gt=day - dt.timedelta(days=days),
            tested_on__lte=day,
        )
    )


def has_open_file(day: dt.date) -> Exists:
    """A person has a management file open on `day`."""
    return Exists(
        ManagementFile.objects.filter(
            Q(closed_on__isnull=True) | Q(closed_on__gte=day), person=OuterRef("pk"), opened_on__lte=day
        )
    )


def without_recent_negative_test(queryset: QuerySet[Person], day: dt.date | None = None) -> QuerySet[Person]:
    return queryset.filter(~has_recent_negative_test(day or today()))


def addicts_without_file(queryset: QuerySet[Person], day: dt.date | None = None) -> QuerySet[Person]:
    day = day or today()
    return queryset.filter(has_status([StatusKind.ADDICT], day)).filter(~has_open_file(day))


def statuses_held_on(person: Person, day: dt.date) -> list[PersonStatus]:
    """The statuses a person holds on `day`, from the prefetched statuses (no query)."""
    return [
        s for s in person.statuses.all() if s.start_date <= day and (s.end_date is None or s.end_date >= day)
    ]


def with_active_statuses(queryset: QuerySet[Person], day: dt.date | None = None) -> QuerySet[Person]:
    """Attach `active_statuses` (the statuses held on `day`) with one extra query per page."""
    day = day or today()
    return queryset.prefetch_related(
        Prefetch(
            "statuses",
            queryset=PersonStatus.objects.filter(running_on(day)).order_by("start_date"),
            to_attr="active_statuses",
        )
    )


# ---------------------------------------------------------------- the person timeline


@dataclass(frozen=True)
class TimelineEntry:
    day: dt.date
    kind: str
    icon: str
    title: str
    detail: str
    record: Any
    ended: dt.date | None = None


def _yes_no(value: bool | None, yes: str, no: str) -> str:
    return "" if value is None else (yes if value else no)


def person_timeline(person: Person) -> list[TimelineEntry]:
    """Everything recorded about a person, newest first: statuses, management files,
    treatments, tests, cases and groups (one query per kind, whatever their number)."""
    entries: list[TimelineEntry] = []
    for status in person.statuses.all():
        entries.append(
            TimelineEntry(
                status.start_date,
                "status",
                "bi-person-badge",
                status.get_kind_display(),
                status.basis,
                status,
                status.end_date,
            )
        )
    for file in person.files.all():
        entries.append(
            TimelineEntry(
                file.opened_on,
                "file",
                "bi-folder2",
                f"Lập hồ sơ quản lý: {file.get_kind_display().lower()}",
                f"Giao quản lý: {file.responsible}",
                file,
                file.closed_on,
            )
        )
    for treatment in person.treatments.all():
        details = [treatment.get_medication_display() if treatment.medication else "", treatment.facility]
        details.append(
            _yes_no(treatment.complies_with_rules, "chấp hành tốt nội quy", "không chấp hành tốt nội quy")
        )
        details.append(
            _yes_no(
                treatment.uses_other_drugs, "có sử dụng chất ma túy khác", "không sử dụng chất ma túy khác"
            )
        )
        entries.append(
            TimelineEntry(
                treatment.start_date,
                "treatment",
                "bi-capsule",
                treatment.get_kind_display(),
                " · ".join(d for d in details if d),
                treatment,
                treatment.end_date,
            )
        )
    for test in person.tests.all():
        details = [test.get_method_display(), test.get_reason_display(), test.substance]
        entries.append(
            TimelineEntry(
                test.tested_on,
                "test",
                "bi-eyedropper",
                f"Xét nghiệm: {test.get_result_display().lower()}",
                " · ".join(d for d in details if d),
                test,
            )
        )
    for case in person.cases.all():
        entries.append(
            TimelineEntry(
                case.occurred_on,
                "case",
                "bi-exclamation-octagon",
                f"{case.get_kind_display()} ({case.get_severity_display().lower()})",
                case.summary,
                case,
            )
        )
    for group in person.criminal_groups.all():
        entries.append(
            TimelineEntry(
                group.found_on,
                "group",
                "bi-people",
                f"Thành viên {group.get_kind_display().lower()}",
                group.name,
                group,
                group.dismantled_on,
            )
        )
    entries.sort(key=lambda e: (e.day, e.kind), reverse=True)
    return entries


# ---------------------------------------------------------------- what waits for commune police


def commune_police_backlog(persons: QuerySet[Person], day: dt.date | None = None) -> dict[str, int]:
    """How many addicts have no open management file and how many monitored persons have no
    negative test in the last 30 days, in one query."""
    day = day or today()
    return persons.aggregate(
        addicts_without_file=Count(
            "pk", filter=Q(has_status([StatusKind.ADDICT], day)) & ~Q(has_open_file(day))
        ),
        untested=Count("pk", filter=Q(has_status(MONITORED_KINDS, day)) & ~Q(has_recent_negative_test(day))),
    )


# ---------------------------------------------------------------- change history


@dataclass(frozen=True)
class Change:
    label: str
    old: Any
    new: Any


@dataclass(frozen=True)
class Version:
    at: dt.datetime
    user: Any
    kind: str
    changes: list[Change]


_UNTRACKED = ["created_at", "updated_at"]
_NOT_SHOWN_ON_CREATION = {"id", "name_search", "is_demo", *_UNTRACKED}
_KIND_LABELS = {"+": "Tạo mới", "~": "Sửa", "-": "Xóa"}


def change_history(record: Any, user: Any) -> list[Version]:
    """Each saved version of `record`, newest first, with the fields it changed (before → after)
    as a person reads them: choice labels, units and persons by name, Có/Không. A person outside
    `user`'s jurisdiction (a member of a case who lives elsewhere) is never named."""
    model = type(record)
    versions = list(record.history.select_related("history_user").order_by("history_date", "history_id"))
    raw: list[tuple[Any, list[tuple[Any, Any, Any]]]] = []
    previous = None
    for version in versions:
        if previous is None:
            changes = [
                (f, None, getattr(version, f.attname, None))
                for f in model._meta.concrete_fields
                if f.name not in _NOT_SHOWN_ON_CREATION
                and getattr(version, f.attname, None) not in (None, "")
            ]
        else:
            delta = version.diff_against(previous, excluded_fields=_UNTRACKED)
            changes = [(model._meta.get_field(c.field), c.old, c.new) for c in delta.changes]
        raw.append((version, changes))
        previous = version

    names = _related_names((change for _, changes in raw for change in changes), user)
    history = [
        Version(
            at=version.history_date,
            user=version.history_user,
            kind=_KIND_LABELS.get(version.history_type, version.history_type),
            changes=[
                Change(str(f.verbose_name), _readable(f, old, names), _readable(f, new, names))
                for f, old, new in changes
            ],
        )
        for version, changes in raw
    ]
    return list(reversed(history))


def _related_ids(model_field: Any, value: Any) -> list[int]:
    if value in (None, ""):
        return []
    if model_field.many_to_many:
        key = model_field.m2m_reverse_field_name()
        return [item[key] for item in value if item.get(key) is not None]
    return [value]


OUTSIDE_PERSON = "(đối tượng ngoài địa bàn)"


def _related_names(changes: Any, user: Any) -> dict[tuple[type, int], str]:
    """Names of every unit or person the changes point at, one query per related model; persons
    only through the jurisdiction gate (units' names are public)."""
    wanted: dict[type, set[int]] = {}
    for model_field, old, new in changes:
        if model_field.is_relation:
            ids = wanted.setdefault(model_field.related_model, set())
            ids.update(_related_ids(model_field, old), _related_ids(model_field, new))
    names: dict[tuple[type, int], str] = {}
    for model, ids in wanted.items():
        if model is Person:
            found = Person.objects.visible_to(user).in_bulk(list(ids))
            names.update({(model, pk): str(found[pk]) if pk in found else OUTSIDE_PERSON for pk in ids})
        else:
            names.update(
                {(model, pk): str(obj) for pk, obj in model._base_manager.in_bulk(list(ids)).items()}
            )
    return names


def _readable(model_field: Any, value: Any, names: dict[tuple[type, int], str]) -> Any:
    if value in (None, "") or value == []:
        return ""
    if model_field.is_relation:
        ids = _related_ids(model_field, value)
        return ", ".join(names.get((model_field.related_model, pk), f"#{pk}") for pk in ids)
    if model_field.choices:
        return dict(model_field.flatchoices).get(value, value)
    if isinstance(value, bool):
        return "Có" if value else "Không"
    return value
