"""Access and query counts of the quality pages."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from quality import services
from quality.models import QualitySnapshot
from subjects.models import AccessLog
from tests import factories as f

from .conftest import clean_addict


def test_the_commune_police_see_their_quality_page_and_the_read_is_logged(clean, people, login):
    clean.persons[0].files.all().delete()
    response = login(people.commune_police).get(reverse("quality:unit", args=[clean.commune.pk]))
    assert response.status_code == 200
    assert clean.persons[0].full_name in response.content.decode()
    assert (
        AccessLog.objects.filter(
            object_type="quality", object_id=clean.commune.pk, user=people.commune_police
        ).count()
        == 1
    )


@pytest.mark.parametrize("who", ["other_police", "tanan_police", "city_police"])
def test_another_commune_or_province_sees_nothing(clean, people, login, who):
    client = login(getattr(people, who))
    assert client.get(reverse("quality:unit", args=[clean.commune.pk])).status_code == 404
    assert client.get(reverse("quality:unit", args=[clean.persons[0].village.pk])).status_code == 404
    assert client.get(f"{reverse('quality:ranking')}?don-vi={clean.commune.parent.pk}").status_code == 404


def test_the_read_only_province_reads_the_ranking_and_opens_nothing(clean, tree, people, login):
    client = login(people.province)
    ranking = client.get(f"{reverse('quality:ranking')}?don-vi={tree.lai_chau.pk}")
    assert ranking.status_code == 200
    assert "Xã Hoang Thèn" in ranking.content.decode()
    assert "Mở đợt rà soát" not in ranking.content.decode()
    assert client.get(reverse("quality:round_open")).status_code == 403
    assert client.get(reverse("quality:unit", args=[clean.commune.pk])).status_code == 200


def test_the_ranking_puts_the_worst_commune_first(clean, tree, people, login):
    f.PersonFactory(
        village=tree.co_muong, full_name="Tao Văn Biên", cccd=None
    )  # Mường So: no CCCD, no status, ...
    html = login(people.district_police).get(reverse("quality:ranking")).content.decode()
    assert html.index("Xã Mường So") < html.index("Xã Hoang Thèn")


def test_signed_out_users_are_sent_to_sign_in(clean, client):
    for url in (
        reverse("quality:ranking"),
        reverse("quality:unit", args=[clean.commune.pk]),
        reverse("quality:rounds"),
    ):
        assert client.get(url).status_code == 302


def _grow(tree, officer, n, start):
    for i in range(n):
        clean_addict(
            tree.ta_leng,
            officer,
            name=f"Lý Láo Phin {chr(65 + (start + i) % 26)}{chr(65 + (start + i) // 26)}",
            cccd=f"0120915{start + i:05d}",
        )


@pytest.mark.parametrize("page", ["unit", "ranking", "rounds", "round", "part", "home"])
def test_pages_run_the_same_queries_at_two_data_sizes(
    clean, tree, people, login, django_assert_max_num_queries, page
):
    round_ = services.open_round(
        user=people.district_police,
        title="Đợt thử",
        starts_on=timezone.localdate(),
        due_on=timezone.localdate(),
        communes=[tree.hoang_then, tree.muong_so],
    )
    part = round_.parts.get(commune=tree.hoang_then)
    user, url = {
        "unit": (people.commune_police, reverse("quality:unit", args=[tree.hoang_then.pk])),
        "ranking": (people.district_police, reverse("quality:ranking")),
        "rounds": (people.district_police, reverse("quality:rounds")),
        "round": (people.district_police, reverse("quality:round", args=[round_.pk])),
        "part": (people.commune_police, reverse("quality:part", args=[part.pk])),
        "home": (people.commune_police, reverse("home")),
    }[page]
    client = login(user)
    _grow(tree, clean.officer, 2, 0)
    client.get(url)  # warm caches (sessions, content types)
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    _grow(tree, clean.officer, 12, 100)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(url).status_code == 200


def test_snapshots_are_taken_once_a_month_and_shown_as_the_trend(clean, tree, people, login):
    today = timezone.localdate()
    assert services.take_snapshots(today=today) >= 3
    assert services.take_snapshots(today=today) >= 3  # the same month again: refreshed, not doubled
    snapshot = QualitySnapshot.objects.get(area=tree.hoang_then, month=today.replace(day=1))
    assert snapshot.overall == 100 and snapshot.records == 5
    last_month = (today.replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    QualitySnapshot.objects.create(
        area=tree.hoang_then,
        month=last_month,
        score_correct=90,
        score_complete=80,
        score_clean=100,
        score_live=50,
        overall=80,
        records=5,
        defects=2,
    )
    html = (
        login(people.commune_police).get(reverse("quality:unit", args=[tree.hoang_then.pk])).content.decode()
    )
    assert last_month.strftime("%m/%Y") in html and "80,0 %" in html


def test_the_task_takes_the_snapshots(clean, tree):
    from quality.tasks import take_quality_snapshots

    assert take_quality_snapshots.apply().get() >= 3
    assert QualitySnapshot.objects.filter(area=tree.hoang_then).count() == 1


def test_the_home_page_shows_the_score_and_the_round_to_work(clean, tree, people, login):
    services.open_round(
        user=people.district_police,
        title="Đợt thử",
        starts_on=timezone.localdate(),
        due_on=timezone.localdate(),
        communes=[tree.hoang_then],
    )
    client = login(people.commune_police)
    html = client.get(reverse("home")).content.decode()
    assert "Chưa tính chỉ số của xã" in html  # nothing stored yet: no figure, never a made-up one
    assert "Rà soát: Đợt thử" in html
    # Opening the commune's quality page scores it and stores the month's figures for home.
    client.get(reverse("quality:unit", args=[tree.hoang_then.pk]))
    html = client.get(reverse("home")).content.decode()
    assert "Chất lượng dữ liệu: 100,0 %" in html
    assert "tính lúc" in html


def test_the_home_page_reads_the_stored_scores_not_the_registers(clean, tree, people, login):
    """Home shows the commune's latest stored scores (the daily task or the last opening of its
    quality page), so its cost does not grow with the registers."""
    services.take_snapshots(today=timezone.localdate())
    QualitySnapshot.objects.filter(area=tree.hoang_then).update(overall=42, defects=7)
    html = login(people.commune_police).get(reverse("home")).content.decode()
    assert "Chất lượng dữ liệu: 42,0 %" in html and "7 bản ghi cần sửa" in html


def test_two_computations_of_a_month_leave_one_snapshot(clean, tree):
    today = timezone.localdate()
    services.take_snapshots(today=today)
    first = QualitySnapshot.objects.get(area=tree.hoang_then)
    services.take_snapshots(today=today)
    again = QualitySnapshot.objects.get(area=tree.hoang_then)
    assert again.pk == first.pk and again.computed_at >= first.computed_at
