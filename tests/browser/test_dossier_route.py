"""One village from registration to a signed recognition, clicked through by four people:
the commune police, the commune chair, the district police (who returns it once for
supplementation) and the district chair, who signs with a code from their authenticator."""

from __future__ import annotations

import datetime as dt
import subprocess
from pathlib import Path

import pytest
from django.utils import timezone

from dossiers.models import Decision, Dossier
from dossiers.signing import ensure_signer
from tests.browser.conftest import ARTIFACTS
from tests.browser.papers import finalise_appraisers_submission
from tests.dossiers.conftest import make_clean, otp_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.VAR_DIR = tmp_path / "var"


def _as(page, sign_in, username):
    page.context.clear_cookies()
    sign_in(username)


SENT_UP = {"submit", "resubmit", "forward"}


def _send_up(page, move, comment="", files=None, explanation=""):
    """A move that sends the dossier up passes through its confirmation page (the readiness panel)."""
    with page.expect_navigation():
        page.locator(f"a[href$='/gui/{move}/']").click()
    assert page.get_by_test_id("readiness").is_visible()
    if comment:
        page.locator(f"textarea[name='{move}-comment']").fill(comment)
    if explanation:
        page.locator(f"textarea[name='{move}-explanation']").fill(explanation)
    if files:
        page.locator(f"input[name='{move}-files']").set_input_files(files)
    with page.expect_navigation():
        page.get_by_role("button", name="Xác nhận").click()


def _move(page, move, comment="", files=None):
    if move in SENT_UP:
        return _send_up(page, move, comment, files)
    form = page.locator(f"form[action$='/buoc/{move}/']")
    if comment:
        form.locator(f"textarea[name='{move}-comment']").fill(comment)
    if files:
        form.locator(f"input[name='{move}-files']").set_input_files(files)
    # Wait for the navigation the submit starts, not the load state of the page already shown.
    with page.expect_navigation():
        form.locator("button[type=submit]").click()


def _open_from_inbox(page, live_server, village="Bản Tả Lèng"):
    page.goto(f"{live_server.url}/ho-so/")
    with page.expect_navigation():
        page.get_by_role("link", name=village).first.click()


def _state(page) -> str:
    return page.get_by_test_id("state").inner_text()


