"""Shared fixtures: a small tree in both shapes, its bodies and programmes, and the personas of
the access stories.

Lai Châu (with a district, the pre-2025 shape):
    Tỉnh Lai Châu → Huyện Phong Thổ → Xã Hoang Thèn → Bản Tả Lèng, Bản Hô Sáo
                                    → Xã Mường So → Bản Co Muông
Hải Phòng (post-2025, no district):
    Thành phố Hải Phòng → Xã Tân An → Thôn Trại Mũa

Programmes: Phong Thổ's (the shipped Lai Châu set; Công an huyện appraises with Phòng LĐ-TB&XH and
Trung tâm Y tế, UBND huyện decides) and Hải Phòng's (a test copy of the Lai Châu set bound to Hải
Phòng; Công an thành phố appraises, UBND thành phố decides). Both valid from 2020, no deadlines.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.conf import settings as django_settings
from django.test import override_settings

from areas.models import Body, BodyKind, Role
from tests.factories import AreaFactory, UserFactory

CHECKOUT_VAR = Path(django_settings.BASE_DIR) / "var"


def _files_under(folder: Path) -> set[Path]:
    return set(folder.rglob("*")) if folder.exists() else set()


@pytest.fixture(scope="session", autouse=True)
def _var_in_tmp(tmp_path_factory):
    """The suite writes keys, the demo CA, decisions, reports and queues into a temporary VAR_DIR,
    never into the checkout's var/ (where a developer's own demo keys live). At the end, var/
    must hold nothing new."""
    before = _files_under(CHECKOUT_VAR)
    var = tmp_path_factory.mktemp("var")
    queue = {
        key: str(var / "celery" / Path(value).relative_to(django_settings.CELERY_QUEUE_DIR))
        for key, value in django_settings.CELERY_BROKER_TRANSPORT_OPTIONS.items()
        if key.endswith("_folder") or key.startswith("data_folder")
    }
    with override_settings(
        VAR_DIR=var,
        MEDIA_ROOT=var / "media",
        SIGNING_DIR="",
        STATIC_ROOT=var / "staticfiles",
        CELERY_QUEUE_DIR=var / "celery",
        CELERY_BROKER_TRANSPORT_OPTIONS={**django_settings.CELERY_BROKER_TRANSPORT_OPTIONS, **queue},
    ):
        yield var
    new = sorted(str(path.relative_to(CHECKOUT_VAR)) for path in _files_under(CHECKOUT_VAR) - before)
    assert not new, f"the tests wrote into the checkout's var/: {new[:10]}"


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # Argon2 is deliberately slow; hashing strength is not what these tests measure.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def shipped_criteria_sets(django_db_blocker):
    """Transactional tests flush the database after each one, which also removes the criteria sets
    the data migrations ship. Put them back before the test, replaying every data step of the
    criteria app's migrations in order (the seed, then each later correction of it)."""
    from django.apps import apps
    from django.db import connection
    from django.db.migrations.loader import MigrationLoader
    from django.db.migrations.operations.special import RunPython

    from criteria.models import CriteriaSet

    with django_db_blocker.unblock():
        if CriteriaSet.objects.exists():
            return
        graph = MigrationLoader(connection, ignore_no_migrations=True).graph
        for app, name in graph.forwards_plan(graph.leaf_nodes("criteria")[0]):
            if app != "criteria":
                continue
            for operation in graph.nodes[(app, name)].operations:
                if isinstance(operation, RunPython):
                    operation.code(apps, None)


