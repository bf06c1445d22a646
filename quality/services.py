"""Writes of data quality: rounds opened, persons verified, parts and rounds closed, monthly
snapshots taken. Each checks the policy (`areas.permissions`) and the jurisdiction itself."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from areas.jurisdiction import area_is_visible
from areas.models import Area, Level
from areas.permissions import Action, require
from subjects.models import Person

from . import selectors
from .checks import Indicator
from .models import FieldVerification, Outcome, QualitySnapshot, ReconciliationRound, RoundPart


@transaction.atomic
def open_round(
    *,
    user: Any,
    title: str,
    starts_on: dt.date,
    due_on: dt.date,
    communes: list[Area],
    instructions: str = "",
) -> ReconciliationRound:
    """Open a round for `communes` (inside the opener's unit), each due on `due_on`."""
    area = user.area
    require(user, Action.OPEN_ROUND, area)
    body = user.body
    if body is None or not body.is_open_on(starts_on):
        raise ValidationError(
            body.closed_message(starts_on) if body else "Tài khoản chưa gắn với cơ quan công tác."
        )
    if not communes:
        raise ValidationError("Chọn ít nhất một xã tham gia đợt rà soát.")
    for commune in communes:
        if (
            commune.level != Level.COMMUNE
            or not commune.path.startswith(area.path)
            or not area_is_visible(user, commune)
        ):
            raise ValidationError("Chỉ chọn các xã thuộc địa bàn của cơ quan mở đợt.")
    round_ = ReconciliationRound(
        title=title.strip(),
        body=body,
        area=area,
        starts_on=starts_on,
        due_on=due_on,
        instructions=instructions.strip(),
        opened_by=user,
    )
    round_.full_clean()
    round_.save()
    RoundPart.objects.bulk_create(RoundPart(round=round_, commune=c, due_on=due_on) for c in communes)
    return round_


def _open_part(part_id: int) -> RoundPart:
    part = RoundPart.objects.select_for_update().select_related("round", "commune").get(pk=part_id)
    if part.round.closed_at is not None:
        raise ValidationError("Đợt rà soát đã kết thúc.")
    if part.closed_at is not None:
        raise ValidationError("Xã đã kết thúc phần rà soát của mình.")
    return part


@transaction.atomic
def verify_person(
    *,
    user: Any,
    person: Person,
    verified_on: dt.date,
    outcome: str,
    note: str = "",
    part: RoundPart | None = None,
) -> FieldVerification:
    """Record that `user` verified `person` in the field (within a round's part, if given; a
    second verification of the person in the same part replaces the first)."""
    require(user, Action.WORK_ROUND, person.village)
    if outcome not in Outcome.values:
        raise ValidationError("Chọn kết quả xác minh.")
    if verified_on > timezone.localdate():
        raise ValidationError("Ngày xác minh không được sau ngày hôm nay.")
    if outcome == Outcome.CHANGED and not note.strip():
        raise ValidationError("Ghi nội dung đã thay đổi, cập nhật.")
    if part is not None:
        part = _open_part(part.pk)
        if person.village.parent_id != part.commune_id:
            raise ValidationError("Đối tượng không thuộc xã của phần rà soát này.")
        if verified_on < part.round.starts_on:
            raise ValidationError("Ngày xác minh không được trước ngày bắt đầu đợt rà soát.")
    values = {"verified_on": verified_on, "officer": user, "outcome": outcome, "note": note.strip()[:500]}
    if part is not None:
        verification, _ = FieldVerification.objects.update_or_create(
            part=part, person=person, defaults=values
        )
        return verification
    return FieldVerification.objects.create(person=person, **values)


@transaction.atomic
def close_part(*, user: Any, part: RoundPart) -> RoundPart:
    part = _open_part(part.pk)
    require(user, Action.WORK_ROUND, part.commune)
    part.closed_at = timezone.now()
    part.closed_by = user
    part.save(update_fields=["closed_at", "closed_by"])
    return part


@transaction.atomic
def close_round(*, user: Any, round_: ReconciliationRound) -> ReconciliationRound:
    round_ = ReconciliationRound.objects.select_for_update().get(pk=round_.pk)
    require(user, Action.OPEN_ROUND, round_)
    if round_.closed_at is not None:
        raise ValidationError("Đợt rà soát đã kết thúc.")
    round_.closed_at = timezone.now()
    round_.closed_by = user
    round_.save(update_fields=["closed_at", "closed_by"])
    return round_


# The monthly snapshots read every commune, not one user's jurisdiction.
SYSTEM = SimpleNamespace(is_authenticated=True, is_active=True, is_superuser=True, area_id=None)


def store_snapshot(*, area_id: int, month: dt.date, score: Any) -> None:
    """Store (or refresh) `area_id`'s scores of `month`: one statement, an upsert on (area,
    month), so two computations at once leave one row (the later one stands)."""
    scores = score.scores
    QualitySnapshot.objects.bulk_create(
        [
            QualitySnapshot(
                area_id=area_id,
                month=month,
                score_correct=scores[Indicator.CORRECT],
                score_complete=scores[Indicator.COMPLETE],
                score_clean=scores[Indicator.CLEAN],
                score_live=scores[Indicator.LIVE],
                overall=score.overall,
                records=score.records,
                defects=score.defects,
                computed_at=timezone.now(),
            )
        ],
        update_conflicts=True,
        unique_fields=["area", "month"],
        update_fields=[
            "score_correct",
            "score_complete",
            "score_clean",
            "score_live",
            "overall",
            "records",
            "defects",
            "computed_at",
        ],
    )


@transaction.atomic
def take_snapshots(*, today: dt.date | None = None) -> int:
    """Store (or refresh) this month's scores of every open commune: the last run of a month
    stands for the month. Returns how many communes were scored."""
    today = today or timezone.localdate()
    month = selectors.first_of_month(today)
    count = 0
    for province in Area.objects.filter(parent__isnull=True).order_by("pk"):
        for row in selectors.commune_scores(SYSTEM, province, today):
            store_snapshot(area_id=row.key, month=month, score=row.score)
            count += 1
    return count
