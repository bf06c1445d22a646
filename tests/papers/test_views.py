"""The "Văn bản" card on the dossier page and the paper pages: the flow a commune officer and a
chair click through, downloads named by number, and nothing for anyone outside the dossier."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from papers import services
from papers.models import Paper, PaperKind

from .conftest import MEETING


@pytest.fixture
def dossier(walk, tree, asking_programme):
    return walk.register(tree.ta_leng)


def test_the_police_draft_edit_and_the_chair_finalise_a_paper_from_the_dossier_page(dossier, people, login):
    client = login(people.commune_police)
    page = client.get(reverse("dossiers:detail", args=[dossier.pk])).content.decode()
    assert "Văn bản" in page and "Báo cáo kết quả xây dựng" in page and "Soạn văn bản" in page
    response = client.post(reverse("papers:start", args=[dossier.pk, PaperKind.UNIT_REPORT]))
    paper = Paper.objects.get(dossier=dossier, kind=PaperKind.UNIT_REPORT)
    assert response.status_code == 302 and response["Location"] == reverse("papers:edit", args=[paper.pk])
    data = {**paper.sections, "proposal": "Đề nghị thẩm định, công nhận (đã sửa)."}
    assert client.post(reverse("papers:edit", args=[paper.pk]), data).status_code == 302
    paper.refresh_from_db()
    assert paper.sections["proposal"] == "Đề nghị thẩm định, công nhận (đã sửa)."
    preview = client.get(reverse("papers:preview", args=[paper.pk]))
    assert preview.status_code == 200 and preview.content.startswith(b"%PDF")
    # The police may not finalise: the page offers no button and the POST is refused.
    assert "Hoàn thành, vào sổ" not in client.get(reverse("papers:edit", args=[paper.pk])).content.decode()
    client.post(reverse("papers:finalise", args=[paper.pk]))
    paper.refresh_from_db()
    assert not paper.is_final

    chair = login(people.commune_chair)
    assert "Hoàn thành, vào sổ" in chair.get(reverse("papers:edit", args=[paper.pk])).content.decode()
    assert chair.post(reverse("papers:finalise", args=[paper.pk])).status_code == 302
    paper.refresh_from_db()
    assert paper.is_final and paper.entry.reference == "01/BC-UBND"
    response = chair.get(reverse("papers:file", args=[paper.pk]))
    year = timezone.localdate().year
    assert response["Content-Disposition"] == f'inline; filename="BC-01-{year}-ban-ta-leng-xa-hoang-then.pdf"'
    # Once finalised the page shows the text, not a form, and a replacement may be started.
    page = chair.get(reverse("papers:edit", args=[paper.pk])).content.decode()
    assert "Lưu bản nháp" not in page and "Lập văn bản thay thế" in page
    assert chair.post(reverse("papers:edit", args=[paper.pk]), data).status_code == 302
    paper.refresh_from_db()
    assert paper.sections["proposal"] == "Đề nghị thẩm định, công nhận (đã sửa)."


def test_finalising_with_missing_text_says_what_is_missing_and_keeps_the_draft(dossier, people, login):
    paper = services.start_draft(
        dossier_id=dossier.pk, kind=PaperKind.REVIEW_MINUTES, user=people.commune_police
    )
    response = login(people.commune_chair).post(reverse("papers:finalise", args=[paper.pk]))
    assert response.status_code == 400
    assert "Hãy ghi “Kết quả biểu quyết”" in response.content.decode()
    paper.refresh_from_db()
    assert not paper.is_final and paper.entry is None


@pytest.mark.parametrize("outsider", ["other_police", "tanan_police", "city_police", "city_chair"])
def test_an_outsider_gets_404_on_every_paper_page(dossier, people, login, outsider):
    paper = services.issue(
        dossier_id=dossier.pk,
        kind=PaperKind.REVIEW_MINUTES,
        user=people.commune_police,
        finaliser=people.commune_chair,
        **MEETING,
    )
    draft = services.start_draft(
        dossier_id=dossier.pk, kind=PaperKind.UNIT_REPORT, user=people.commune_police
    )
    client = login(getattr(people, outsider))
    for name, pk in [("edit", paper.pk), ("file", paper.pk), ("preview", draft.pk), ("edit", draft.pk)]:
        assert client.get(reverse(f"papers:{name}", args=[pk])).status_code == 404, name
    for name, pk in [("finalise", draft.pk), ("replace", paper.pk), ("edit", draft.pk)]:
        assert client.post(reverse(f"papers:{name}", args=[pk]), {}).status_code == 404, name
    assert client.post(reverse("papers:start", args=[dossier.pk, PaperKind.UNIT_REPORT])).status_code == 404


def test_a_paper_file_changed_on_disk_is_not_served(dossier, people, login):
    paper = services.issue(
        dossier_id=dossier.pk, kind=PaperKind.COMMUNE_SUBMISSION, user=people.commune_chair
    )
    with open(paper.file.path, "ab") as handle:
        handle.write(b"%")
    response = login(people.commune_police).get(reverse("papers:file", args=[paper.pk]))
    assert response.status_code == 409 and "không còn nguyên vẹn" in response.content.decode()


def test_the_dossier_page_reads_the_papers_in_a_constant_number_of_queries(dossier, people, login):
    client = login(people.commune_police)
    url = reverse("dossiers:detail", args=[dossier.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as before:
        client.get(url)
    police, chair = people.commune_police, people.commune_chair
    services.issue(dossier_id=dossier.pk, kind=PaperKind.UNIT_REPORT, user=police, finaliser=chair)
    services.issue(
        dossier_id=dossier.pk, kind=PaperKind.REVIEW_MINUTES, user=police, finaliser=chair, **MEETING
    )
    services.issue(dossier_id=dossier.pk, kind=PaperKind.COMMUNE_SUBMISSION, user=chair)
    services.start_draft(dossier_id=dossier.pk, kind=PaperKind.POSTING, user=police)
    with CaptureQueriesContext(connection) as after:
        page = client.get(url).content.decode()
    assert "01/BC-UBND" in page and "03/TTr-UBND" in page and "Bản nháp" in page
    assert len(after.captured_queries) <= len(before.captured_queries)
