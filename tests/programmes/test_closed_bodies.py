"""Districts ceased on 01/07/2025: a closed body takes no step after its closing, the refusal names
its successor, the successor takes open dossiers over, and the closed body's decisions stay
readable from the successor's side."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from areas.models import AreaSuccession
from dossiers import services
from dossiers.models import DossierEvent
from dossiers.route import Move, State
from dossiers.services import MoveRefused
from tests.factories import UserFactory

CEASED = dt.date(2025, 7, 1)


@pytest.fixture
def district_ceased(tree):
    """Phong Thổ closes on 01/07/2025; the province's police and committee act in its place."""
    tree.phong_tho.closed_on = CEASED
    tree.phong_tho.save()
    AreaSuccession.objects.create(predecessor=tree.phong_tho, successor=tree.lai_chau, effective_on=CEASED)
    b = tree.bodies
    for old, new in ((b.district_police, b.lai_chau_police), (b.district_committee, b.lai_chau_committee)):
        old.refresh_from_db()
        old.successor = new
        old.save()
    return tree


def test_a_closed_body_refuses_a_new_dossier_and_names_its_successor(walk, district_ceased, people):
    with pytest.raises(MoveRefused) as refusal:
        services.register(
            user=people.commune_police,
            area=district_ceased.ta_leng,
            target_date=dt.date(2026, 12, 31),
            registered_on=dt.date(2025, 7, 2),
        )
    assert "Công an huyện Phong Thổ đã thôi hoạt động từ ngày 01/07/2025" in refusal.value.message
    assert "cơ quan kế thừa: Công an tỉnh Lai Châu" in refusal.value.message
    # The day before it ceased, the district still took dossiers.
    dossier = services.register(
        user=people.commune_police,
        area=district_ceased.ta_leng,
        target_date=dt.date(2026, 12, 31),
        registered_on=dt.date(2025, 6, 30),
    )
    assert dossier.appraiser == district_ceased.bodies.district_police


def test_a_closed_body_neither_appraises_nor_decides_and_its_successor_takes_the_dossier_over(
    walk, district_ceased, people, tree
):
    dossier = services.register(
        user=people.commune_police,
        area=tree.ta_leng,
        target_date=dt.date(2026, 12, 31),
        registered_on=dt.date(2025, 6, 1),
    )
    dossier = walk.step(dossier, Move.SUBMIT, people.commune_police)
    dossier = walk.step(dossier, Move.FORWARD, people.commune_chair)
    events = DossierEvent.objects.filter(dossier=dossier).count()
    with pytest.raises(MoveRefused, match="cơ quan kế thừa: Công an tỉnh Lai Châu"):
        walk.step(dossier, Move.ACCEPT, people.district_police)
    assert DossierEvent.objects.filter(dossier=dossier).count() == events

    province_police = UserFactory(
        username="ca_lc", role="appraising_police", area=tree.lai_chau, body=tree.bodies.lai_chau_police
    )
    with pytest.raises(MoveRefused):  # not its dossier until it takes it over
        walk.step(dossier, Move.ACCEPT, province_police)
    with pytest.raises(MoveRefused, match="không thuộc địa bàn"):  # another province: nothing revealed
        services.take_over(dossier_id=dossier.pk, user=people.city_police)
    with pytest.raises(MoveRefused, match="không phải cơ quan kế thừa"):  # the province's observer
        services.take_over(dossier_id=dossier.pk, user=people.province)
    dossier = services.take_over(dossier_id=dossier.pk, user=province_police)
    assert (dossier.appraiser, dossier.decider) == (
        tree.bodies.lai_chau_police,
        tree.bodies.lai_chau_committee,
    )
    event = dossier.events.latest("at")
    assert event.move == "take_over" and "Công an huyện Phong Thổ → Công an tỉnh Lai Châu" in event.comment
    dossier = walk.step(dossier, Move.ACCEPT, province_police)
    assert dossier.state == State.UNDER_APPRAISAL


def test_the_successor_reads_the_decisions_the_closed_district_signed(walk, tree, people, login):
    dossier = walk.to(walk.register(tree.ta_leng), State.RECOGNISED)
    tree.phong_tho.closed_on = timezone.localdate() - dt.timedelta(days=1)
    tree.phong_tho.save()
    province_police = UserFactory(
        username="ca_lc2", role="appraising_police", area=tree.lai_chau, body=tree.bodies.lai_chau_police
    )
    client = login(province_police)
    assert client.get(reverse("dossiers:detail", args=[dossier.pk])).status_code == 200
    response = client.get(reverse("dossiers:decision", args=[dossier.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    # The district's own chair can still read it, but signs nothing any more.
    page = login(people.district_chair).get(reverse("dossiers:detail", args=[dossier.pk]))
    assert page.status_code == 200


def test_a_commune_no_programme_covers_is_told_who_must_configure_one_and_cannot_register(db, client):
    from areas.models import Body
    from tests.factories import AreaFactory

    province = AreaFactory(level="province", kind="tỉnh", name="Tỉnh Điện Biên", code="11")
    commune = AreaFactory(level="commune", kind="xã", name="Xã Mường Phăng", parent=province)
    village = AreaFactory(level="village", kind="bản", name="Bản Che Căn", parent=commune)
    police = UserFactory(
        username="cax_mp",
        role="commune_police",
        area=commune,
        body=Body.objects.create(
            area=commune, kind="police", name="Công an xã Mường Phăng", head_title="Trưởng", symbol="CAX"
        ),
    )
    client.force_login(police)
    page = client.get(reverse("dossiers:register"))
    assert "Chưa có kế hoạch" in page.content.decode() and "UBND tỉnh Điện Biên" in page.content.decode()
    response = client.post(
        reverse("dossiers:register"),
        {"area": village.pk, "target_date": (timezone.localdate() + dt.timedelta(days=30)).isoformat()},
    )
    assert response.status_code == 200
    assert (
        "Chưa có kế hoạch xây dựng địa bàn không ma túy nào áp dụng cho Bản Che Căn"
        in response.content.decode()
    )
    assert not village.dossiers.exists()
