"""Fixtures of the reports tests: a plan over the shared tree, and dossiers in given states.

Dossiers are written directly (registration, events, decision) rather than walked through the
route: these tests read states and decisions as of a day, the route has its own tests."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from dossiers.models import Decision, Dossier, DossierEvent, Registration
from dossiers.route import State
from programmes.models import Phase, TargetKind, TargetLevel


def at(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(9, 0)))


@pytest.fixture
def make_dossier(people, tree):
    def _make(area, steps, *, decision=None, registered_on=dt.date(2024, 6, 1)):
        """`steps`: [(state, day), …] in order; `decision`: (number, day) for a recognition."""
        commune = area if area.level == "commune" else area.parent
        registration = Registration.objects.create(
            area=area,
            target_date=dt.date(2024, 12, 31),
            registered_on=registered_on,
            registered_by=people.commune_police,
        )
        dossier = Dossier.objects.create(
            registration=registration,
            area=area,
            commune=commune,
            programme=tree.programmes.phong_tho
            if area.path.startswith(tree.phong_tho.path)
            else tree.programmes.hai_phong,
            appraiser=tree.bodies.district_police
            if area.path.startswith(tree.phong_tho.path)
            else tree.bodies.city_police,
            decider=tree.bodies.district_committee
            if area.path.startswith(tree.phong_tho.path)
            else tree.bodies.city_committee,
            state=steps[-1][0],
            state_since=at(steps[-1][1]),
        )
        previous = ""
        for state, day in steps:
            DossierEvent.objects.create(
                dossier=dossier,
                move="step",
                from_state=previous,
                to_state=state,
                actor=people.commune_police,
                at=at(day),
            )
            previous = state
        if decision:
            number, day = decision
            Decision.objects.create(
                dossier=dossier,
                number=number,
                decided_on=day,
                issuer=dossier.decider,
                year=day.year,
                signer=people.district_chair,
                signer_name="Hoàng Văn Phúc",
                file=ContentFile(b"%PDF-1.4 test", name="qd.pdf"),
                sha256="0" * 64,
                signed_at=at(day),
            )
        return dossier

    return _make


@pytest.fixture
def plan(tree):
    plan = tree.programmes.phong_tho
    phase_1 = Phase.objects.create(
        programme=plan,
        number=1,
        name="Giai đoạn 01",
        starts_on=dt.date(2024, 4, 1),
        ends_on=dt.date(2024, 12, 31),
        target_level=TargetLevel.VILLAGE,
        target_kind=TargetKind.COUNT,
        target_value=Decimal(2),
        report_due_on=dt.date(2024, 12, 10),
    )
    phase_1.target_units.set([tree.ta_leng, tree.co_muong])
    Phase.objects.create(
        programme=plan,
        number=2,
        name="Giai đoạn 02",
        starts_on=dt.date(2025, 1, 1),
        ends_on=dt.date(2025, 12, 31),
        target_level=TargetLevel.COMMUNE,
        target_kind=TargetKind.PERCENT,
        target_value=Decimal(60),
        report_due_on=dt.date(2025, 12, 10),
        is_final=True,
    )
    return plan


@pytest.fixture
def recognised_ta_leng(make_dossier, tree):
    return make_dossier(
        tree.ta_leng,
        [
            (State.DRAFT, dt.date(2024, 6, 1)),
            (State.SUBMITTED, dt.date(2024, 6, 10)),
            (State.FORWARDED, dt.date(2024, 6, 15)),
            (State.UNDER_APPRAISAL, dt.date(2024, 6, 20)),
            (State.APPRAISED_PASS, dt.date(2024, 7, 1)),
            (State.RECOGNISED, dt.date(2024, 7, 10)),
        ],
        decision=("125/QĐ-UBND", dt.date(2024, 7, 10)),
    )


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    # Each test archives its reports in its own directory: file names are per report id.
    settings.MEDIA_ROOT = tmp_path / "media"


OFFICER_TEXT = {
    "strengths": "Ưu điểm viết thử.",
    "weaknesses": "Hạn chế viết thử.",
    "causes": "Nguyên nhân viết thử.",
    "lessons": "Bài học viết thử.",
    "next_tasks": "Nhiệm vụ viết thử.",
}


@pytest.fixture
def issue(monkeypatch):
    """`issue(user, **request)`: ask for a report, gather it, write its required sections, issue
    it and render it, as a unit does — through the services and the task's service."""
    from reports import services, tasks

    monkeypatch.setattr(tasks.build_report, "delay", lambda report_id: None)

    def _issue(user, *, texts=None, on=None, **request):
        report, _ = services.request_report(user=user, **request)
        report = services.build_report(report_id=report.pk)
        services.save_text(user=user, report=report, texts={**OFFICER_TEXT, **(texts or {})})
        report = services.issue_report(user=user, report=report, on=on)
        return services.build_report(report_id=report.pk)

    return _issue
