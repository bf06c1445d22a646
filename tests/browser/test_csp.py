"""Under the Content-Security-Policy the pages work as before: nothing is refused by the browser,
and the dossier filter still submits itself when the choice changes (app.js, not an inline
handler)."""

import pytest
from django.urls import reverse

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_no_page_breaks_the_policy_and_the_filter_submits_itself(tree, people, page, sign_in, live_server):
    refused = []
    page.on(
        "console",
        lambda message: refused.append(message.text) if "Content Security Policy" in message.text else None,
    )
    sign_in("cah")
    for name in (
        "home",
        "dossiers:list",
        "subjects:index",
        "reports:index",
        "reports:reports",
        "password_change",
    ):
        page.goto(live_server.url + reverse(name))
    page.goto(live_server.url + reverse("dossiers:list"))
    with page.expect_navigation():
        page.get_by_label("Lọc theo trạng thái").select_option(index=1)
    assert "trang_thai=" in page.url
    assert refused == []
