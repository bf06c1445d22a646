"""Import of persons, each with an optional current status."""

from __future__ import annotations

from typing import Any

from django.db import models

from ..models import Person, PersonStatus, Presence, ResidenceType, Sex, StatusKind
from ..text import mask_cccd
from .columns import BIRTH, CCCD, NAME, NOTE, VILLAGE, Column
from .registers import IMPORT_REASON, RegisterImport, Row
from .results import ImportKind, ImportResult

STATUS_COLUMNS = {"kind": "status", "start_date": "status_start", "end_date": "status_end"}


class PersonImport(RegisterImport):
    kind = ImportKind.PERSONS
    model = Person
    noun = "đối tượng"
    object_type = "đối tượng"
    template_name = "mau-nhap-doi-tuong.xlsx"
    columns = (
        NAME,
        BIRTH,
        Column("sex", "Giới tính", "choice", True, Sex, help="Nam hoặc Nữ.", width=10),
        CCCD,
        VILLAGE,
        Column("address", "Địa chỉ", "text", help="Không bắt buộc.", width=26),
        Column(
            "residence_type",
            "Loại cư trú",
            "choice",
            True,
            ResidenceType,
            help="Thường trú hoặc Tạm trú.",
            width=13,
        ),
        Column(
            "resident_since",
            "Cư trú từ ngày",
            "date",
            True,
            help="Ngày bắt đầu thường trú / tạm trú tại địa bàn, dạng dd/mm/yyyy.",
            width=14,
        ),
        Column(
            "presence",
            "Tình trạng có mặt",
            "choice",
            False,
            Presence,
            help="Để trống nghĩa là “Có mặt tại địa phương”.",
            width=26,
        ),
        Column(
            "status",
            "Diện quản lý",
            "choice",
            False,
            StatusKind,
            aliases=("Diện",),
            help="Không bắt buộc: diện hiện tại của đối tượng (ví dụ “Người nghiện ma túy”).",
            width=32,
        ),
        Column(
            "status_start",
            "Diện từ ngày",
            "date",
            aliases=("Ngày xác định",),
            help="Bắt buộc khi có diện quản lý; với người nghiện là ngày xác định tình trạng nghiện.",
            width=14,
        ),
        Column(
            "status_end",
            "Diện đến ngày",
            "date",
            help="Không bắt buộc; không được trước “Diện từ ngày”.",
            width=14,
        ),
        NOTE,
    )
    instructions = [
        "Mỗi dòng là một đối tượng mới đưa vào sổ theo dõi của xã.",
        "Các cột có dấu * là bắt buộc. Ngày ghi dạng dd/mm/yyyy (ví dụ 04/03/1990) hoặc nhập ngày của Excel.",
        "Không nhập người đã có trong sổ (cùng số CCCD, hoặc cùng họ tên, ngày sinh và thôn, bản): "
        "hệ thống sẽ báo lỗi chứ không tạo trùng.",
        "Có thể ghi diện hiện tại (ví dụ “Người nghiện ma túy”) và ngày xác định ở cột “Diện từ ngày”.",
    ]
    preview_headers = [
        "Họ và tên",
        "Ngày sinh",
        "Giới tính",
        "Số CCCD",
        "Thôn, bản",
        "Cư trú",
        "Tình trạng có mặt",
        "Diện quản lý",
    ]
    extra_field_columns = {"name_search": "full_name"}

    def build(self, row: Row) -> list[tuple[models.Model, dict[str, str]]]:
        values = row.values
        own = {
            c.key: values[c.key]
            for c in self.columns
            if c.key not in STATUS_COLUMNS.values() and values[c.key] is not None
        }
        person = Person(**own)
        built: list[tuple[models.Model, dict[str, str]]] = [
            (person, {c.key: c.key for c in self.columns if c.key not in STATUS_COLUMNS.values()})
        ]
        if any(values[key] is not None for key in STATUS_COLUMNS.values()) or row.invalid & set(
            STATUS_COLUMNS.values()
        ):
            status = PersonStatus(
                person=person,
                basis=IMPORT_REASON,
                **{field: values[key] for field, key in STATUS_COLUMNS.items() if values[key] is not None},
            )
            built.append((status, STATUS_COLUMNS))
        return built

    def preview(self, row: Row) -> list[Any]:
        values = row.values
        status = (
            f"{StatusKind(values['status']).label} (từ {values['status_start']:%d/%m/%Y})"
            if values["status"] and values["status_start"]
            else ""
        )
        return [
            values["full_name"],
            values["birth_date"],
            Sex(values["sex"]).label if values["sex"] else "",
            mask_cccd(values["cccd"]),
            str(values["village"] or ""),
            f"{ResidenceType(values['residence_type']).label} từ {values['resident_since']:%d/%m/%Y}"
            if values["residence_type"] and values["resident_since"]
            else "",
            Presence(values["presence"] or Presence.PRESENT).label,
            status,
        ]

    def lookup(self, rows: list[Row]) -> dict[str, Any]:
        """Where the file's CCCD numbers are held (one logged, rate-limited lookup per file)."""
        from ..services import lookup_cccds

        numbers = [row.values["cccd"] for row in rows if row.values.get("cccd")]
        if not numbers or self.request is None:
            return {}
        return lookup_cccds(request=self.request, numbers=numbers, purpose="nhập Excel")

    def _existing(self, model: type[models.Model], rule: Any, keys: list[tuple]) -> set[tuple]:
        found = RegisterImport._existing(model, rule, keys)
        if model is Person and rule.fields == ("cccd",) and found:
            # A number held outside the user's jurisdiction is never revealed: it is previewed as
            # an unused one, and on confirmation becomes a transfer request (`create`).
            reach = set(
                Person.objects.visible_to(self.user)
                .filter(cccd__in=[key[0] for key in found])
                .values_list("cccd", flat=True)
            )
            return {key for key in found if key[0] in reach}
        return found

    def create(self, rows: list[Row]) -> ImportResult:
        from ..services import CccdHolder, request_transfer

        holders = self.lookup(rows)
        elsewhere = [row for row in rows if holders.get(row.values.get("cccd") or "") is CccdHolder.ELSEWHERE]
        for row in elsewhere:
            request_transfer(
                request=self.request,
                cccd=row.values["cccd"],
                village=row.values["village"],
                reason=f"Đề nghị tiếp nhận khi nhập danh sách từ Excel (dòng {row.number}).",
                holder=CccdHolder.ELSEWHERE,
            )
        rows = [row for row in rows if row not in elsewhere]
        persons = self.bulk_create(Person, [row.records[0] for row in rows])
        statuses = []
        for person, row in zip(persons, rows, strict=True):
            if len(row.records) > 1:
                status = row.records[1]
                status.person = person
                statuses.append(status)
        if statuses:
            self.bulk_create(PersonStatus, statuses)
        return ImportResult(self.kind, len(persons), len(statuses), transfers=len(elsewhere))
