"""The PDF is an official document in the shipped font; the text comes back with its diacritics."""

import shutil
import subprocess

import pytest

from programmes.models import ReportKind
from reports import services, tasks

pytestmark = pytest.mark.django_db


@pytest.fixture
def pdf_path(tree, people, plan, recognised_ta_leng, monkeypatch):
    monkeypatch.setattr(tasks.build_report, "delay", lambda report_id: None)
    report, _ = services.request_report(
        user=people.district_police,
        kind=ReportKind.PHASE_SUMMARY,
        unit=tree.phong_tho,
        phase=plan.phases.get(number=1),
        difficulties="Địa bàn rộng, giao thông khó khăn.",
        proposals="Đề nghị hỗ trợ kinh phí mua test thử.",
    )
    return services.build_report(report_id=report.pk).pdf.path


def _run(*args):
    assert shutil.which(args[0]), f"{args[0]} (poppler-utils) is required: scripts/ensure-system-packages"
    return subprocess.run(args, capture_output=True, text=True, check=True).stdout


def test_pdf_text_keeps_vietnamese_diacritics_and_official_form(pdf_path):
    text = _run("pdftotext", "-layout", pdf_path, "-")
    for expected in [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "ỦY BAN NHÂN DÂN",
        "/BC-UBND",
        "Phong Thổ, ngày",
        "BÁO CÁO",
        "Sơ kết giai đoạn 01",
        "1/3 thôn, bản = 33,3 %",
        "125/QĐ-UBND",
        "Địa bàn rộng, giao thông khó khăn.",
        "Nơi nhận:",
        "TM. ỦY BAN NHÂN DÂN",
        "PHỤ LỤC",
        "Bản Tả Lèng",
    ]:
        assert expected in text, expected


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
