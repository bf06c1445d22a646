"""The figures in a generated report equal those of the scorecards and the registers for the
same date, recomputed here independently: one record at a time, in Python, without the
selectors' aggregate queries."""

import datetime as dt

import pytest
from openpyxl import load_workbook

from criteria.services import score_area
from dossiers.models import Decision
from programmes.models import ReportKind
from reports import services, tasks
from subjects import models as sm
from tests import factories as f

pytestmark = pytest.mark.django_db
D = dt.date
PERIOD = (D(2024, 7, 1), D(2024, 12, 31))
PREVIOUS = (D(2024, 1, 1), D(2024, 6, 30))


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


def test_xlsx_stores_the_same_figures_as_numbers(tree, people, registers, monkeypatch):
    monkeypatch.setattr(tasks.build_report, "delay", lambda report_id: None)
    report, _ = services.request_report(
        user=people.district_police, kind=ReportKind.ANNUAL, unit=tree.phong_tho, year=2024
    )
    report = services.build_report(report_id=report.pk)
    sheet = load_workbook(report.xlsx.path)["Tình hình"]
    values = {row[0]: row[1:] for row in sheet.iter_rows(min_row=2, values_only=True)}
    for item in report.figures["situation"]:
        current, previous, change = values[item["label"]]
        assert (current, previous, change) == (item["current"], item["previous"], item["change"])
        assert isinstance(current, int | float) and not isinstance(current, bool)
