"""Helpers of the criteria tests: a criteria set of one rule, scored through the public service."""

from __future__ import annotations

import datetime as dt

import pytest

from criteria import services
from criteria.models import CriteriaSet, Criterion

AS_OF = dt.date(2025, 6, 30)


def one_rule_set(rule: str, params: dict, *, number: int = 1) -> CriteriaSet:
    criteria_set = CriteriaSet.objects.create(
        name=f"Bộ thử {rule}", legal_basis="Văn bản thử", valid_from=dt.date(2020, 1, 1), is_active=False
    )
    Criterion.objects.create(
        criteria_set=criteria_set, number=number, text=f"Tiêu chí thử {rule}", rule=rule, params=params
    )
    return criteria_set


def governs(tree, criteria_set: CriteriaSet) -> CriteriaSet:
    """Make `criteria_set` the one Phong Thổ's programme scores its villages with (evidence is
    attested only against the set that applies)."""
    criteria_set.is_active = True
    criteria_set.save()
    tree.programmes.phong_tho.village_criteria_set = criteria_set
    tree.programmes.phong_tho.save()
    return criteria_set


@pytest.fixture
def judge():
    """`judge(area, rule, params, as_of=AS_OF, proposal_date=None)` -> the criterion's result."""

    def _judge(area, rule, params, as_of=AS_OF, proposal_date=None):
        criteria_set = one_rule_set(rule, params)
        card = services.score_area(
            area=area, as_of=as_of, criteria_set=criteria_set, proposal_date=proposal_date
        )
        return card.results[0]

    return _judge
