"""Every paper of a unit cites its own programme and no other jurisdiction's: the decision, the
appraising police's tờ trình, the report and the scorecard, for a Hải Phòng and a Phong Thổ dossier."""

from __future__ import annotations

import datetime as dt
import subprocess

import pytest
from django.urls import reverse

from dossiers.route import State
from papers.models import PaperKind
from papers.selectors import current_paper
from programmes.models import ReportKind
from reports import services as report_services
from reports.models import ReportStatus
from reports.tasks import build_report
from tests.factories import UserFactory
from tests.reports.conftest import OFFICER_TEXT

OTHER_PROVINCE = {
    "hai_phong": ["Lai Châu", "Phong Thổ", "1246/KH-UBND", "174/KH-UBND"],
    "phong_tho": ["Hải Phòng", "Tân An", "99/KH-UBND"],
}


def _text(pdf: bytes, tmp_path, name: str) -> str:
    path = tmp_path / f"{name}.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True)
    return " ".join(out.stdout.split())


def _walk(walk, tree, people, which):
    if which == "phong_tho":
        return walk.to(walk.register(tree.ta_leng), State.RECOGNISED)
    chair = UserFactory(
        username="ctx_tanan",
        role="commune_chair",
        area=tree.tan_an,
        body=getattr(tree.bodies, f"committee_{tree.tan_an.pk}"),
    )
    dossier = walk.register(tree.trai_mua, user=people.tanan_police)
    return walk.to(
        dossier,
        State.RECOGNISED,
        police=people.tanan_police,
        chair=chair,
        appraiser=people.city_police,
        decider=people.city_chair,
    )


@pytest.mark.parametrize("which", ["hai_phong", "phong_tho"])
def test_every_document_of_a_unit_cites_only_its_own_programme(
    walk, tree, people, login, tmp_path, which, settings
):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    dossier = _walk(walk, tree, people, which)
    programme = getattr(tree.programmes, which)
    own_basis = programme.legal_bases.get().reference

    with dossier.decision.file.open("rb") as handle:
        documents = {"decision": _text(handle.read(), tmp_path, "decision")}
    with current_paper(dossier, PaperKind.APPRAISAL_SUBMISSION).file.open("rb") as handle:
        documents["proposal"] = _text(handle.read(), tmp_path, "proposal")
    unit = tree.hai_phong if which == "hai_phong" else tree.phong_tho
    reporter = people.city_police if which == "hai_phong" else people.district_police
    report, _queued = report_services.request_report(
        user=reporter, kind=ReportKind.ANNUAL, unit=unit, year=dt.date.today().year
    )
    build_report.apply(args=[report.pk])
    report.refresh_from_db()
    assert report.status == ReportStatus.DRAFT, report.error
    report_services.save_text(user=reporter, report=report, texts=OFFICER_TEXT)
    report = report_services.issue_report(user=reporter, report=report)
    build_report.apply(args=[report.pk])
    report.refresh_from_db()
    assert report.status == ReportStatus.DONE, report.error
    with report.pdf.open("rb") as handle:
        documents["report"] = _text(handle.read(), tmp_path, "report")
    scorecard = login(dossier.commune.users.filter(role="commune_police").first()).get(
        reverse("criteria:scorecard", args=[dossier.area_id])
    )
    documents["scorecard"] = scorecard.content.decode()

    for kind, text in documents.items():
        if kind != "scorecard":
            assert own_basis[:40] in text, (kind, own_basis)
        for foreign in OTHER_PROVINCE[which]:
            assert foreign not in text, (kind, foreign)
    assert programme.number in documents["scorecard"]
    assert programme.village_criteria_set.name in documents["scorecard"]
