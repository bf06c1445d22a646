"""What every register import does, once: read each row's cells (Excel's quirks), build the
record(s) the row stands for, validate them with the model's own `full_clean()` — the rules the
pages apply — and check the model's unique rules in batches, in the file and against the register.
A module per register (persons.py, drug_tests.py, …) only names its columns and its records."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, ClassVar

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from areas.models import Area, Level

from ..models import Person
from ..text import is_cccd, mask_cccd, normalise_name
from .columns import Column
from .parsing import RowReader
from .results import ImportResult, Problem

IMPORT_BATCH = 1000
LOOKUP_CHUNK = 2000
IMPORT_REASON = "Nhập từ tệp Excel"


def chunks(items: list, size: int = LOOKUP_CHUNK) -> Iterable[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


@dataclass
class Row:
    number: int
    values: dict[str, Any]
    invalid: set[str]
    records: list[models.Model] = field(default_factory=list)
    person: Any = None  # the person a person's record belongs to (a light Person), if found


@dataclass(frozen=True)
class UniqueRule:
    fields: tuple[str, ...]  # attnames
    message: str


def unique_rules(model: type[models.Model]) -> list[UniqueRule]:
    """The model's unique fields and unconditional UniqueConstraints: the same rules the page's
    form checks one record at a time (`validate_unique` / `validate_constraints`)."""
    rules = [
        UniqueRule((f.attname,), str(f.error_messages["unique"]))
        for f in model._meta.concrete_fields
        if f.unique and not f.primary_key
    ]
    for constraint in model._meta.constraints:
        if (
            isinstance(constraint, models.UniqueConstraint)
            and constraint.fields
            and constraint.condition is None
        ):
            attnames = tuple(model._meta.get_field(name).attname for name in constraint.fields)
            rules.append(UniqueRule(attnames, str(constraint.violation_error_message)))
    return rules


class RegisterImport:
    kind: ClassVar[str]
    model: ClassVar[type[models.Model]]
    columns: ClassVar[tuple[Column, ...]]
    instructions: ClassVar[list[str]]
    noun: ClassVar[str]  # "đối tượng", shown after an import: "Đã thêm 12 đối tượng"
    object_type: ClassVar[str]  # access log
    template_name: ClassVar[str]
    preview_headers: ClassVar[list[str]]
    # Model field (attname or name) → column key, for records other than the main model too.
    extra_field_columns: ClassVar[dict[str, str]] = {}

    def __init__(self, user: Any, request: Any = None) -> None:
        self.user = user
        # The request the import answers: CCCD lookups and transfers are logged against it.
        self.request = request
        self.today = timezone.localdate()
        self.headers = {c.key: c.header for c in self.columns}

    # ------------------------------------------------------------ hooks

    def resolve(self, rows: list[Row], problems: list[Problem]) -> None:
        """Find what rows point at beyond their own cells (a person's record: its person)."""

    def build(self, row: Row) -> list[tuple[models.Model, dict[str, str]]]:
        """The records a row stands for, each with its field → column map."""
        raise NotImplementedError

    def preview(self, row: Row) -> list[Any]:
        raise NotImplementedError

    def create(self, rows: list[Row]) -> ImportResult:
        records = [row.records[0] for row in rows]
        created = self.bulk_create(self.model, records)
        return ImportResult(self.kind, len(created))

    def area_of(self, rows: list[Row]) -> Area:
        return rows[0].values["village"]

    # ------------------------------------------------------------ the check

    def field_columns(self) -> dict[str, str]:
        mapping = {c.model_field: c.key for c in self.columns}
        return {**mapping, **self.extra_field_columns}

    def check(self, raw_rows: list[tuple[int, dict[str, Any]]]) -> tuple[list[Row], list[Problem]]:
        reader = RowReader(self.columns, self.user, self.today)
        problems: list[Problem] = []
        rows = []
        for number, raw in raw_rows:
            values, invalid = reader.read(number, raw, problems)
            rows.append(Row(number, values, invalid))
        self.resolve(rows, problems)
        for row in rows:
            for record, columns in self.build(row):
                row.records.append(record)
                problems += self.validate(row, record, columns)
        problems += self.unique_problems(rows, in_file=True)
        return rows, problems

    def validate(self, row: Row, record: models.Model, columns: dict[str, str]) -> list[Problem]:
        """`full_clean()` of the record, as the page's form runs it; a cell that could not be read
        is not judged twice, relations resolved by the importer are not looked up again, and the
        unique rules are checked for the whole file at once (`unique_problems`)."""
        exclude = {f.name for f in record._meta.fields if not f.editable or f.is_relation}
        exclude |= {name for name, key in columns.items() if key in row.invalid}
        try:
            record.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
        except ValidationError as exc:
            return [
                Problem(row.number, self.headers.get(columns.get(name, ""), ""), message)
                for name, messages in exc.message_dict.items()
                for message in messages
                if name == NON_FIELD_ERRORS or columns.get(name) not in row.invalid
            ]
        return []

    def unique_problems(self, rows: list[Row], *, in_file: bool) -> list[Problem]:
        """Each unique rule of the records' models, in the file (when `in_file`) and against the
        register, in a few queries whatever the number of rows."""
        problems: list[Problem] = []
        columns = self.field_columns()
        models_seen = {type(record) for row in rows for record in row.records}
        for model in models_seen:
            for rule in unique_rules(model):
                # Reported on the first of the rule's fields that is a column of this import.
                column = next(
                    (
                        self.headers[columns[name]]
                        for name in (attname.removesuffix("_id") for attname in rule.fields)
                        if columns.get(name) in self.headers
                    ),
                    "",
                )
                keyed = []
                for row in rows:
                    for record in row.records:
                        if type(record) is model:
                            key = tuple(getattr(record, name) for name in rule.fields)
                            if None not in key and "" not in key:
                                keyed.append((row, key))
                if in_file:
                    first: dict[tuple, int] = {}
                    for row, key in keyed:
                        if key in first:
                            problems.append(
                                Problem(
                                    row.number,
                                    column,
                                    f"Trùng với dòng {first[key]} trong tệp: {rule.message}",
                                )
                            )
                        else:
                            first[key] = row.number
                existing = self._existing(model, rule, [key for _row, key in keyed])
                problems += [
                    Problem(row.number, column, rule.message) for row, key in keyed if key in existing
                ]
        return problems

    @staticmethod
    def _existing(model: type[models.Model], rule: UniqueRule, keys: list[tuple]) -> set[tuple]:
        if not keys:
            return set()
        existing: set[tuple] = set()
        others = {name: sorted({key[i] for key in keys}) for i, name in enumerate(rule.fields) if i > 0}
        narrow = {f"{name}__in": values for name, values in others.items() if len(values) <= 500}
        for chunk in chunks(sorted({key[0] for key in keys})):
            existing.update(
                model._base_manager.filter(**{f"{rule.fields[0]}__in": chunk}, **narrow).values_list(
                    *rule.fields
                )
            )
        return existing

    # ------------------------------------------------------------ the write

    def recheck(self, rows: list[Row]) -> list[Problem]:
        """Inside the writing transaction: the rows against the register and the user's reach as
        they are now (both may have changed since the preview)."""
        return self.outside_jurisdiction(rows) + self.unique_problems(rows, in_file=False)

    def outside_jurisdiction(self, rows: list[Row]) -> list[Problem]:
        named = {row.values["village"].pk for row in rows if row.values.get("village")}
        if not named:
            return []
        allowed = set(
            Area.objects.visible_to(self.user)
            .filter(level=Level.VILLAGE, pk__in=named)
            .open_on(timezone.localdate())
            .values_list("pk", flat=True)
        )
        return [
            Problem(
                row.number,
                self.headers["village"],
                f"Thôn, bản “{row.values['village']}” không còn thuộc địa bàn quản lý.",
            )
            for row in rows
            if row.values.get("village") and row.values["village"].pk not in allowed
        ]

    def bulk_create(self, model: type[models.Model], records: list[models.Model]) -> list[models.Model]:
        return bulk_create_with_history(
            records,
            model,
            batch_size=IMPORT_BATCH,
            default_user=self.user,
            default_change_reason=IMPORT_REASON,
        )


class PersonRecordImport(RegisterImport):
    """A register of a person's records (tests, treatments, files): the person is found by CCCD,
    or by name + birth date + village, among the persons the user may see."""

    person_fields = ("pk", "full_name", "name_search", "birth_date", "village_id", "cccd")

    def resolve(self, rows: list[Row], problems: list[Problem]) -> None:
        visible = Person.objects.visible_to(self.user)
        by_cccd: dict[str, tuple] = {}
        numbers = sorted({row.values["cccd"] for row in rows if row.values.get("cccd")})
        for chunk in chunks(numbers):
            by_cccd.update((p[5], p) for p in visible.filter(cccd__in=chunk).values_list(*self.person_fields))
        identities = {self._identity(row) for row in rows if not row.values.get("cccd")} - {None}
        by_identity: dict[tuple, tuple] = {}
        village_ids = sorted({identity[2] for identity in identities})
        for chunk in chunks(sorted({identity[0] for identity in identities})):
            for p in visible.filter(village_id__in=village_ids, name_search__in=chunk).values_list(
                *self.person_fields
            ):
                by_identity[(p[2], p[3], p[4])] = p
        for row in rows:
            found = self._find(row, by_cccd, by_identity, problems)
            if found is not None:
                row.person = Person(pk=found[0], full_name=found[1], birth_date=found[3], village_id=found[4])
                row.person.cccd = found[5]

    def _identity(self, row: Row) -> tuple[str, dt.date, int] | None:
        values = row.values
        if values.get("full_name") and values.get("birth_date") and values.get("village"):
            return (normalise_name(values["full_name"]), values["birth_date"], values["village"].pk)
        return None

    def _find(self, row: Row, by_cccd: dict, by_identity: dict, problems: list[Problem]) -> tuple | None:
        values, number = row.values, row.number
        if values.get("cccd"):
            if not is_cccd(values["cccd"]):
                problems.append(Problem(number, self.headers["cccd"], "Số CCCD phải gồm đúng 12 chữ số."))
                return None
            person = by_cccd.get(values["cccd"])
            if person is None:
                problems.append(
                    Problem(
                        number,
                        self.headers["cccd"],
                        "Không tìm thấy đối tượng có số CCCD này trong sổ theo dõi của địa bàn.",
                    )
                )
            elif values.get("full_name") and normalise_name(values["full_name"]) != person[2]:
                problems.append(
                    Problem(
                        number, self.headers["full_name"], "Họ tên không khớp với đối tượng có số CCCD này."
                    )
                )
            return person
        if self._identity(row):
            person = by_identity.get(self._identity(row))
            if person is None:
                problems.append(
                    Problem(
                        number,
                        self.headers["full_name"],
                        "Không tìm thấy đối tượng cùng họ tên, ngày sinh, thôn, bản trong sổ theo dõi.",
                    )
                )
            return person
        if not row.invalid & {"cccd", "full_name", "birth_date", "village"}:
            problems.append(
                Problem(
                    number,
                    self.headers["cccd"],
                    "Cần số CCCD, hoặc đủ họ tên, ngày sinh và thôn, bản để xác định đối tượng.",
                )
            )
        return None

    def record_values(self, row: Row) -> dict[str, Any]:
        """The row's values for the record's own fields (not the person's key columns)."""
        key_columns = {"full_name", "birth_date", "cccd", "village"}
        return {
            c.model_field: row.values[c.key]
            for c in self.columns
            if c.key not in key_columns and row.values[c.key] is not None
        }

    def build(self, row: Row) -> list[tuple[models.Model, dict[str, str]]]:
        record = self.model(**self.record_values(row))
        if row.person is not None:
            record.person = row.person
        columns = {
            c.model_field: c.key
            for c in self.columns
            if c.key not in {"full_name", "birth_date", "cccd", "village"}
        }
        return [(record, columns)]

    def recheck(self, rows: list[Row]) -> list[Problem]:
        ids = sorted({row.person.pk for row in rows if row.person is not None})
        visible: set[int] = set()
        for chunk in chunks(ids):
            visible.update(
                Person.objects.visible_to(self.user).filter(pk__in=chunk).values_list("pk", flat=True)
            )
        gone = [
            Problem(row.number, self.headers["full_name"], "Đối tượng không còn thuộc địa bàn quản lý.")
            for row in rows
            if row.person is not None and row.person.pk not in visible
        ]
        return gone + self.unique_problems(rows, in_file=False)

    def area_of(self, rows: list[Row]) -> Area:
        return Person.objects.select_related("village").get(pk=rows[0].person.pk).village

    def person_cells(self, row: Row) -> list[Any]:
        person = row.person
        return [
            person.full_name if person else row.values.get("full_name") or "",
            mask_cccd(person.cccd if person else row.values.get("cccd")),
        ]
