"""Vietnamese also when something goes wrong: the error pages in the app's layout, a word after
signing out, a warning before the attempt that locks an account and a way back from the lockout."""

from __future__ import annotations

import pytest
from django.test import RequestFactory
from django.urls import reverse
from django.views import defaults
from django.views.csrf import csrf_failure

LAYOUT_MARK = 'class="navbar-brand"'


@pytest.fixture
def production(settings):
    settings.DEBUG = False
    settings.ALLOWED_HOSTS = ["testserver"]


def test_an_unknown_address_gets_the_vietnamese_404_in_the_layout(client, production):
    response = client.get("/khong-co-trang-nay/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Không tìm thấy trang" in html and LAYOUT_MARK in html
    assert "URLconf" not in html and "Page not found" not in html


def test_a_signed_in_user_sees_the_404_with_their_navigation(tree, people, login, production):
    html = login(people.commune_police).get("/khong-co-trang-nay/").content.decode()
    assert "Không tìm thấy trang" in html and "Sổ theo dõi" in html


@pytest.mark.parametrize(
    ("view", "status", "heading"),
    [
        (lambda r: defaults.bad_request(r, Exception()), 400, "Yêu cầu không hợp lệ"),
        (lambda r: defaults.permission_denied(r, Exception()), 403, "Không có quyền thực hiện"),
        (lambda r: defaults.server_error(r), 500, "Đã xảy ra lỗi"),
        (lambda r: csrf_failure(r, reason="CSRF token missing."), 403, "Trang đã cũ, chưa gửi được"),
    ],
)
def test_error_pages_are_vietnamese_in_the_layout_and_show_nothing_of_the_request(view, status, heading, db):
    request = RequestFactory().get("/so-theo-doi/doi-tuong/?q=001090001234")
    response = view(request)
    html = response.content.decode()
    assert response.status_code == status
    assert heading in html and LAYOUT_MARK in html and 'lang="vi"' in html
    assert "001090001234" not in html
    assert "CSRF" not in html and "Forbidden" not in html and "Server Error" not in html


def test_signing_out_says_so_on_the_login_page(tree, people, login):
    client = login(people.commune_police)
    response = client.post(reverse("logout"), follow=True)
    assert response.request["PATH_INFO"] == reverse("login")
    assert "Bạn đã đăng xuất." in response.content.decode()


@pytest.fixture
def axes_on(settings):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 3


def _fail(client, username="cax"):
    return client.post(reverse("login"), {"username": username, "password": "sai-mat-khau"})


def test_the_attempt_before_the_lockout_warns_and_the_lockout_shows_a_way_back(tree, people, client, axes_on):
    first = _fail(client).content.decode()
    assert "mật khẩu chính xác" in first and "còn 01 lần thử" not in first
    second = _fail(client).content.decode()
    assert "Chú ý: chỉ còn 01 lần thử. Nếu nhập sai lần nữa, tài khoản sẽ bị tạm khóa 01 giờ." in second
    locked = _fail(client)
    html = locked.content.decode()
    assert locked.status_code == 429
    assert "Tài khoản tạm bị khóa" in html and "thử lại sau 01 giờ" in html
    assert f'href="{reverse("login")}"' in html and "Quay lại trang đăng nhập" in html


def test_another_account_is_not_warned_by_someone_elses_failures(tree, people, client, axes_on):
    _fail(client)
    _fail(client)
    assert "còn 01 lần thử" not in _fail(client, "ctx").content.decode()
