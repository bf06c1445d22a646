import datetime as dt

import pytest
from django.db import transaction
from django.db.models import Count, F, Q

from areas.models import Area, Level, Role
from subjects import models as sm
from subjects.synthetic import generate, make_bench_tree
from subjects.text import normalise_name
from tests.factories import UserFactory

AS_OF = dt.date(2026, 6, 30)


@pytest.fixture
def villages(db):
    return make_bench_tree(province_name="Tỉnh Thử Nghiệm", communes=4, villages_per_commune=5)


def _snapshot():
    persons = list(
        sm.Person.objects.order_by("pk").values_list(
            "full_name", "birth_date", "sex", "cccd", "village_id", "presence", "resident_since"
        )
    )
    statuses = list(
        sm.PersonStatus.objects.order_by("pk").values_list(
            "person__full_name", "kind", "start_date", "end_date"
        )
    )
    tests = list(sm.DrugTest.objects.order_by("pk").values_list("person__full_name", "tested_on", "result"))
    points = list(
        sm.DrugPoint.objects.order_by("pk").values_list("village_id", "kind", "found_on", "eliminated_on")
    )
    return persons, statuses, tests, points


def test_bench_tree_sets_materialised_paths_so_subtrees_work(villages):
    province = Area.objects.get(name="Tỉnh Thử Nghiệm")
    district = province.children.get()
    assert district.level == Level.DISTRICT
    assert len(villages) == 20
    assert Area.objects.subtree(province).count() == 1 + 1 + 4 + 20
    for unit in Area.objects.subtree(province).select_related("parent"):
        expected = f"{unit.parent.path if unit.parent else '/'}{unit.pk}/"
        assert unit.path == expected
        assert unit.is_demo
    commune = villages[0].parent
    assert set(Area.objects.subtree(commune).filter(level=Level.VILLAGE)) == {
        v for v in villages if v.parent_id == commune.pk
    }


def test_bench_tree_without_district_hangs_communes_under_the_province(db):
    villages = make_bench_tree(
        province_name="Thành phố Thử", communes=3, villages_per_commune=2, with_district=False
    )
    province = Area.objects.get(name="Thành phố Thử")
    assert set(Area.objects.filter(level=Level.COMMUNE, parent=province).values_list("pk", flat=True)) == {
        v.parent_id for v in villages
    }
    assert all(v.path == f"{province.path}{v.parent_id}/{v.pk}/" for v in villages)


def test_bench_tree_names_are_unique(db):
    villages = make_bench_tree(province_name="Tỉnh Lớn", communes=30, villages_per_commune=25)
    assert len({v.name for v in villages}) == 750
    assert len({v.parent.name for v in villages}) == 30


def test_generate_creates_the_requested_sizes_and_reports_true_counts(db):
    # Enough villages that every kind of village event occurs at least once.
    villages = make_bench_tree(province_name="Tỉnh Đếm", communes=6, villages_per_commune=10)
    counts = generate(villages=villages, persons=1500, tests=3000, as_of=AS_OF, seed=7, batch_size=400)
    assert counts["Person"] == sm.Person.objects.count() == 1500
    assert counts["DrugTest"] == sm.DrugTest.objects.count() == 3000
    for model in (
        sm.PersonStatus, sm.ManagementFile, sm.Treatment, sm.DrugPoint, sm.CriminalGroup, sm.DrugCase,
        sm.CultivationIncident, sm.HouseholdCommitment, sm.HotlineBoard, sm.PreventionModel,
    ):  # fmt: skip
        assert counts[model.__name__] == model.objects.count() > 0, model.__name__
        assert not model.objects.filter(is_demo=False).exists()
    assert counts["CriminalGroup.members"] == sm.CriminalGroup.members.through.objects.count() > 0
    assert counts["DrugCase.persons"] == sm.DrugCase.persons.through.objects.count() > 0


def test_generated_persons_keep_the_register_invariants(villages):
    generate(villages=villages, persons=1500, tests=1000, as_of=AS_OF, seed=3)
    persons = sm.Person.objects.all()
    cccds = [c for c in persons.values_list("cccd", flat=True) if c]
    assert len(cccds) == len(set(cccds))
    assert len(cccds) >= 0.85 * 1500
    assert all(len(c) == 12 and c.isdigit() for c in cccds)
    for full_name, name_search in persons.values_list("full_name", "name_search"):
        assert name_search == normalise_name(full_name)
    assert not persons.values("name_search", "birth_date", "village").annotate(n=Count("pk")).filter(n__gt=1)
    assert not persons.filter(Q(birth_date__gt=AS_OF) | Q(resident_since__gt=AS_OF)).exists()
    assert not persons.filter(resident_since__lt=F("birth_date")).exists()
    assert not sm.PersonStatus.objects.filter(Q(start_date__gt=AS_OF) | Q(end_date__gt=AS_OF)).exists()
    assert not sm.Treatment.objects.filter(Q(start_date__gt=AS_OF) | Q(end_date__gt=AS_OF)).exists()
    assert not sm.ManagementFile.objects.filter(opened_on__gt=AS_OF).exists()
    assert not sm.DrugTest.objects.filter(
        Q(tested_on__gt=AS_OF) | Q(tested_on__lt=AS_OF - dt.timedelta(days=730))
    ).exists()
    village_ids = {v.pk for v in villages}
    assert set(persons.values_list("village_id", flat=True)) <= village_ids


