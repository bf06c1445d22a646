"""Shared fixtures: a small tree in both shapes and the personas of the access stories.

Lai Châu (with a district, the pre-2025 shape):
    Tỉnh Lai Châu → Huyện Phong Thổ → Xã Hoang Thèn → Bản Tả Lèng, Bản Hô Sáo
                                    → Xã Mường So → Bản Co Muông
Hải Phòng (post-2025, no district):
    Thành phố Hải Phòng → Xã Tân An → Thôn Trại Mũa
"""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest
from django.conf import settings as django_settings
from django.test import override_settings

from areas.models import Role
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
def tree(db):
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
    return SimpleNamespace(**locals())


@pytest.fixture
def people(tree):
    """The personas: each bound to one unit."""
    return SimpleNamespace(
        commune_police=UserFactory(username="cax", role=Role.COMMUNE_POLICE, area=tree.hoang_then),
        commune_chair=UserFactory(username="ctx", role=Role.COMMUNE_CHAIR, area=tree.hoang_then),
        other_police=UserFactory(username="cax_other", role=Role.COMMUNE_POLICE, area=tree.muong_so),
        district_police=UserFactory(username="cah", role=Role.APPRAISING_POLICE, area=tree.phong_tho),
        labour=UserFactory(username="ld", role=Role.LABOUR_AFFAIRS, area=tree.phong_tho),
        health=UserFactory(username="yt", role=Role.HEALTH, area=tree.phong_tho),
        district_chair=UserFactory(username="cth", role=Role.DECIDING_CHAIR, area=tree.phong_tho),
        province=UserFactory(username="cat", role=Role.PROVINCE_OBSERVER, area=tree.lai_chau),
        tanan_police=UserFactory(username="cax_tanan", role=Role.COMMUNE_POLICE, area=tree.tan_an),
        city_police=UserFactory(username="catp", role=Role.APPRAISING_POLICE, area=tree.hai_phong),
        city_chair=UserFactory(username="cttp", role=Role.DECIDING_CHAIR, area=tree.hai_phong),
    )


@pytest.fixture
def login(client):
    def _login(user):
        client.force_login(user)
        return client

    return _login
