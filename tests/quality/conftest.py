"""A clean commune (Xã Hoang Thèn of the shared tree) for the quality tests: every person with a
CCCD, a status, a file, a recent test and a recent field check; every village with commitments.
Each test plants one defect into it."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from django.utils import timezone

from quality.models import FieldVerification, Outcome
from subjects import models as sm
from tests import factories as f

TEST_DAYS, FIELD_DAYS, ABSENT_DAYS = 90, 180, 30


@pytest.fixture
def windows(tree):
    for programme in (tree.programmes.phong_tho, tree.programmes.hai_phong):
        programme.test_window_days = TEST_DAYS
        programme.field_check_days = FIELD_DAYS
        programme.absent_check_days = ABSENT_DAYS
        programme.save()
    return SimpleNamespace(test=TEST_DAYS, field=FIELD_DAYS, absent=ABSENT_DAYS)


def days_ago(n: int) -> dt.date:
    return timezone.localdate() - dt.timedelta(days=n)


def clean_addict(village, officer, *, name: str, cccd: str, birth=dt.date(1990, 1, 1)):
    """An addict filed, in treatment, tested 10 days ago and verified 20 days ago."""
    person = f.PersonFactory(village=village, full_name=name, cccd=cccd, birth_date=birth, officer=officer)
    f.PersonStatusFactory(person=person, kind=sm.StatusKind.ADDICT, start_date=days_ago(400))
    f.ManagementFileFactory(person=person, kind=sm.FileKind.ADDICT, opened_on=days_ago(390))
    f.TreatmentFactory(person=person, start_date=days_ago(300))
    f.DrugTestFactory(person=person, tested_on=days_ago(10))
    FieldVerification.objects.create(
        person=person, verified_on=days_ago(20), officer=officer, outcome=Outcome.CONFIRMED
    )
    return person


@pytest.fixture
def clean(tree, people, windows):
    """Xã Hoang Thèn with a clean register: two persons in Bản Tả Lèng, one in Bản Hô Sáo."""
    officer = people.commune_police
    persons = [
        clean_addict(tree.ta_leng, officer, name="Giàng A Páo", cccd="012090000001"),
        clean_addict(tree.ta_leng, officer, name="Sùng A Chang", cccd="012090000777"),
        clean_addict(tree.ho_sao, officer, name="Lò Văn Inh", cccd="012090000444"),
    ]
    for village in (tree.ta_leng, tree.ho_sao):
        f.HouseholdCommitmentFactory(village=village, as_of=days_ago(30))
    return SimpleNamespace(persons=persons, officer=officer, commune=tree.hoang_then)
