"""One defect of each kind the issue lists, planted into a clean commune: each is found by the
right check, under the right indicator, with a link to the record to fix; nothing else moves."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from quality import checks, selectors
from quality.checks import Indicator
from quality.models import FieldVerification, Outcome
from subjects import models as sm
from tests import factories as f

from .conftest import ABSENT_DAYS, FIELD_DAYS, TEST_DAYS, clean_addict, days_ago


def _person_url(person) -> str:
    return reverse("subjects:person_detail", args=[person.pk])


# Each planter changes the clean commune and returns the record's URL.
def addict_without_file(clean, tree):
    person = clean.persons[0]
    person.files.all().delete()
    return _person_url(person)


def treatment_without_status(clean, tree):
    person = f.PersonFactory(
        village=tree.ta_leng, full_name="Thào Seo Phìn", cccd="012090345678", officer=clean.officer
    )
    f.PersonStatusFactory(person=person, kind=sm.StatusKind.RELEASED, start_date=days_ago(500))
    f.TreatmentFactory(person=person, start_date=days_ago(30))
    FieldVerification.objects.create(
        person=person, verified_on=days_ago(3), officer=clean.officer, outcome="confirmed"
    )
    return _person_url(person)


def mixed_test_results(clean, tree):
    person = clean.persons[1]
    f.DrugTestFactory(
        person=person, tested_on=days_ago(10), method=sm.TestMethod.LAB, result=sm.TestResult.POSITIVE
    )
    return _person_url(person)


def overlapping_statuses(clean, tree):
    person = clean.persons[2]
    f.PersonStatusFactory(person=person, kind=sm.StatusKind.POST_REHAB, start_date=days_ago(100))
    return _person_url(person)


def dates_before_birth(clean, tree):
    person = clean.persons[0]
    # Written past the form's rule (as an old import or a bulk load could): the check finds it.
    sm.PersonStatus.objects.bulk_create(
        [
            sm.PersonStatus(
                person=person,
                kind=sm.StatusKind.USER,
                start_date=dt.date(1980, 1, 1),
                end_date=dt.date(1981, 1, 1),
            )
        ]
    )
    return _person_url(person)


def no_cccd(clean, tree):
    person = clean.persons[1]
    sm.Person.objects.filter(pk=person.pk).update(cccd=None)
    return _person_url(person)


def no_residence_type(clean, tree):
    person = clean.persons[2]
    sm.Person.objects.filter(pk=person.pk).update(residence_type="")
    return _person_url(person)


def no_status(clean, tree):
    person = clean.persons[0]
    person.statuses.all().delete()
    person.treatments.all().delete()  # so that only "no status" is wrong with it
    return _person_url(person)


def no_recent_test(clean, tree):
    person = clean.persons[1]
    person.tests.update(tested_on=days_ago(TEST_DAYS + 1))
    return _person_url(person)


def village_without_commitments(clean, tree):
    sm.HouseholdCommitment.objects.filter(village=tree.ho_sao).delete()
    return f"{reverse('subjects:commitment_list')}?village={tree.ho_sao.pk}"


def duplicate_name_birth(clean, tree):
    original = clean.persons[0]
    copy = clean_addict(tree.ho_sao, clean.officer, name=original.full_name, cccd="012090555555")
    return _person_url(copy)


def cccd_variants(clean, tree):
    person = clean_addict(
        tree.ho_sao, clean.officer, name="Vàng A Nhè", cccd="012090000010"
    )  # 0000001 ↔ 0000010
    return _person_url(person)


def stray_name_characters(clean, tree):
    person = clean.persons[2]
    sm.Person.objects.filter(pk=person.pk).update(full_name="Lò Văn Inh2")
    return _person_url(person)


def gone_but_active(clean, tree):
    person = clean.persons[0]
    FieldVerification.objects.create(
        person=person, verified_on=days_ago(1), officer=clean.officer, outcome=Outcome.DEAD
    )
    return _person_url(person)


def not_verified(clean, tree):
    person = clean.persons[1]
    person.verifications.update(verified_on=days_ago(FIELD_DAYS + 1))
    return _person_url(person)


def ended_without_follow_up(clean, tree):
    person = clean.persons[2]
    person.statuses.update(end_date=days_ago(5))
    person.files.update(closed_on=days_ago(5))
    person.treatments.update(end_date=days_ago(5))
    # Still a drug-related person: a user status that began before the addiction ended is no follow-up.
    return _person_url(person)


def absent_without_check(clean, tree):
    person = clean.persons[0]
    sm.Person.objects.filter(pk=person.pk).update(presence=sm.Presence.ABSENT)
    person.verifications.update(verified_on=days_ago(ABSENT_DAYS + 1))
    return _person_url(person)


PLANTS = {
    "addict_without_file": (Indicator.CORRECT, addict_without_file),
    "treatment_without_status": (Indicator.CORRECT, treatment_without_status),
    "mixed_test_results": (Indicator.CORRECT, mixed_test_results),
    "overlapping_statuses": (Indicator.CORRECT, overlapping_statuses),
    "dates_before_birth": (Indicator.CORRECT, dates_before_birth),
    "no_cccd": (Indicator.COMPLETE, no_cccd),
    "no_residence_type": (Indicator.COMPLETE, no_residence_type),
    "no_status": (Indicator.COMPLETE, no_status),
    "no_recent_test": (Indicator.COMPLETE, no_recent_test),
    "village_without_commitments": (Indicator.COMPLETE, village_without_commitments),
    "duplicate_name_birth": (Indicator.CLEAN, duplicate_name_birth),
    "cccd_variants": (Indicator.CLEAN, cccd_variants),
    "stray_name_characters": (Indicator.CLEAN, stray_name_characters),
    "gone_but_active": (Indicator.CLEAN, gone_but_active),
    "not_verified": (Indicator.LIVE, not_verified),
    "ended_without_follow_up": (Indicator.LIVE, ended_without_follow_up),
    "absent_without_check": (Indicator.LIVE, absent_without_check),
}


def test_every_registered_check_has_a_planted_defect():
    assert {c.key for c in checks.CHECKS} == set(PLANTS)


def test_the_clean_commune_scores_100(clean, people):
    quality = selectors.unit_quality(people.commune_police, clean.commune)
    assert quality.score.overall == 100
    assert all(score == 100 for score in quality.score.scores.values())
    assert not [item for ind in quality.indicators for cv in ind.checks for item in cv.items]


@pytest.mark.parametrize("key", sorted(PLANTS))
def test_a_planted_defect_is_found_in_its_indicator_with_its_link(key, clean, tree, people, login):
    indicator, plant = PLANTS[key]
    url = plant(clean, tree)
    quality = selectors.unit_quality(people.commune_police, clean.commune)
    found = {
        cv.check.key: [item.url for item in cv.items]
        for ind in quality.indicators
        for cv in ind.checks
        if cv.items
    }
    assert url in found.get(key, []), found
    assert quality.score.scores[indicator] < 100
    # The defect is found where it belongs and the checks of other indicators stay quiet
    # (a duplicate's copy is also a new record, clean in every other respect).
    others = {c.key for c in checks.CHECKS if c.indicator != indicator}
    assert not others & found.keys(), found
    # The page lists it under the check, with its link.
    page = login(people.commune_police).get(reverse("quality:unit", args=[clean.commune.pk]))
    html = page.content.decode()
    block = html.split(f'data-check="{key}"', 1)[1].split("data-check=", 1)[0]
    assert f'href="{url}"' in block.replace("&amp;", "&")


def test_windows_are_inclusive_at_their_boundary(clean, people):
    person = clean.persons[0]
    person.tests.update(tested_on=days_ago(TEST_DAYS))
    person.verifications.update(verified_on=days_ago(FIELD_DAYS))
    quality = selectors.unit_quality(people.commune_police, clean.commune)
    assert quality.score.overall == 100


def test_a_status_ending_on_the_day_the_next_begins_is_no_overlap(clean, people):
    person = clean.persons[0]
    person.statuses.update(end_date=days_ago(100))
    person.files.update(closed_on=days_ago(100))
    person.treatments.update(end_date=days_ago(100))
    f.PersonStatusFactory(person=person, kind=sm.StatusKind.POST_REHAB, start_date=days_ago(100))
    f.ManagementFileFactory(person=person, kind=sm.FileKind.POST_REHAB, opened_on=days_ago(100))
    quality = selectors.unit_quality(people.commune_police, clean.commune)
    assert quality.score.overall == 100


def test_a_programme_without_windows_runs_no_windowed_check_and_says_so(clean, tree, people):
    programme = tree.programmes.phong_tho
    programme.test_window_days = programme.field_check_days = programme.absent_check_days = None
    programme.save()
    clean.persons[0].verifications.all().delete()
    quality = selectors.unit_quality(people.commune_police, clean.commune)
    assert quality.score.overall == 100
    assert len(quality.missing_windows) == 3


def test_stray_characters_leave_vietnamese_names_alone():
    assert checks.stray_characters("Nguyễn Thị Ánh-Hồng") == []
    assert checks.stray_characters("H'Hen Niê") == []
    assert checks.stray_characters("Vàng A Sử 2") == ["2"]
    assert checks.stray_characters("Lò Văn_Inh!") == ["_", "!"]


def test_quality_by_officer_counts_only_their_records(clean, tree, people):
    other = f.UserFactory(
        username="cax2",
        role=people.commune_police.role,
        area=tree.hoang_then,
        body=people.commune_police.body,
    )
    mine = clean_addict(tree.ho_sao, other, name="Tẩn Láo San", cccd="012090123456")
    sm.Person.objects.filter(pk=mine.pk).update(cccd=None)
    theirs = selectors.unit_quality(people.commune_police, clean.commune, officer=other)
    assert theirs.score.records == 1 and theirs.score.defects == 1
    first = selectors.unit_quality(people.commune_police, clean.commune, officer=people.commune_police)
    assert first.score.overall == 100
