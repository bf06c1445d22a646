"""The decision PDF: official form, embedded Vietnamese font, two valid digital signatures (the
chair's and the organisation's), numbered in the deciding body's register, stored unchanged."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import subprocess

import pytest
from django.urls import reverse
from django.utils import timezone

from dossiers.documents import document_number, place_and_date
from dossiers.route import State
from dossiers.services import MoveRefused
from registry.models import DocumentKind, OutgoingEntry
from registry.services import reserve_number
from tests.factories import UserFactory

from .conftest import issue_proposal, otp_code


def _run(*args: str) -> str:
    return subprocess.run(args, capture_output=True, text=True, check=False).stdout


def _text(path: str) -> str:
    """The PDF's text on one line; a reference broken after its hyphen ("01/TTr-" / "CAH") joined."""
    return re.sub(r"(\w)-\s+(\w)", r"\1-\2", " ".join(_run("pdftotext", "-layout", path, "-").split()))


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
    # Two signatures, both valid: the chair's, then the organisation's (its seal).
    assert signature.count("Signature is Valid") == 2, signature
    assert people.district_chair.display_name in signature
    assert "Ủy ban nhân dân huyện Phong Thổ" in signature
    assert signature.count("ETSI.CAdES.detached") == 2  # PAdES

    fonts = [line.split() for line in _run("pdffonts", path).splitlines()[2:]]
    assert fonts and all("Tinos" in row[0] for row in fonts)
    assert all(row[-5] == "yes" for row in fonts)  # the "emb" column

    text = _text(path)
    for expected in [
        "ỦY BAN NHÂN DÂN",
        "HUYỆN PHONG THỔ",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        # The first number of the committee's register this year, not a typed or internal one.
        "Số: 01/QĐ-UBND",
        f"Phong Thổ, ngày {timezone.localdate().day:02d}",
        "QUYẾT ĐỊNH",
        # Decided after 01/07/2025: the wording of the reform ("không ma túy").
        "Về việc công nhận bản Tả Lèng, xã Hoang Thèn đạt tiêu chí “không ma túy”",
        # The bases are the programme's, and only those.
        "Căn cứ Kế hoạch số 1246/KH-UBND của UBND huyện Phong Thổ",
        "Theo đề nghị của Trưởng Công an huyện Phong Thổ tại Tờ trình số 01/TTr-CAH ngày",
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
    text = _text(dossier.decision.file.path)
    assert "THÀNH PHỐ HẢI PHÒNG" in text and "Hải Phòng, ngày" in text
    assert "thôn Trại Mũa, xã Tân An" in text
    # A city's police is headed by a Giám đốc, and the decision acts on its tờ trình.
    assert "Theo đề nghị của Giám đốc Công an thành phố Hải Phòng tại Tờ trình số 01/TTr-CATP" in text
    assert _run("pdfsig", dossier.decision.file.path).count("Signature is Valid") == 2


def test_the_decision_downloads_under_its_number_kind_year_and_unit_never_an_id(walk, tree, people, login):
    dossier = walk.to(walk.register(tree.ta_leng), State.RECOGNISED)
    response = login(people.district_chair).get(reverse("dossiers:decision", args=[dossier.pk]))
    year = timezone.localdate().year
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'inline; filename="QD-01-{year}-ban-ta-leng-xa-hoang-then.pdf"'


def test_the_chair_may_sign_under_a_number_reserved_by_hand_and_no_other(walk, tree, people):
    from dossiers import services

    dossier = walk.to(walk.register(tree.ta_leng), State.APPRAISED_PASS)
    issue_proposal(dossier, people.district_police)
    today = timezone.localdate()
    chair = people.district_chair
    from dossiers.signing import ensure_signer

    ensure_signer(chair)
    with pytest.raises(MoveRefused, match="chưa được giữ chỗ"):
        services.move(
            dossier_id=dossier.pk,
            move="recognise",
            user=chair,
            reserved_number="215",
            otp_token=otp_code(chair),
        )
    reserve_number(
        body=tree.bodies.district_committee,
        kind=DocumentKind.DECISION,
        number=215,
        on=today,
        summary="Giữ số trong sổ giấy",
        by=chair,
    )
    dossier = services.move(
        dossier_id=dossier.pk, move="recognise", user=chair, reserved_number="215", otp_token=otp_code(chair)
    )
    assert dossier.decision.number == "215/QĐ-UBND"
    entry = OutgoingEntry.objects.get(body=tree.bodies.district_committee, number=215)
    assert entry.document == dossier.decision
    assert "Số: 215/QĐ-UBND" in _text(dossier.decision.file.path)


def test_no_decision_without_the_appraising_police_tờ_trình(walk, tree, people):
    from dossiers import services
    from dossiers.signing import ensure_signer

    dossier = walk.to(walk.register(tree.ta_leng), State.APPRAISED_PASS)
    chair = people.district_chair
    ensure_signer(chair)
    with pytest.raises(MoveRefused, match="Chưa có Tờ trình đề nghị công nhận của Công an huyện Phong Thổ"):
        services.move(dossier_id=dossier.pk, move="recognise", user=chair, otp_token=otp_code(chair))
    assert not OutgoingEntry.objects.filter(body=tree.bodies.district_committee).exists()
