"""The criteria table names its columns: a short name per criterion, the full text on hover and
focus, and the unit and the result kept in view on a phone."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from criteria.models import CriteriaSet, Criterion
from criteria.scoring import CriterionResult, Scorecard


def test_shipped_criteria_carry_short_names(db):
    lai_chau = CriteriaSet.objects.get(name="Bộ tiêu chí tỉnh Lai Châu (8 tiêu chí)")
    names = dict(lai_chau.criteria.values_list("number", "short_name"))
    assert names[1] == "Không có điểm ma túy"
    assert names[8] == "Không trồng cây ma túy"
    assert all(names.values())
    assert not Criterion.objects.filter(short_name="").exists()


def test_table_heads_show_short_names_with_the_full_text_on_focus(tree, people, login):
    html = (
        login(people.commune_police)
        .get(reverse("criteria:table", args=[tree.hoang_then.pk]))
        .content.decode()
    )
    assert "Không có điểm ma túy" in html
    first = Criterion.objects.get(criteria_set__name__contains="Lai Châu", number=1)
    assert f'data-bs-title="Tiêu chí 1: {first.text}"' in html
    assert 'tabindex="0"' in html  # the full text is reachable from the keyboard
    assert 'class="sticky-start' in html and 'class="sticky-end' in html


def test_a_criterion_without_short_name_is_headed_by_its_number():
    result = CriterionResult(number=3, text="…", rule="x", status="met", figures="")
    assert result.label == "TC 3"
    result.short_name = "Hồ sơ, cai nghiện"
    assert result.label == "Hồ sơ, cai nghiện"


def test_frozen_scorecards_keep_the_short_name_and_old_ones_still_load():
    card = Scorecard(
        area_id=1,
        area_name="Bản A",
        as_of=dt.date(2026, 1, 1),
        criteria_set_id=1,
        criteria_set_name="Bộ",
        results=[CriterionResult(number=1, text="t", rule="r", status="met", figures="", short_name="Ngắn")],
    )
    data = card.to_dict()
    assert Scorecard.from_dict(data).results[0].short_name == "Ngắn"
    del data["results"][0]["short_name"]  # a dossier frozen before short names existed
    assert Scorecard.from_dict(data).results[0].label == "TC 1"
