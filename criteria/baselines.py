"""Where the registration baseline comes from (the counts frozen when a unit registered to build).

The registration lives in the dossiers app, which itself depends on scoring; so instead of
importing it, the criteria engine asks the providers listed here. The dossiers app appends one in
its `AppConfig.ready()`: a callable taking the unit ids and the as-of date and returning, in one
query, `{area_id: Baseline}` for the units that registered on or before that date. Without a
baseline the "lower than at registration" criterion needs evidence.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence

from .facts import Baseline

BaselineProvider = Callable[[Sequence[int], dt.date], dict[int, Baseline]]

PROVIDERS: list[BaselineProvider] = []


def baselines_for(area_ids: Sequence[int], as_of: dt.date) -> dict[int, Baseline]:
    found: dict[int, Baseline] = {}
    for provider in PROVIDERS:
        found.update(provider(area_ids, as_of))
    return found
