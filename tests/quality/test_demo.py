"""The demo's data quality: Xã Tân An is clean (100 %), Hoang Thèn and Mường So have realistic
defects, and a round of Công an tỉnh Lai Châu waits with one commune late."""

from __future__ import annotations

import io

from django.core.management import call_command

from areas.models import Area, User
from quality import selectors
from quality.models import ReconciliationRound


def test_the_demo_has_a_clean_commune_and_others_with_defects(db):
    call_command("load_demo", stdout=io.StringIO())
    province = Area.objects.get(name="Tỉnh Lai Châu")
    tan_an = selectors.unit_quality(
        User.objects.get(username="cax_tanan"), Area.objects.get(name="Xã Tân An")
    )
    assert tan_an.score.overall == 100 and tan_an.score.records > 100
    assert {row.name for row in tan_an.officers} == {"Vũ Văn Long", "Phạm Thị Thu"}
    hoang_then = selectors.unit_quality(
        User.objects.get(username="cax_hoangthen"), Area.objects.get(name="Xã Hoang Thèn")
    )
    found = {cv.check.key for ind in hoang_then.indicators for cv in ind.checks if cv.items}
    assert {"addict_without_file", "no_cccd", "not_verified"} <= found
    muong_so = selectors.unit_quality(
        User.objects.get(username="cax_muongso"), Area.objects.get(name="Xã Mường So")
    )
    assert any(
        cv.items for ind in muong_so.indicators for cv in ind.checks if cv.check.key == "gone_but_active"
    )
    round_ = ReconciliationRound.objects.get(area=province)
    summary = selectors.round_summary(round_)
    assert [p.part.commune.name for p in summary.late] == ["Xã Hoang Thèn"]
    # Loading again adds nothing.
    call_command("load_demo", stdout=io.StringIO())
    assert ReconciliationRound.objects.count() == 1
