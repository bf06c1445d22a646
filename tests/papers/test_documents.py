"""Every paper of a recognised village's dossier, read back from its PDF with pdftotext: the parts
Nghị định 30/2020 makes mandatory for its form, and nothing in English or internal."""

from __future__ import annotations

import re
import subprocess

from django.utils import timezone

from papers.content import download_name
from papers.models import PaperKind

MOTTO = ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"]
CLOSING = "đã đọc lại cho những người có mặt cùng nghe và thống nhất ký tên"

# kind -> (issuing body lines, place, title, subject start, parts only its form has)
EXPECTED = {
    PaperKind.VILLAGE_MINUTES: (
        ["ỦY BAN NHÂN DÂN", "XÃ HOANG THÈN"],
        "Hoang Thèn",
        "BIÊN BẢN",
        "Họp bản Tả Lèng xét đề nghị công nhận bản Tả Lèng",
        [
            "Chủ trì: Lò Văn Minh, Trưởng bản Tả Lèng",
            "Thư ký: Lò Thị Mai",
            "tại Nhà văn hóa bản Tả Lèng",
            "THƯ KÝ",
            "CHỦ TRÌ",
            "Kết quả biểu quyết: 07/07",
            CLOSING,
        ],
    ),
    PaperKind.POSTING: (
        ["ỦY BAN NHÂN DÂN", "XÃ HOANG THÈN"],
        "Hoang Thèn",
        "BIÊN BẢN",
        "Kết thúc niêm yết công khai kết quả họp xét",
        [
            "Thời gian niêm yết: Từ ngày",
            "(5 ngày)",
            "Nơi niêm yết",
            "Không nhận được ý kiến phản ánh",
            "THƯ KÝ",
            "CHỦ TRÌ",
            CLOSING,
        ],
    ),
    PaperKind.UNIT_REPORT: (
        ["ỦY BAN NHÂN DÂN", "XÃ HOANG THÈN"],
        "Hoang Thèn",
        "BÁO CÁO",
        "Kết quả xây dựng bản Tả Lèng, xã Hoang Thèn",
        [
            "I. ĐẶC ĐIỂM TÌNH HÌNH",
            "II. CÁC BIỆN PHÁP ĐÃ TRIỂN KHAI",
            "III. KẾT QUẢ THỰC HIỆN CÁC TIÊU CHÍ",
            "IV. ĐỀ XUẤT, KIẾN NGHỊ",
            "Bộ tiêu chí tỉnh Lai Châu",
            "TM. ỦY BAN NHÂN DÂN",
            "CHỦ TỊCH",
        ],
    ),
    PaperKind.REVIEW_MINUTES: (
        ["ỦY BAN NHÂN DÂN", "XÃ HOANG THÈN"],
        "Hoang Thèn",
        "BIÊN BẢN",
        "Họp xét đề nghị công nhận bản Tả Lèng, xã Hoang Thèn",
        [
            "Chủ trì:",
            "Chủ tịch Ủy ban nhân dân xã Hoang Thèn",
            "Thư ký: Lò Thị Mai",
            "tại Hội trường Ủy ban nhân dân xã Hoang Thèn",
            "THƯ KÝ",
            "CHỦ TRÌ",
            CLOSING,
        ],
    ),
    PaperKind.COMMUNE_SUBMISSION: (
        ["ỦY BAN NHÂN DÂN", "XÃ HOANG THÈN"],
        "Hoang Thèn",
        "TỜ TRÌNH",
        "Về việc đề nghị thẩm định, công nhận bản Tả Lèng, xã Hoang Thèn",
        [
            "Kính gửi: Công an huyện Phong Thổ.",
            "Căn cứ Kế hoạch số 1246/KH-UBND",
            "Hồ sơ kèm theo:",
            "Báo cáo kết quả xây dựng số",
            "Biên bản họp xét số",
            "Biên bản niêm yết công khai số",
            "TM. ỦY BAN NHÂN DÂN",
            "CHỦ TỊCH",
        ],
    ),
    PaperKind.APPRAISAL_MINUTES: (
        ["CÔNG AN TỈNH LAI CHÂU", "CÔNG AN HUYỆN PHONG THỔ"],
        "Phong Thổ",
        "BIÊN BẢN",
        "Thẩm định hồ sơ đề nghị công nhận bản Tả Lèng, xã Hoang Thèn",
        [
            "tại Trụ sở Công an huyện Phong Thổ",
            "Chủ trì:",
            "Trưởng Công an huyện Phong Thổ",
            "Thư ký: Vàng A Sử",
            "đại diện Trung tâm Y tế huyện Phong Thổ",
            "Đoàn thẩm định kiểm tra hồ sơ",
            "Thống nhất đề nghị công nhận",
            "III. KẾT LUẬN",
            "đạt 8/8 tiêu chí",
            "CÁC THÀNH VIÊN THAM DỰ",
            "THƯ KÝ",
            "CHỦ TRÌ",
            CLOSING,
        ],
    ),
    PaperKind.APPRAISAL_SUBMISSION: (
        ["CÔNG AN TỈNH LAI CHÂU", "CÔNG AN HUYỆN PHONG THỔ"],
        "Phong Thổ",
        "TỜ TRÌNH",
        "Về việc đề nghị công nhận bản Tả Lèng, xã Hoang Thèn",
        [
            "Kính gửi: Chủ tịch Ủy ban nhân dân huyện Phong Thổ.",
            "Căn cứ Kế hoạch số 1246/KH-UBND",
            "Căn cứ Tờ trình số",
            "Biên bản thẩm định số",
            "TRƯỞNG CÔNG AN HUYỆN",
        ],
    ),
}


