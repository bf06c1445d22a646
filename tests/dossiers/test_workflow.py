"""The dossier as the officers work it (issue 13): readiness before a dossier goes up, recall,
returns that say what to fix, opinion requests, the council's votes, return to appraisal,
revocation and the yearly review — each through the services, each in the history."""

from __future__ import annotations

import datetime as dt
import subprocess

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from areas.models import Body, BodyKind, Role
from dossiers import selectors, services, tasks
from dossiers.models import (
    CouncilVote,
    DocumentKind,
    Dossier,
    DossierEvent,
    Notification,
    OpinionRequest,
    RecognitionReview,
    ReviewOutcome,
)
from dossiers.route import Move, State
from dossiers.services import MoveRefused
from dossiers.signing import ensure_signer
from programmes.models import RequiredComponent
from registry.models import OutgoingEntry
from tests.factories import DrugPointFactory, UserFactory

from .conftest import otp_code

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _require(programme, *kinds, level="village"):
    for kind in kinds:
        RequiredComponent.objects.create(
            programme=programme, unit_level=level, kind=kind, note="cấu hình thử"
        )


def _attach(dossier, user, kind):
    return services.add_document(
        dossier_id=dossier.pk, user=user, kind=kind, upload=SimpleUploadedFile(f"{kind}.pdf", PDF)
    )


def _events(dossier):
    return list(
        DossierEvent.objects.filter(dossier=dossier).order_by("at", "pk").values_list("move", flat=True)
    )


# ---------------------------------------------------------------- readiness before a dossier goes up


def test_a_dossier_missing_a_required_component_cannot_be_sent(walk, people, tree):
    _require(tree.programmes.phong_tho, DocumentKind.PROPOSAL, DocumentKind.REVIEW_MINUTES)
    dossier = walk.register(tree.ta_leng)
    _attach(dossier, people.commune_police, DocumentKind.PROPOSAL)

    with pytest.raises(MoveRefused, match="thiếu thành phần bắt buộc theo kế hoạch: biên bản họp xét"):
        services.move(dossier_id=dossier.pk, move=Move.SUBMIT, user=people.commune_police)
    dossier.refresh_from_db()
    assert dossier.state == State.DRAFT and _events(dossier) == ["register"]

    _attach(dossier, people.commune_police, DocumentKind.REVIEW_MINUTES)
    ready = selectors.readiness(dossier)
    assert ready.ready and [c.present for c in ready.components] == [True, True]
    assert services.move(dossier_id=dossier.pk, move=Move.SUBMIT, user=people.commune_police).state == (
        State.SUBMITTED
    )


def test_the_requirement_is_per_level_of_the_programme(walk, people, tree):
    _require(tree.programmes.phong_tho, DocumentKind.REPORT, level="commune")
    dossier = walk.register(tree.ta_leng)  # a village: the commune's requirement does not apply
    assert selectors.readiness(dossier).components == []
    assert services.move(dossier_id=dossier.pk, move=Move.SUBMIT, user=people.commune_police).state == (
        State.SUBMITTED
    )


def test_a_score_below_dat_goes_up_only_with_an_explanation_kept_for_everyone(walk, people, tree, login):
    dossier = walk.register(tree.ta_leng)
    DrugPointFactory(village=tree.ta_leng, found_on=timezone.localdate() - dt.timedelta(days=3))
    assert not selectors.readiness(dossier).score_passed

    with pytest.raises(MoveRefused, match="phải ghi giải trình"):
        services.move(dossier_id=dossier.pk, move=Move.SUBMIT, user=people.commune_police)
    dossier = services.move(
        dossier_id=dossier.pk,
        move=Move.SUBMIT,
        user=people.commune_police,
        explanation="Điểm đã bị triệt xóa ngày hôm qua, chờ cập nhật sổ.",
    )
    assert dossier.shortfall_explanation == "Điểm đã bị triệt xóa ngày hôm qua, chờ cập nhật sổ."
    event = dossier.events.get(move=Move.SUBMIT)
    assert event.details["explanation"].startswith("Điểm đã bị") and event.details["score"].startswith(
        "Chưa đạt"
    )
    # The chair forwarding it must explain too (the score is still below "đạt").
    with pytest.raises(MoveRefused, match="giải trình"):
        services.move(dossier_id=dossier.pk, move=Move.FORWARD, user=people.commune_chair)
    html = login(people.district_chair).get(dossier.get_absolute_url()).content.decode()
    assert 'data-testid="shortfall"' in html and "chờ cập nhật sổ" in html


