"""Commune police keep a person's record in the real browser: add, mark addict, open a file,
record a methadone treatment and a negative test, and read it all on the timeline."""

from __future__ import annotations

import pytest

from subjects.models import Person

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def save(page):
    with page.expect_navigation():
        page.get_by_role("button", name="Lưu").click()


def add_record(page, link_text: str):
    with page.expect_navigation():
        page.get_by_role("link", name=link_text).click()


def test_commune_police_keeps_a_persons_record_and_reads_the_timeline(
    tree, people, page, sign_in, screenshot
):
    sign_in("cax")
    with page.expect_navigation():
        page.locator("a.nav-link", has_text="Sổ theo dõi").click()
    screenshot("registers-index")
    page.get_by_role("link", name="Đối tượng").click()
    page.get_by_role("link", name="Thêm đối tượng").click()
    page.get_by_label("Họ và tên").fill("Giàng A Páo")
    page.get_by_label("Ngày sinh").fill("03/04/1992")
    page.get_by_label("Giới tính").select_option(label="Nam")
    page.get_by_label("Số CCCD").fill("012092000111")
    page.get_by_label("Thôn, bản nơi cư trú").select_option(label="Bản Hô Sáo")
    page.get_by_label("Loại cư trú").select_option(label="Thường trú")
    page.get_by_label("Cư trú từ ngày").fill("01/01/2000")
    screenshot("registers-person-form")
    save(page)
    assert page.get_by_role("heading", name="Giàng A Páo").is_visible()

    add_record(page, "Thêm diện quản lý")
    page.get_by_label("Diện").select_option(label="Người nghiện ma túy")
    page.get_by_label("Từ ngày").fill("05/01/2024")
    page.get_by_label("Căn cứ xác định").fill("Phiếu xác định tình trạng nghiện số 12")
    save(page)

    add_record(page, "Thêm hồ sơ quản lý")
    page.get_by_label("Loại hồ sơ").select_option(label="Người nghiện ma túy")
    page.get_by_label("Ngày lập").fill("10/01/2024")
    page.get_by_label("Người / tổ chức được giao quản lý").fill("Hội Phụ nữ bản Hô Sáo")
    save(page)

    add_record(page, "Thêm cai nghiện / điều trị")
    page.get_by_label("Hình thức").select_option(label="Điều trị thay thế (Methadone / Buprenorphine)")
    page.get_by_label("Thuốc thay thế").select_option(label="Methadone")
    page.get_by_label("Ngày bắt đầu").fill("15/01/2024")
    page.get_by_label("Cơ sở điều trị / cấp phát thuốc").fill("Cơ sở điều trị Methadone huyện Phong Thổ")
    page.get_by_label("Chấp hành tốt nội quy").select_option(label="Có")
    page.get_by_label("Có sử dụng chất ma túy khác").select_option(label="Không")
    save(page)

    add_record(page, "Thêm xét nghiệm chất ma túy")
    page.get_by_label("Ngày xét nghiệm").fill("01/02/2024")
    page.get_by_label("Kết quả").select_option(label="Âm tính")
    save(page)

    timeline = page.get_by_test_id("timeline")
    for text in (
        "Người nghiện ma túy",
        "Lập hồ sơ quản lý: người nghiện ma túy",
        "Điều trị thay thế (Methadone / Buprenorphine)",
        "Methadone",
        "Xét nghiệm: âm tính",
        "01/02/2024",
        "05/01/2024",
    ):
        assert timeline.get_by_text(text, exact=False).first.is_visible(), text
    assert page.get_by_test_id("cccd").inner_text() == "012092000111"
    shot = screenshot("registers-person-timeline")
    assert shot.stat().st_size > 10_000
    with page.expect_navigation():
        page.get_by_role("link", name="Đối tượng").first.click()
    row = page.get_by_role("row", name="Giàng A Páo")
    assert "••••••••0111" in row.inner_text() and "012092000111" not in page.content()
    assert "Người nghiện ma túy" in row.inner_text()
    screenshot("registers-person-list")
    person = Person.objects.get()
    assert (
        person.statuses.count(),
        person.files.count(),
        person.treatments.count(),
        person.tests.count(),
    ) == (
        1,
        1,
        1,
        1,
    )


def test_bad_input_shows_the_vietnamese_error_and_keeps_what_was_typed(
    tree, people, page, sign_in, screenshot, live_server
):
    sign_in("cax")
    page.goto(f"{live_server.url}/so-theo-doi/doi-tuong/them/")
    page.get_by_label("Họ và tên").fill("Lò Thị Mai")
    page.get_by_label("Ngày sinh").fill("07/06/1995")
    page.get_by_label("Giới tính").select_option(label="Nữ")
    page.get_by_label("Số CCCD").fill("12345")
    page.get_by_label("Thôn, bản nơi cư trú").select_option(label="Bản Tả Lèng")
    page.get_by_label("Loại cư trú").select_option(label="Tạm trú")
    page.get_by_label("Cư trú từ ngày").fill("01/01/2020")
    save(page)
    assert page.get_by_text("Số CCCD phải gồm đúng 12 chữ số.").is_visible()
    assert page.get_by_label("Họ và tên").input_value() == "Lò Thị Mai"
    assert page.get_by_label("Số CCCD").input_value() == "12345"
    assert page.get_by_label("Ngày sinh").input_value() == "07/06/1995"
    assert page.get_by_label("Loại cư trú").input_value() == "temporary"
    screenshot("registers-person-form-error")
    assert not Person.objects.exists()


def test_a_village_register_is_kept_and_its_history_read(
    tree, people, page, sign_in, screenshot, live_server
):
    from subjects.models import DrugPoint
    from tests.factories import PersonFactory

    PersonFactory(full_name="Sùng A Tủa", village=tree.ta_leng)
    sign_in("cax")
    page.goto(f"{live_server.url}/so-theo-doi/diem-ma-tuy/them/")
    page.get_by_label("Thôn, bản").select_option(label="Bản Tả Lèng")
    page.get_by_label("Loại").select_option(label="Điểm bán lẻ")
    page.get_by_label("Mô tả, vị trí").fill("Lán nương đầu bản")
    page.get_by_label("Ngày phát hiện").fill("01/03/2024")
    save(page)
    assert page.get_by_role("heading", name="Điểm bán lẻ: Lán nương đầu bản").is_visible()
    page.get_by_role("link", name="Sửa").click()
    page.get_by_label("Ngày triệt xóa").fill("20/04/2024")
    save(page)
    screenshot("registers-point-detail")
    with page.expect_navigation():
        page.get_by_role("link", name="Lịch sử thay đổi").click()
    assert page.get_by_role("cell", name="20/04/2024").is_visible()
    screenshot("registers-point-history")
    point = DrugPoint.objects.get()
    assert point.eliminated_on.isoformat() == "2024-04-20"

    # The person page is opened, then the district police read who opened it.
    page.goto(f"{live_server.url}/so-theo-doi/doi-tuong/")
    with page.expect_navigation():
        page.get_by_role("link", name="Sùng A Tủa").click()
    page.context.clear_cookies()
    sign_in("cah")
    with page.expect_navigation():
        page.locator("a.nav-link", has_text="Nhật ký truy cập").click()
    # One row for the list that named the persons, one for the person's page.
    assert page.get_by_role("cell", name="Xem hồ sơ", exact=True).count() == 2
    screenshot("registers-access-log")