def text_of(path: str) -> str:
    out = subprocess.run(
        ["pdftotext", "-layout", path, "-"], capture_output=True, text=True, check=True
    ).stdout
    return re.sub(r"(\w)-\s+(\w)", r"\1-\2", " ".join(out.split()))


def test_every_paper_carries_the_mandatory_parts_of_its_form(recognised):
    assert set(recognised.papers) == set(EXPECTED)
    for kind, paper in recognised.papers.items():
        body_lines, place, title, subject, own = EXPECTED[kind]
        text = text_of(paper.file.path)
        day = paper.issued_on
        month = f"{day.month:02d}" if day.month < 3 else str(day.month)
        for expected in [
            *body_lines,
            *MOTTO,
            f"Số: {paper.entry.reference}",
            f"{place}, ngày {day.day:02d} tháng {month} năm {day.year}",
            title,
            subject,
            "Nơi nhận:",
            *own,
        ]:
            assert expected in text, (kind, expected)
        # The signer's name closes the signature block of every form.
        assert paper.sections.get("signer") or paper.sections.get("chair_name") in text, kind
        if kind in (PaperKind.COMMUNE_SUBMISSION, PaperKind.UNIT_REPORT):
            assert paper.sections["signer"] and paper.sections["signer"] in text


def test_the_numbers_come_from_each_body_register_in_order(recognised, tree):
    papers = recognised.papers
    commune = [
        papers[k]
        for k in (
            PaperKind.VILLAGE_MINUTES,
            PaperKind.POSTING,
            PaperKind.UNIT_REPORT,
            PaperKind.REVIEW_MINUTES,
            PaperKind.COMMUNE_SUBMISSION,
        )
    ]
    # One series for every kind of the commune committee's documents: 01 … 05 in the order issued.
    assert [p.entry.number for p in commune] == [1, 2, 3, 4, 5]
    assert [p.entry.reference for p in commune][-1] == "05/TTr-UBND"
    assert papers[PaperKind.APPRAISAL_MINUTES].entry.reference == "01/BB-CAH"
    assert papers[PaperKind.APPRAISAL_SUBMISSION].entry.reference == "02/TTr-CAH"
    assert all(p.entry.document == p for p in papers.values())
    assert recognised.dossier.decision.number == "01/QĐ-UBND"


ENGLISH = {
    "the",
    "and",
    "of",
    "for",
    "with",
    "to",
    "from",
    "none",
    "null",
    "true",
    "false",
    "draft",
    "page",
    "signed",
    "signature",
    "date",
    "number",
    "report",
    "minutes",
    "decision",
    "submission",
    "posting",
    "appraisal",
    "unit",
    "dossier",
    "paper",
    "kind",
    "final",
    "todo",
    "lorem",
    "ipsum",
    "nan",
    "undefined",
    "error",
    "village",
    "commune",
    "body",
    "title",
    "subject",
    "recipients",
    "sections",
    "chair",
    "secretary",
    "members",
    "vote",
}