@pytest.fixture
def tree(db, shipped_criteria_sets):
    lai_chau = AreaFactory(level="province", kind="tỉnh", name="Tỉnh Lai Châu", code="12")
    phong_tho = AreaFactory(level="district", kind="huyện", name="Huyện Phong Thổ", parent=lai_chau)
    hoang_then = AreaFactory(level="commune", kind="xã", name="Xã Hoang Thèn", parent=phong_tho)
    ta_leng = AreaFactory(level="village", kind="bản", name="Bản Tả Lèng", parent=hoang_then)
    ho_sao = AreaFactory(level="village", kind="bản", name="Bản Hô Sáo", parent=hoang_then)
    muong_so = AreaFactory(level="commune", kind="xã", name="Xã Mường So", parent=phong_tho)
    co_muong = AreaFactory(level="village", kind="bản", name="Bản Co Muông", parent=muong_so)
    hai_phong = AreaFactory(level="province", kind="thành phố", name="Thành phố Hải Phòng", code="31")
    tan_an = AreaFactory(level="commune", kind="xã", name="Xã Tân An", parent=hai_phong)
    trai_mua = AreaFactory(level="village", kind="thôn", name="Thôn Trại Mũa", parent=tan_an)
    tree = SimpleNamespace(**locals())
    tree.bodies = _bodies(tree)
    tree.programmes = _programmes(tree)
    return tree


def _bodies(tree) -> SimpleNamespace:
    def body(area, kind, name, head, symbol):
        return Body.objects.create(area=area, kind=kind, name=name, head_title=head, symbol=symbol)

    b = SimpleNamespace()
    b.lai_chau_police = body(tree.lai_chau, BodyKind.POLICE, "Công an tỉnh Lai Châu", "Giám đốc", "CAT")
    b.lai_chau_committee = body(
        tree.lai_chau, BodyKind.COMMITTEE, "Ủy ban nhân dân tỉnh Lai Châu", "Chủ tịch", "UBND"
    )
    b.district_police = body(tree.phong_tho, BodyKind.POLICE, "Công an huyện Phong Thổ", "Trưởng", "CAH")
    b.district_police.parent = b.lai_chau_police
    b.district_police.save()
    b.district_committee = body(
        tree.phong_tho, BodyKind.COMMITTEE, "Ủy ban nhân dân huyện Phong Thổ", "Chủ tịch", "UBND"
    )
    b.labour = body(
        tree.phong_tho,
        BodyKind.DEPARTMENT,
        "Phòng Lao động - Thương binh và Xã hội huyện Phong Thổ",
        "Trưởng phòng",
        "LĐTBXH",
    )
    b.health = body(tree.phong_tho, BodyKind.DEPARTMENT, "Trung tâm Y tế huyện Phong Thổ", "Giám đốc", "TTYT")
    b.city_police = body(tree.hai_phong, BodyKind.POLICE, "Công an thành phố Hải Phòng", "Giám đốc", "CATP")
    b.city_committee = body(
        tree.hai_phong, BodyKind.COMMITTEE, "Ủy ban nhân dân thành phố Hải Phòng", "Chủ tịch", "UBND"
    )
    for commune in (tree.hoang_then, tree.muong_so, tree.tan_an):
        bare = commune.name.removeprefix("Xã ")
        setattr(
            b, f"police_{commune.pk}", body(commune, BodyKind.POLICE, f"Công an xã {bare}", "Trưởng", "CAX")
        )
        setattr(
            b,
            f"committee_{commune.pk}",
            body(commune, BodyKind.COMMITTEE, f"Ủy ban nhân dân xã {bare}", "Chủ tịch", "UBND"),
        )
    return b


