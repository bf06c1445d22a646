"""Register lists count exactly below a threshold; above it the count is cached briefly, keyed by
the count query itself (jurisdiction and filters), so one user's figure never serves another
query."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from areas.models import Area
from subjects import pagination
from subjects.pagination import CountCachingPaginator
from tests.factories import AreaFactory


@pytest.fixture(autouse=True)
def _small_threshold(monkeypatch):
    monkeypatch.setattr(pagination, "EXACT_BELOW", 3)
    cache.clear()
    yield
    cache.clear()


@pytest.mark.django_db
def test_small_lists_are_counted_exactly_every_time():
    province = AreaFactory(level="province")
    AreaFactory(level="commune", parent=province)
    queryset = Area.objects.filter(parent=province).order_by("pk")
    assert CountCachingPaginator(queryset, 25).count == 1
    AreaFactory(level="commune", parent=province)
    assert CountCachingPaginator(queryset, 25).count == 2


@pytest.mark.django_db
def test_a_large_count_is_reused_for_the_same_query_only():
    province, other = AreaFactory(level="province"), AreaFactory(level="province")
    for _ in range(3):
        AreaFactory(level="commune", parent=province)
    mine = Area.objects.filter(parent=province).order_by("pk")
    theirs = Area.objects.filter(parent=other).order_by("pk")
    assert CountCachingPaginator(mine, 25).count == 3
    AreaFactory(level="commune", parent=province)
    assert CountCachingPaginator(mine, 25).count == 3  # cached for a minute
    assert CountCachingPaginator(theirs, 25).count == 0  # another query: its own count
    assert CountCachingPaginator(mine.filter(level="commune"), 25).count == 4


@pytest.mark.django_db
def test_an_empty_queryset_counts_zero():
    assert CountCachingPaginator(Area.objects.none(), 25).count == 0
