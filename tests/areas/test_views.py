from django.urls import reverse


def test_unit_page_lists_children_with_counts_and_breadcrumbs(tree, people, login):
    client = login(people.district_police)
    response = client.get(reverse("areas:detail", args=[tree.phong_tho.pk]))
    assert response.status_code == 200
    children = {c.name: c for c in response.context["children"]}
    assert children["Xã Hoang Thèn"].village_count == 2
    assert children["Xã Mường So"].village_count == 1
    assert [a.name for a in response.context["crumbs"]] == ["Huyện Phong Thổ"]


def test_breadcrumbs_stop_at_the_top_of_the_users_reach(tree, people, login):
    response = login(people.commune_police).get(reverse("areas:detail", args=[tree.ta_leng.pk]))
    assert [a.name for a in response.context["crumbs"]] == ["Xã Hoang Thèn", "Bản Tả Lèng"]


def test_unit_page_runs_a_constant_number_of_queries(tree, people, login, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import AreaFactory

    client = login(people.province)
    url = reverse("areas:detail", args=[tree.phong_tho.pk])
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    for n in range(30):
        commune = AreaFactory(level="commune", kind="xã", name=f"Xã Thêm {n}", parent=tree.phong_tho)
        AreaFactory(level="village", kind="bản", name=f"Bản Thêm {n}", parent=commune)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(url)
    assert len(response.context["children"]) == 32


def test_home_tells_the_role_what_waits(tree, people, login):
    response = login(people.commune_police).get(reverse("home"))
    assert response.status_code == 200
    # The tasks themselves (the navbar prints the unit on every page, so the page text proves nothing).
    titles = [task.title for task in response.context["tasks"]]
    assert "Địa bàn: Xã Hoang Thèn" in titles
    # and what waits in the registers (addicts without a management file, …) links to the lists
    assert any(task.url.startswith(reverse("subjects:person_list")) for task in response.context["tasks"])


def test_login_page_is_in_vietnamese(db, client):
    body = client.get(reverse("login")).content.decode()
    assert "Đăng nhập" in body and 'lang="vi"' in body


def test_repeated_failed_logins_lock_the_account(tree, people, client, settings):
    settings.AXES_FAILURE_LIMIT = 3
    for _ in range(3):
        client.post(reverse("login"), {"username": "cax", "password": "sai"})
    response = client.post(reverse("login"), {"username": "cax", "password": "mat-khau-thu-nghiem"})
    assert response.status_code == 429
    assert "tạm bị khóa" in response.content.decode()


def test_correct_password_signs_in(tree, people, client):
    response = client.post(reverse("login"), {"username": "cax", "password": "mat-khau-thu-nghiem"})
    assert response.status_code == 302
    assert response.url == reverse("home")
