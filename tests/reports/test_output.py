"""The PDF is an official document in the shipped font; the text comes back with its diacritics."""

import shutil
import subprocess

import pytest
from django.utils import timezone

from programmes.models import ReportKind
from reports import output

pytestmark = pytest.mark.django_db


@pytest.fixture
def issued(tree, people, plan, recognised_ta_leng, issue):
    plan.phases.filter(number=1).update(name="Giai đoạn 01: Từ Quý II/2024 đến hết năm 2024")
    return issue(
        people.district_police,
        kind=ReportKind.PHASE_SUMMARY,
        unit=tree.phong_tho,
        phase=plan.phases.get(number=1),
        texts={
            "causes": "Địa bàn rộng, giao thông khó khăn.",
            "proposals": "Đề nghị hỗ trợ kinh phí mua test thử.",
        },
    )


@pytest.fixture
def pdf_path(issued):
    return issued.pdf.path


def _run(*args):
    assert shutil.which(args[0]), f"{args[0]} (poppler-utils) is required: scripts/ensure-system-packages"
    return subprocess.run(args, capture_output=True, text=True, check=True).stdout


def test_pdf_text_keeps_vietnamese_diacritics_and_official_form(pdf_path):
    text = " ".join(_run("pdftotext", pdf_path, "-").split())
    for expected in [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "ỦY BAN NHÂN DÂN",
        "Số: 01/BC-UBND",
        f"Phong Thổ, ngày {timezone.localdate().day:02d}",
        "BÁO CÁO",
        "Sơ kết giai đoạn 01",
        "1/3 thôn, bản = 33,3 %",
        "125/QĐ-UBND",
        "Địa bàn rộng, giao thông khó khăn.",
        "UBND huyện Phong Thổ báo cáo kết quả sơ kết giai đoạn 01",
        "III. ĐÁNH GIÁ CHUNG",
        "Bài học kinh nghiệm",
        "Đề xuất khen thưởng",
        "IV. PHƯƠNG HƯỚNG, NHIỆM VỤ KỲ TỚI",
        "V. ĐỀ XUẤT, KIẾN NGHỊ",
        "cùng khoảng thời gian liền trước kỳ báo cáo",
        "Nơi nhận:",
        "UBND tỉnh Lai Châu (qua Công an tỉnh Lai Châu)",
        "TM. ỦY BAN NHÂN DÂN",
        "PHỤ LỤC",
        "Bản Tả Lèng",
    ]:
        assert expected in text, expected
    # Only bodies of the catalogue: the invented steering committee is gone; no lowercased titles.
    assert "Ban Chỉ đạo" not in text
    assert "Quý II/2024" in text and "quý ii" not in text


def test_pdf_embeds_the_shipped_tinos_font_only(pdf_path):
    fonts = _run("pdffonts", pdf_path).splitlines()[2:]
    assert fonts, "no font in the PDF"
    for line in fonts:
        name, *_rest = line.split()
        assert "Tinos" in name, line
        assert " yes yes " in line, line  # embedded, subset


def test_pdf_is_a4_with_a_landscape_appendix(pdf_path):
    info = _run("pdfinfo", "-f", "1", "-l", "99", pdf_path)
    sizes = [
        line.split(":", 1)[1].strip()
        for line in info.splitlines()
        if line.startswith("Page") and "size" in line
    ]
    assert sizes[0].startswith("595.276 x 841.89")
    assert sizes[-1].startswith("841.89 x 595.276")


def test_file_names_carry_number_unit_and_period_in_ascii(issued, tree, client, people):
    assert output.file_name(issued, "pdf") == "BC-01-phong-tho-so-ket-giai-doan-1-2024.pdf"
    client.force_login(people.district_police)
    response = client.get(f"/bao-cao/{issued.pk}/tai-ve/pdf/")
    assert response.status_code == 200
    assert 'filename="BC-01-phong-tho-so-ket-giai-doan-1-2024.pdf"' in response["Content-Disposition"]


def test_ascii_slug_drops_marks_and_d_stroke():
    assert output.ascii_slug("Phong Thổ") == "phong-tho"
    assert output.ascii_slug("Đào San") == "dao-san"
    assert output.ascii_slug("Mù Sang") == "mu-sang"


def _page_texts(pdf: bytes, tmp_path) -> list[str]:
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf)
    pages = _run("pdftotext", str(path), "-").split("\f")
    return [" ".join(page.split()) for page in pages]


def test_the_signature_block_never_stands_alone_on_a_page(tree, people, issue, tmp_path):
    """Texts of growing length push the end of the report across a page boundary: in every
    rendering the closing paragraph stays on the page of the signature block."""
    report = issue(people.commune_police, kind=ReportKind.ANNUAL, unit=tree.hoang_then, year=2024)
    from reports import services

    texts = services.texts_of(report)
    pushed = 0
    for lines in range(0, 40, 2):
        proposals = "\n".join(f"Đề xuất số {i + 1} về kinh phí, nhân lực." for i in range(lines))
        pdf = output.render_pdf(report, report.figures, {**texts, "proposals": proposals})
        pages = _page_texts(pdf, tmp_path)
        (signed,) = [i for i, page in enumerate(pages) if "TM. ỦY BAN NHÂN DÂN" in page]
        assert "Trên đây là báo cáo" in pages[signed], lines
        assert pages[signed].index("Trên đây là báo cáo") < pages[signed].index("TM. ỦY BAN NHÂN DÂN")
        if not pages[signed].split("Trên đây là báo cáo")[0].strip("0123456789 "):
            pushed += 1  # the closing paragraph opened its page: it went over with the signature
        if pushed:
            break
    assert pushed, "no length put the signature at a page end; the test did not exercise the rule"