def test_a_village_goes_from_registration_to_a_signed_recognition(
    tree, people, page, sign_in, screenshot, live_server, tmp_path
):
    make_clean(tree.ta_leng)
    ensure_signer(people.district_chair)
    tree.programmes.phong_tho.phases.create(
        number=3,
        name="Giai đoạn 03: từ năm 2026 đến hết năm 2028",
        starts_on=dt.date(2026, 1, 1),
        ends_on=dt.date(2028, 12, 31),
        target_level="commune",
        target_kind="percent",
        target_value=60,
    )
    proposal = tmp_path / "to-trinh.pdf"
    proposal.write_bytes(PDF)
    minutes = tmp_path / "bien-ban-hop-xet.pdf"
    minutes.write_bytes(PDF)

    # Commune police register the village and submit the dossier with its proposal.
    _as(page, sign_in, "cax")
    page.goto(f"{live_server.url}/ho-so/dang-ky/")
    page.get_by_label("Đơn vị đăng ký").select_option(label="Bản Tả Lèng")
    # The phases offered are those of the programme governing the commune.
    page.get_by_label("Giai đoạn kế hoạch").select_option(
        label="Giai đoạn 03: từ năm 2026 đến hết năm 2028 — 174/KH-UBND"
    )
    page.get_by_label("Thời hạn đạt tiêu chí").fill(
        (timezone.localdate() + dt.timedelta(days=120)).isoformat()
    )
    with page.expect_navigation():
        page.get_by_role("button", name="Đăng ký và lập hồ sơ").click()
    assert _state(page) == "Công an xã đang chuẩn bị"
    screenshot("dossier-1-registered")
    _move(page, "submit", "Kính trình Chủ tịch UBND xã.", [str(proposal)])
    assert _state(page) == "Đã trình Chủ tịch UBND xã"
    assert page.get_by_text("Kết quả chấm điểm khi trình").is_visible()

    # The commune chair finds it in the inbox and forwards it.
    _as(page, sign_in, "ctx")
    page.goto(f"{live_server.url}/ho-so/")
    assert page.get_by_role("heading", name="Việc cần xử lý").is_visible()
    screenshot("dossier-2-chair-inbox")
    _open_from_inbox(page, live_server)
    _move(page, "forward", "UBND xã đã họp xét, thống nhất đề nghị.")
    assert _state(page) == "Đã chuyển cơ quan thẩm định"

    # The district police accept it and return it for supplementation.
    _as(page, sign_in, "cah")
    _open_from_inbox(page, live_server)
    _move(page, "accept")
    assert _state(page) == "Đang thẩm định"
    _move(page, "request_supplement")  # no reason: refused, nothing changes
    assert page.get_by_text("phải ghi rõ lý do").first.is_visible()
    screenshot("dossier-3-return-needs-reason")
    _move(page, "request_supplement", "Đề nghị bổ sung biên bản họp xét.")
    assert _state(page) == "Yêu cầu bổ sung hồ sơ"

    # The commune police see it came back, add the minutes and resubmit.
    _as(page, sign_in, "cax")
    assert page.get_by_text("Thông báo mới").is_visible()
    _open_from_inbox(page, live_server)
    _move(page, "resubmit", "Đã bổ sung biên bản họp xét.", [str(minutes)])
    assert _state(page) == "Đã trình Chủ tịch UBND xã"

    _as(page, sign_in, "ctx")
    _open_from_inbox(page, live_server)
    _move(page, "forward", "Chuyển lại hồ sơ đã bổ sung.")

    # The district police appraise criterion by criterion and conclude "đạt".
    _as(page, sign_in, "cah")
    _open_from_inbox(page, live_server)
    _move(page, "accept")
    assert page.get_by_role("heading", name="Thẩm định từng tiêu chí").is_visible()
    screenshot("dossier-4-appraisal")
    _move(page, "appraise_pass", "Hồ sơ đạt đủ tiêu chí.")
    assert _state(page) == "Thẩm định đạt"
    finalise_appraisers_submission(page, page.url)

    # The district chair signs the decision with a fresh code; its number comes from the register.
    _as(page, sign_in, "cth")
    _open_from_inbox(page, live_server)
    form = page.locator("form[action$='/buoc/recognise/']")
    form.get_by_label("Mã xác thực (OTP)").fill(otp_code(people.district_chair))
    # Wait for the navigation the submit starts, not the load state of the page already shown.
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    assert _state(page) == "Đã công nhận"
    assert page.get_by_role("link", name="Quyết định đã ký số (PDF)").is_visible()
    screenshot("dossier-5-recognised")

    dossier = Dossier.objects.get(area=tree.ta_leng)
    assert [e.move for e in dossier.events.all()] == [
        "register", "submit", "forward", "accept", "request_supplement", "resubmit", "forward", "accept",
        "appraise_pass", "recognise",
    ]  # fmt: skip
    response = page.request.get(f"{live_server.url}/ho-so/{dossier.pk}/quyet-dinh.pdf")
    assert response.status == 200
    decision_pdf = ARTIFACTS / "dossier-decision.pdf"
    decision_pdf.write_bytes(response.body())
    assert response.body() == Path(Decision.objects.get(dossier=dossier).file.path).read_bytes()
    assert (
        "Signature is Valid"
        in subprocess.run(["pdfsig", str(decision_pdf)], capture_output=True, text=True).stdout
    )
    subprocess.run(
        [
            "pdftoppm",
            "-r",
            "60",
            "-png",
            "-singlefile",
            str(decision_pdf),
            str(ARTIFACTS / "dossier-decision"),
        ],
        check=True,
    )
    assert (ARTIFACTS / "dossier-decision.png").stat().st_size > 10_000