def test_the_confirmation_page_shows_the_panel_and_refuses_with_reasons(walk, people, tree, login):
    _require(tree.programmes.phong_tho, DocumentKind.PROPOSAL)
    dossier = walk.register(tree.ta_leng)
    client = login(people.commune_police)
    from django.urls import reverse

    url = reverse("dossiers:send_up", args=[dossier.pk, Move.SUBMIT])
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Tờ trình" in html and "còn thiếu" in html and 'data-testid="refusal"' in html
    refused = client.post(url, {"submit-comment": "Kính trình", "submit-kind": "evidence"})
    assert refused.status_code == 400 and "thiếu thành phần bắt buộc" in refused.content.decode()
    assert Dossier.objects.get(pk=dossier.pk).state == State.DRAFT
    # Not the police's move once sent: the page is not there for the chair.
    assert login(people.commune_chair).get(url).status_code == 404


# ---------------------------------------------------------------- recall


def test_the_sender_recalls_until_the_next_body_has_acted(walk, people, tree):
    dossier = walk.to(walk.register(tree.ta_leng), State.SUBMITTED)
    with pytest.raises(MoveRefused):
        services.move(dossier_id=dossier.pk, move=Move.RECALL, user=people.commune_chair)
    dossier = services.move(dossier_id=dossier.pk, move=Move.RECALL, user=people.commune_police)
    assert dossier.state == State.DRAFT

    dossier = walk.to(dossier, State.FORWARDED)
    # The police sent it to the chair, who sent it on: only the chair may recall it now.
    with pytest.raises(MoveRefused):
        services.move(dossier_id=dossier.pk, move=Move.RECALL, user=people.commune_police)
    dossier = services.move(dossier_id=dossier.pk, move=Move.RECALL, user=people.commune_chair)
    assert dossier.state == State.SUBMITTED
    told = Notification.objects.filter(user=people.district_police, dossier=dossier).first()
    assert "đã được người gửi rút lại" in told.text

    dossier = walk.to(dossier, State.UNDER_APPRAISAL)  # the appraising body has acted
    with pytest.raises(MoveRefused, match="không thể"):
        services.move(dossier_id=dossier.pk, move=Move.RECALL, user=people.commune_chair)
    assert _events(dossier).count(Move.RECALL) == 2


# ---------------------------------------------------------------- returns


def test_a_return_names_who_when_why_and_what_to_fix_until_the_next_submission(walk, people, tree, login):
    dossier = walk.to(walk.register(tree.ta_leng), State.UNDER_APPRAISAL)
    walk.step(
        dossier,
        Move.REQUEST_SUPPLEMENT,
        people.district_police,
        comment="Biên bản họp xét chưa có chữ ký.",
        fix_criteria=[6],
        fix_documents=[DocumentKind.REVIEW_MINUTES],
    )
    response = login(people.commune_police).get(dossier.get_absolute_url())
    shown = response.context["open_return"]
    assert (shown.actor, shown.body, shown.reason) == (
        people.district_police.display_name,
        "Công an huyện Phong Thổ",
        "Biên bản họp xét chưa có chữ ký.",
    )
    assert [c["number"] for c in shown.criteria] == [6] and shown.documents == ["Biên bản họp xét"]
    assert "hộ gia đình" in shown.criteria[0]["text"]
    notice = Notification.objects.filter(user=people.commune_police, dossier=dossier).first()
    assert "bị trả lại" in notice.text and "Bản Tả Lèng" in notice.text and "chưa có chữ ký" in notice.text

    walk.step(dossier, Move.RESUBMIT, people.commune_police)
    assert login(people.commune_chair).get(dossier.get_absolute_url()).context["open_return"] is None


