"""The decision PDF: official form, embedded Vietnamese font, a valid digital signature, stored
unchanged; and the appraisal minutes."""

from __future__ import annotations

import datetime as dt
import hashlib
import subprocess

from django.utils import timezone

from dossiers import services
from dossiers.decisions import appraisal_minutes_pdf
from dossiers.documents import document_number, place_and_date
from dossiers.route import Move, State
from tests.factories import DrugPointFactory, UserFactory


def _run(*args: str) -> str:
    return subprocess.run(args, capture_output=True, text=True, check=False).stdout


def test_dates_and_numbers_follow_the_decree():
    assert place_and_date("Phong Thổ", dt.date(2024, 2, 5)) == "Phong Thổ, ngày 05 tháng 02 năm 2024"
    assert place_and_date("Phong Thổ", dt.date(2024, 12, 10)) == "Phong Thổ, ngày 10 tháng 12 năm 2024"
    assert place_and_date("Hải Phòng", dt.date(2026, 3, 9)) == "Hải Phòng, ngày 09 tháng 3 năm 2026"
    assert document_number("7") == "07" and document_number("125") == "125"


def test_the_signed_decision_is_valid_embeds_its_font_and_reads_back_in_vietnamese(walk, tree, people):
    dossier = walk.to(walk.register(tree.ta_leng), State.RECOGNISED)
    decision = dossier.decision
    path = decision.file.path
    with open(path, "rb") as handle:
        data = handle.read()
    assert hashlib.sha256(data).hexdigest() == decision.sha256

    signature = _run("pdfsig", path)
    assert "Signature is Valid" in signature
    assert people.district_chair.display_name in signature

    fonts = [line.split() for line in _run("pdffonts", path).splitlines()[2:]]
    assert fonts and all("Tinos" in row[0] for row in fonts)
    assert all(row[-5] == "yes" for row in fonts)  # the "emb" column

    text = " ".join(_run("pdftotext", "-layout", path, "-").split())
    for expected in [
        "ỦY BAN NHÂN DÂN",
        "HUYỆN PHONG THỔ",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Số: 12/QĐ-UBND",
        f"Phong Thổ, ngày {timezone.localdate().day:02d}",
        "QUYẾT ĐỊNH",
        # Decided after 01/07/2025: the wording of the reform ("không ma túy").
        "Về việc công nhận bản Tả Lèng, xã Hoang Thèn đạt tiêu chí “không ma túy”",
        # The bases are the programme's, and only those.
        "Căn cứ Kế hoạch số 1246/KH-UBND của UBND huyện Phong Thổ",
        "Theo đề nghị của Trưởng Công an huyện Phong Thổ",
        "Điều 1. Công nhận bản Tả Lèng, xã Hoang Thèn, huyện Phong Thổ",
        "Điều 3.",
        "Nơi nhận:",
        "TM. ỦY BAN NHÂN DÂN",
        "CHỦ TỊCH",
    ]:
        assert expected in text, expected


def test_a_decision_of_the_city_without_a_district_names_the_city(walk, tree, people):
    chair = UserFactory(username="ctx_tanan", role="commune_chair", area=tree.tan_an)
    dossier = walk.register(tree.trai_mua, user=people.tanan_police)
    dossier = walk.to(
        dossier,
        State.RECOGNISED,
        police=people.tanan_police,
        chair=chair,
        appraiser=people.city_police,
        decider=people.city_chair,
    )
    text = " ".join(_run("pdftotext", dossier.decision.file.path, "-").split())
    assert "THÀNH PHỐ HẢI PHÒNG" in text and "Hải Phòng, ngày" in text
    assert "thôn Trại Mũa, xã Tân An" in text
    assert "Signature is Valid" in _run("pdfsig", dossier.decision.file.path)


def test_the_appraisal_minutes_list_each_criterion_the_overrule_reason_and_the_opinions(
    walk, tree, people, tmp_path
):
    dossier = walk.to(walk.register(tree.ta_leng), State.UNDER_APPRAISAL)
    DrugPointFactory(village=tree.ta_leng, found_on=timezone.localdate() - dt.timedelta(days=1))
    services.record_finding(
        dossier_id=dossier.pk,
        user=people.district_police,
        number=1,
        status="met",
        reason="Đã triệt xóa ngày kiểm tra",
    )
    services.add_opinion(dossier_id=dossier.pk, user=people.health, agrees=True, text="Thống nhất đề nghị")
    dossier = walk.step(dossier, Move.APPRAISE_PASS, people.district_police)
    path = tmp_path / "bb.pdf"
    path.write_bytes(appraisal_minutes_pdf(dossier))
    text = " ".join(_run("pdftotext", str(path), "-").split())
    assert (
        "BIÊN BẢN THẨM ĐỊNH" in text and "CÔNG AN TỈNH LAI CHÂU" in text and "CÔNG AN HUYỆN PHONG THỔ" in text
    )
    assert "Đã triệt xóa ngày kiểm tra" in text
    assert "Trung tâm Y tế" in text and "Thống nhất đề nghị" in text
    assert "đề nghị xem xét, quyết định công nhận" in text
