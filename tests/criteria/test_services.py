"""The scoring service: which set applies, constant queries, frozen snapshots, and the property that
adding a violating record never helps."""

from __future__ import annotations

import copy
import datetime as dt
import json
import re
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from criteria import rules, services
from criteria.facts import (
    CaseFacts,
    CommitmentFacts,
    ModelFacts,
    PersonFacts,
    RecordFacts,
    ScoringContext,
    TreatmentFacts,
    UnitFacts,
    VillageRef,
)
from criteria.forms import CriterionAdminForm
from criteria.models import CriteriaSet, Criterion
from criteria.scoring import Scorecard, Status
from subjects import models as sm
from tests.criteria.conftest import AS_OF
from tests.factories import (
    AreaFactory,
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


def lai_chau() -> CriteriaSet:
    return CriteriaSet.objects.get(name__contains="Lai Châu")


def thanh_hoa() -> CriteriaSet:
    return CriteriaSet.objects.get(name__contains="Thanh Hóa")


# ---------------------------------------------------------------- shipped sets


def test_both_seed_sets_ship_with_their_criteria_and_valid_parameters(db):
    assert lai_chau().criteria.count() == 8
    assert thanh_hoa().criteria.count() == 9
    for criterion in Criterion.objects.all():
        rules.validate_params(criterion.rule, criterion.params)
    first = lai_chau().criteria.get(number=2)
    assert first.text.startswith(
        "Không để đối tượng (có hộ khẩu thường trú hoặc tạm trú trên địa bàn từ 03 tháng"
    )


WINDOWS = ("within_days", "lookback_days", "since")


def windows_of(params: dict) -> list[tuple[str, object]]:
    found = [(name, params[name]) for name in WINDOWS if name in params]
    for part in params.get("parts", []):
        found += windows_of(part["params"])
    return found


def test_shipped_criteria_apply_a_window_only_where_their_text_states_one(db):
    """Thanh Hóa 1 and 2 say "cách thời điểm đề nghị công nhận không quá 30 ngày"; no other text
    of either set states a period (Lai Châu 8, Thanh Hóa 5, 6 and 7 had invented ones)."""
    windowed = {
        (c.criteria_set.name, c.number): windows_of(c.params)
        for c in Criterion.objects.select_related("criteria_set")
        if windows_of(c.params)
    }
    assert windowed == {
        (thanh_hoa().name, 1): [("within_days", 30)],
        (thanh_hoa().name, 2): [("within_days", 30)],
    }
    for criterion in thanh_hoa().criteria.filter(number__in=[1, 2]):
        assert "không quá 30 ngày" in criterion.text
    post_rehab = thanh_hoa().criteria.get(number=5).params["parts"][1]
    assert post_rehab == {"rule": "suspected_tested", "params": {"status_kinds": ["post_rehab"]}}


def test_the_governing_programme_names_the_set_and_another_provinces_set_never_applies(tree):
    assert services.applicable_set(area=tree.ta_leng, as_of=AS_OF) == lai_chau()
    assert services.applicable_set(area=tree.hoang_then, as_of=AS_OF) == lai_chau()
    hai_phong_set = tree.programmes.hai_phong.village_criteria_set
    assert services.applicable_set(area=tree.tan_an, as_of=AS_OF) == hai_phong_set != lai_chau()
    assert services.applicable_set(area=tree.phong_tho, as_of=AS_OF) is None
    # Before any programme was in force there is nothing to score with.
    assert services.applicable_set(area=tree.ta_leng, as_of=dt.date(2019, 12, 31)) is None


def test_a_unit_no_programme_covers_says_so_and_who_must_configure_it(tree):
    from tests.factories import AreaFactory

    province = AreaFactory(level="province", kind="tỉnh", name="Tỉnh Điện Biên", code="11")
    commune = AreaFactory(level="commune", kind="xã", name="Xã Mường Phăng", parent=province)
    card = services.score_area(area=commune, as_of=AS_OF)
    assert card.criteria_set_id is None and not card.results and not card.passed
    assert "Chưa có kế hoạch" in card.missing and "UBND tỉnh Điện Biên" in card.missing


def test_the_nearest_programme_governs_and_its_dates_bound_it(tree):
    from programmes.models import Programme

    thanh_hoa_set = thanh_hoa()
    thanh_hoa_set.is_active = True
    thanh_hoa_set.save()
    commune_programme = Programme.objects.create(
        issuing_unit=tree.tan_an,
        number="12/KH-UBND",
        issuing_body="UBND xã Tân An",
        title="Kế hoạch thử của xã",
        valid_from=dt.date(2025, 1, 1),
        valid_until=dt.date(2025, 12, 31),
        commune_criteria_set=thanh_hoa_set,
    )
    assert services.applicable_set(area=tree.tan_an, as_of=AS_OF) == thanh_hoa_set
    # The commune's programme names no set for its villages: that is said, not filled from elsewhere.
    card = services.score_area(area=tree.trai_mua, as_of=AS_OF)
    assert card.criteria_set_id is None
    assert str(commune_programme) in card.missing and "chưa chỉ định bộ tiêu chí cho thôn" in card.missing
    # Once it ends, the city's programme governs again.
    later = dt.date(2026, 1, 1)
    assert (
        services.applicable_set(area=tree.tan_an, as_of=later)
        == tree.programmes.hai_phong.commune_criteria_set
    )


def test_third_province_configured_with_other_parameters_needs_no_code(tree):
    """“Fewer than 5 addicts”, “a negative test within 15 days”, “residence of 6 months”."""
    third = CriteriaSet.objects.create(
        name="Bộ tiêu chí tỉnh thứ ba",
        legal_basis="Kế hoạch thử",
        valid_from=dt.date(2025, 1, 1),
        jurisdiction=tree.hai_phong,
    )
    for number, rule, params in [
        (1, "fewer_addicts_than", {"fewer_than": 5}),
        (2, "tested_within_days", {"status_kinds": ["addict"], "within_days": 15}),
        (3, "no_resident_offenders", {"min_residence_months": 6}),
    ]:
        form = CriterionAdminForm(
            data={"number": number, "text": f"Tiêu chí {number}", "rule": rule, "params": json.dumps(params)}
        )
        assert form.is_valid(), form.errors
        form.instance.criteria_set = third
        form.save()
    for i in range(4):
        person = PersonFactory(village=tree.trai_mua, full_name=f"Người {i}")
        PersonStatusFactory(person=person, kind=sm.StatusKind.ADDICT)
        DrugTestFactory(person=person, tested_on=AS_OF - dt.timedelta(days=15))
    offender = PersonFactory(village=tree.trai_mua, resident_since=AS_OF - dt.timedelta(days=150))
    PersonStatusFactory(person=offender, kind=sm.StatusKind.OFFENDER)
    # The city's programme names the new set for its communes, in the admin like the criteria.
    programme = tree.programmes.hai_phong
    programme.commune_criteria_set = third
    programme.full_clean()
    programme.save()
    card = services.score_area(area=tree.tan_an, as_of=AS_OF)
    assert card.criteria_set_id == third.pk
    assert [r.status for r in card.results] == [Status.MET, Status.MET, Status.MET]
    assert card.passed


# ---------------------------------------------------------------- constant queries


def fill_village(village, n, *, prefix="P"):
    for i in range(n):
        person = PersonFactory(village=village, full_name=f"{prefix} {village.pk} {i}")
        PersonStatusFactory(person=person, kind=sm.StatusKind.ADDICT)
        ManagementFileFactory(person=person)
        TreatmentFactory(person=person, start_date=dt.date(2023, 1, 1))
        DrugTestFactory(person=person, tested_on=AS_OF - dt.timedelta(days=3))
        suspect = PersonFactory(village=village, full_name=f"{prefix} nghi {village.pk} {i}")
        PersonStatusFactory(person=suspect, kind=sm.StatusKind.SUSPECTED)
        DrugPointFactory(village=village)
    if prefix == "P":
        HouseholdCommitmentFactory(village=village)
        HotlineBoardFactory(village=village)
        PreventionModelFactory(area=village)


def count_queries(func) -> int:
    with CaptureQueriesContext(connection) as ctx:
        func()
    return len(ctx.captured_queries)


def every_set_active_for(area):
    """Make the Thanh Hóa set apply to the communes too (the villages keep Lai Châu's), so both
    sets' facts are gathered."""
    from programmes.models import Programme

    thanh_hoa_set = thanh_hoa()
    thanh_hoa_set.jurisdiction = None
    thanh_hoa_set.is_active = True
    thanh_hoa_set.save()
    Programme.objects.filter(issuing_unit__path__startswith=area.path).update(
        commune_criteria_set=thanh_hoa_set
    )


def test_scoring_one_unit_runs_the_same_queries_at_two_data_sizes(tree):
    every_set_active_for(tree.lai_chau)
    fill_village(tree.ta_leng, 1)
    small = count_queries(lambda: services.score_area(area=tree.hoang_then, as_of=AS_OF))
    fill_village(tree.ta_leng, 6, prefix="Q")
    fill_village(tree.ho_sao, 6, prefix="R")
    large = count_queries(lambda: services.score_area(area=tree.hoang_then, as_of=AS_OF))
    assert small == large
    assert large <= 20


def test_batch_scoring_runs_the_same_queries_for_two_batch_sizes(tree):
    every_set_active_for(tree.lai_chau)
    fill_village(tree.ta_leng, 2)
    small_batch = [tree.ta_leng, tree.hoang_then]
    small = count_queries(lambda: services.score_areas(areas=small_batch, as_of=AS_OF))
    extra_communes = [AreaFactory(level="commune", kind="xã", parent=tree.phong_tho) for _ in range(3)]
    extra_villages = [AreaFactory(parent=c) for c in extra_communes for _ in range(3)]
    for village in extra_villages:
        fill_village(village, 2)
    big_batch = [
        tree.ta_leng,
        tree.ho_sao,
        tree.co_muong,
        tree.hoang_then,
        tree.muong_so,
        *extra_communes,
        *extra_villages,
    ]
    large = count_queries(lambda: services.score_areas(areas=big_batch, as_of=AS_OF))
    assert small == large
    cards = services.score_areas(areas=big_batch, as_of=AS_OF)
    assert set(cards) == {a.pk for a in big_batch}


def test_batch_gives_the_same_scorecards_as_one_by_one(tree):
    fill_village(tree.ta_leng, 2)
    PersonStatusFactory(person=PersonFactory(village=tree.ho_sao), kind=sm.StatusKind.ADDICT)
    units = [tree.ta_leng, tree.ho_sao, tree.hoang_then, tree.co_muong, tree.muong_so]
    batch = services.score_areas(areas=units, as_of=AS_OF)
    for unit in units:
        assert batch[unit.pk].to_dict() == services.score_area(area=unit, as_of=AS_OF).to_dict()


def test_commune_is_scored_over_all_its_villages(tree):
    PersonStatusFactory(
        person=PersonFactory(village=tree.ho_sao, full_name="Người Ở Hô Sáo"), kind=sm.StatusKind.ADDICT
    )
    cards = services.score_areas(areas=[tree.ta_leng, tree.ho_sao, tree.hoang_then], as_of=AS_OF)
    criterion_5 = {pk: card.result_for(5) for pk, card in cards.items()}
    assert criterion_5[tree.ta_leng.pk].status == Status.MET
    assert criterion_5[tree.ho_sao.pk].status == Status.NOT_MET
    assert criterion_5[tree.hoang_then.pk].status == Status.NOT_MET
    assert [f.label for f in criterion_5[tree.hoang_then.pk].failing] == ["Người Ở Hô Sáo"]


def test_units_above_commune_get_an_empty_scorecard(tree):
    card = services.score_area(area=tree.phong_tho, as_of=AS_OF)
    assert card.results == [] and not card.passed


# ---------------------------------------------------------------- parameters and frozen snapshots


def test_changing_a_parameter_changes_the_next_score_but_not_a_frozen_snapshot(tree):
    for i in range(3):
        PersonStatusFactory(
            person=PersonFactory(village=tree.trai_mua, full_name=f"N {i}"), kind=sm.StatusKind.ADDICT
        )
    third = CriteriaSet.objects.create(
        name="Bộ thử", legal_basis="KH thử", valid_from=dt.date(2025, 1, 1), jurisdiction=tree.hai_phong
    )
    criterion = Criterion.objects.create(
        criteria_set=third,
        number=1,
        text="Dưới N người nghiện",
        rule="fewer_addicts_than",
        params={"fewer_than": 10},
    )
    tree.programmes.hai_phong.__class__.objects.filter(pk=tree.programmes.hai_phong.pk).update(
        commune_criteria_set=third
    )
    frozen = json.loads(json.dumps(services.score_area(area=tree.tan_an, as_of=AS_OF).to_dict()))
    assert frozen["results"][0]["status"] == "met"

    form = CriterionAdminForm(
        instance=criterion,
        data={
            "number": 1,
            "text": criterion.text,
            "rule": "fewer_addicts_than",
            "params": '{"fewer_than": 3}',
        },
    )
    assert form.is_valid(), form.errors
    form.save()
    # A register change after freezing must not reach the snapshot either.
    PersonStatusFactory(
        person=PersonFactory(village=tree.trai_mua, full_name="N mới"), kind=sm.StatusKind.ADDICT
    )

    live = services.score_area(area=tree.tan_an, as_of=AS_OF)
    assert live.results[0].status == Status.NOT_MET
    restored = Scorecard.from_dict(frozen)
    assert restored.results[0].status == "met"
    assert restored.results[0].figures == "3 người nghiện ngoài cộng đồng (phải dưới 10)"
    assert restored.to_dict() == frozen


def test_to_dict_round_trips_through_json(tree):
    PersonStatusFactory(
        person=PersonFactory(village=tree.ta_leng, full_name="Lò Thị A"), kind=sm.StatusKind.ADDICT
    )
    card = services.score_area(area=tree.hoang_then, as_of=AS_OF, proposal_date=AS_OF)
    data = json.loads(json.dumps(card.to_dict()))
    again = Scorecard.from_dict(data)
    assert again.to_dict() == data
    assert again.passed is card.passed and again.met_count == card.met_count
    assert again.result_for(3).failing[0].label == "Lò Thị A"
    assert (
        again.result_for(3).failing[0].url == f"/so-theo-doi/doi-tuong/{again.result_for(3).failing[0].pk}/"
    )


# ---------------------------------------------------------------- rules declare what they read


@pytest.fixture
def tested_within_a_week(monkeypatch):
    """A rule added the way a developer adds one: in the registry only, with its own window."""

    def plan(params, context, fact_plan):
        fact_plan.read_tests(context.reference_date - dt.timedelta(days=7), context.reference_date)

    def tested_within_week(facts, context, params):
        earliest = context.reference_date - dt.timedelta(days=7)
        failures = [
            rules.failing("person", p.id, p.name, "chưa xét nghiệm trong tuần")
            for p in facts.holding(["addict"])
            if p.latest_test is None or p.latest_test[0] < earliest
        ]
        return rules.Outcome(Status.NOT_MET if failures else Status.MET, "", failures)

    monkeypatch.setitem(
        rules.REGISTRY,
        "tested_within_week",
        rules.Rule(
            "tested_within_week",
            "Xét nghiệm trong tuần",
            tested_within_week,
            needs={"persons", "recent_tests"},
            plan=plan,
        ),
    )


def test_a_new_rule_declares_its_own_window_and_the_service_gathers_it(tree, tested_within_a_week):
    person = PersonFactory(village=tree.ta_leng)
    PersonStatusFactory(person=person, kind=sm.StatusKind.ADDICT)
    DrugTestFactory(person=person, tested_on=AS_OF - dt.timedelta(days=6))
    criteria_set = CriteriaSet.objects.create(
        name="Bộ thử", legal_basis="KH thử", valid_from=dt.date(2025, 1, 1)
    )
    Criterion.objects.create(criteria_set=criteria_set, number=1, text="Thử", rule="tested_within_week")
    card = services.score_area(area=tree.ta_leng, as_of=AS_OF, criteria_set=criteria_set)
    assert card.results[0].status == Status.MET
    card = services.score_area(
        area=tree.ta_leng, as_of=AS_OF + dt.timedelta(days=2), criteria_set=criteria_set
    )
    assert card.results[0].status == Status.NOT_MET


def test_a_combined_criterion_plans_the_widest_window_of_its_parts(tree):
    person = PersonFactory(village=tree.ta_leng)
    PersonStatusFactory(person=person, kind=sm.StatusKind.ADDICT)
    DrugTestFactory(person=person, tested_on=AS_OF - dt.timedelta(days=20), result=sm.TestResult.NEGATIVE)

    def part(days):
        return {"rule": "tested_within_days", "params": {"status_kinds": ["addict"], "within_days": days}}

    criteria_set = CriteriaSet.objects.create(
        name="Bộ thử", legal_basis="KH thử", valid_from=dt.date(2025, 1, 1)
    )
    Criterion.objects.create(
        criteria_set=criteria_set, number=1, text="Thử", rule="all_of", params={"parts": [part(10), part(30)]}
    )
    result = services.score_area(area=tree.ta_leng, as_of=AS_OF, criteria_set=criteria_set).results[0]
    assert result.status == Status.NOT_MET
    assert "1/1" in result.figures.split("; ")[1] and "0/1" in result.figures.split("; ")[0]


def test_rules_do_not_write_into_the_facts_they_share(tree):
    facts = UnitFacts(
        area_id=9,
        area_name="Xã Thử",
        villages=[VillageRef(1, "Bản Một")],
        persons=[
            PersonFacts(1, 1, "Người Một", "present", dt.date(2000, 1, 1), {"addict": dt.date(2020, 1, 1)}),
            PersonFacts(2, 1, "Người Hai", "present", dt.date(2000, 1, 1), {"offender": dt.date(2020, 1, 1)}),
        ],
    )
    before = copy.deepcopy(facts.persons)
    context = ScoringContext(as_of=AS_OF)
    for criterion in Criterion.objects.all():
        rules.evaluate(
            criterion.rule, facts, context, rules.validate_params(criterion.rule, criterion.params)
        )
    assert facts.persons == before


# ---------------------------------------------------------------- property: violations never help

DAYS = st.dates(min_value=dt.date(2020, 1, 1), max_value=AS_OF)
STATUS_KINDS = st.sampled_from(sm.StatusKind.values)


@st.composite
def person_facts(draw, pid):
    kinds = draw(st.lists(STATUS_KINDS, min_size=1, max_size=3, unique=True))
    tests = draw(st.lists(st.tuples(DAYS, st.sampled_from(sm.TestResult.values)), max_size=3))
    treatments = draw(
        st.lists(
            st.builds(
                TreatmentFacts,
                id=st.integers(1, 10_000),
                person_id=st.just(pid),
                person_name=st.just(f"P{pid}"),
                kind=st.sampled_from(sm.TreatmentKind.values),
                start_date=DAYS,
                complies_with_rules=st.sampled_from([True, False, None]),
                uses_other_drugs=st.sampled_from([True, False, None]),
                village_id=st.just(1),
            ),
            max_size=2,
        )
    )
    return PersonFacts(
        id=pid,
        village_id=draw(st.sampled_from([1, 2])),
        name=f"P{pid}",
        presence=draw(st.sampled_from(sm.Presence.values)),
        resident_since=draw(DAYS),
        statuses={k: draw(DAYS) for k in kinds},
        file_kinds=set(draw(st.lists(st.sampled_from(sm.FileKind.values), max_size=2))),
        treatments=treatments,
        latest_test=max(tests, default=None),
        last_test_on=max((t[0] for t in tests), default=None),
    )


@st.composite
def unit_facts(draw):
    persons = [draw(person_facts(pid)) for pid in range(draw(st.integers(0, 6)))]
    villages = [VillageRef(1, "Bản Một"), VillageRef(2, "Bản Hai")]
    commitments = {
        v.id: [CommitmentFacts("drug_free", AS_OF, 50, draw(st.integers(40, 50)))]
        for v in villages
        if draw(st.booleans())
    }
    return UnitFacts(
        area_id=9,
        area_name="Xã Thử",
        villages=villages,
        persons=persons,
        substitution=[t for p in persons for t in p.treatments if t.kind == "substitution"],
        points=[
            RecordFacts(i, 1, draw(st.sampled_from(sm.PointKind.values)), "Điểm", draw(DAYS))
            for i in range(draw(st.integers(0, 1)))
        ],
        commitments=commitments,
        boards={v.id: {"hotline"} for v in villages if draw(st.booleans())},
        models=[
            ModelFacts(i, 1, "Mô hình", draw(st.sampled_from([True, False, None])))
            for i in range(draw(st.integers(0, 2)))
        ],
    )


def add_violation(facts: UnitFacts, kind: str) -> None:
    """Add to `facts` one record that breaks some criterion."""
    if kind == "unfiled_untested_addict":
        facts.persons.append(
            PersonFacts(
                999,
                1,
                "Vi phạm",
                "present",
                dt.date(2000, 1, 1),
                {
                    "addict": dt.date(2020, 1, 1),
                    "user": dt.date(2020, 1, 1),
                    "suspected": dt.date(2025, 1, 1),
                    "post_rehab": dt.date(2020, 1, 1),
                    "psychosis": dt.date(2020, 1, 1),
                },
            )
        )
    elif kind == "seller":
        facts.persons.append(PersonFacts(996, 2, "Bán lẻ", "absent", None, {"seller": dt.date(2025, 6, 1)}))
    elif kind == "offender":
        facts.persons.append(
            PersonFacts(998, 1, "Phạm tội", "present", dt.date(2000, 1, 1), {"offender": dt.date(2020, 1, 1)})
        )
    elif kind == "point":
        facts.points.append(RecordFacts(999, 1, "retail", "Điểm mới", dt.date(2025, 1, 1)))
    elif kind == "group":
        facts.groups.append(RecordFacts(999, 1, "group", "Ổ nhóm mới", dt.date(2025, 1, 1)))
    elif kind == "cultivation":
        facts.cultivation.append(RecordFacts(999, 1, "poppy", "Cây thuốc phiện", AS_OF))
    elif kind == "case":
        facts.cases.append(CaseFacts(999, 1, "Vụ án", AS_OF, "very_serious", {"addict"}, 1))
    elif kind == "breaking_patient":
        facts.substitution.append(
            TreatmentFacts(999, 997, "Điều trị", "substitution", dt.date(2020, 1, 1), False, True, 1)
        )
    elif kind == "village_without_anything":
        facts.villages.append(VillageRef(3, "Bản Mới"))
    elif kind == "ineffective_model":
        facts.models.append(ModelFacts(999, 1, "Mô hình kém", False))


SHIPPED: list[tuple[str, int, str, dict]] = []


def shipped_criteria() -> list[tuple[str, int, str, dict]]:
    """(set, number, rule, parameters) of every shipped criterion, as the migrations leave them;
    read once (the examples share one database)."""
    if not SHIPPED:
        for criterion in Criterion.objects.select_related("criteria_set").order_by("criteria_set", "number"):
            set_name = "Lai Châu" if "Lai Châu" in criterion.criteria_set.name else "Thanh Hóa"
            params = rules.validate_params(criterion.rule, criterion.params)
            SHIPPED.append((set_name, criterion.number, criterion.rule, params))
    return SHIPPED


# Each violation and the shipped criteria it must break whatever the unit held before. An
# ineffective model breaks nothing where an effective one is kept: it must only never help.
VIOLATIONS: dict[str, set[tuple[str, int]]] = {
    "unfiled_untested_addict": {("Lai Châu", 3), ("Lai Châu", 5), ("Thanh Hóa", 1), ("Thanh Hóa", 2)},
    "offender": {("Lai Châu", 2)},
    "seller": {("Lai Châu", 1)},
    "point": {("Lai Châu", 1), ("Thanh Hóa", 6)},
    "group": {("Lai Châu", 2), ("Thanh Hóa", 6)},
    "cultivation": {("Lai Châu", 8), ("Thanh Hóa", 6)},
    "case": {("Thanh Hóa", 7)},
    "breaking_patient": {("Lai Châu", 4)},
    "village_without_anything": {("Lai Châu", 6), ("Thanh Hóa", 8)},
    "ineffective_model": set(),
}


def statuses(facts: UnitFacts, context: ScoringContext) -> dict[tuple[str, int], str]:
    return {
        (set_name, number): rules.evaluate(rule, facts, context, params).status
        for set_name, number, rule, params in shipped_criteria()
    }


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(facts=unit_facts(), violation=st.sampled_from(sorted(VIOLATIONS)), proposal=st.one_of(st.none(), DAYS))
def test_adding_a_violating_record_never_helps_and_breaks_what_it_must(facts, violation, proposal):
    """Each evaluation gets facts built afresh: facts are read-only once gathered (their index of
    persons by status is built on first use), so the violation goes into a copy made before any
    rule has read it."""
    context = ScoringContext(as_of=AS_OF, proposal_date=proposal)
    violated = copy.deepcopy(facts)
    add_violation(violated, violation)
    before = statuses(copy.deepcopy(facts), context)
    after = statuses(violated, context)
    for key, old in before.items():
        if old == Status.NOT_MET:
            assert after[key] == Status.NOT_MET, key
        if after[key] == Status.MET:
            assert old == Status.MET, key
    for key in VIOLATIONS[violation]:
        assert after[key] == Status.NOT_MET, key


# ---------------------------------------------------------------- statuses through one enum

# A status value in quotes, not a dictionary key such as a report row's count `row["met"]`.
STATUS_LITERAL = re.compile(r"""(?<![\w.\[-])["'](met|not_met|needs_evidence)["'](?!\s*[:\]])""")


def test_status_values_are_written_only_in_the_status_enum():
    """Pages, documents and services name a status through `Status` (and its template filter), so
    that a status and its label have one definition."""
    root = Path(__file__).resolve().parents[2]
    sources = [
        path
        for pattern in ("*/*.py", "*/*/*.py", "templates/**/*.html")
        for path in root.glob(pattern)
        if "migrations" not in path.parts and path.parts[len(root.parts)] not in {"tests", ".venv"}
    ]
    assert any(path.name == "_scorecard.html" for path in sources)
    copies = [
        f"{path.relative_to(root)}:{number}"
        for path in sources
        if path != root / "criteria" / "scoring.py"
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if STATUS_LITERAL.search(line)
    ]
    assert copies == []