def test_a_return_naming_a_criterion_the_set_does_not_have_is_refused(walk, people, tree):
    dossier = walk.to(walk.register(tree.ta_leng), State.UNDER_APPRAISAL)
    with pytest.raises(MoveRefused, match="không có tiêu chí số 42"):
        walk.step(dossier, Move.REQUEST_SUPPLEMENT, people.district_police, comment="x", fix_criteria=[42])
    assert Dossier.objects.get(pk=dossier.pk).state == State.UNDER_APPRAISAL


def test_the_deciding_chair_returns_a_dossier_to_the_appraising_body(walk, people, tree):
    dossier = walk.to(walk.register(tree.ta_leng), State.APPRAISED_PASS)
    with pytest.raises(MoveRefused, match="lý do"):
        walk.step(dossier, Move.RETURN_TO_APPRAISAL, people.district_chair)
    dossier = walk.step(
        dossier, Move.RETURN_TO_APPRAISAL, people.district_chair, comment="Làm rõ ý kiến của Trung tâm Y tế."
    )
    assert dossier.state == State.UNDER_APPRAISAL
    assert _events(dossier)[-1] == Move.RETURN_TO_APPRAISAL
    notice = Notification.objects.get(user=people.district_police, dossier=dossier, text__contains="trả lại")
    assert "bị trả lại cơ quan thẩm định" in notice.text and "Trung tâm Y tế" in notice.text
    # The appraiser concludes again and the chair may now sign.
    assert walk.step(dossier, Move.APPRAISE_PASS, people.district_police).state == State.APPRAISED_PASS


# ---------------------------------------------------------------- appraisal and opinions


def test_the_appraisal_is_saved_in_one_go_or_not_at_all(walk, people, tree):
    dossier = walk.to(walk.register(tree.ta_leng), State.UNDER_APPRAISAL)
    DrugPointFactory(village=tree.ta_leng, found_on=timezone.localdate() - dt.timedelta(days=1))
    with pytest.raises(ValidationError) as error:
        services.record_findings(
            dossier_id=dossier.pk,
            user=people.district_police,
            rows=[(2, "met", ""), (1, "met", "")],  # 1 is computed "chưa đạt": a reason is needed
        )
    assert set(error.value.message_dict) == {"1"}
    assert not dossier.findings.exists()
    services.record_findings(
        dossier_id=dossier.pk,
        user=people.district_police,
        rows=[(1, "met", "Điểm đã bị triệt xóa."), (2, "met", "")],
    )
    assert list(dossier.findings.values_list("number", "status")) == [(1, "met"), (2, "met")]
    assert Dossier.objects.get(pk=dossier.pk).state == State.UNDER_APPRAISAL  # a draft: not concluded


