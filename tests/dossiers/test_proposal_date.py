"""Windows that count back from the proposal ("âm tính … cách thời điểm đề nghị công nhận không
quá 30 ngày", Thanh Hóa) count from the day the dossier was submitted, frozen at SUBMIT /
RESUBMIT, however long the appraisal takes."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from criteria.models import CriteriaSet, Criterion
from criteria.scoring import Scorecard, Status
from dossiers import services
from dossiers.route import Move, State
from subjects import models as sm
from tests.factories import (
    DrugTestFactory,
    ManagementFileFactory,
    PersonFactory,
    PersonStatusFactory,
    TreatmentFactory,
)

pytestmark = pytest.mark.django_db

THANH_HOA_1 = {
    "parts": [
        {"rule": "people_filed", "params": {"status_kinds": ["addict"], "file_kinds": ["addict"]}},
        {"rule": "people_in_treatment", "params": {"status_kinds": ["addict"]}},
        {"rule": "fewer_addicts_than", "params": {"fewer_than": 10, "presence": ["present"]}},
        {
            "rule": "tested_within_days",
            "params": {
                "status_kinds": ["addict"],
                "within_days": 30,
                "require_negative": True,
                "presence": ["present"],
            },
        },
    ]
}


@pytest.fixture
def tested_addict_set(tree):
    """A set holding Thanh Hóa's criterion 1, for the villages of Lai Châu."""
    criteria_set = CriteriaSet.objects.create(
        name="Bộ thử “xét nghiệm trước ngày đề nghị”",
        legal_basis="Văn bản thử",
        valid_from=dt.date(2020, 1, 1),
        for_communes=False,
        jurisdiction=tree.lai_chau,
    )
    Criterion.objects.create(
        criteria_set=criteria_set,
        number=1,
        text="Xét nghiệm âm tính trong 30 ngày",
        rule="all_of",
        params=THANH_HOA_1,
    )
    # Phong Thổ's programme scores its villages with it.
    tree.programmes.phong_tho.village_criteria_set = criteria_set
    tree.programmes.phong_tho.save()
    return criteria_set


def later(monkeypatch, days: int) -> dt.date:
    day = timezone.localdate() + dt.timedelta(days=days)
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: day)
    return day


@pytest.mark.parametrize(("tested_days_before", "passes"), [(30, True), (31, False)])
def test_a_dossier_valid_when_proposed_stays_valid_ten_days_later(
    walk, people, tree, tested_addict_set, monkeypatch, tested_days_before, passes
):
    proposed = timezone.localdate()
    addict = PersonFactory(village=tree.ta_leng, full_name="Lò Văn Xét")
    PersonStatusFactory(person=addict, kind=sm.StatusKind.ADDICT, start_date=dt.date(2023, 1, 1))
    ManagementFileFactory(person=addict)
    TreatmentFactory(person=addict, start_date=dt.date(2023, 2, 1))
    DrugTestFactory(person=addict, tested_on=proposed - dt.timedelta(days=tested_days_before))

    dossier = walk.to(walk.register(tree.ta_leng), State.UNDER_APPRAISAL)
    assert dossier.submission_scorecard["proposal_date"] == proposed.isoformat()
    assert dossier.submission_scorecard["results"][0]["status"] == (Status.MET if passes else Status.NOT_MET)

    appraised_on = later(monkeypatch, 10)
    results = services.current_results(dossier)
    assert results[0]["status"] == (Status.MET if passes else Status.NOT_MET)
    if not passes:
        with pytest.raises(services.MoveRefused):
            walk.step(dossier, Move.APPRAISE_PASS, people.district_police)
        return
    dossier = walk.step(dossier, Move.APPRAISE_PASS, people.district_police)
    card = Scorecard.from_dict(dossier.appraisal_scorecard)
    assert (card.as_of, card.proposal_date) == (appraised_on, proposed)
    assert card.results[0].status == Status.MET


def test_a_resubmission_is_a_new_proposal(walk, people, tree, tested_addict_set, monkeypatch):
    addict = PersonFactory(village=tree.ta_leng, full_name="Lò Văn Bổ Sung")
    PersonStatusFactory(person=addict, kind=sm.StatusKind.ADDICT, start_date=dt.date(2023, 1, 1))
    ManagementFileFactory(person=addict)
    TreatmentFactory(person=addict, start_date=dt.date(2023, 2, 1))
    DrugTestFactory(person=addict, tested_on=timezone.localdate() - dt.timedelta(days=20))
    dossier = walk.to(walk.register(tree.ta_leng), State.UNDER_APPRAISAL)
    dossier = walk.step(dossier, Move.REQUEST_SUPPLEMENT, people.district_police, comment="Bổ sung biên bản")

    resubmitted = later(monkeypatch, 15)
    dossier = walk.step(dossier, Move.RESUBMIT, people.commune_police)
    card = Scorecard.from_dict(dossier.submission_scorecard)
    assert card.proposal_date == resubmitted
    # 35 days before the new proposal: the test no longer counts.
    assert card.results[0].status == Status.NOT_MET
