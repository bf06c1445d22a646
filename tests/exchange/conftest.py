"""The exchange API's world: registers, a recognised dossier with its signed decision in each
province of the `tree` (Lai Châu with a district, Hải Phòng without), and tokens scoped to them.

Personas: the Lai Châu province system (`lai_chau`), the Hải Phòng city system (`hai_phong`), a
Lai Châu system granted personal data (`lai_chau_personal`)."""

from __future__ import annotations

import datetime as dt
import hashlib
from types import SimpleNamespace

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from dossiers.models import Decision, Dossier, DossierEvent, Registration
from dossiers.route import State
from exchange import services
from tests.factories import (
    DrugTestFactory,
    ManagementFileFactory,
    PersonFactory,
    PersonStatusFactory,
    TreatmentFactory,
)

PDF = b"%PDF-1.4\n% quyet dinh thu\n%%EOF\n"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


# No clearing of the "api-rate" cache between tests: on Redis that would flush the database the
# Celery broker shares (CI), and the counters are keyed by each token's random prefix anyway.


def _registers(village, n: int, tag: str) -> list:
    persons = []
    for i in range(n):
        person = PersonFactory(
            village=village,
            full_name=f"Người Thử {tag} {i}",
            cccd=f"{abs(hash(tag)) % 10**6:06d}{i:06d}",
            address=f"Số {i} đường {tag}",
            note=f"ghi chú riêng {tag} {i}",
        )
        PersonStatusFactory(person=person)
        ManagementFileFactory(person=person, responsible=f"Cán bộ {tag} {i}")
        TreatmentFactory(person=person)
        DrugTestFactory(person=person)
        persons.append(person)
    return persons


def _dossier(tree, people, village, programme, appraiser, decider, number: str):
    registration = Registration.objects.create(
        area=village, target_date=dt.date(2025, 12, 31), registered_by=people.commune_police
    )
    dossier = Dossier.objects.create(
        registration=registration,
        area=village,
        commune=village.parent,
        programme=programme,
        appraiser=appraiser,
        decider=decider,
        state=State.RECOGNISED,
    )
    DossierEvent.objects.create(
        dossier=dossier, move="decide", from_state="", to_state=State.RECOGNISED, actor=people.commune_police
    )
    decision = Decision.objects.create(
        dossier=dossier,
        number=number,
        decided_on=dt.date(2025, 3, 1),
        issuer=decider,
        year=2025,
        signer=people.district_chair,
        signer_name="Hoàng Văn Phúc",
        file=ContentFile(PDF, name="qd.pdf"),
        sha256=hashlib.sha256(PDF).hexdigest(),
        signed_at=timezone.now(),
    )
    return dossier, decision


@pytest.fixture
def world(tree, people):
    b, p = tree.bodies, tree.programmes
    lai_chau_persons = _registers(tree.ta_leng, 3, "LC") + _registers(tree.co_muong, 2, "MS")
    hai_phong_persons = _registers(tree.trai_mua, 3, "HP")
    lc_dossier, lc_decision = _dossier(
        tree, people, tree.ta_leng, p.phong_tho, b.district_police, b.district_committee, "01/QĐ-UBND"
    )
    hp_dossier, hp_decision = _dossier(
        tree, people, tree.trai_mua, p.hai_phong, b.city_police, b.city_committee, "02/QĐ-UBND"
    )
    return SimpleNamespace(
        lai_chau_persons=lai_chau_persons,
        hai_phong_persons=hai_phong_persons,
        lc_dossier=lc_dossier,
        lc_decision=lc_decision,
        hp_dossier=hp_dossier,
        hp_decision=hp_decision,
    )


@pytest.fixture
def issue(people):
    """Issue a token: issue(area, personal=False, rate=6000, days=30) -> (row, secret)."""
    clients: dict[str, object] = {}

    def _issue(area, *, personal=False, rate=6000, days=30, name=None):
        name = name or f"Hệ thống {area.name}"
        client = clients.get(name) or services.create_client_system(name=name, operator="Công an tỉnh")
        clients[name] = client
        return services.issue_token(
            client=client,
            area=area,
            expires_at=timezone.now() + dt.timedelta(days=days),
            issued_by=people.province,
            personal_data=personal,
            rate_per_minute=rate,
        )

    return _issue


@pytest.fixture
def tokens(tree, issue):
    return SimpleNamespace(
        lai_chau=issue(tree.lai_chau),
        hai_phong=issue(tree.hai_phong),
        lai_chau_personal=issue(tree.lai_chau, personal=True, name="Hệ thống có quyền dữ liệu cá nhân"),
    )


@pytest.fixture
def call(client):
    """call(secret, path, **params) -> response of GET /api/v1<path>."""

    def _call(secret, path, **params):
        headers = {"HTTP_AUTHORIZATION": f"Bearer {secret}"} if secret else {}
        return client.get(f"/api/v1{path}", params, **headers)

    return _call