def test_the_appraisal_form_keeps_every_row_and_lists_errors_at_the_top(walk, people, tree, login):
    from django.urls import reverse

    dossier = walk.to(walk.register(tree.ta_leng), State.UNDER_APPRAISAL)
    DrugPointFactory(village=tree.ta_leng, found_on=timezone.localdate() - dt.timedelta(days=1))
    client = login(people.district_police)
    rows = client.get(dossier.get_absolute_url()).context["appraisal_rows"]
    data = {"tc-TOTAL_FORMS": str(len(rows)), "tc-INITIAL_FORMS": str(len(rows))}
    for i, row in enumerate(rows):
        data |= {
            f"tc-{i}-number": row["result"]["number"],
            f"tc-{i}-computed": row["result"]["status"],
            f"tc-{i}-status": "met",
            f"tc-{i}-reason": "",
        }
    data["tc-7-reason"] = "Mô hình đã kiểm tra thực tế."
    response = client.post(reverse("dossiers:appraise", args=[dossier.pk]), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert 'data-testid="appraisal-errors"' in html and 'href="#tc-1"' in html
    assert "Mô hình đã kiểm tra thực tế." in html  # what was typed stays
    assert not dossier.findings.exists()


def test_opinion_requests_reach_the_bodies_and_a_pass_against_a_disagreement_needs_a_reason(
    walk, people, tree, login
):
    dossier = walk.to(walk.register(tree.ta_leng), State.UNDER_APPRAISAL)
    due = timezone.localdate() + dt.timedelta(days=7)
    with pytest.raises(MoveRefused):
        services.request_opinions(
            dossier_id=dossier.pk, user=people.labour, body_ids=[tree.bodies.health.pk], due_on=due
        )
    services.request_opinions(
        dossier_id=dossier.pk,
        user=people.district_police,
        body_ids=[tree.bodies.labour.pk, tree.bodies.health.pk],
        due_on=due,
        note="Đề nghị cho ý kiến về người sau cai.",
    )
    # A body outside the programme's route cannot be asked.
    stranger = Body.objects.create(
        area=tree.phong_tho,
        kind=BodyKind.DEPARTMENT,
        name="Phòng Tư pháp",
        head_title="Trưởng phòng",
        symbol="TP",
    )
    with pytest.raises(MoveRefused, match="kế hoạch của hồ sơ"):
        services.request_opinions(
            dossier_id=dossier.pk, user=people.district_police, body_ids=[stranger.pk], due_on=due
        )
    assert set(selectors.open_opinion_requests(people.labour)) == set(
        OpinionRequest.objects.filter(body=tree.bodies.labour)
    )
    assert Notification.objects.filter(user=people.health, text__contains="đề nghị cho ý kiến").exists()

    services.add_opinion(dossier_id=dossier.pk, user=people.labour, agrees=False, text="Chưa rà soát đủ.")
    summary = {row.body: row.answer for row in selectors.opinion_summary(dossier)}
    assert summary == {tree.bodies.labour.name: "disagrees", tree.bodies.health.name: ""}
    assert not selectors.open_opinion_requests(people.labour).exists()

    with pytest.raises(MoveRefused, match="không thống nhất"):
        walk.step(dossier, Move.APPRAISE_PASS, people.district_police)
    dossier = walk.step(
        dossier, Move.APPRAISE_PASS, people.district_police, comment="Đã rà soát lại, đủ hồ sơ quản lý."
    )
    event = dossier.events.get(move=Move.APPRAISE_PASS)
    assert event.details["against_opinions"] == [tree.bodies.labour.name]
    assert set(_events(dossier)) >= {"request_opinion", "opinion"}


def test_council_votes_are_in_the_history_and_the_minutes_count_current_members(walk, people, tree):
    council = Body.objects.create(
        area=tree.phong_tho,
        kind=BodyKind.COUNCIL,
        name="Hội đồng xét duyệt thử",
        head_title="Chủ tịch",
        symbol="HĐ",
    )
    members = [
        UserFactory(username=f"hd{i}", role=Role.COUNCIL_MEMBER, area=tree.phong_tho, body=council)
        for i in range(3)
    ]
    dossier = walk.to(walk.register(tree.ta_leng), State.APPRAISED_PASS)
    Dossier.objects.filter(pk=dossier.pk).update(council=council)
    dossier = walk.step(Dossier.objects.get(pk=dossier.pk), Move.SEND_TO_COUNCIL, people.district_police)
    services.cast_vote(dossier_id=dossier.pk, user=members[0], agrees=True)
    services.cast_vote(dossier_id=dossier.pk, user=members[1], agrees=False, comment="Cần kiểm tra.")
    services.cast_vote(dossier_id=dossier.pk, user=members[1], agrees=True)  # changes their vote
    assert services.council_tally(dossier) == (3, 2, 0)
    # A member who leaves takes their vote along: a tally never counts more votes than members.
    members[1].is_active = False
    members[1].save()
    assert services.council_tally(dossier) == (2, 1, 0)
    with pytest.raises(MoveRefused, match="quá nửa"):
        walk.step(dossier, Move.COUNCIL_PASS, people.district_police)
    services.cast_vote(dossier_id=dossier.pk, user=members[2], agrees=True)
    dossier = walk.step(dossier, Move.COUNCIL_PASS, people.district_police)
    assert dossier.events.get(move=Move.COUNCIL_PASS).details["tally"] == {
        "members": 2,
        "agree": 2,
        "against": 0,
    }
    assert _events(dossier).count("vote") == 4
    assert CouncilVote.objects.filter(dossier=dossier).count() == 3


# ---------------------------------------------------------------- revocation and the yearly review


def _revoke(walk, people, dossier, comment="Phát sinh điểm bán lẻ ma túy."):
    walk.step(
        dossier,
        Move.PROPOSE_REVOCATION,
        people.district_police,
        comment=comment,
        files=[(DocumentKind.EVIDENCE, SimpleUploadedFile("bien-ban-kiem-tra.pdf", PDF))],
    )
    ensure_signer(people.district_chair)
    # The recognition may have used this 30-second step's code a moment ago; a code signs once.
    TOTPDevice.objects.filter(user=people.district_chair).update(last_t=-1)
    return walk.step(
        Dossier.objects.get(pk=dossier.pk),
        Move.REVOKE,
        people.district_chair,
        comment="Không còn đạt tiêu chí số 1.",
        otp_token=otp_code(people.district_chair),
    )


def test_a_revocation_is_proposed_with_evidence_decided_by_the_chair_signed_and_numbered(walk, people, tree):
    dossier = walk.to(walk.register(tree.ta_leng), State.RECOGNISED)
    with pytest.raises(MoveRefused, match="tài liệu chứng minh"):
        walk.step(dossier, Move.PROPOSE_REVOCATION, people.district_police, comment="Vi phạm")
    with pytest.raises(MoveRefused):  # the chair decides; the police propose
        walk.step(dossier, Move.PROPOSE_REVOCATION, people.district_chair, comment="Vi phạm")
    revoked = _revoke(walk, people, dossier)
    assert revoked.state == State.REVOKED
    assert _events(revoked)[-2:] == [Move.PROPOSE_REVOCATION, Move.REVOKE]
    revocation = revoked.revocation
    entry = OutgoingEntry.objects.get(body=tree.bodies.district_committee, number=int(revocation.number[:2]))
    assert revocation.number == entry.reference and revocation.number.endswith("/QĐ-UBND")
    assert entry.document_id == revocation.pk
    signature = subprocess.run(["pdfsig", revocation.file.path], capture_output=True, text=True).stdout
    assert "Signature is Valid" in signature and people.district_chair.display_name in signature
    text = subprocess.run(["pdftotext", revocation.file.path, "-"], capture_output=True, text=True).stdout
    assert "Về việc thu hồi" in text and "Không còn đạt tiêu chí số 1" in text
    assert Notification.objects.filter(
        user=people.commune_police, text__contains="đã ký quyết định thu hồi công nhận"
    ).exists()


def test_a_revocation_with_a_wrong_code_takes_no_number(walk, people, tree):
    dossier = walk.to(walk.register(tree.ta_leng), State.RECOGNISED)
    walk.step(
        dossier,
        Move.PROPOSE_REVOCATION,
        people.district_police,
        comment="Vi phạm",
        files=[(DocumentKind.EVIDENCE, SimpleUploadedFile("bb.pdf", PDF))],
    )
    ensure_signer(people.district_chair)
    with pytest.raises(MoveRefused, match="OTP"):
        walk.step(dossier, Move.REVOKE, people.district_chair, comment="x", otp_token="000000")
    assert Dossier.objects.get(pk=dossier.pk).state == State.REVOCATION_PROPOSED
    assert not OutgoingEntry.objects.filter(summary__startswith="Thu hồi").exists()
    kept = walk.step(dossier, Move.KEEP_RECOGNITION, people.district_chair, comment="Đã khắc phục.")
    assert kept.state == State.RECOGNISED


def test_the_yearly_review_opens_once_for_each_recognised_unit_and_records_its_outcome(walk, people, tree):
    dossier = walk.to(walk.register(tree.ta_leng), State.RECOGNISED)
    decided_on = dossier.decision.decided_on
    assert dossier.review_due_on == services.one_year_after(decided_on)
    assert services.open_due_reviews(as_of=decided_on + dt.timedelta(days=300)) == []

    day = dossier.review_due_on
    opened = services.open_due_reviews(as_of=day)
    assert [r.dossier_id for r in opened] == [dossier.pk]
    assert services.open_due_reviews(as_of=day) == []  # idempotent
    assert RecognitionReview.objects.filter(dossier=dossier).count() == 1
    review = opened[0]
    assert review.scorecard["passed"] is True
    # The review waits in the appraising body's inbox, not in the chair's.
    assert dossier in set(selectors.inbox(people.district_police))
    assert dossier not in set(selectors.inbox(people.district_chair))

    with pytest.raises(MoveRefused):
        services.conclude_review(
            review_id=review.pk, user=people.commune_police, outcome="maintained", note="x"
        )
    services.conclude_review(
        review_id=review.pk, user=people.district_police, outcome=ReviewOutcome.MAINTAINED, note="Giữ vững."
    )
    dossier.refresh_from_db()
    assert dossier.review_due_on == services.one_year_after(day)
    assert _events(dossier)[-2:] == ["review_opened", "review_maintained"]
    with pytest.raises(MoveRefused, match="đã có kết luận"):
        services.conclude_review(
            review_id=review.pk, user=people.district_police, outcome="maintained", note="x"
        )
    assert dossier not in set(selectors.inbox(people.district_police))


def test_a_review_can_end_in_a_revocation_proposal(walk, people, tree, monkeypatch):
    dossier = walk.to(walk.register(tree.ta_leng), State.RECOGNISED)
    monkeypatch.setattr(timezone, "localdate", lambda *a: dossier.review_due_on)
    assert tasks.open_yearly_reviews() == 1
    assert tasks.open_yearly_reviews() == 0
    review = RecognitionReview.objects.get(dossier=dossier)
    with pytest.raises(MoveRefused, match="tài liệu chứng minh"):
        services.conclude_review(
            review_id=review.pk, user=people.district_police, outcome="revocation_proposed", note="Tái phát"
        )
    services.conclude_review(
        review_id=review.pk,
        user=people.district_police,
        outcome=ReviewOutcome.REVOCATION_PROPOSED,
        note="Phát hiện điểm bán lẻ.",
        files=[(DocumentKind.EVIDENCE, SimpleUploadedFile("bb.pdf", PDF))],
    )
    review.refresh_from_db()
    dossier.refresh_from_db()
    assert (
        review.outcome == ReviewOutcome.REVOCATION_PROPOSED and review.concluded_by == people.district_police
    )
    assert dossier.state == State.REVOCATION_PROPOSED
    assert dossier.events.get(move=Move.PROPOSE_REVOCATION).comment.startswith(f"Rà soát năm {review.year}")


# ---------------------------------------------------------------- inbox: only what the body must do


def test_recognised_dossiers_leave_the_inbox_for_the_list(walk, people, tree):
    dossier = walk.to(walk.register(tree.ta_leng), State.RECOGNISED)
    for user in (people.district_chair, people.district_police, people.commune_police):
        assert dossier not in set(selectors.inbox(user))
        assert dossier in set(selectors.dossier_list(user))