def _programmes(tree) -> SimpleNamespace:
    from criteria.models import CriteriaSet, Criterion
    from programmes.models import LegalBasis, Programme, RouteFunction, RouteStep, TargetLevel

    lai_chau_set = CriteriaSet.objects.get(name="Bộ tiêu chí tỉnh Lai Châu (8 tiêu chí)")
    lai_chau_set.jurisdiction = tree.lai_chau
    lai_chau_set.save(update_fields=["jurisdiction"])
    hai_phong_set = CriteriaSet.objects.create(
        name="Bộ tiêu chí thử Hải Phòng",
        legal_basis="Văn bản thử",
        valid_from=dt.date(2020, 1, 1),
        jurisdiction=tree.hai_phong,
    )
    Criterion.objects.bulk_create(
        Criterion(criteria_set=hai_phong_set, number=c.number, text=c.text, rule=c.rule, params=c.params)
        for c in lai_chau_set.criteria.all()
    )

    def programme(unit, number, issuer, criteria_set, route, bases):
        p = Programme.objects.create(
            issuing_unit=unit,
            number=number,
            issuing_body=issuer,
            signed_on=dt.date(2020, 1, 1),
            valid_from=dt.date(2020, 1, 1),
            title=f"Kế hoạch thử của {issuer}",
            village_criteria_set=criteria_set,
            commune_criteria_set=criteria_set,
        )
        for position, (kind, doc_number, title) in enumerate(bases, 1):
            LegalBasis.objects.create(
                programme=p,
                position=position,
                document_kind=kind,
                number=doc_number,
                title=title,
                issuer=issuer,
            )
        for level in (TargetLevel.VILLAGE, TargetLevel.COMMUNE):
            for function, body in route:
                RouteStep.objects.create(programme=p, unit_level=level, function=function, body=body)
        return p

    b = tree.bodies
    F = RouteFunction
    return SimpleNamespace(
        phong_tho=programme(
            tree.phong_tho,
            "174/KH-UBND",
            "UBND huyện Phong Thổ",
            lai_chau_set,
            [
                (F.APPRAISE, b.district_police),
                (F.CO_APPRAISE, b.labour),
                (F.CO_APPRAISE, b.health),
                (F.DECIDE, b.district_committee),
            ],
            [
                (
                    "Kế hoạch",
                    "1246/KH-UBND",
                    "về việc xây dựng thôn, bản không có ma túy trên địa bàn tỉnh Lai Châu",
                )
            ],
        ),
        hai_phong=programme(
            tree.hai_phong,
            "99/KH-UBND",
            "UBND thành phố Hải Phòng",
            hai_phong_set,
            [(F.APPRAISE, b.city_police), (F.DECIDE, b.city_committee)],
            [
                (
                    "Kế hoạch",
                    "99/KH-UBND",
                    "về xây dựng xã, phường, đặc khu không ma túy trên địa bàn thành phố Hải Phòng",
                )
            ],
        ),
    )


@pytest.fixture
def people(tree):
    """The personas: each bound to one unit and acting for one body."""
    b = tree.bodies

    def commune_body(area, kind):
        return getattr(b, f"{kind}_{area.pk}")

    return SimpleNamespace(
        commune_police=UserFactory(
            username="cax",
            role=Role.COMMUNE_POLICE,
            area=tree.hoang_then,
            body=commune_body(tree.hoang_then, "police"),
        ),
        commune_chair=UserFactory(
            username="ctx",
            role=Role.COMMUNE_CHAIR,
            area=tree.hoang_then,
            body=commune_body(tree.hoang_then, "committee"),
        ),
        other_police=UserFactory(
            username="cax_other",
            role=Role.COMMUNE_POLICE,
            area=tree.muong_so,
            body=commune_body(tree.muong_so, "police"),
        ),
        district_police=UserFactory(
            username="cah", role=Role.APPRAISING_POLICE, area=tree.phong_tho, body=b.district_police
        ),
        labour=UserFactory(username="ld", role=Role.CO_APPRAISER, area=tree.phong_tho, body=b.labour),
        health=UserFactory(username="yt", role=Role.CO_APPRAISER, area=tree.phong_tho, body=b.health),
        district_chair=UserFactory(
            username="cth", role=Role.DECIDING_CHAIR, area=tree.phong_tho, body=b.district_committee
        ),
        province=UserFactory(
            username="cat", role=Role.PROVINCE_OBSERVER, area=tree.lai_chau, body=b.lai_chau_police
        ),
        tanan_police=UserFactory(
            username="cax_tanan",
            role=Role.COMMUNE_POLICE,
            area=tree.tan_an,
            body=commune_body(tree.tan_an, "police"),
        ),
        city_police=UserFactory(
            username="catp", role=Role.APPRAISING_POLICE, area=tree.hai_phong, body=b.city_police
        ),
        city_chair=UserFactory(
            username="cttp", role=Role.DECIDING_CHAIR, area=tree.hai_phong, body=b.city_committee
        ),
    )


def otp_login(client, user):
    """Sign `user` in as if they had entered a valid one-time code (the admin asks for one)."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device, _ = TOTPDevice.objects.get_or_create(user=user, name="admin", defaults={"confirmed": True})
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


@pytest.fixture
def login(client):
    def _login(user):
        client.force_login(user)
        return client

    return _login
