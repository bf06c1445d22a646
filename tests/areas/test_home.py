"""The home page of each role: the province observer lands on the province dashboard, and every
badge says what it counts."""

from __future__ import annotations

import re

from django.urls import reverse

from areas.home import Task
from subjects import models as sm
from tests import factories as f


def test_the_province_observer_lands_on_the_province_dashboard(tree, people, login):
    response = login(people.province).get(reverse("home"))
    assert response.status_code == 302 and response.url == reverse("reports:index")


def test_other_roles_keep_their_task_list(tree, people, login):
    response = login(people.commune_police).get(reverse("home"))
    assert response.status_code == 200 and "Việc cần xử lý" in response.content.decode()


def test_every_badge_on_the_home_page_says_what_it_counts(tree, people, login):
    person = f.PersonFactory(village=tree.ta_leng)
    f.PersonStatusFactory(person=person, kind=sm.StatusKind.ADDICT)
    html = login(people.commune_police).get(reverse("home")).content.decode()
    badges = re.findall(r'<span class="badge[^"]*"[^>]*>(.*?)</span>', html, re.S)
    assert badges, "the commune police's home shows counts"
    for badge in badges:
        text = re.sub(r"<[^>]+>", " ", badge).split()
        assert len(text) >= 2 and text[0].isdigit(), f"a bare number: {badge!r}"


def test_a_task_with_a_count_names_what_it_counts():
    task = Task(title="Hồ sơ chờ xử lý", detail="", url="/", count=7, count_label="hồ sơ")
    assert task.badge == "7 hồ sơ"
    assert Task(title="x", detail="", url="/").badge is None
