"""Steps on the papers of a dossier that the browser walks share."""

from __future__ import annotations

SUBMISSION = "Tờ trình đề nghị công nhận của cơ quan thẩm định"


def finalise_appraisers_submission(page, dossier_url: str) -> None:
    """The appraising police draft their tờ trình to the chair from the dossier's "Văn bản" card
    and finalise it (a number in their register): the chair cannot sign without it."""
    page.goto(dossier_url)
    row = page.get_by_test_id("papers").locator("li", has_text=SUBMISSION)
    with page.expect_navigation():
        row.get_by_role("button", name="Soạn văn bản").click()
    with page.expect_navigation():
        page.get_by_role("button", name="Hoàn thành, vào sổ văn bản đi").click()
    assert page.get_by_text("Đã hoàn thành văn bản, vào sổ số").is_visible()
