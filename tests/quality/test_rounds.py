"""A reconciliation round opened by the district police, worked by two communes (one late),
closed; its summary figures recomputed row by row, independently of the selector."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from quality import selectors, services
from quality.models import FieldVerification, Outcome, RoundPart
from subjects import models as sm
from tests import factories as f


@pytest.fixture
def registers(tree):
    hoang_then = [f.PersonFactory(village=tree.ta_leng, full_name=f"Giàng A Páo {c}") for c in "ABCD"]
    muong_so = [f.PersonFactory(village=tree.co_muong, full_name=f"Tao Văn Tiến {c}") for c in "ABC"]
    return hoang_then, muong_so


def _open(people, tree, due):
    return services.open_round(
        user=people.district_police,
        title="Đợt tổng kiểm tra quý IV",
        starts_on=timezone.localdate() - dt.timedelta(days=5),
        due_on=due,
        communes=[tree.hoang_then, tree.muong_so],
    )


def test_a_round_worked_by_two_communes_one_late_is_summarised_correctly(tree, people, registers):
    today = timezone.localdate()
    hoang_then, muong_so = registers
    round_ = _open(people, tree, due=today)
    part_ht = round_.parts.get(commune=tree.hoang_then)
    part_ms = round_.parts.get(commune=tree.muong_so)

    # Mường So verifies everyone and closes its part on time.
    for person, outcome in zip(muong_so, [Outcome.CONFIRMED, Outcome.DEAD, Outcome.CONFIRMED], strict=True):
        services.verify_person(
            user=people.other_police, person=person, verified_on=today, outcome=outcome, part=part_ms
        )
    services.close_part(user=people.other_police, part=part_ms)

    # Hoang Thèn verifies three of four, corrects one record, and does not close in time.
    services.verify_person(
        user=people.commune_police,
        person=hoang_then[0],
        verified_on=today,
        outcome=Outcome.CONFIRMED,
        part=part_ht,
    )
    services.verify_person(
        user=people.commune_police,
        person=hoang_then[1],
        verified_on=today,
        outcome=Outcome.CHANGED,
        note="Đổi nơi ở",
        part=part_ht,
    )
    services.verify_person(
        user=people.commune_police,
        person=hoang_then[2],
        verified_on=today,
        outcome=Outcome.MOVED,
        part=part_ht,
    )
    # A second verification of the same person in the round replaces the first.
    services.verify_person(
        user=people.commune_police,
        person=hoang_then[2],
        verified_on=today,
        outcome=Outcome.NOT_FOUND,
        part=part_ht,
    )
    corrected = hoang_then[1]
    corrected.address = "Bản Tả Lèng, nhà mới"
    corrected.save()

    services.close_round(user=people.district_police, round_=round_)
    tomorrow = today + dt.timedelta(days=1)
    summary = selectors.round_summary(round_, today=tomorrow)

    # The oracle: row by row, without the selector's aggregates.
    expected: dict[int, dict] = {}
    for part in RoundPart.objects.filter(round=round_):
        persons = [p for p in sm.Person.objects.all() if p.village.parent_id == part.commune_id]
        outcomes = Counter(v.outcome for v in FieldVerification.objects.all() if v.part_id == part.pk)
        edits = [
            h
            for h in sm.Person.history.all()
            if h.history_type == "~" and h.village.parent_id == part.commune_id
        ]
        late = (part.closed_at is None and tomorrow > part.due_on) or (
            part.closed_at is not None and timezone.localtime(part.closed_at).date() > part.due_on
        )
        expected[part.commune_id] = {
            "persons": len(persons),
            "by_outcome": {o: outcomes.get(o, 0) for o in Outcome.values},
            "not_verified": len(persons) - sum(outcomes.values()),
            "changes": len(edits),
            "late": late,
        }
    got = {
        p.part.commune_id: {
            "persons": p.persons,
            "by_outcome": p.by_outcome,
            "not_verified": p.not_verified,
            "changes": p.changes,
            "late": p.late,
        }
        for p in summary.parts
    }
    assert got == expected
    assert got[tree.hoang_then.pk]["by_outcome"] == {
        "confirmed": 1,
        "changed": 1,
        "moved": 0,
        "dead": 0,
        "not_found": 1,
    }
    assert got[tree.hoang_then.pk]["changes"] == 1
    assert [p.part.commune for p in summary.late] == [tree.hoang_then]
    assert summary.totals["verified"] == 6 and summary.totals["persons"] == 7
    assert summary.totals["dead"] == 1


def test_only_the_police_above_open_a_round(tree, people):
    for user in (
        people.commune_police,
        people.commune_chair,
        people.district_chair,
        people.province,
        people.labour,
    ):
        with pytest.raises(PermissionDenied):
            _open(_as(people, user), tree, due=timezone.localdate())


def _as(people, user):
    from types import SimpleNamespace

    return SimpleNamespace(**{**vars(people), "district_police": user})


def test_a_round_is_opened_only_for_communes_under_the_opener(tree, people):
    with pytest.raises(ValidationError):
        services.open_round(
            user=people.district_police,
            title="Đợt thử",
            starts_on=timezone.localdate(),
            due_on=timezone.localdate(),
            communes=[tree.tan_an],
        )


def test_a_commune_works_only_its_own_part(tree, people, registers):
    hoang_then, muong_so = registers
    round_ = _open(people, tree, due=timezone.localdate())
    part_ht = round_.parts.get(commune=tree.hoang_then)
    with pytest.raises(PermissionDenied):
        services.verify_person(
            user=people.other_police,
            person=hoang_then[0],
            verified_on=timezone.localdate(),
            outcome="confirmed",
            part=part_ht,
        )
    with pytest.raises(ValidationError):  # a person of another commune in this commune's part
        services.verify_person(
            user=people.other_police,
            person=muong_so[0],
            verified_on=timezone.localdate(),
            outcome="confirmed",
            part=part_ht,
        )
    with pytest.raises(PermissionDenied):
        services.close_part(user=people.other_police, part=part_ht)


def test_a_closed_part_takes_no_more_verifications(tree, people, registers):
    hoang_then, _ = registers
    round_ = _open(people, tree, due=timezone.localdate())
    part = round_.parts.get(commune=tree.hoang_then)
    services.close_part(user=people.commune_police, part=part)
    with pytest.raises(ValidationError, match="đã kết thúc"):
        services.verify_person(
            user=people.commune_police,
            person=hoang_then[0],
            verified_on=timezone.localdate(),
            outcome="confirmed",
            part=part,
        )


def test_a_change_needs_its_note_and_a_date_not_in_the_future(tree, people, registers):
    hoang_then, _ = registers
    with pytest.raises(ValidationError, match="nội dung"):
        services.verify_person(
            user=people.commune_police,
            person=hoang_then[0],
            verified_on=timezone.localdate(),
            outcome="changed",
        )
    with pytest.raises(ValidationError, match="sau ngày hôm nay"):
        services.verify_person(
            user=people.commune_police,
            person=hoang_then[0],
            verified_on=timezone.localdate() + dt.timedelta(days=1),
            outcome="confirmed",
        )


def test_the_pages_of_a_round(tree, people, registers, login):
    hoang_then, _ = registers
    round_ = _open(people, tree, due=timezone.localdate())
    part = round_.parts.get(commune=tree.hoang_then)
    client = login(people.commune_police)
    response = client.post(
        reverse("quality:part_verify", args=[part.pk]),
        {
            "person": hoang_then[0].pk,
            "verified_on": timezone.localdate().strftime("%d/%m/%Y"),
            "outcome": "confirmed",
        },
    )
    assert response.status_code == 302
    assert FieldVerification.objects.filter(part=part, person=hoang_then[0]).exists()
    bad = client.post(
        reverse("quality:part_verify", args=[part.pk]),
        {"person": hoang_then[1].pk, "verified_on": "31/02/2026", "outcome": "confirmed"},
        follow=True,
    )
    assert "không" in bad.content.decode().lower()
    assert not FieldVerification.objects.filter(person=hoang_then[1]).exists()
    # The other commune's police neither see nor work this part.
    other = login(people.other_police)
    assert other.get(reverse("quality:part", args=[part.pk])).status_code == 404
    assert other.get(reverse("quality:round", args=[round_.pk])).status_code == 404
    district = login(people.district_police)
    assert district.get(reverse("quality:round", args=[round_.pk])).status_code == 200
    pdf = district.get(reverse("quality:round_pdf", args=[round_.pk]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert sm.AccessLog.objects.filter(object_type="reconciliation_round", object_id=round_.pk).exists()
    # The outsider from Hải Phòng sees nothing of it.
    outsider = login(people.city_police)
    assert outsider.get(reverse("quality:round", args=[round_.pk])).status_code == 404
    assert outsider.get(reverse("quality:round_pdf", args=[round_.pk])).status_code == 404


def test_a_body_that_has_ceased_opens_no_round(tree, people):
    body = tree.bodies.district_police
    body.closed_on = timezone.localdate() - dt.timedelta(days=1)
    body.save()
    people.district_police.refresh_from_db()
    with pytest.raises(PermissionDenied):
        _open(people, tree, due=timezone.localdate())
