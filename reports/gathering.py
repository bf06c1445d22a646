"""The figures of one report, as plain JSON values (stored on the report as "the figures used").

Everything comes from `reports.selectors` and the criteria engine's batch scoring, with a fixed
number of queries whatever the number of units. Person names never enter the figures: the
criteria table keeps statuses only.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from areas.models import Area, Level
from programmes.models import ReportKind, TargetLevel
from programmes.selectors import governing_programme

from . import formatting, selectors, tables
from .models import ReportRequest
from .periods import Period, comparison_for, report_subject


def _date(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def criteria_table(unit: Area, as_of: dt.date) -> tuple[dict[str, Any], dict[int, Any]]:
    """Every open village and commune of `unit` scored on `as_of` in one batch: the table rows
    (statuses only) and the scorecards by unit id."""
    from criteria.services import score_areas

    areas = list(
        Area.objects.subtree(unit)
        .open_on(as_of)
        .filter(level__in=[Level.VILLAGE, Level.COMMUNE])
        .select_related("parent")
        .order_by("path")
    )
    cards = score_areas(areas=areas, as_of=as_of)
    numbers = sorted({r.number for card in cards.values() for r in card.results})
    names = {r.number: r.label for card in cards.values() for r in card.results}
    rows = []
    for area in areas:
        card = cards.get(area.pk)
        statuses = {str(r.number): r.status for r in card.results} if card else {}
        rows.append(
            {
                "area_id": area.pk,
                "name": area.name,
                "level": area.level,
                "commune": area.parent.name if area.level == Level.VILLAGE and area.parent else area.name,
                "criteria_set": card.criteria_set_name if card else "",
                "statuses": statuses,
                "met": card.met_count if card else 0,
                "total": len(card.results) if card else 0,
                "passed": bool(card and card.passed),
            }
        )
    labels = {str(n): names[n] for n in numbers}
    return {"numbers": numbers, "labels": labels, "rows": rows}, cards


def gather(report: ReportRequest) -> dict[str, Any]:
    unit, as_of = report.unit, report.as_of
    period = Period(report.period_start, report.period_end)
    covered, comparison = comparison_for(report.kind, period, as_of)
    before = comparison.period
    situation_rows = selectors.situation_with_change(unit, covered, before)
    dossiers = selectors.dossiers_as_of(unit, as_of)
    dossiers_before = selectors.dossiers_as_of(unit, min(before.end, as_of))
    recognised = [d for d in dossiers if d.recognised]
    table, cards = criteria_table(unit, as_of)
    totals = {
        level: sum(1 for row in table["rows"] if row["level"] == level)
        for level in (TargetLevel.VILLAGE, TargetLevel.COMMUNE)
    }

    def recognised_count(rows: list[selectors.DossierRow], level: str) -> int:
        return sum(1 for d in rows if d.recognised and d.area_level == level)

    progress = {}
    for level in (TargetLevel.VILLAGE, TargetLevel.COMMUNE):
        now, then = recognised_count(dossiers, level), recognised_count(dossiers_before, level)
        progress[level] = {
            "total": totals[level],
            "recognised": now,
            "recognised_before": then,
            "percent": float(formatting.percent(now, totals[level])),
            "text": formatting.fraction_text(now, totals[level], level, as_of),
        }

    # The report cites the programme that governed the unit over the period (a summary: its own).
    programme = report.phase.programme if report.phase is not None else governing_programme(unit, period.end)
    plans = selectors.plans_progress(unit, selectors.plans_for(unit), as_of, dossiers)
    if programme is not None and not any(plan.pk == programme.pk for plan, _ in plans):
        plans += selectors.plans_progress(programme.issuing_unit, [programme], as_of)
    # The phase whose named units the per-unit table counts: the report's, else the one running.
    current = [
        item
        for _plan, items in plans
        for item in items
        if (item.phase.pk == report.phase_id)
        or (report.phase_id is None and item.phase.starts_on <= as_of <= item.phase.ends_on)
    ]
    target_ids = {n.area_id for item in current for n in item.named}
    phases = [
        {
            "plan": plan.number,
            "plan_title": plan.title,
            "number": item.phase.number,
            "name": item.phase.name,
            "starts_on": _date(item.phase.starts_on),
            "ends_on": _date(item.phase.ends_on),
            "target_note": item.phase.target_note,
            "level": item.progress.level,
            "total": item.progress.total,
            "required": item.progress.required,
            "achieved": item.progress.achieved,
            "target_text": item.progress.target_text,
            "actual_text": item.progress.actual_text,
            "on_track": item.progress.on_track,
            "status": item.status_text,
            "is_report_phase": item.phase.pk == report.phase_id,
            "named": [
                {
                    "area_id": n.area_id,
                    "name": n.name,
                    "state": n.state_label,
                    "recognised": n.recognised,
                    "decision": n.decision_number,
                }
                for n in item.named
            ],
        }
        for plan, items in plans
        for item in items
    ]
    risky = selectors.at_risk(recognised, as_of, cards)
    failing = {area_id: [r.label for r in card.results if not r.is_met] for area_id, card in cards.items()}
    unit_table = tables.situation_table(unit, covered, as_of, dossiers, target_ids, failing)
    late = selectors.overdue([d for d in dossiers if not d.recognised], as_of)
    years = []
    if unit.level == Level.PROVINCE:
        years = [
            {
                "year": y.year,
                "required": y.progress.required,
                "achieved": y.achieved,
                "total": y.total,
                "target_text": y.progress.target_text,
                "actual_text": y.progress.actual_text,
                "on_track": y.progress.on_track,
            }
            for y in selectors.province_years(unit, as_of)
        ]
    return {
        "programme": {
            "name": f"{programme} của {programme.issuing_body}" if programme else "",
            "bases": programme.basis_references(as_of) if programme else [],
        },
        "kind": report.kind,
        "kind_label": ReportKind(report.kind).label,
        "subject": report_subject(report.kind, period, report.phase, report.period_name),
        "period_name": report.period_name,
        "unit": {"id": unit.pk, "name": unit.name, "level": unit.level, "kind": unit.kind},
        "period": {"start": _date(period.start), "end": _date(period.end)},
        "covered": {"start": _date(covered.start), "end": _date(covered.end)},
        "previous_period": {"start": _date(before.start), "end": _date(before.end)},
        "comparison_text": comparison.text,
        "as_of": _date(as_of),
        "situation": [
            {"key": r.key, "label": r.label, "current": r.current, "previous": r.previous, "change": r.change}
            for r in situation_rows
        ],
        "progress": progress,
        "registered": len(dossiers),
        "registered_before": len(dossiers_before),
        "states": [
            {"state": s, "label": label, "count": n} for s, label, n in selectors.state_counts(dossiers)
        ],
        "phases": phases,
        "recognised": [
            {
                "area": d.area_name,
                "level": d.area_level,
                "commune": d.commune_name,
                "decision": d.decision_number,
                "decided_on": _date(d.decision_date),
            }
            for d in recognised
        ],
        "at_risk": [{"area": r.area_name, "decision": r.decision_number, "broken": r.broken} for r in risky],
        "overdue": [
            {
                "area": d.area_name,
                "commune": d.commune_name,
                "state": d.state_label,
                "deadline": _date(d.deadline),
            }
            for d in late
        ],
        "years": years,
        "criteria": table,
        "units": unit_table,
    }
