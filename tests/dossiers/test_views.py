"""Pages of the route, told as access stories with the personas."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from dossiers import services
from dossiers.models import Decision, DocumentKind, Dossier
from dossiers.route import Move, State

from .conftest import issue_proposal, make_clean, otp_code

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_the_commune_chair_finds_a_submitted_dossier_in_their_inbox_and_the_district_does_not(
    walk, tree, login, people
):
    dossier = walk.to(walk.register(tree.ta_leng), State.SUBMITTED)
    page = login(people.commune_chair).get(reverse("dossiers:inbox"))
    assert page.status_code == 200
    assert dossier in page.context["waiting"]
    assert "Bản Tả Lèng" in page.content.decode()
    assert dossier not in login(people.district_police).get(reverse("dossiers:inbox")).context["waiting"]


def test_an_overdue_step_is_marked_in_the_inbox_when_the_programme_sets_a_deadline(walk, tree, login, people):
    from programmes.models import RouteFunction, RouteStep

    dossier = walk.to(walk.register(tree.ta_leng), State.SUBMITTED)
    Dossier.objects.filter(pk=dossier.pk).update(state_since=timezone.now() - dt.timedelta(days=20))
    page = login(people.commune_chair).get(reverse("dossiers:inbox"))
    assert "Quá hạn" not in page.content.decode()  # the programme sets no deadline: none is shown
    assert page.context["waiting"][0].deadline is None

    RouteStep.objects.create(
        programme=tree.programmes.phong_tho,
        unit_level="village",
        function=RouteFunction.REVIEW,
        deadline_days=15,
    )
    page = login(people.commune_chair).get(reverse("dossiers:inbox"))
    waiting = page.context["waiting"][0]
    assert waiting.deadline == timezone.localdate(waiting.state_since) + dt.timedelta(days=15)
    assert "Quá hạn" in page.content.decode()


def test_the_home_page_shows_waiting_dossiers_and_new_notifications(walk, tree, login, people):
    walk.to(walk.register(tree.ta_leng), State.SUBMITTED)
    page = login(people.commune_chair).get(reverse("home")).content.decode()
    assert "Hồ sơ chờ xử lý" in page and "Thông báo mới" in page


@pytest.mark.parametrize("outsider", ["other_police", "tanan_police", "city_police", "city_chair"])
def test_an_outsider_gets_404_on_every_page_of_a_dossier(walk, tree, login, people, outsider):
    dossier = walk.to(walk.register(tree.ta_leng), State.RECOGNISED)
    client = login(getattr(people, outsider))
    urls = [
        reverse("dossiers:detail", args=[dossier.pk]),
        reverse("dossiers:decision", args=[dossier.pk]),
    ]
    for url in urls:
        assert client.get(url).status_code == 404, url
    assert (
        client.post(
            reverse("dossiers:move", args=[dossier.pk, Move.REVOKE]), {"revoke-comment": "x"}
        ).status_code
        == 404
    )
    assert dossier not in client.get(reverse("dossiers:list")).context["dossiers"]


def test_documents_are_served_only_through_the_gate(walk, tree, login, people, settings):
    dossier = walk.register(tree.ta_leng)
    document = services.add_document(
        dossier_id=dossier.pk,
        user=people.commune_police,
        kind=DocumentKind.PROPOSAL,
        upload=SimpleUploadedFile("tờ trình.pdf", PDF),
    )
    url = reverse("dossiers:document", args=[dossier.pk, document.pk])
    assert settings.MEDIA_URL not in url
    response = login(people.district_police).get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert login(people.other_police).get(url).status_code == 404
    # The same document under another dossier's address is not found either.
    other = walk.register(tree.ho_sao)
    assert (
        login(people.commune_police)
        .get(reverse("dossiers:document", args=[other.pk, document.pk]))
        .status_code
        == 404
    )


def test_a_move_through_the_page_with_files(walk, tree, login, people):
    dossier = walk.register(tree.ta_leng)
    client = login(people.commune_police)
    response = client.post(
        reverse("dossiers:move", args=[dossier.pk, Move.SUBMIT]),
        {
            "submit-comment": "Kính trình",
            "submit-kind": DocumentKind.PROPOSAL,
            "submit-files": [SimpleUploadedFile("tt.pdf", PDF)],
        },
    )
    assert response.status_code == 302
    dossier.refresh_from_db()
    assert dossier.state == State.SUBMITTED
    assert dossier.documents.get().kind == DocumentKind.PROPOSAL


def test_a_return_without_reason_re_renders_with_a_vietnamese_error_and_changes_nothing(
    walk, tree, login, people
):
    dossier = walk.to(walk.register(tree.ta_leng), State.SUBMITTED)
    response = login(people.commune_chair).post(
        reverse("dossiers:move", args=[dossier.pk, Move.SEND_BACK]),
        {"send_back-comment": "", "send_back-kind": "other"},
    )
    assert response.status_code == 400
    assert "phải ghi rõ lý do" in response.content.decode()
    dossier.refresh_from_db()
    assert dossier.state == State.SUBMITTED


def test_a_wrong_file_type_is_refused_and_the_comment_typed_is_kept(walk, tree, login, people):
    dossier = walk.register(tree.ta_leng)
    response = login(people.commune_police).post(
        reverse("dossiers:move", args=[dossier.pk, Move.SUBMIT]),
        {
            "submit-comment": "Nội dung đã gõ",
            "submit-kind": "evidence",
            "submit-files": [SimpleUploadedFile("virus.exe", b"MZ")],
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "chỉ nhận tệp PDF, JPEG hoặc PNG" in page and "Nội dung đã gõ" in page
    assert Dossier.objects.get(pk=dossier.pk).state == State.DRAFT


def test_the_chair_signs_only_with_a_fresh_otp_code(walk, tree, login, people):
    from dossiers.signing import ensure_signer

    dossier = walk.to(walk.register(tree.ta_leng), State.APPRAISED_PASS)
    issue_proposal(dossier, people.district_police)
    ensure_signer(people.district_chair)
    client = login(people.district_chair)
    url = reverse("dossiers:move", args=[dossier.pk, Move.RECOGNISE])
    data = {
        "recognise-decided_on": timezone.localdate().isoformat(),
        "recognise-kind": "other",
    }
    code = otp_code(people.district_chair)
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    response = client.post(url, {**data, "recognise-otp_token": wrong})
    assert response.status_code == 400 and "OTP" in response.content.decode()
    assert not Decision.objects.exists()
    assert client.post(url, {**data, "recognise-otp_token": code}).status_code == 302
    decision = Decision.objects.get(dossier=dossier)
    assert decision.number == "01/QĐ-UBND"  # the register's first number this year
    # The same code cannot sign twice (a second dossier, same code).
    dossier2 = walk.to(walk.register(tree.ho_sao), State.APPRAISED_PASS)
    issue_proposal(dossier2, people.district_police)
    url2 = reverse("dossiers:move", args=[dossier2.pk, Move.RECOGNISE])
    response = client.post(url2, {**data, "recognise-otp_token": code})
    assert response.status_code == 400


def test_a_decision_file_changed_on_disk_is_not_served(walk, tree, login, people):
    dossier = walk.to(walk.register(tree.ta_leng), State.RECOGNISED)
    client = login(people.commune_police)
    url = reverse("dossiers:decision", args=[dossier.pk])
    response = client.get(url)
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    path = Decision.objects.get(dossier=dossier).file.path
    with open(path, "ab") as handle:
        handle.write(b"\n% tampered\n")
    response = client.get(url)
    assert response.status_code == 409
    assert "không còn nguyên vẹn" in response.content.decode()


def test_the_register_page_opens_a_dossier(tree, login, people, clean):
    client = login(people.commune_police)
    target = (timezone.localdate() + dt.timedelta(days=90)).isoformat()
    response = client.post(
        reverse("dossiers:register"),
        {"area": tree.ta_leng.pk, "target_date": target},
    )
    dossier = Dossier.objects.get(area=tree.ta_leng)
    assert response.status_code == 302 and response["Location"] == dossier.get_absolute_url()
    # A village of another commune is not even offered.
    page = client.get(reverse("dossiers:register"))
    assert tree.co_muong not in page.context["form"].fields["area"].queryset


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_inbox_list_and_dossier_page_run_a_constant_number_of_queries(walk, tree, login, people):
    from tests.factories import AreaFactory

    first = walk.to(walk.register(tree.ta_leng), State.SUBMITTED)
    client = login(people.commune_chair)
    urls = [reverse("dossiers:inbox"), reverse("dossiers:list"), reverse("dossiers:detail", args=[first.pk])]
    small = [_queries(client, url) for url in urls]
    for n in range(8):
        village = make_clean(AreaFactory(level="village", name=f"Bản Thêm {n}", parent=tree.hoang_then))
        dossier = walk.to(walk.register(village), State.SUBMITTED)
        services.add_document(
            dossier_id=first.pk,
            user=people.commune_chair,
            kind=DocumentKind.REVIEW_MINUTES,
            upload=SimpleUploadedFile(f"bb{n}.pdf", PDF),
        )
        assert dossier.state == State.SUBMITTED
    walk.step(first, Move.SEND_BACK, people.commune_chair, comment="Bổ sung")
    walk.step(first, Move.SUBMIT, people.commune_police)
    large = [_queries(client, url) for url in urls]
    assert large == small, (small, large)


def test_each_role_finds_only_what_waits_for_it(walk, tree, login, people):
    under = walk.to(walk.register(tree.ta_leng), State.UNDER_APPRAISAL)
    submitted = walk.to(walk.register(tree.ho_sao), State.SUBMITTED)

    def waiting(user):
        return set(login(user).get(reverse("dossiers:inbox")).context["waiting"])

    # A co-appraising body finds a dossier when it is asked for its opinion, until it answers.
    assert waiting(people.labour) == set()
    services.request_opinions(
        dossier_id=under.pk,
        user=people.district_police,
        body_ids=[tree.bodies.labour.pk],
        due_on=timezone.localdate() + dt.timedelta(days=5),
    )
    assert waiting(people.labour) == {under}
    assert waiting(people.health) == set()
    assert waiting(people.district_police) == {under}
    assert waiting(people.commune_chair) == {submitted}
    assert waiting(people.commune_police) == set()
    assert waiting(people.district_chair) == set()
    assert waiting(people.province) == set()
    assert waiting(people.city_police) == set()
    # The province observer reads every dossier of the province but has nothing to act on.
    listed = set(login(people.province).get(reverse("dossiers:list")).context["dossiers"])
    assert listed == {under, submitted}
    page = login(people.province).get(reverse("dossiers:detail", args=[under.pk]))
    assert (
        page.status_code == 200 and page.context["move_forms"] == [] and page.context["opinion_form"] is None
    )


def test_the_appraisers_pages_run_a_constant_number_of_queries(walk, tree, login, people):
    """Inbox and dossier page of the appraising body and of a co-appraising body asked for its
    opinion: as many queries with one dossier, request and opinion as with nine and many more."""
    from tests.factories import AreaFactory

    due = timezone.localdate() + dt.timedelta(days=5)

    def under_appraisal(area):
        dossier = walk.to(walk.register(area), State.UNDER_APPRAISAL)
        services.request_opinions(
            dossier_id=dossier.pk,
            user=people.district_police,
            body_ids=[tree.bodies.labour.pk, tree.bodies.health.pk],
            due_on=due,
        )
        return dossier

    first = under_appraisal(tree.ta_leng)
    services.add_opinion(dossier_id=first.pk, user=people.health, agrees=False, text="Chưa đủ")
    police, labour = login(people.district_police), None
    urls = [reverse("dossiers:inbox"), reverse("dossiers:detail", args=[first.pk])]
    small = [_queries(police, url) for url in urls]
    labour = login(people.labour)
    small_labour = [_queries(labour, url) for url in urls]
    police = login(people.district_police)
    for n in range(8):
        village = make_clean(AreaFactory(level="village", name=f"Bản Thẩm {n}", parent=tree.hoang_then))
        under_appraisal(village)
        services.add_opinion(dossier_id=first.pk, user=people.health, agrees=n % 2 == 0, text=f"Ý kiến {n}")
    walk.step(first, Move.REQUEST_SUPPLEMENT, people.district_police, comment="Bổ sung", fix_criteria=[1, 2])
    walk.step(first, Move.RESUBMIT, people.commune_police)
    walk.step(first, Move.FORWARD, people.commune_chair)
    walk.step(first, Move.ACCEPT, people.district_police)
    services.request_opinions(
        dossier_id=first.pk, user=people.district_police, body_ids=[tree.bodies.health.pk], due_on=due
    )
    large = [_queries(police, url) for url in urls]
    assert large == small, (small, large)
    labour = login(people.labour)
    assert [_queries(labour, url) for url in urls] == small_labour