def test_generated_histories_hold_the_situations_the_criteria_look_for(villages):
    generate(villages=villages, persons=2000, tests=2000, as_of=AS_OF, seed=1)
    addicts = sm.Person.objects.filter(statuses__kind=sm.StatusKind.ADDICT, statuses__end_date__isnull=True)
    filed = addicts.filter(files__kind=sm.FileKind.ADDICT, files__closed_on__isnull=True)
    assert 0 < addicts.exclude(pk__in=filed).count() < addicts.count() / 4
    long_substitution = sm.Treatment.objects.filter(
        kind=sm.TreatmentKind.SUBSTITUTION,
        end_date__isnull=True,
        start_date__lt=AS_OF - dt.timedelta(days=365),
    )
    assert long_substitution.filter(uses_other_drugs=False, complies_with_rules=True).exists()
    assert long_substitution.filter(Q(uses_other_drugs=True) | Q(complies_with_rules=False)).exists()
    assert not sm.Treatment.objects.filter(kind=sm.TreatmentKind.SUBSTITUTION, medication="").exists()
    negatives = sm.DrugTest.objects.filter(result=sm.TestResult.NEGATIVE).count()
    positives = sm.DrugTest.objects.filter(result=sm.TestResult.POSITIVE).count()
    assert positives > 0 and negatives > 2 * positives
    for kind in sm.StatusKind.values:
        assert sm.PersonStatus.objects.filter(kind=kind).exists(), kind
    assert sm.DrugPoint.objects.filter(eliminated_on__isnull=True).exists()
    assert sm.DrugPoint.objects.filter(eliminated_on__isnull=False).exists()
    latest = sm.HouseholdCommitment.objects.filter(
        kind=sm.CommitmentKind.DRUG_FREE, as_of__gte=AS_OF.replace(month=1)
    )
    assert latest.filter(signed=F("households")).exists()
    assert latest.filter(signed__lt=F("households")).exists()
    for village in villages:
        assert set(village.boards.values_list("kind", flat=True)) == {
            sm.BoardKind.HOTLINE,
            sm.BoardKind.MAILBOX,
        }
        assert village.prevention_models.exists()
    for group in sm.CriminalGroup.objects.prefetch_related("members"):
        assert {m.village_id for m in group.members.all()} == {group.village_id}


def test_commune_police_sees_only_the_generated_persons_of_their_commune(villages):
    generate(villages=villages, persons=600, tests=100, as_of=AS_OF, seed=5)
    commune = villages[0].parent
    police = UserFactory(role=Role.COMMUNE_POLICE, area=commune)
    visible = sm.Person.objects.visible_to(police)
    expected = sm.Person.objects.filter(village__parent=commune)
    assert expected.exists()
    assert set(visible) == set(expected)
    assert (
        sm.DrugTest.objects.visible_to(police).count()
        == sm.DrugTest.objects.filter(person__village__parent=commune).count()
    )


def test_generate_is_deterministic_for_a_seed(villages):
    class Rollback(Exception):
        pass

    snapshots = []
    for _ in range(2):
        with pytest.raises(Rollback), transaction.atomic():
            generate(villages=villages, persons=300, tests=400, as_of=AS_OF, seed=11, batch_size=100)
            snapshots.append(_snapshot())
            raise Rollback
    assert snapshots[0] == snapshots[1]
    assert snapshots[0][0]

    generate(villages=villages, persons=300, tests=400, as_of=AS_OF, seed=12, batch_size=100)
    assert _snapshot() != snapshots[0]


def test_a_second_run_on_the_same_villages_keeps_cccd_and_identity_unique(villages):
    generate(villages=villages, persons=800, tests=10, as_of=AS_OF, seed=2)
    generate(villages=villages, persons=800, tests=10, as_of=AS_OF, seed=2)
    persons = sm.Person.objects.all()
    assert persons.count() == 1600
    cccds = [c for c in persons.values_list("cccd", flat=True) if c]
    assert len(cccds) == len(set(cccds))
    assert not persons.values("name_search", "birth_date", "village").annotate(n=Count("pk")).filter(n__gt=1)
