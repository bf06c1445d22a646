"""Pagination of the register lists at province size.

Counting every row a district or province sees (200,000 tests) costs more than the page itself,
and the figure only feeds the "N bản ghi" badge and the page links. A count above
`EXACT_BELOW` is kept for `TTL` seconds in the cache, keyed by the count query's SQL and
parameters, which hold the user's jurisdiction and filters — so a cached figure is only ever
served for the same rows. Below that the count is exact on every page.
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.core.cache import cache
from django.core.exceptions import EmptyResultSet
from django.core.paginator import Paginator
from django.db import connections
from django.utils.functional import cached_property

EXACT_BELOW = 2_000
TTL = 60


class CountCachingPaginator(Paginator):
    @cached_property
    def count(self) -> int:
        queryset: Any = self.object_list
        query = queryset.query.chain()
        query.clear_ordering(force=True)
        try:
            sql, params = query.get_compiler(queryset.db).as_sql()
        except EmptyResultSet:  # `.none()`, or a filter nothing can match
            return 0
        vendor = connections[queryset.db].vendor
        key = "list-count:" + hashlib.sha256(f"{vendor}|{sql}|{params!r}".encode()).hexdigest()
        cached = cache.get(key)
        if cached is not None:
            return int(cached)
        total = queryset.count()
        if total >= EXACT_BELOW:
            cache.set(key, total, TTL)
        return total
