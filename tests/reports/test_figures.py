"""The figures in a generated report equal those of the scorecards and the registers for the
same date, recomputed here independently: one record at a time, in Python, without the
selectors' aggregate queries."""

import datetime as dt

import pytest
from openpyxl import load_workbook

from areas.models import Area
from criteria.services import score_area
from dossiers.models import Decision, Dossier
from dossiers.route import State
from programmes.models import ReportKind
from reports import services, tables, tasks
from subjects import models as sm
from tests import factories as f

pytestmark = pytest.mark.django_db
D = dt.date
PERIOD = (D(2024, 7, 1), D(2024, 12, 31))
# Like for like: the same window a year earlier.
PREVIOUS = (D(2023, 7, 1), D(2023, 12, 31))


@pytest.fixture
def registers(tree):
    v1, v2, v3 = tree.ta_leng, tree.ho_sao, tree.co_muong
    addict = f.PersonStatusFactory(person__village=v1, kind=sm.StatusKind.ADDICT, start_date=D(2023, 5, 1))
    f.ManagementFileFactory(person=addict.person)
    f.TreatmentFactory(person=addict.person, start_date=D(2023, 6, 1))
    f.PersonStatusFactory(person__village=v2, kind=sm.StatusKind.ADDICT, start_date=D(2024, 9, 1))
    f.PersonStatusFactory(
        person__village=v3, kind=sm.StatusKind.USER, start_date=D(2024, 2, 1), end_date=D(2024, 8, 1)
    )
    f.PersonStatusFactory(person__village=v3, kind=sm.StatusKind.POST_REHAB, start_date=D(2024, 1, 1))
    f.PersonStatusFactory(person__village=tree.trai_mua, kind=sm.StatusKind.ADDICT, start_date=D(2023, 1, 1))
    f.DrugPointFactory(village=v1, found_on=D(2024, 3, 1), eliminated_on=D(2024, 10, 1))
    f.DrugPointFactory(village=v3, found_on=D(2024, 11, 1))
    f.DrugCaseFactory(village=v2, occurred_on=D(2024, 8, 8), severity=sm.Severity.VERY_SERIOUS)
    f.DrugCaseFactory(village=v2, occurred_on=D(2024, 4, 8))
    f.CultivationIncidentFactory(village=v3, found_on=D(2024, 12, 1), area_m2=250)
    f.DrugTestFactory(person=addict.person, tested_on=D(2024, 9, 9), result=sm.TestResult.POSITIVE)
    for village in (v1, v2, v3):
        f.HouseholdCommitmentFactory(village=village)
        f.HotlineBoardFactory(village=village)
    f.PreventionModelFactory(area=tree.hoang_then)


def _running(record, start, end, day):
    return getattr(record, start) <= day and (getattr(record, end) is None or getattr(record, end) >= day)


def _in_unit(village, unit):
    return village.path.startswith(unit.path)


def recompute(unit, start, end):
    statuses = [
        s
        for s in sm.PersonStatus.objects.select_related("person__village")
        if _in_unit(s.person.village, unit)
    ]

    def persons(kind):
        return len(
            {s.person_id for s in statuses if s.kind == kind and _running(s, "start_date", "end_date", end)}
        )

    points = [p for p in sm.DrugPoint.objects.select_related("village") if _in_unit(p.village, unit)]
    cases = [c for c in sm.DrugCase.objects.select_related("village") if _in_unit(c.village, unit)]
    crops = [c for c in sm.CultivationIncident.objects.select_related("village") if _in_unit(c.village, unit)]
    tests = [
        t for t in sm.DrugTest.objects.select_related("person__village") if _in_unit(t.person.village, unit)
    ]
    treatments = [
        t for t in sm.Treatment.objects.select_related("person__village") if _in_unit(t.person.village, unit)
    ]
    return {
        "addicts": persons(sm.StatusKind.ADDICT),
        "users": persons(sm.StatusKind.USER),
        "post_rehab": persons(sm.StatusKind.POST_REHAB),
        "in_treatment": len({t.person_id for t in treatments if _running(t, "start_date", "end_date", end)}),
        "points_active": sum(
            1 for p in points if p.found_on <= end and (p.eliminated_on is None or p.eliminated_on > end)
        ),
        "points_found": sum(1 for p in points if start <= p.found_on <= end),
        "points_eliminated": sum(1 for p in points if p.eliminated_on and start <= p.eliminated_on <= end),
        "cases": sum(1 for c in cases if start <= c.occurred_on <= end),
        "cultivation_found": sum(1 for c in crops if start <= c.found_on <= end),
        "cultivation_m2": float(sum(c.area_m2 or 0 for c in crops if start <= c.found_on <= end)),
        "tests": sum(1 for t in tests if start <= t.tested_on <= end),
        "tests_positive": sum(
            1 for t in tests if start <= t.tested_on <= end and t.result == sm.TestResult.POSITIVE
        ),
    }


