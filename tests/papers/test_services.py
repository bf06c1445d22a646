"""Writing a paper: pre-filled from the registers and the route, edited as text, finalised once
with a number from the issuing body's register, never edited after; who may do which part."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from dossiers.route import Move, State
from dossiers.services import MoveRefused
from papers import services
from papers.models import Paper, PaperKind, PaperState
from papers.selectors import finalised_document_kinds, paper_rows
from registry.models import OutgoingEntry

from .conftest import MEETING


@pytest.fixture
def draft_dossier(walk, tree, asking_programme):
    return walk.register(tree.ta_leng)


def test_a_draft_starts_from_the_registers_and_the_route(draft_dossier, people):
    paper = services.start_draft(
        dossier_id=draft_dossier.pk, kind=PaperKind.UNIT_REPORT, user=people.commune_police
    )
    s = paper.sections
    assert paper.issuer.name == "Ủy ban nhân dân xã Hoang Thèn" and paper.state == PaperState.DRAFT
    assert "Bản Tả Lèng, xã Hoang Thèn có" in s["situation"] and "hộ gia đình" in s["situation"]
    # The clean village's commitment, hotline board and model are the measures it took.
    assert (
        "hộ gia đình ký cam kết" in s["measures"]
        and "Bảng niêm yết số điện thoại đường dây nóng" in s["measures"]
    )
    assert "đạt 8/8 tiêu chí" in s["assessment"]
    assert (
        "Công an huyện Phong Thổ" in s["proposal"]
        and "Chủ tịch Ủy ban nhân dân huyện Phong Thổ" in s["proposal"]
    )
    assert s["signer"] == people.commune_chair.display_name
    # Asking again gives the same draft, not a second one.
    again = services.start_draft(
        dossier_id=draft_dossier.pk, kind=PaperKind.UNIT_REPORT, user=people.commune_police
    )
    assert again.pk == paper.pk


def test_the_police_prepare_the_commune_papers_and_only_the_chair_finalises(draft_dossier, people):
    paper = services.start_draft(
        dossier_id=draft_dossier.pk, kind=PaperKind.COMMUNE_SUBMISSION, user=people.commune_police
    )
    paper = services.save_draft(
        paper_id=paper.pk,
        user=people.commune_police,
        sections={**paper.sections, "to": "Công an huyện Phong Thổ (sửa)"},
    )
    assert paper.sections["to"] == "Công an huyện Phong Thổ (sửa)"
    with pytest.raises(MoveRefused, match="người đứng đầu"):
        services.finalise(paper_id=paper.pk, user=people.commune_police)
    for outsider in (people.other_police, people.district_police, people.district_chair, people.province):
        with pytest.raises(MoveRefused):
            services.save_draft(paper_id=paper.pk, user=outsider, sections=paper.sections)
    assert not OutgoingEntry.objects.exists()
    paper = services.finalise(paper_id=paper.pk, user=people.commune_chair)
    assert paper.is_final and paper.entry.reference == "01/TTr-UBND" and len(paper.sha256) == 64


def test_a_finalised_paper_is_not_edited_and_a_correction_replaces_it_under_a_new_number(
    draft_dossier, people
):
    police, chair = people.commune_police, people.commune_chair
    first = services.issue(
        dossier_id=draft_dossier.pk, kind=PaperKind.REVIEW_MINUTES, user=police, finaliser=chair, **MEETING
    )
    with pytest.raises(MoveRefused, match="không sửa được"):
        services.save_draft(paper_id=first.pk, user=police, sections={**first.sections, "vote": "khác"})
    with pytest.raises(MoveRefused, match="văn bản thay thế"):
        services.start_draft(dossier_id=draft_dossier.pk, kind=PaperKind.REVIEW_MINUTES, user=police)
    draft = services.start_replacement(paper_id=first.pk, user=police)
    assert draft.replaces == first and draft.sections == first.sections
    services.save_draft(paper_id=draft.pk, user=police, sections={**draft.sections, "vote": "06/07 đồng ý."})
    second = services.finalise(paper_id=draft.pk, user=chair)
    first.refresh_from_db()
    assert first.superseded_at is not None and first.entry.number == 1
    assert second.entry.number == 2 and second.entry.reference == "02/BB-UBND"
    # Both stay in the register; the dossier's paper of the kind is the replacement.
    assert OutgoingEntry.objects.filter(body=first.issuer).count() == 2
    row = next(r for r in paper_rows(police, draft_dossier) if r.spec.kind == PaperKind.REVIEW_MINUTES)
    assert row.current == second and row.replaced == [first]


def test_finalising_names_each_missing_section_and_numbers_nothing(draft_dossier, people):
    paper = services.start_draft(
        dossier_id=draft_dossier.pk, kind=PaperKind.VILLAGE_MINUTES, user=people.commune_police
    )
    with pytest.raises(ValidationError) as error:
        services.finalise(paper_id=paper.pk, user=people.commune_chair)
    assert "chair_name" in error.value.message_dict and "vote" in error.value.message_dict
    assert "Hãy ghi “Chủ trì: họ và tên”" in error.value.message_dict["chair_name"][0]
    assert not OutgoingEntry.objects.exists()
    assert Paper.objects.get(pk=paper.pk).state == PaperState.DRAFT


def test_a_posting_shorter_than_the_programme_asks_is_refused(draft_dossier, people):
    today = timezone.localdate()
    paper = services.start_draft(
        dossier_id=draft_dossier.pk, kind=PaperKind.POSTING, user=people.commune_police
    )
    # Pre-filled with the programme's 5 days, ending the day before the minutes.
    assert paper.sections["posted_until"] == (today - dt.timedelta(days=1)).isoformat()
    assert paper.sections["posted_from"] == (today - dt.timedelta(days=5)).isoformat()
    services.save_draft(
        paper_id=paper.pk,
        user=people.commune_police,
        sections={
            **paper.sections,
            "opinions": "Không có.",
            "posted_from": (today - dt.timedelta(days=3)).isoformat(),
        },
    )
    with pytest.raises(ValidationError, match="ít nhất 5 ngày"):
        services.finalise(paper_id=paper.pk, user=people.commune_chair)
    with pytest.raises(ValidationError):
        services.save_draft(
            paper_id=paper.pk, user=people.commune_police, sections={"posted_from": "31/02/2026"}
        )
    assert not OutgoingEntry.objects.exists()


def test_papers_the_programme_does_not_ask_for_are_not_written(walk, tree, people):
    dossier = walk.register(tree.ta_leng)  # the programme asks for no village meeting nor posting
    for kind in (PaperKind.VILLAGE_MINUTES, PaperKind.POSTING):
        with pytest.raises(MoveRefused, match="không yêu cầu"):
            services.start_draft(dossier_id=dossier.pk, kind=kind, user=people.commune_police)
    kinds = {row.spec.kind for row in paper_rows(people.commune_police, dossier)}
    assert PaperKind.VILLAGE_MINUTES not in kinds and PaperKind.UNIT_REPORT in kinds


def test_the_appraising_police_write_their_papers_only_at_their_step(draft_dossier, walk, people):
    with pytest.raises(MoveRefused):
        services.start_draft(
            dossier_id=draft_dossier.pk, kind=PaperKind.APPRAISAL_MINUTES, user=people.district_police
        )
    dossier = walk.to(draft_dossier, State.UNDER_APPRAISAL)
    with pytest.raises(MoveRefused):  # the commune's step is over
        services.start_draft(dossier_id=dossier.pk, kind=PaperKind.UNIT_REPORT, user=people.commune_police)
    with pytest.raises(MoveRefused):  # the tờ trình follows a passed appraisal
        services.start_draft(
            dossier_id=dossier.pk, kind=PaperKind.APPRAISAL_SUBMISSION, user=people.district_police
        )
    minutes = services.issue(
        dossier_id=dossier.pk,
        kind=PaperKind.APPRAISAL_MINUTES,
        user=people.district_police,
        secretary_name="Vàng A Sử",
    )
    assert minutes.entry.reference == "01/BB-CAH"
    dossier = walk.step(dossier, Move.APPRAISE_PASS, people.district_police)
    proposal = services.issue(
        dossier_id=dossier.pk, kind=PaperKind.APPRAISAL_SUBMISSION, user=people.district_police
    )
    assert proposal.entry.reference == "02/TTr-CAH"
    assert "Biên bản thẩm định số 01/BB-CAH" in proposal.sections["body"]


def test_a_body_numbering_per_kind_starts_each_kind_at_01(draft_dossier, people):
    committee = people.commune_chair.body
    committee.numbers_per_kind = True
    committee.save(update_fields=["numbers_per_kind"])
    police, chair = people.commune_police, people.commune_chair
    report = services.issue(
        dossier_id=draft_dossier.pk, kind=PaperKind.UNIT_REPORT, user=police, finaliser=chair
    )
    minutes = services.issue(
        dossier_id=draft_dossier.pk, kind=PaperKind.REVIEW_MINUTES, user=police, finaliser=chair, **MEETING
    )
    submission = services.issue(dossier_id=draft_dossier.pk, kind=PaperKind.COMMUNE_SUBMISSION, user=chair)
    assert [report.entry.reference, minutes.entry.reference, submission.entry.reference] == [
        "01/BC-UBND",
        "01/BB-UBND",
        "01/TTr-UBND",
    ]


def test_finalised_papers_stand_for_the_dossier_documents_of_their_kind(draft_dossier, people):
    police, chair = people.commune_police, people.commune_chair
    assert finalised_document_kinds(draft_dossier) == set()
    services.start_draft(dossier_id=draft_dossier.pk, kind=PaperKind.UNIT_REPORT, user=police)
    assert finalised_document_kinds(draft_dossier) == set()  # a draft is not a component
    services.issue(dossier_id=draft_dossier.pk, kind=PaperKind.COMMUNE_SUBMISSION, user=chair)
    services.issue(
        dossier_id=draft_dossier.pk, kind=PaperKind.REVIEW_MINUTES, user=police, finaliser=chair, **MEETING
    )
    assert finalised_document_kinds(draft_dossier) == {"proposal", "review_minutes"}
