"""Accent-insensitive person search (subjects/selectors.py): the normalised `name_search` column on
every database, with a trigram index over it on PostgreSQL."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.db import connection

from subjects.models import Person
from subjects.selectors import search_persons
from tests.factories import PersonFactory


@pytest.fixture
def named(tree):
    return {
        name: PersonFactory(full_name=name, village=tree.ta_leng, cccd=cccd)
        for name, cccd in [
            ("Nguyễn Văn A", "001090000001"),
            ("Nguyễn Văn Anh", None),
            ("Đặng Thị Ước", "001090000002"),
            ("Lò Văn Bình", None),
        ]
    }


def found(text: str) -> set[str]:
    return set(search_persons(Person.objects.all(), text).values_list("full_name", flat=True))


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("nguyen van a", {"Nguyễn Văn A", "Nguyễn Văn Anh"}),
        ("NGUYỄN VĂN ANH", {"Nguyễn Văn Anh"}),
        ("dang thi uoc", {"Đặng Thị Ước"}),
        ("  lo   van ", {"Lò Văn Bình"}),
        ("binh", {"Lò Văn Bình"}),
        ("tran", set()),
    ],
)
def test_names_are_found_whatever_the_accents(named, typed, expected):
    assert found(typed) == expected


def test_an_exact_cccd_finds_its_person_only(named):
    assert found("001090000002") == {"Đặng Thị Ước"}
    assert found("00109000000") == set()  # eleven digits: neither a CCCD nor part of a name


def test_empty_search_keeps_the_queryset(named):
    assert found("") == set(named)


def test_search_stays_inside_the_gate(tree, people, named):
    PersonFactory(full_name="Nguyễn Văn An", village=tree.co_muong)
    visible = Person.objects.visible_to(people.commune_police)
    assert set(search_persons(visible, "nguyen van").values_list("full_name", flat=True)) == {
        "Nguyễn Văn A",
        "Nguyễn Văn Anh",
    }


@pytest.mark.postgres
@pytest.mark.skipif(not settings.USING_POSTGRES, reason="pg_trgm needs PostgreSQL")
def test_postgres_search_reads_the_trigram_index_over_the_normalised_name(named):
    assert connection.vendor == "postgresql"
    assert found("nguyen van a") == {"Nguyễn Văn A", "Nguyễn Văn Anh"}
    assert found("dang thi uoc") == {"Đặng Thị Ước"}
    assert found("lo") == {"Lò Văn Bình"}  # two letters: no trigram, still found
    sql = str(search_persons(Person.objects.all(), "nguyen").query)
    assert "name_search" in sql and "f_unaccent" not in sql
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'person_name_search_trgm_idx'")
        [(definition,)] = cursor.fetchall()
        assert "gin_trgm_ops" in definition and "name_search" in definition
        cursor.execute("SELECT 1 FROM pg_indexes WHERE indexname = 'person_name_unaccent_trgm_idx'")
        assert cursor.fetchall() == []
        # With so few rows the planner would scan; forbid it to see that the index can serve.
        cursor.execute("SET enable_seqscan = off")
    try:
        # Unordered: the list's ordering could make the planner walk the name btree instead.
        plan = search_persons(Person.objects.order_by(), "nguyen van").explain()
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SET enable_seqscan = on")
    assert "person_name_search_trgm_idx" in plan, plan
