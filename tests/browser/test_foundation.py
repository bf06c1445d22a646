import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_commune_police_signs_in_and_opens_their_commune(
    tree, people, page, sign_in, screenshot, live_server
):
    sign_in("cax")
    screenshot("home-commune-police")
    assert page.get_by_role("heading", name="Việc cần xử lý").is_visible()
    with page.expect_navigation():
        page.locator("a.nav-link", has_text="Địa bàn").click()
    assert page.get_by_role("heading", name="Xã Hoang Thèn").is_visible()
    assert page.get_by_role("link", name="Bản Tả Lèng").is_visible()
    shot = screenshot("commune-page")
    assert shot.stat().st_size > 10_000  # a rendered page, not a blank one

    # Another commune is out of reach.
    response = page.goto(f"{live_server.url}/dia-ban/{tree.muong_so.pk}/")
    assert response.status == 404
    assert page.get_by_text("nằm ngoài địa bàn").is_visible()


def test_wrong_password_shows_a_vietnamese_error(tree, people, page, sign_in):
    sign_in("cax", "sai-mat-khau")
    assert page.get_by_text("mật khẩu chính xác").is_visible()
