"""Shared fixtures: a small tree in both shapes and the personas of the access stories.

Lai Châu (with a district, the pre-2025 shape):
    Tỉnh Lai Châu → Huyện Phong Thổ → Xã Hoang Thèn → Bản Tả Lèng, Bản Hô Sáo
                                    → Xã Mường So → Bản Co Muông
Hải Phòng (post-2025, no district):
    Thành phố Hải Phòng → Xã Tân An → Thôn Trại Mũa
"""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from areas.models import Role
from tests.factories import AreaFactory, UserFactory


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
