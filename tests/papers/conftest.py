"""Papers fixtures: the dossier fixtures of tests/dossiers, and a village dossier of Phong Thổ
whose programme asks for the village meeting and a 5-day public posting, taken along the route
with every paper written, completed and numbered on the way."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from django.utils import timezone

from dossiers.route import Move, State
from papers import services
from papers.models import PaperKind
from tests.dossiers.conftest import (  # noqa: F401 (fixtures)
    _media_and_signing,
    clean,
    issue_proposal,
    otp_code,
    personas,
    walk,
)

MEETING = {"vote": "07/07 người dự họp biểu quyết đồng ý.", "secretary_name": "Lò Thị Mai"}


@pytest.fixture
def asking_programme(tree):
    programme = tree.programmes.phong_tho
    programme.village_meeting_required = True
    programme.posting_days = 5
    programme.save(update_fields=["village_meeting_required", "posting_days"])
    return programme


@pytest.fixture
def recognised(walk, tree, people, asking_programme):  # noqa: F811
    """Bản Tả Lèng recognised today, registered 40 days ago, with every paper of its dossier
    written on its own day along the route."""
    from dossiers import services as dossier_services

    today = timezone.localdate()

    def ago(days):
        return today - dt.timedelta(days=days)

    def move(dossier, name, user, days):
        return dossier_services.move(dossier_id=dossier.pk, move=name, user=user, on=ago(days))

    police, chair, appraiser = people.commune_police, people.commune_chair, people.district_police
    dossier = dossier_services.register(
        user=police, area=tree.ta_leng, target_date=today + dt.timedelta(days=90), registered_on=ago(40)
    )
    papers = {}

    def issue(kind, days, user=police, finaliser=chair, **sections):
        papers[kind] = services.issue(
            dossier_id=dossier.pk, kind=kind, user=user, finaliser=finaliser, on=ago(days), **sections
        )

    issue(PaperKind.VILLAGE_MINUTES, 30, chair_name="Lò Văn Minh", **MEETING)
    issue(PaperKind.POSTING, 24, opinions="Không nhận được ý kiến phản ánh.")
    issue(PaperKind.UNIT_REPORT, 22)
    issue(PaperKind.REVIEW_MINUTES, 21, **MEETING)
    dossier = move(dossier, Move.SUBMIT, police, 20)
    issue(PaperKind.COMMUNE_SUBMISSION, 19, user=chair)
    dossier = move(dossier, Move.FORWARD, chair, 19)
    dossier = move(dossier, Move.ACCEPT, appraiser, 15)
    services_opinion(dossier, people)
    dossier = move(dossier, Move.APPRAISE_PASS, appraiser, 5)
    issue(PaperKind.APPRAISAL_MINUTES, 5, user=appraiser, finaliser=appraiser, secretary_name="Vàng A Sử")
    issue(PaperKind.APPRAISAL_SUBMISSION, 3, user=appraiser, finaliser=appraiser)
    dossier = walk.to(dossier, State.RECOGNISED)
    return SimpleNamespace(dossier=dossier, papers=papers)


def services_opinion(dossier, people):
    from dossiers import services as dossier_services

    dossier_services.add_opinion(
        dossier_id=dossier.pk, user=people.health, agrees=True, text="Thống nhất đề nghị công nhận."
    )