def test_report_figures_equal_registers_and_scorecards_for_the_same_date(
    tree, people, registers, recognised_ta_leng, monkeypatch
):
    monkeypatch.setattr(tasks.build_report, "delay", lambda report_id: None)
    report, _ = services.request_report(
        user=people.district_police, kind=ReportKind.SIX_MONTH, unit=tree.phong_tho, year=2024
    )
    # The second half-year, so that the previous period (the first) has its own figures.
    report.period_start, report.period_end = PERIOD
    report.as_of = PERIOD[1]
    report.save()
    figures = services.build_report(report_id=report.pk).figures

    situation = {row["key"]: row for row in figures["situation"]}
    now, before = recompute(tree.phong_tho, *PERIOD), recompute(tree.phong_tho, *PREVIOUS)
    for key, value in now.items():
        assert situation[key]["current"] == value, key
        assert situation[key]["previous"] == before[key], key
        assert situation[key]["change"] == value - before[key], key
    assert now["addicts"] == 2 and before["addicts"] == 1  # the data exercise both columns

    as_of = D(2024, 12, 31)
    rows = {row["area_id"]: row for row in figures["criteria"]["rows"]}
    units = [tree.hoang_then, tree.ta_leng, tree.ho_sao, tree.muong_so, tree.co_muong]
    assert set(rows) == {u.pk for u in units}
    for unit in units:
        card = score_area(area=unit, as_of=as_of)
        assert rows[unit.pk]["statuses"] == {str(r.number): r.status for r in card.results}, unit.name
        assert rows[unit.pk]["passed"] == card.passed
        assert rows[unit.pk]["met"] == card.met_count

    decisions = [
        (d.dossier.area.name, d.number)
        for d in Decision.objects.select_related("dossier__area")
        if d.decided_on <= as_of
    ]
    assert [(r["area"], r["decision"]) for r in figures["recognised"]] == decisions
    villages = [u for u in units if u.level == "village"]
    assert figures["progress"]["village"]["text"] == f"1/{len(villages)} thôn, bản = 33,3 %"


def test_xlsx_stores_the_same_figures_as_numbers(tree, people, registers, issue):
    report = issue(people.district_police, kind=ReportKind.ANNUAL, unit=tree.phong_tho, year=2024)
    sheet = load_workbook(report.xlsx.path)["Tình hình"]
    values = {row[0].value: row for row in sheet.iter_rows(min_row=2)}
    for item in report.figures["situation"]:
        label, current, previous, change = values[item["label"]]
        assert (current.value, previous.value) == (item["current"], item["previous"])
        assert change.value == f"=B{current.row}-C{current.row}"  # a formula, not a typed number
        assert isinstance(current.value, int | float) and not isinstance(current.value, bool)


def _state_on(dossier, day):
    """The dossier's state on `day`, read event by event, and whether it is recognised then."""
    events = [e for e in dossier.events.order_by("at", "pk") if e.at.date() <= day]
    state = events[-1].to_state if events else State.DRAFT
    decided = [d for d in Decision.objects.filter(dossier=dossier) if d.decided_on <= day]
    revoked = any(e.to_state == State.REVOKED for e in events)
    return state, bool(decided) and not revoked


