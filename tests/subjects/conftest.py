"""Register records in Xã Hoang Thèn (one of each kind) for the page and access tests."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest

from tests import factories as f


@pytest.fixture
def records(tree):
    """One record of every register in Bản Tả Lèng (Xã Hoang Thèn), around one addict."""
    person = f.PersonFactory(
        full_name="Nguyễn Văn Ánh", cccd="001090001234", village=tree.ta_leng, birth_date=dt.date(1990, 3, 4)
    )
    group = f.CriminalGroupFactory(village=tree.ta_leng)
    group.members.add(person)
    case = f.DrugCaseFactory(village=tree.ta_leng)
    case.persons.add(person)
    return SimpleNamespace(
        person=person,
        status=f.PersonStatusFactory(person=person),
        file=f.ManagementFileFactory(person=person),
        treatment=f.TreatmentFactory(person=person),
        test=f.DrugTestFactory(person=person),
        point=f.DrugPointFactory(village=tree.ta_leng),
        group=group,
        case=case,
        cultivation=f.CultivationIncidentFactory(village=tree.ta_leng),
        commitment=f.HouseholdCommitmentFactory(village=tree.ta_leng),
        board=f.HotlineBoardFactory(village=tree.ta_leng),
        prevention=f.PreventionModelFactory(area=tree.ta_leng),
    )
