"""Issue 13 clicked through, on a desktop (1366×768) and on a phone (390×844): a dossier that
lacks a required paper is refused at its confirmation step, goes up, is returned once with what
to fix named at its top, comes back, is appraised in one form after an opinion request answered
"không thống nhất" (the pass then needs a reason), and is signed by the chair.

Screenshots go to $WORKFLOW_SHOTS (default test-artifacts/workflow/)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from dossiers.models import Dossier
from dossiers.route import Move
from dossiers.signing import ensure_signer
from programmes.models import RequiredComponent
from tests.browser.conftest import ARTIFACTS
from tests.browser.papers import finalise_appraisers_submission
from tests.dossiers.conftest import Walker, make_clean, otp_code

from .test_dossier_route import _as, _move, _send_up, _state

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
SHOTS = Path(os.environ.get("WORKFLOW_SHOTS") or ARTIFACTS / "workflow")
SCREENS = {"desktop": {"width": 1366, "height": 768}, "phone": {"width": 390, "height": 844}}


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.VAR_DIR = tmp_path / "var"


def _open(page, live_server, dossier):
    page.goto(f"{live_server.url}{dossier.get_absolute_url()}")


def _fits(page):
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"] + 1, f"{page.url} is {width}px wide"


@pytest.mark.parametrize("screen", list(SCREENS))
def test_a_dossier_with_a_return_a_disagreeing_opinion_and_a_signature(
    screen, tree, people, page, sign_in, live_server, tmp_path
):
    page.set_viewport_size(SCREENS[screen])
    SHOTS.mkdir(parents=True, exist_ok=True)

    def shot(name):
        _fits(page)
        page.screenshot(path=str(SHOTS / f"{screen}-{name}.png"), full_page=True)

    make_clean(tree.ta_leng)
    ensure_signer(people.district_chair)
    RequiredComponent.objects.create(
        programme=tree.programmes.phong_tho, unit_level="village", kind="proposal", note="cấu hình thử"
    )
    dossier = Walker(people).register(tree.ta_leng)
    proposal = tmp_path / "to-trinh.pdf"
    proposal.write_bytes(PDF)

    # The commune police try to send it without its proposal: the confirmation step refuses.
    _as(page, sign_in, "cax")
    _open(page, live_server, dossier)
    with page.expect_navigation():
        page.locator("a[href$='/gui/submit/']").click()
    assert "còn thiếu" in page.get_by_test_id("readiness").inner_text()
    assert page.get_by_test_id("refusal").is_visible()
    assert page.get_by_role("button", name="Xác nhận").is_disabled()
    shot("1-readiness-missing")
    _open(page, live_server, dossier)
    page.locator("form[action$='/tai-lieu/'] select[name='kind']").select_option("proposal")
    page.locator("form[action$='/tai-lieu/'] input[type=file]").set_input_files(str(proposal))
    with page.expect_navigation():
        page.get_by_role("button", name="Bổ sung tài liệu").click()
    _send_up(page, "submit", "Kính trình Chủ tịch UBND xã.")
    assert _state(page) == "Đã trình Chủ tịch UBND xã"

    _as(page, sign_in, "ctx")
    _open(page, live_server, dossier)
    _move(page, "forward", "UBND xã đã họp xét.")

    # The appraising police accept it and return it, naming the criterion and the paper to fix.
    _as(page, sign_in, "cah")
    _open(page, live_server, dossier)
    _move(page, "accept")
    form = page.locator("form[action$='/buoc/request_supplement/']")
    form.locator("textarea[name='request_supplement-comment']").fill("Biên bản họp xét chưa có chữ ký.")
    form.locator("input[name='request_supplement-fix_criteria'][value='6']").check()
    form.locator("input[name='request_supplement-fix_documents'][value='review_minutes']").check()
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    assert _state(page) == "Yêu cầu bổ sung hồ sơ"

    # The commune police see why at the top of the dossier, and in the notification.
    _as(page, sign_in, "cax")
    page.goto(f"{live_server.url}/ho-so/")
    assert page.get_by_text("bị trả lại, yêu cầu bổ sung").first.is_visible()
    shot("2-inbox-returned")
    _open(page, live_server, dossier)
    banner = page.get_by_test_id("open-return")
    assert "Biên bản họp xét chưa có chữ ký." in banner.inner_text()
    assert "Tiêu chí 6" in banner.inner_text() and "Biên bản họp xét" in banner.inner_text()
    # Above the fold: the banner first, the action box before the history.
    assert banner.bounding_box()["y"] < 400
    actions = page.get_by_test_id("actions").bounding_box()
    history = page.get_by_role("heading", name="Quá trình xử lý").bounding_box()
    assert actions["y"] < history["y"]
    shot("3-return-at-top")
    _send_up(page, "resubmit", "Đã bổ sung biên bản họp xét.", [str(proposal)])
    assert page.get_by_test_id("open-return").count() == 0

    _as(page, sign_in, "ctx")
    _open(page, live_server, dossier)
    _move(page, "forward", "Chuyển lại hồ sơ đã bổ sung.")

    # The appraiser asks Phòng LĐ-TB&XH for an opinion by a date.
    _as(page, sign_in, "cah")
    _open(page, live_server, dossier)
    _move(page, "accept")
    request = page.locator("form[action*='/de-nghi-y-kien/']")
    request.get_by_label("Phòng Lao động - Thương binh và Xã hội huyện Phong Thổ").check()
    request.get_by_label("Hạn trả lời").fill("31/12/2099")
    with page.expect_navigation():
        request.get_by_role("button", name="Gửi đề nghị").click()
    assert "Chưa trả lời" in page.get_by_test_id("opinions").inner_text()

    # The department finds the request in its inbox, with its due date, and disagrees.
    _as(page, sign_in, "ld")
    page.goto(f"{live_server.url}/ho-so/")
    row = page.get_by_role("row", name="Bản Tả Lèng")
    assert "Cho ý kiến phối hợp thẩm định" in row.inner_text() and "31/12/2099" in row.inner_text()
    shot("4-department-inbox")
    _open(page, live_server, dossier)
    opinion = page.locator("form[action$='/y-kien/']")
    opinion.get_by_label("Không thống nhất").check()
    opinion.get_by_label("Nội dung ý kiến").fill("Chưa rà soát đủ người sau cai nghiện.")
    with page.expect_navigation():
        opinion.get_by_role("button", name="Gửi ý kiến").click()

    # The appraiser saves every criterion in one form; a pass against the disagreement needs a reason.
    _as(page, sign_in, "cah")
    _open(page, live_server, dossier)
    assert "Không thống nhất" in page.get_by_test_id("opinions").inner_text()
    appraisal = page.locator("form[action*='/tham-dinh/']")
    appraisal.locator("select[name='tc-0-status']").select_option("not_met")  # differs: no reason
    with page.expect_navigation():
        appraisal.get_by_role("button", name="Lưu kết quả thẩm định").click()
    errors = page.get_by_test_id("appraisal-errors")
    assert "Tiêu chí 1" in errors.inner_text()
    # The page opens at the error summary of the appraisal form (focused), not at its top.
    top = errors.evaluate("element => element.getBoundingClientRect().top")
    assert -2 <= top < page.viewport_size["height"], top
    shot("5-appraisal-errors")
    page.locator("select[name='tc-0-status']").select_option("met")
    with page.expect_navigation():
        page.get_by_role("button", name="Lưu kết quả thẩm định").click()
    assert page.get_by_text("Đã lưu kết quả thẩm định").is_visible()
    _move(page, "appraise_pass")
    assert page.get_by_text("không thống nhất: kết luận đạt phải ghi rõ lý do").first.is_visible()
    _move(page, "appraise_pass", "Đã rà soát lại: 100% người sau cai có hồ sơ quản lý.")
    assert _state(page) == "Thẩm định đạt"
    finalise_appraisers_submission(page, f"{live_server.url}{dossier.get_absolute_url()}")

    # The deciding chair signs (the number comes from the committee's register).
    _as(page, sign_in, "cth")
    page.goto(f"{live_server.url}/ho-so/")
    shot("6-chair-inbox")
    _open(page, live_server, dossier)
    sign = page.locator("form[action$='/buoc/recognise/']")
    sign.get_by_label("Mã xác thực (OTP)").fill(otp_code(people.district_chair))
    with page.expect_navigation():
        sign.locator("button[type=submit]").click()
    assert _state(page) == "Đã công nhận"
    shot("7-recognised")
    page.goto(f"{live_server.url}/ho-so/")
    assert page.get_by_role("link", name="Bản Tả Lèng").count() == 0  # finished: in the list only

    moves = [e.move for e in Dossier.objects.get(pk=dossier.pk).events.all()]
    assert moves == [
        "register", "submit", "forward", "accept", Move.REQUEST_SUPPLEMENT, "resubmit", "forward", "accept",
        "request_opinion", "opinion", "appraise_pass", "recognise",
    ]  # fmt: skip
