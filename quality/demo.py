"""Demo of data quality: responsible officers, field verifications and one reconciliation round.

Xã Tân An is the demo's clean commune (every person with a CCCD, verified in the field within the
demo window, records shared between its two officers): it scores 100 %. Xã Hoang Thèn and Xã
Mường So keep realistic defects: persons without a CCCD, addicts without a file (the criteria
demo), records verified long ago or never, one person found to have moved who is still managed.
Công an tỉnh Lai Châu has a round open for those two communes: Mường So closed its part on
time, Hoang Thèn has not yet. Idempotent: a commune whose persons already have officers is left
alone.
"""

from __future__ import annotations

import datetime as dt
import random

from django.db import transaction
from django.utils import timezone

from areas.models import Area, User
from areas.permissions import REGISTER_KEEPERS
from subjects.models import Person

from .models import FieldVerification, Outcome, ReconciliationRound, RoundPart
from .services import take_snapshots

CLEAN = "Xã Tân An"
WITH_DEFECTS = ("Xã Hoang Thèn", "Xã Mường So")
ROUND_TITLE = "Đợt tổng kiểm tra, rà soát người sử dụng, người nghiện ma túy quý IV năm 2026"


def _officers(commune: Area) -> list[User]:
    return list(User.objects.filter(area=commune, role__in=REGISTER_KEEPERS).order_by("pk"))


@transaction.atomic
def load(units: dict[str, Area]) -> str:
    today = timezone.localdate()
    communes = [units[name] for name in (CLEAN, *WITH_DEFECTS) if name in units]
    done = 0
    verifications: list[FieldVerification] = []
    for commune in communes:
        officers = _officers(commune)
        persons = list(Person.objects.filter(village__parent=commune).order_by("pk"))
        if not officers or not persons or any(p.officer_id for p in persons):
            continue
        done += 1
        rng = random.Random(commune.name)
        for index, person in enumerate(persons):
            person.officer = officers[index % len(officers)]
        Person.objects.bulk_update(persons, ["officer"])
        for person in persons:
            officer = person.officer
            if commune.name == CLEAN:
                day = today - dt.timedelta(days=rng.randint(5, 150))
            else:
                draw = rng.random()
                if draw < 0.35:
                    continue  # never verified
                days = rng.randint(200, 500) if draw < 0.55 else rng.randint(5, 150)
                day = today - dt.timedelta(days=days)
            verifications.append(
                FieldVerification(person=person, verified_on=day, officer=officer, outcome=Outcome.CONFIRMED)
            )
        if commune.name == WITH_DEFECTS[1] and persons:
            # Found to have moved away, but still in the commune's active register.
            moved = persons[len(persons) // 2]
            verifications.append(
                FieldVerification(
                    person=moved,
                    verified_on=today - dt.timedelta(days=12),
                    officer=moved.officer,
                    outcome=Outcome.MOVED,
                    note="Đã chuyển đến tỉnh khác sinh sống, chưa làm thủ tục chuyển quản lý",
                )
            )
    FieldVerification.objects.bulk_create(verifications)
    round_summary = _round(units, today)
    # This month's scores of every commune, as the daily task stores them: the commune homes
    # show them from the first visit.
    take_snapshots(today=today)
    if not done and not round_summary:
        return "dữ liệu chất lượng minh họa đã có, không tạo thêm."
    return f"đã giao cán bộ phụ trách ở {done} xã, ghi {len(verifications)} lượt xác minh thực tế. {round_summary}"


def _round(units: dict[str, Area], today: dt.date) -> str:
    province = units.get("lai_chau")
    opener = User.objects.filter(username="ca_laichau").select_related("body").first()
    communes = [units[name] for name in WITH_DEFECTS if name in units]
    if province is None or opener is None or opener.body is None or not communes:
        return ""
    if ReconciliationRound.objects.filter(area=province, title=ROUND_TITLE).exists():
        return ""
    round_ = ReconciliationRound.objects.create(
        title=ROUND_TITLE,
        body=opener.body,
        area=province,
        starts_on=today - dt.timedelta(days=20),
        due_on=today - dt.timedelta(days=2),
        instructions="Xác minh thực tế từng đối tượng trong sổ theo dõi; cập nhật ngay thông tin thay đổi.",
        opened_by=opener,
        opened_at=timezone.now() - dt.timedelta(days=20),
    )
    rows = []
    for commune in communes:
        part = RoundPart.objects.create(round=round_, commune=commune, due_on=round_.due_on)
        officers = _officers(commune)
        persons = list(Person.objects.filter(village__parent=commune).order_by("pk")[:12])
        for index, person in enumerate(persons if officers else []):
            rows.append(
                FieldVerification(
                    person=person,
                    part=part,
                    verified_on=today - dt.timedelta(days=15 - index % 10),
                    officer=officers[0],
                    outcome=Outcome.CHANGED if index == 3 else Outcome.CONFIRMED,
                    note="Cập nhật nơi ở, số điện thoại người thân" if index == 3 else "",
                )
            )
        if commune.name == WITH_DEFECTS[1] and officers:
            part.closed_at = timezone.now() - dt.timedelta(days=4)
            part.closed_by = officers[0]
            part.save(update_fields=["closed_at", "closed_by"])
    FieldVerification.objects.bulk_create(rows)
    return f"Mở đợt rà soát minh họa của Công an tỉnh Lai Châu cho {len(communes)} xã."