def recompute_unit_row(unit, start, end, as_of, targets):
    """One row of the per-unit table, from the registers record by record."""
    row = recompute(unit, start, end)
    statuses = [
        s
        for s in sm.PersonStatus.objects.select_related("person__village")
        if _in_unit(s.person.village, unit)
    ]
    for key, kind in (("suspected", sm.StatusKind.SUSPECTED), ("psychosis", sm.StatusKind.PSYCHOSIS)):
        row[key] = len(
            {s.person_id for s in statuses if s.kind == kind and _running(s, "start_date", "end_date", end)}
        )
    villages = [v for v in Area.objects.filter(level="village") if _in_unit(v, unit) and v.closed_on is None]
    row["villages"] = len(villages)
    row["recognised"] = row["in_progress"] = row["not_started"] = row["target"] = row["target_met"] = 0
    for village in villages:
        dossier = Dossier.objects.filter(area=village, registration__registered_on__lte=as_of).first()
        state, recognised = _state_on(dossier, as_of) if dossier else (None, False)
        if recognised:
            row["recognised"] += 1
        elif dossier and state not in (State.RECOGNISED, State.NOT_RECOGNISED, State.REVOKED):
            row["in_progress"] += 1
        else:
            row["not_started"] += 1
        if village in targets:
            row["target"] += 1
            row["target_met"] += int(recognised)
    return row


def test_every_figure_of_the_per_commune_table_equals_the_registers(
    tree, people, registers, plan, recognised_ta_leng, make_dossier, monkeypatch
):
    monkeypatch.setattr(tasks.build_report, "delay", lambda report_id: None)
    make_dossier(tree.co_muong, [(State.DRAFT, D(2024, 8, 1)), (State.SUBMITTED, D(2024, 8, 10))])
    f.PersonStatusFactory(person__village=tree.ho_sao, kind=sm.StatusKind.SUSPECTED, start_date=D(2024, 3, 1))
    f.PersonStatusFactory(
        person__village=tree.co_muong, kind=sm.StatusKind.PSYCHOSIS, start_date=D(2024, 3, 1)
    )
    f.DrugTestFactory(person__village=tree.co_muong, tested_on=D(2024, 5, 5), result=sm.TestResult.NEGATIVE)
    f.CultivationIncidentFactory(village=tree.ta_leng, found_on=D(2024, 2, 2), area_m2=120)
    report, _ = services.request_report(
        user=people.district_police, kind=ReportKind.ANNUAL, unit=tree.phong_tho, year=2024
    )
    figures = services.build_report(report_id=report.pk).figures
    table = figures["units"]
    assert table["level"] == "commune"
    rows = {row["area_id"]: row for row in table["rows"]}
    assert set(rows) == {tree.hoang_then.pk, tree.muong_so.pk}
    targets = set(plan.phases.get(number=1).target_units.all())
    start, end = D(2024, 1, 1), D(2024, 12, 31)
    for commune in (tree.hoang_then, tree.muong_so):
        expected = recompute_unit_row(commune, start, end, end, targets)
        for column in tables.COLUMNS:
            assert rows[commune.pk][column.key] == expected[column.key], (commune.name, column.key)
        card = score_area(area=commune, as_of=end)
        assert rows[commune.pk]["failing"] == [r.label for r in card.results if not r.is_met]
    for column in tables.COLUMNS:
        assert table["total"][column.key] == sum(rows[a][column.key] for a in rows), column.key
    # The data exercise the columns: persons, tests, points, cultivation, each building state, targets.
    hoang_then, muong_so = rows[tree.hoang_then.pk], rows[tree.muong_so.pk]
    assert (hoang_then["recognised"], hoang_then["not_started"], hoang_then["target_met"]) == (1, 1, 1)
    assert (muong_so["in_progress"], muong_so["target"], muong_so["target_met"]) == (1, 1, 0)
    assert hoang_then["addicts"] == 2 and hoang_then["cultivation_m2"] == 120
    assert muong_so["psychosis"] == 1 and muong_so["points_active"] == 1 and muong_so["tests"] == 1


def test_a_communes_report_has_one_row_per_village(tree, people, registers, monkeypatch):
    monkeypatch.setattr(tasks.build_report, "delay", lambda report_id: None)
    report, _ = services.request_report(
        user=people.commune_police, kind=ReportKind.ANNUAL, unit=tree.hoang_then, year=2024
    )
    table = services.build_report(report_id=report.pk).figures["units"]
    assert table["level"] == "village"
    assert [row["name"] for row in table["rows"]] == ["Bản Tả Lèng", "Bản Hô Sáo"] or {
        row["name"] for row in table["rows"]
    } == {"Bản Tả Lèng", "Bản Hô Sáo"}
    start, end = D(2024, 1, 1), D(2024, 12, 31)
    for row in table["rows"]:
        village = Area.objects.get(pk=row["area_id"])
        expected = recompute_unit_row(village, start, end, end, set())
        for column in tables.COLUMNS:
            assert row[column.key] == expected[column.key], (village.name, column.key)
