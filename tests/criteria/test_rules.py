"""Boundary tests for every rule, through `criteria.services.score_area` on real register rows:
exactly N days or months, the day before and the day after, N−1 and N persons."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from criteria import baselines, rules, services
from criteria.facts import Baseline
from criteria.scoring import Status
from subjects import models as sm
from tests.criteria.conftest import AS_OF, governs, one_rule_set
from tests.factories import (
    CriminalGroupFactory,
    CultivationIncidentFactory,
    DrugCaseFactory,
    DrugPointFactory,
    DrugTestFactory,
    HotlineBoardFactory,
    HouseholdCommitmentFactory,
    ManagementFileFactory,
    PersonFactory,
    PersonStatusFactory,
    PreventionModelFactory,
    TreatmentFactory,
)

pytestmark = pytest.mark.django_db

DAY = dt.timedelta(days=1)
MET, NOT_MET, EVIDENCE = Status.MET, Status.NOT_MET, Status.NEEDS_EVIDENCE


def addict(village, name="Lò Văn Thử", presence=sm.Presence.PRESENT, since=dt.date(2024, 1, 1), **person):
    person = PersonFactory(village=village, full_name=name, presence=presence, **person)
    PersonStatusFactory(person=person, kind=sm.StatusKind.ADDICT, start_date=since)
    return person


# ---------------------------------------------------------------- drug points


@pytest.mark.parametrize(
    ("found_on", "eliminated_on", "expected"),
    [
        (AS_OF, None, NOT_MET),  # found on the day itself
        (AS_OF + DAY, None, MET),  # found the day after
        (dt.date(2024, 1, 1), AS_OF, MET),  # eliminated on the day
        (dt.date(2024, 1, 1), AS_OF + DAY, NOT_MET),  # still there on the day
    ],
)
def test_drug_point_counts_from_found_day_until_eliminated_day(
    tree, judge, found_on, eliminated_on, expected
):
    DrugPointFactory(village=tree.ta_leng, found_on=found_on, eliminated_on=eliminated_on)
    result = judge(tree.hoang_then, "no_active_drug_points", {"kinds": ["retail"]})
    assert result.status == expected


def test_drug_point_of_an_unlisted_kind_does_not_fail(tree, judge):
    DrugPointFactory(village=tree.ta_leng, kind=sm.PointKind.AT_RISK, description="Bãi đất trống")
    assert judge(tree.ta_leng, "no_active_drug_points", {"kinds": ["hotspot", "retail"]}).status == MET
    result = judge(tree.ta_leng, "no_active_drug_points", {"kinds": ["at_risk"]})
    assert result.status == NOT_MET
    assert [f.label for f in result.failing] == ["Bãi đất trống"]
    assert result.failing[0].model == "drugpoint"


def test_point_in_another_commune_does_not_count(tree, judge):
    DrugPointFactory(village=tree.co_muong)
    assert judge(tree.hoang_then, "no_active_drug_points", {"kinds": ["retail"]}).status == MET


# ---------------------------------------------------------------- groups and offenders


# ---------------------------------------------------------------- retail sellers (persons)


@pytest.mark.parametrize(
    ("start_date", "end_date", "expected"),
    [
        (AS_OF, None, NOT_MET),
        (AS_OF + DAY, None, MET),
        (dt.date(2024, 1, 1), AS_OF, NOT_MET),
        (dt.date(2024, 1, 1), AS_OF - DAY, MET),
    ],
)
def test_a_retail_seller_is_a_person_holding_the_status_on_the_day(
    tree, judge, start_date, end_date, expected
):
    person = PersonFactory(village=tree.ho_sao, full_name="Thào A Bán")
    PersonStatusFactory(person=person, kind=sm.StatusKind.SELLER, start_date=start_date, end_date=end_date)
    result = judge(tree.hoang_then, "no_persons_holding", {"status_kinds": ["seller"]})
    assert result.status == expected
    if expected == NOT_MET:
        assert [(f.label, f.reason) for f in result.failing] == [
            ("Thào A Bán", "đối tượng bán lẻ trái phép chất ma túy")
        ]


def test_lai_chau_1_fails_on_a_retail_seller_without_any_point(tree):
    """ "Không có … đối tượng bán lẻ trái phép chất ma túy": the person, not only a retail point."""
    seller = PersonFactory(village=tree.ta_leng, full_name="Thào A Bán")
    PersonStatusFactory(person=seller, kind=sm.StatusKind.SELLER, start_date=dt.date(2025, 1, 1))
    result = services.score_area(area=tree.ta_leng, as_of=AS_OF).result_for(1)
    assert result.status == NOT_MET
    assert [f.label for f in result.failing] == ["Thào A Bán"]
    assert services.score_area(area=tree.ho_sao, as_of=AS_OF).result_for(1).status == MET


@pytest.mark.parametrize(
    ("dismantled_on", "expected"), [(AS_OF, MET), (AS_OF + DAY, NOT_MET), (None, NOT_MET)]
)
def test_group_counts_until_dismantled_day(tree, judge, dismantled_on, expected):
    CriminalGroupFactory(village=tree.ho_sao, found_on=dt.date(2024, 1, 1), dismantled_on=dismantled_on)
    assert judge(tree.hoang_then, "no_active_groups", {}).status == expected


@pytest.mark.parametrize(
    ("resident_since", "expected"),
    [
        (dt.date(2025, 3, 15), NOT_MET),  # exactly 3 months on 15/06
        (dt.date(2025, 3, 16), MET),  # one day short of 3 months
    ],
)
def test_offender_counts_from_exactly_n_months_of_residence(tree, judge, resident_since, expected):
    person = PersonFactory(village=tree.ta_leng, resident_since=resident_since, full_name="Vàng A Phạm")
    PersonStatusFactory(person=person, kind=sm.StatusKind.OFFENDER, start_date=dt.date(2025, 1, 1))
    result = judge(
        tree.ta_leng, "no_resident_offenders", {"min_residence_months": 3}, as_of=dt.date(2025, 6, 15)
    )
    assert result.status == expected
    if expected == NOT_MET:
        assert result.failing[0].label == "Vàng A Phạm"


@pytest.mark.parametrize(("days_resident", "expected"), [(90, NOT_MET), (89, MET)])
def test_offender_counts_from_exactly_n_days_of_residence(tree, judge, days_resident, expected):
    person = PersonFactory(village=tree.ta_leng, resident_since=AS_OF - dt.timedelta(days=days_resident))
    PersonStatusFactory(person=person, kind=sm.StatusKind.OFFENDER, start_date=dt.date(2024, 1, 1))
    assert judge(tree.ta_leng, "no_resident_offenders", {"min_residence_days": 90}).status == expected


@pytest.mark.parametrize(("end_date", "expected"), [(AS_OF, NOT_MET), (AS_OF - DAY, MET)])
def test_offender_status_holds_through_its_end_day(tree, judge, end_date, expected):
    person = PersonFactory(village=tree.ta_leng, resident_since=dt.date(2020, 1, 1))
    PersonStatusFactory(
        person=person, kind=sm.StatusKind.OFFENDER, start_date=dt.date(2024, 1, 1), end_date=end_date
    )
    assert judge(tree.ta_leng, "no_resident_offenders", {"min_residence_months": 3}).status == expected


# ---------------------------------------------------------------- files and treatment


def test_addicts_filed_counts_each_addict_and_names_the_unfiled(tree, judge):
    filed = addict(tree.ta_leng, "Lò Văn Có")
    ManagementFileFactory(person=filed, kind=sm.FileKind.ADDICT, opened_on=dt.date(2024, 2, 1))
    addict(tree.ho_sao, "Lò Văn Chưa")
    result = judge(tree.hoang_then, "people_filed", {"status_kinds": ["addict"], "file_kinds": ["addict"]})
    assert result.status == NOT_MET
    assert result.figures.startswith("1/2 ")
    assert [(f.label, f.reason) for f in result.failing] == [("Lò Văn Chưa", "chưa có hồ sơ quản lý")]


@pytest.mark.parametrize(
    ("opened_on", "closed_on", "expected"),
    [
        (AS_OF, None, MET),  # opened on the day
        (AS_OF + DAY, None, NOT_MET),  # opened the day after
        (dt.date(2024, 2, 1), AS_OF, NOT_MET),  # closed on the day
        (dt.date(2024, 2, 1), AS_OF + DAY, MET),
    ],
)
def test_management_file_runs_from_opening_until_closing_day(tree, judge, opened_on, closed_on, expected):
    person = addict(tree.ta_leng)
    ManagementFileFactory(person=person, opened_on=opened_on, closed_on=closed_on)
    assert judge(tree.ta_leng, "people_filed", {"status_kinds": ["addict"]}).status == expected


def test_file_of_the_wrong_kind_does_not_count(tree, judge):
    person = addict(tree.ta_leng)
    ManagementFileFactory(person=person, kind=sm.FileKind.USER)
    assert (
        judge(tree.ta_leng, "people_filed", {"status_kinds": ["addict"], "file_kinds": ["addict"]}).status
        == NOT_MET
    )
    assert judge(tree.ta_leng, "people_filed", {"status_kinds": ["addict"]}).status == MET


def test_presence_filter_leaves_out_absent_addicts(tree, judge):
    addict(tree.ta_leng, presence=sm.Presence.ABSENT)
    params = {"status_kinds": ["addict"], "presence": ["present"]}
    assert judge(tree.ta_leng, "people_filed", params).status == MET
    assert judge(tree.ta_leng, "people_filed", {"status_kinds": ["addict"]}).status == NOT_MET


def test_addict_status_starting_after_the_day_is_not_counted(tree, judge):
    addict(tree.ta_leng, since=AS_OF + DAY)
    assert judge(tree.ta_leng, "people_filed", {"status_kinds": ["addict"]}).status == MET
    addict(tree.ta_leng, name="Lò Văn Đúng Ngày", since=AS_OF)
    assert judge(tree.ta_leng, "people_filed", {"status_kinds": ["addict"]}).status == NOT_MET


@pytest.mark.parametrize(("end_date", "expected"), [(AS_OF, MET), (AS_OF - DAY, NOT_MET), (None, MET)])
def test_treatment_holds_through_its_end_day(tree, judge, end_date, expected):
    person = addict(tree.ta_leng)
    TreatmentFactory(
        person=person,
        kind=sm.TreatmentKind.VOLUNTARY_COMMUNITY,
        medication="",
        start_date=dt.date(2025, 1, 1),
        end_date=end_date,
    )
    assert judge(tree.ta_leng, "people_in_treatment", {"presence": ["present"]}).status == expected


@pytest.mark.parametrize(
    ("opened_on", "closed_on", "expected"),
    [
        (AS_OF, None, MET),
        (AS_OF + DAY, None, NOT_MET),
        (dt.date(2025, 5, 1), AS_OF, NOT_MET),
        (dt.date(2025, 5, 1), AS_OF + DAY, MET),
    ],
)
def test_a_treatment_proposal_being_prepared_counts_when_the_criterion_says_so(
    tree, judge, opened_on, closed_on, expected
):
    """Lai Châu 3 "được lập hồ sơ áp dụng các hình thức cai nghiện": the file proposing the measure
    counts from the day it is prepared until it is closed (the measure decided)."""
    person = addict(tree.ta_leng)
    ManagementFileFactory(person=person, kind=sm.FileKind.TREATMENT, opened_on=opened_on, closed_on=closed_on)
    params = {"presence": ["present"], "proposal_file_kinds": ["treatment"]}
    result = judge(tree.ta_leng, "people_in_treatment", params)
    assert result.status == expected
    assert result.figures.endswith("đang cai nghiện, điều trị hoặc đã được lập hồ sơ áp dụng")
    # Without the parameter only a running treatment counts.
    assert judge(tree.ta_leng, "people_in_treatment", {"presence": ["present"]}).status == NOT_MET


def test_lai_chau_3_is_met_by_an_addict_whose_treatment_file_is_being_prepared(tree):
    person = addict(tree.ta_leng, "Lò Văn Chờ Cai")
    ManagementFileFactory(person=person, kind=sm.FileKind.ADDICT, opened_on=dt.date(2025, 1, 1))
    assert services.score_area(area=tree.ta_leng, as_of=AS_OF).result_for(3).status == NOT_MET
    ManagementFileFactory(person=person, kind=sm.FileKind.TREATMENT, opened_on=dt.date(2025, 6, 1))
    assert services.score_area(area=tree.ta_leng, as_of=AS_OF).result_for(3).status == MET


def test_a_treatment_proposal_is_not_a_management_file(tree, judge):
    person = addict(tree.ta_leng)
    ManagementFileFactory(person=person, kind=sm.FileKind.TREATMENT, opened_on=dt.date(2025, 1, 1))
    assert judge(tree.ta_leng, "people_filed", {"status_kinds": ["addict"]}).status == NOT_MET


def test_treatment_kind_filter(tree, judge):
    person = addict(tree.ta_leng)
    TreatmentFactory(person=person, kind=sm.TreatmentKind.SUBSTITUTION, start_date=dt.date(2025, 1, 1))
    assert judge(tree.ta_leng, "people_in_treatment", {"treatment_kinds": ["compulsory"]}).status == NOT_MET
    assert judge(tree.ta_leng, "people_in_treatment", {"treatment_kinds": ["substitution"]}).status == MET


# ---------------------------------------------------------------- opioid substitution


@pytest.mark.parametrize(
    ("start_date", "expected"),
    [
        (dt.date(2024, 6, 29), NOT_MET),  # 12 months and 1 day on 30/06/2025: looked at, breaks the rules
        (dt.date(2024, 6, 30), MET),  # exactly 12 months: not "trên 12 tháng" yet
        (dt.date(2024, 7, 1), MET),  # one day short
    ],
)
def test_substitution_looks_at_patients_treated_over_n_months(tree, judge, start_date, expected):
    person = addict(tree.ta_leng)
    TreatmentFactory(person=person, start_date=start_date, uses_other_drugs=True, complies_with_rules=True)
    result = judge(tree.ta_leng, "substitution_compliant", {"min_months": 12})
    assert result.status == expected
    if expected == NOT_MET:
        assert result.failing[0].reason == "sử dụng chất ma túy khác"


def test_substitution_patient_breaking_facility_rules_fails(tree, judge):
    person = addict(tree.ta_leng, "Giàng A Vi Phạm")
    TreatmentFactory(
        person=person, start_date=dt.date(2023, 1, 1), complies_with_rules=False, uses_other_drugs=False
    )
    result = judge(tree.ta_leng, "substitution_compliant", {"min_months": 12})
    assert result.status == NOT_MET
    assert result.failing[0].label == "Giàng A Vi Phạm"


def test_substitution_without_recorded_compliance_needs_evidence_then_an_attestation_settles_it(
    tree, judge, people, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    person = addict(tree.ta_leng)
    TreatmentFactory(person=person, start_date=dt.date(2023, 1, 1), complies_with_rules=None)
    criteria_set = one_rule_set("substitution_compliant", {"min_months": 12})
    # Evidence is attested only against the set that scores the unit: the one its programme names.
    criteria_set.is_active = True
    criteria_set.save()
    tree.programmes.phong_tho.village_criteria_set = criteria_set
    tree.programmes.phong_tho.save()
    card = services.score_area(area=tree.ta_leng, as_of=AS_OF, criteria_set=criteria_set)
    assert card.results[0].status == EVIDENCE
    services.create_attestation(
        user=people.commune_police,
        area=tree.ta_leng,
        criterion=criteria_set.criteria.get(),
        document=SimpleUploadedFile("xac-nhan.pdf", b"%PDF-1.4 thu", content_type="application/pdf"),
        officer_name="Trần Văn Cán Bộ",
        attested_on=AS_OF,
    )
    card = services.score_area(area=tree.ta_leng, as_of=AS_OF, criteria_set=criteria_set)
    assert card.results[0].status == MET
    assert card.results[0].evidence.officer == "Trần Văn Cán Bộ"
    # The attestation is dated 30/06: a score of the day before still needs evidence.
    card = services.score_area(area=tree.ta_leng, as_of=AS_OF - DAY, criteria_set=criteria_set)
    assert card.results[0].status == EVIDENCE


@pytest.mark.parametrize(
    ("days_after", "expected"),
    [(0, MET), (90, MET), (91, EVIDENCE)],
)
def test_an_attestation_satisfies_only_within_the_validity_the_criterion_sets(
    tree, people, settings, tmp_path, days_after, expected
):
    """Valid 90 days: the period runs from the day after the attestation (Bộ luật Dân sự, Điều
    147), so an attestation of 01/03 still counts on 30/05 and no longer on 31/05."""
    settings.MEDIA_ROOT = tmp_path
    criteria_set = one_rule_set("attested_only", {"subject": "Không có sản xuất trái phép chất ma túy"})
    governs(tree, criteria_set)
    criterion = criteria_set.criteria.get()
    criterion.evidence_valid_days = 90
    criterion.save()
    attested_on = dt.date(2025, 3, 1)
    services.create_attestation(
        user=people.commune_police,
        area=tree.ta_leng,
        criterion=criterion,
        document=SimpleUploadedFile("xac-nhan.pdf", b"%PDF-1.4 thu", content_type="application/pdf"),
        officer_name="Trần Văn Cán Bộ",
        attested_on=attested_on,
    )
    as_of = attested_on + dt.timedelta(days=days_after)
    result = services.score_area(area=tree.ta_leng, as_of=as_of, criteria_set=criteria_set).results[0]
    assert result.status == expected
    assert result.evidence.valid_until_date == dt.date(2025, 5, 30)
    assert result.evidence.expired is (expected == EVIDENCE)


def test_an_attestation_of_a_criterion_without_a_validity_never_expires(tree, people, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    criteria_set = one_rule_set("attested_only", {"subject": "Nội dung"})
    governs(tree, criteria_set)
    services.create_attestation(
        user=people.commune_police,
        area=tree.ta_leng,
        criterion=criteria_set.criteria.get(),
        document=SimpleUploadedFile("xac-nhan.pdf", b"%PDF-1.4 thu", content_type="application/pdf"),
        officer_name="Trần Văn Cán Bộ",
        attested_on=dt.date(2020, 1, 1),
    )
    result = services.score_area(area=tree.ta_leng, as_of=AS_OF, criteria_set=criteria_set).results[0]
    assert result.status == MET
    assert result.evidence.valid_until is None and not result.evidence.expired


# ---------------------------------------------------------------- commitments and boards


@pytest.mark.parametrize(("signed", "expected"), [(80, MET), (79, NOT_MET)])
def test_commitments_need_every_household(tree, judge, signed, expected):
    HouseholdCommitmentFactory(village=tree.ta_leng, households=80, signed=signed)
    assert judge(tree.ta_leng, "household_commitments", {"min_percent": 100}).status == expected


def test_commitments_threshold_is_a_parameter(tree, judge):
    HouseholdCommitmentFactory(village=tree.ta_leng, households=100, signed=90)
    assert judge(tree.ta_leng, "household_commitments", {"min_percent": 90}).status == MET
    assert judge(tree.ta_leng, "household_commitments", {"min_percent": 91}).status == NOT_MET


def test_commitments_use_the_latest_count_on_or_before_the_day(tree, judge):
    HouseholdCommitmentFactory(village=tree.ta_leng, as_of=dt.date(2024, 1, 1), households=80, signed=80)
    HouseholdCommitmentFactory(village=tree.ta_leng, as_of=AS_OF, households=82, signed=80)
    assert judge(tree.ta_leng, "household_commitments", {}).status == NOT_MET
    assert judge(tree.ta_leng, "household_commitments", {}, as_of=AS_OF - DAY).status == MET


def test_commune_commitments_fail_for_a_village_without_a_count(tree, judge):
    HouseholdCommitmentFactory(village=tree.ta_leng)
    result = judge(tree.hoang_then, "household_commitments", {})
    assert result.status == NOT_MET
    assert [(f.model, f.label) for f in result.failing] == [("area", "Bản Hô Sáo")]


@pytest.mark.parametrize(
    ("installed_on", "removed_on", "expected"),
    [
        (AS_OF, None, MET),
        (AS_OF + DAY, None, NOT_MET),
        (dt.date(2024, 1, 1), AS_OF, NOT_MET),
        (dt.date(2024, 1, 1), AS_OF + DAY, MET),
    ],
)
def test_board_stands_from_installation_until_removal_day(tree, judge, installed_on, removed_on, expected):
    HotlineBoardFactory(village=tree.ta_leng, installed_on=installed_on, removed_on=removed_on)
    assert judge(tree.ta_leng, "village_boards", {"kinds": ["hotline"]}).status == expected


def test_boards_of_every_village_of_the_commune(tree, judge):
    HotlineBoardFactory(village=tree.ta_leng)
    result = judge(tree.hoang_then, "village_boards", {})
    assert result.status == NOT_MET
    assert result.figures.startswith("1/2 ")
    HotlineBoardFactory(village=tree.ho_sao)
    assert judge(tree.hoang_then, "village_boards", {}).status == MET
    assert judge(tree.hoang_then, "village_boards", {"kinds": ["hotline", "mailbox"]}).status == NOT_MET


# ---------------------------------------------------------------- prevention models


def test_prevention_models_need_n_effective_models(tree, judge):
    assert judge(tree.ta_leng, "prevention_models", {"min_count": 1}).status == NOT_MET
    PreventionModelFactory(area=tree.ta_leng, evaluated_effective=None)
    assert judge(tree.ta_leng, "prevention_models", {"min_count": 1}).status == EVIDENCE
    assert (
        judge(tree.ta_leng, "prevention_models", {"min_count": 1, "require_effective": False}).status == MET
    )
    PreventionModelFactory(area=tree.ta_leng, evaluated_effective=True)
    assert judge(tree.ta_leng, "prevention_models", {"min_count": 1}).status == MET
    assert judge(tree.ta_leng, "prevention_models", {"min_count": 2}).status == EVIDENCE
    assert judge(tree.ta_leng, "prevention_models", {"min_count": 3}).status == NOT_MET


def test_commune_level_model_counts_for_the_commune_not_its_villages(tree, judge):
    PreventionModelFactory(area=tree.hoang_then)
    assert judge(tree.hoang_then, "prevention_models", {}).status == MET
    assert judge(tree.ta_leng, "prevention_models", {}).status == NOT_MET


@pytest.mark.parametrize(
    ("established_on", "ended_on", "expected"),
    [
        (AS_OF, None, MET),
        (AS_OF + DAY, None, NOT_MET),
        (dt.date(2024, 1, 1), AS_OF, NOT_MET),
        (dt.date(2024, 1, 1), AS_OF + DAY, MET),
    ],
)
def test_model_runs_from_establishment_until_end_day(tree, judge, established_on, ended_on, expected):
    PreventionModelFactory(
        area=tree.ta_leng, established_on=established_on, ended_on=ended_on, is_active=ended_on is None
    )
    assert judge(tree.ta_leng, "prevention_models", {}).status == expected


# ---------------------------------------------------------------- cultivation


@pytest.mark.parametrize(("days_before", "expected"), [(365, NOT_MET), (366, MET), (0, NOT_MET)])
def test_cultivation_within_lookback_days(tree, judge, days_before, expected):
    CultivationIncidentFactory(village=tree.ho_sao, found_on=AS_OF - dt.timedelta(days=days_before))
    assert judge(tree.hoang_then, "no_cultivation", {"lookback_days": 365}).status == expected


@pytest.mark.parametrize(
    ("found_on", "expected"), [(dt.date(2025, 1, 1), NOT_MET), (dt.date(2024, 12, 31), MET)]
)
def test_cultivation_since_a_date(tree, judge, found_on, expected):
    CultivationIncidentFactory(village=tree.ho_sao, found_on=found_on)
    assert judge(tree.hoang_then, "no_cultivation", {"since": "2025-01-01"}).status == expected


@pytest.mark.parametrize(
    ("found_on", "expected"),
    [(dt.date(2010, 1, 1), NOT_MET), (AS_OF, NOT_MET), (AS_OF + DAY, MET)],
)
def test_cultivation_without_a_window_counts_every_incident_up_to_the_day(tree, judge, found_on, expected):
    """A criterion whose text states no period ("Không để xảy ra tình trạng trồng cây…") gets none."""
    CultivationIncidentFactory(village=tree.ho_sao, found_on=found_on)
    result = judge(tree.hoang_then, "no_cultivation", {})
    assert result.status == expected
    assert result.figures == f"{0 if expected == MET else 1} vụ trồng cây có chứa chất ma túy"


def test_a_window_is_a_start_day_or_a_number_of_days_not_both():
    with pytest.raises(ValidationError, match="chỉ nhận một trong các tham số"):
        rules.validate_params("no_cultivation", {"since": "2025-01-01", "lookback_days": 30})
    assert rules.validate_params("no_serious_case_by_users", {}) == {
        "severities": ["very_serious", "particularly_serious"],
        "status_kinds": ["addict", "user", "psychosis"],
    }


def test_cultivation_plant_filter(tree, judge):
    CultivationIncidentFactory(village=tree.ho_sao, plant=sm.Plant.CANNABIS, found_on=dt.date(2025, 3, 1))
    assert judge(tree.hoang_then, "no_cultivation", {"lookback_days": 365, "plants": ["poppy"]}).status == MET
    result = judge(tree.hoang_then, "no_cultivation", {"lookback_days": 365})
    assert result.status == NOT_MET
    assert result.failing[0].model == "cultivationincident"


# ---------------------------------------------------------------- addicts in the community


@pytest.mark.parametrize(("count", "expected"), [(9, MET), (10, NOT_MET)])
def test_fewer_than_n_addicts_in_the_community(tree, judge, count, expected):
    for i in range(count):
        addict(tree.ta_leng if i % 2 else tree.ho_sao, name=f"Người nghiện {i}")
    addict(tree.ta_leng, name="Đang cai tập trung", presence=sm.Presence.IN_REHAB)
    result = judge(tree.hoang_then, "fewer_addicts_than", {"fewer_than": 10})
    assert result.status == expected
    assert result.figures.startswith(f"{count} người nghiện")
    assert len(result.failing) == (count if expected == NOT_MET else 0)


def test_fewer_addicts_threshold_is_a_parameter(tree, judge):
    for i in range(4):
        addict(tree.ta_leng, name=f"Người nghiện {i}")
    assert judge(tree.ta_leng, "fewer_addicts_than", {"fewer_than": 5}).status == MET
    assert judge(tree.ta_leng, "fewer_addicts_than", {"fewer_than": 4}).status == NOT_MET


# ---------------------------------------------------------------- tests within N days


@pytest.mark.parametrize(("days_before", "expected"), [(30, MET), (31, NOT_MET), (0, MET)])
def test_negative_test_within_n_days_before_the_proposal(tree, judge, days_before, expected):
    proposal = dt.date(2025, 6, 20)
    person = addict(tree.ta_leng)
    DrugTestFactory(person=person, tested_on=proposal - dt.timedelta(days=days_before))
    params = {"status_kinds": ["addict"], "within_days": 30}
    assert judge(tree.ta_leng, "tested_within_days", params, proposal_date=proposal).status == expected


def test_test_after_the_proposal_date_does_not_count(tree, judge):
    proposal = dt.date(2025, 6, 20)
    person = addict(tree.ta_leng)
    DrugTestFactory(person=person, tested_on=proposal + DAY)
    params = {"status_kinds": ["addict"], "within_days": 30}
    assert judge(tree.ta_leng, "tested_within_days", params, proposal_date=proposal).status == NOT_MET
    # Without a proposal date the window ends on the as-of date, and the test is inside it.
    assert judge(tree.ta_leng, "tested_within_days", params).status == MET


def test_latest_test_in_the_window_must_be_negative(tree, judge):
    person = addict(tree.ta_leng, "Lò Văn Dương")
    DrugTestFactory(person=person, tested_on=AS_OF - dt.timedelta(days=20), result=sm.TestResult.NEGATIVE)
    DrugTestFactory(person=person, tested_on=AS_OF - dt.timedelta(days=5), result=sm.TestResult.POSITIVE)
    params = {"status_kinds": ["addict"], "within_days": 30}
    result = judge(tree.ta_leng, "tested_within_days", params)
    assert result.status == NOT_MET
    assert "dương tính" in result.failing[0].reason
    assert judge(tree.ta_leng, "tested_within_days", {**params, "require_negative": False}).status == MET


def test_criteria_with_different_windows_in_one_set_each_keep_their_own(tree):
    person = addict(tree.ta_leng)
    DrugTestFactory(person=person, tested_on=AS_OF - dt.timedelta(days=20))
    criteria_set = one_rule_set("tested_within_days", {"status_kinds": ["addict"], "within_days": 15})
    criteria_set.criteria.create(
        number=2,
        text="Tiêu chí thử 30 ngày",
        rule="tested_within_days",
        params={"status_kinds": ["addict"], "within_days": 30},
    )
    card = services.score_area(area=tree.ta_leng, as_of=AS_OF, criteria_set=criteria_set)
    assert [r.status for r in card.results] == [NOT_MET, MET]


def test_a_positive_and_a_negative_test_on_the_same_day_count_as_positive(tree, judge):
    person = addict(tree.ta_leng)
    day = AS_OF - dt.timedelta(days=3)
    DrugTestFactory(person=person, tested_on=day, result=sm.TestResult.NEGATIVE)
    # A quick test and its laboratory confirmation (one result per person, day and method).
    DrugTestFactory(person=person, tested_on=day, result=sm.TestResult.POSITIVE, method=sm.TestMethod.LAB)
    result = judge(tree.ta_leng, "tested_within_days", {"status_kinds": ["addict"], "within_days": 30})
    assert result.status == NOT_MET
    assert "dương tính" in result.failing[0].reason


def test_within_days_counts_each_listed_status(tree, judge):
    user = PersonFactory(village=tree.ta_leng)
    PersonStatusFactory(person=user, kind=sm.StatusKind.PSYCHOSIS)
    params = {"status_kinds": ["user", "psychosis"], "within_days": 30}
    assert judge(tree.ta_leng, "tested_within_days", params).status == NOT_MET
    DrugTestFactory(person=user, tested_on=AS_OF - dt.timedelta(days=10))
    assert judge(tree.ta_leng, "tested_within_days", params).status == MET


# ---------------------------------------------------------------- suspected users


@pytest.mark.parametrize(
    ("tested_on", "expected"), [(dt.date(2025, 5, 1), MET), (dt.date(2025, 4, 30), NOT_MET), (None, NOT_MET)]
)
def test_suspected_user_tested_on_or_after_the_suspicion(tree, judge, tested_on, expected):
    person = PersonFactory(village=tree.ta_leng, full_name="Người Bị Nghi")
    PersonStatusFactory(person=person, kind=sm.StatusKind.SUSPECTED, start_date=dt.date(2025, 5, 1))
    if tested_on:
        DrugTestFactory(person=person, tested_on=tested_on, reason=sm.TestReason.SUSPICION)
    result = judge(tree.ta_leng, "suspected_tested", {})
    assert result.status == expected


def test_suspected_test_after_the_as_of_day_does_not_count(tree, judge):
    person = PersonFactory(village=tree.ta_leng)
    PersonStatusFactory(person=person, kind=sm.StatusKind.SUSPECTED, start_date=dt.date(2025, 5, 1))
    DrugTestFactory(person=person, tested_on=AS_OF)
    assert judge(tree.ta_leng, "suspected_tested", {}).status == MET
    assert judge(tree.ta_leng, "suspected_tested", {}, as_of=AS_OF - DAY).status == NOT_MET


@pytest.mark.parametrize(
    ("tested_on", "expected"), [(dt.date(2025, 2, 1), MET), (dt.date(2025, 1, 31), NOT_MET)]
)
def test_post_rehab_person_tested_since_the_rehab_ended(tree, judge, tested_on, expected):
    """Thanh Hóa 5: "người sau cai nghiện … định kỳ, đột xuất phải được xét nghiệm" states no
    period: a test since the person became post-rehab is what the registers can check."""
    person = PersonFactory(village=tree.ta_leng, full_name="Người Sau Cai")
    PersonStatusFactory(person=person, kind=sm.StatusKind.POST_REHAB, start_date=dt.date(2025, 2, 1))
    DrugTestFactory(person=person, tested_on=tested_on)
    result = judge(tree.ta_leng, "suspected_tested", {"status_kinds": ["post_rehab"]})
    assert result.status == expected
    assert result.figures.endswith("người sau cai nghiện đã xét nghiệm kể từ ngày được ghi nhận")


# ---------------------------------------------------------------- baseline


@pytest.fixture
def baseline_of(monkeypatch):
    registered: dict[int, Baseline] = {}

    def provider(area_ids, as_of):
        return {pk: b for pk, b in registered.items() if pk in area_ids and b.registered_on <= as_of}

    monkeypatch.setattr(baselines, "PROVIDERS", [provider])
    return registered


def test_without_a_registration_baseline_evidence_is_needed(tree, judge, baseline_of):
    assert judge(tree.hoang_then, "below_baseline", {}).status == EVIDENCE


@pytest.mark.parametrize(("current", "expected"), [(2, MET), (3, NOT_MET)])
def test_totals_must_be_lower_than_at_registration(tree, judge, baseline_of, current, expected):
    baseline_of[tree.hoang_then.pk] = Baseline(registered_on=dt.date(2024, 6, 1), count=3)
    for i in range(current):
        person = PersonFactory(village=tree.ta_leng, full_name=f"Người thứ {i}")
        PersonStatusFactory(person=person, kind=sm.StatusKind.USER if i % 2 else sm.StatusKind.ADDICT)
    assert judge(tree.hoang_then, "below_baseline", {}).status == expected


def test_zero_against_a_zero_baseline_is_met(tree, judge, baseline_of):
    baseline_of[tree.hoang_then.pk] = Baseline(registered_on=dt.date(2024, 6, 1), count=0)
    assert judge(tree.hoang_then, "below_baseline", {}).status == MET


# ---------------------------------------------------------------- serious cases


def serious_case(village, person, occurred_on, severity=sm.Severity.VERY_SERIOUS):
    case = DrugCaseFactory(village=village, occurred_on=occurred_on, severity=severity)
    case.persons.add(person)
    return case


@pytest.mark.parametrize(
    ("severity", "expected"),
    [
        (sm.Severity.VERY_SERIOUS, NOT_MET),
        (sm.Severity.PARTICULARLY_SERIOUS, NOT_MET),
        (sm.Severity.SERIOUS, MET),
    ],
)
def test_serious_case_by_a_resident_user(tree, judge, severity, expected):
    person = PersonFactory(village=tree.ta_leng)
    PersonStatusFactory(person=person, kind=sm.StatusKind.USER, start_date=dt.date(2024, 1, 1))
    serious_case(tree.co_muong, person, dt.date(2025, 3, 1), severity)  # caused elsewhere, by our resident
    result = judge(tree.hoang_then, "no_serious_case_by_users", {"lookback_days": 365})
    assert result.status == expected
    if expected == NOT_MET:
        assert result.failing[0].model == "drugcase"


@pytest.mark.parametrize(
    ("status_start", "expected"), [(dt.date(2025, 3, 1), NOT_MET), (dt.date(2025, 3, 2), MET)]
)
def test_case_counts_only_if_the_person_held_the_status_on_the_day(tree, judge, status_start, expected):
    person = PersonFactory(village=tree.ta_leng)
    PersonStatusFactory(person=person, kind=sm.StatusKind.PSYCHOSIS, start_date=status_start)
    serious_case(tree.ta_leng, person, dt.date(2025, 3, 1))
    assert judge(tree.ta_leng, "no_serious_case_by_users", {"lookback_days": 365}).status == expected


@pytest.mark.parametrize(
    ("status_end", "expected"), [(dt.date(2025, 3, 1), NOT_MET), (dt.date(2025, 2, 28), MET)]
)
def test_case_counts_a_status_ending_on_the_day_of_the_case(tree, judge, status_end, expected):
    person = PersonFactory(village=tree.ta_leng)
    PersonStatusFactory(
        person=person, kind=sm.StatusKind.USER, start_date=dt.date(2024, 1, 1), end_date=status_end
    )
    PersonStatusFactory(person=person, kind=sm.StatusKind.OFFENDER, start_date=dt.date(2024, 1, 1))
    serious_case(tree.ta_leng, person, dt.date(2025, 3, 1))
    assert judge(tree.ta_leng, "no_serious_case_by_users", {"lookback_days": 365}).status == expected


@pytest.mark.parametrize(("days_before", "expected"), [(365, NOT_MET), (366, MET)])
def test_serious_case_lookback(tree, judge, days_before, expected):
    person = PersonFactory(village=tree.ta_leng)
    PersonStatusFactory(person=person, kind=sm.StatusKind.ADDICT, start_date=dt.date(2020, 1, 1))
    serious_case(tree.ta_leng, person, AS_OF - dt.timedelta(days=days_before))
    assert judge(tree.ta_leng, "no_serious_case_by_users", {"lookback_days": 365}).status == expected


@pytest.mark.parametrize(("occurred_on", "expected"), [(dt.date(2015, 6, 1), NOT_MET), (AS_OF + DAY, MET)])
def test_serious_case_without_a_window_counts_every_case_up_to_the_day(tree, judge, occurred_on, expected):
    person = PersonFactory(village=tree.ta_leng)
    PersonStatusFactory(person=person, kind=sm.StatusKind.ADDICT, start_date=dt.date(2010, 1, 1))
    serious_case(tree.ta_leng, person, occurred_on)
    assert judge(tree.ta_leng, "no_serious_case_by_users", {}).status == expected


def test_case_by_a_non_resident_does_not_count(tree, judge):
    outsider = PersonFactory(village=tree.co_muong)
    PersonStatusFactory(person=outsider, kind=sm.StatusKind.ADDICT, start_date=dt.date(2020, 1, 1))
    serious_case(tree.ta_leng, outsider, dt.date(2025, 3, 1))
    assert judge(tree.hoang_then, "no_serious_case_by_users", {"lookback_days": 365}).status == MET


# ---------------------------------------------------------------- evidence-only and combined


def test_attested_only_needs_evidence(tree, judge):
    result = judge(tree.ta_leng, "attested_only", {"subject": "Không có sản xuất trái phép chất ma túy"})
    assert result.status == EVIDENCE
    assert "sản xuất" in result.figures


def test_all_of_is_not_met_if_any_part_fails_and_keeps_every_figure(tree, judge):
    DrugPointFactory(village=tree.ta_leng)
    params = {
        "parts": [
            {"rule": "attested_only", "params": {"subject": "Nội dung"}},
            {"rule": "no_active_drug_points", "params": {"kinds": ["retail"]}},
            {"rule": "no_active_groups", "params": {}},
        ]
    }
    result = judge(tree.ta_leng, "all_of", params)
    assert result.status == NOT_MET
    assert result.figures.count(";") == 2
    params["parts"].pop(1)
    assert judge(tree.ta_leng, "all_of", params).status == EVIDENCE
    params["parts"].pop(0)
    assert judge(tree.ta_leng, "all_of", params).status == MET


def test_an_attestation_never_overrides_a_failing_record(tree, judge, people, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    DrugPointFactory(village=tree.ta_leng)
    criteria_set = one_rule_set(
        "all_of",
        {
            "parts": [
                {"rule": "attested_only", "params": {"subject": "Nội dung"}},
                {"rule": "no_active_drug_points", "params": {"kinds": ["retail"]}},
            ]
        },
    )
    criteria_set.is_active = True
    criteria_set.save()
    tree.programmes.phong_tho.village_criteria_set = criteria_set
    tree.programmes.phong_tho.save()
    services.create_attestation(
        user=people.commune_police,
        area=tree.ta_leng,
        criterion=criteria_set.criteria.get(),
        document=SimpleUploadedFile("a.pdf", b"%PDF-1.4", content_type="application/pdf"),
        officer_name="Cán Bộ",
        attested_on=dt.date(2025, 1, 1),
    )
    card = services.score_area(area=tree.ta_leng, as_of=AS_OF, criteria_set=criteria_set)
    assert card.results[0].status == NOT_MET


def test_every_rule_has_a_boundary_test_here():
    """The registry and this file stay in step: a new rule needs its boundary tests."""
    source = Path(__file__).read_text(encoding="utf-8")
    missing = [key for key in rules.REGISTRY if f'"{key}"' not in source]
    assert missing == []


def test_add_months_clamps_to_the_end_of_a_shorter_month():
    assert rules.add_months(dt.date(2024, 11, 30), 3) == dt.date(2025, 2, 28)
    assert rules.add_months(dt.date(2024, 3, 31), 12) == dt.date(2025, 3, 31)
    assert rules.add_months(dt.date(2024, 12, 15), 1) == dt.date(2025, 1, 15)