def _bump_ids(*tables):
    """Start the ids of `tables` far from anything a document carries, so one found in a text is
    an internal id and not a coincidence."""
    from django.db import connection

    with connection.cursor() as cursor:
        for table in tables:
            if connection.vendor == "postgresql":
                cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), 987000)")
            else:
                cursor.execute("DELETE FROM sqlite_sequence WHERE name = %s", [table])
                cursor.execute("INSERT INTO sqlite_sequence (name, seq) VALUES (%s, 987000)", [table])


def test_no_document_or_file_name_carries_an_english_word_or_an_internal_id(
    walk, tree, people, asking_programme, login
):
    from django.urls import reverse

    _bump_ids(
        "dossiers_dossier",
        "dossiers_registration",
        "papers_paper",
        "dossiers_decision",
        "registry_outgoingentry",
        "dossiers_dossierevent",
    )
    from dossiers.route import Move, State
    from papers import services

    from .conftest import MEETING

    dossier = walk.register(tree.ta_leng)
    assert dossier.pk > 987000
    police, chair, appraiser = people.commune_police, people.commune_chair, people.district_police
    papers = [
        services.issue(
            dossier_id=dossier.pk,
            kind=PaperKind.VILLAGE_MINUTES,
            user=police,
            finaliser=chair,
            chair_name="Lò Văn Minh",
            **MEETING,
        ),
        services.issue(dossier_id=dossier.pk, kind=PaperKind.UNIT_REPORT, user=police, finaliser=chair),
        services.issue(
            dossier_id=dossier.pk, kind=PaperKind.REVIEW_MINUTES, user=police, finaliser=chair, **MEETING
        ),
        services.issue(dossier_id=dossier.pk, kind=PaperKind.COMMUNE_SUBMISSION, user=chair),
    ]
    dossier = walk.to(dossier, State.UNDER_APPRAISAL)
    dossier = walk.step(dossier, Move.APPRAISE_PASS, appraiser)
    papers.append(
        services.issue(
            dossier_id=dossier.pk,
            kind=PaperKind.APPRAISAL_MINUTES,
            user=appraiser,
            secretary_name="Vàng A Sử",
        )
    )
    dossier = walk.to(dossier, State.RECOGNISED)  # writes the appraising police's tờ trình too
    from papers.selectors import current_paper

    papers.append(current_paper(dossier, PaperKind.APPRAISAL_SUBMISSION))
    client = login(people.district_chair)
    files = {reverse("dossiers:decision", args=[dossier.pk]): dossier.decision.file.path}
    files.update({reverse("papers:file", args=[p.pk]): p.file.path for p in papers})
    ids = {
        str(n)
        for n in (
            dossier.pk,
            dossier.registration.pk,
            dossier.decision.pk,
            *(p.pk for p in papers),
            *(p.entry.pk for p in papers),
        )
    }
    for url, path in files.items():
        response = client.get(url)
        assert response.status_code == 200, url
        name = re.search(r'filename="([^"]+)"', response["Content-Disposition"]).group(1)
        assert re.fullmatch(r"(QD|TTr|BB|BC)-\d{2,}-\d{4}-ban-ta-leng-xa-hoang-then\.pdf", name), name
        text = text_of(path)
        words = set(re.findall(r"[a-z]+", (text + " " + name).lower()))
        assert not words & ENGLISH, (name, words & ENGLISH)
        numbers = set(re.findall(r"\d+", text + " " + name))
        assert not numbers & ids, (name, numbers & ids)


def test_download_names_are_number_kind_year_and_unit(recognised):
    paper = recognised.papers[PaperKind.APPRAISAL_SUBMISSION]
    year = timezone.localdate().year if paper.issued_on is None else paper.issued_on.year
    assert download_name(kind="TTr", number=2, year=year, dossier=recognised.dossier) == (
        f"TTr-02-{year}-ban-ta-leng-xa-hoang-then.pdf"
    )
    assert download_name(kind="QĐ", number=215, year=2026, dossier=recognised.dossier) == (
        "QD-215-2026-ban-ta-leng-xa-hoang-then.pdf"
    )
