"""Which programme governs a unit on a date, and what its route says."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from areas.models import Area, Body, Level

from .models import COMMUNE_FUNCTIONS, REQUIRED_FUNCTIONS, Programme, RouteFunction, RouteStep


def _ancestor_ids(area: Area) -> list[int]:
    return [int(part) for part in area.path.strip("/").split("/") if part]


def governing_programmes(areas: Sequence[Area], day: dt.date) -> dict[int, Programme | None]:
    """For each area, the programme valid on `day` issued for its nearest unit (itself or an
    ancestor); one query for the whole batch. None where no programme covers the unit."""
    chains = {a.pk: _ancestor_ids(a) for a in areas}
    unit_ids = {i for chain in chains.values() for i in chain}
    candidates: dict[int, list[Programme]] = {}
    programmes = (
        Programme.objects.valid_on(day)
        .filter(issuing_unit_id__in=unit_ids)
        .select_related("issuing_unit")
        .order_by("-valid_from", "-pk")
    )
    for programme in programmes:
        candidates.setdefault(programme.issuing_unit_id, []).append(programme)
    found: dict[int, Programme | None] = {}
    for area_id, chain in chains.items():
        found[area_id] = next((candidates[i][0] for i in reversed(chain) if i in candidates), None)
    return found


def governing_programme(area: Area, day: dt.date) -> Programme | None:
    return governing_programmes([area], day)[area.pk]


def missing_programme_message(area: Area, day: dt.date) -> str:
    """What a unit no programme covers shows, naming who must configure one."""
    province = (
        next((a for a in area.ancestors() if a.level == Level.PROVINCE), None) if area.parent_id else area
    )
    who = f"UBND {province.name[0].lower()}{province.name[1:]}" if province else "cơ quan có thẩm quyền"
    return (
        f"Chưa có kế hoạch xây dựng địa bàn không ma túy nào áp dụng cho {area} vào ngày {day:%d/%m/%Y}. "
        f"{who} (qua Công an cấp tỉnh) cần khai báo kế hoạch, bộ tiêu chí và quy trình công nhận "
        "trong phần quản trị trước khi chấm điểm hoặc đăng ký hồ sơ."
    )


@dataclass
class Route:
    """The bodies and deadlines a programme sets for one level of dossier."""

    programme: Programme
    level: str
    bodies: dict[str, list[Body]] = field(default_factory=dict)
    deadlines: dict[str, int] = field(default_factory=dict)

    def body(self, function: str) -> Body | None:
        found = self.bodies.get(function) or []
        return found[0] if found else None

    @property
    def co_appraisers(self) -> list[Body]:
        return self.bodies.get(RouteFunction.CO_APPRAISE, [])

    def problems(self) -> list[str]:
        """What is missing before a dossier can walk this route."""
        missing = [RouteFunction(f).label.lower() for f in sorted(REQUIRED_FUNCTIONS) if self.body(f) is None]
        if not missing:
            return []
        return [
            f"{self.programme} chưa khai báo cơ quan {', '.join(missing)} cho hồ sơ "
            f"{'thôn, bản, tổ dân phố' if self.level == Level.VILLAGE else 'xã, phường, đặc khu'}; "
            f"đề nghị {self.programme.issuing_body} cấu hình trong phần quản trị."
        ]


def route_for(programme: Programme, level: str) -> Route:
    route = Route(programme=programme, level=level)
    steps = RouteStep.objects.filter(programme=programme, unit_level=level).select_related(
        "body__area", "body__parent", "body__successor"
    )
    for step in steps:
        if step.body is not None and step.function not in COMMUNE_FUNCTIONS:
            route.bodies.setdefault(step.function, []).append(step.body)
        if step.deadline_days:
            route.deadlines[step.function] = step.deadline_days
    return route
