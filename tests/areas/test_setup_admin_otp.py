import io

import pytest
from django.core.management import CommandError, call_command
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories import UserFactory


def test_a_superuser_gets_one_device_and_its_secret(db):
    root = UserFactory(username="root", is_superuser=True, is_staff=True)
    out = io.StringIO()
    call_command("setup_admin_otp", "root", stdout=out)
    call_command("setup_admin_otp", "root", stdout=io.StringIO())
    assert "Khóa TOTP:" in out.getvalue() and "vừa tạo" in out.getvalue()
    assert TOTPDevice.objects.filter(user=root, confirmed=True).count() == 1


def test_an_officer_gets_no_admin_device(people):
    with pytest.raises(CommandError, match="Chỉ tài khoản quản trị"):
        call_command("setup_admin_otp", people.commune_police.username, stdout=io.StringIO())
    assert not TOTPDevice.objects.exists()
