import io

import pytest
from django.core.management import CommandError, call_command

from dossiers.signing import signer_path


def test_setup_signer_issues_a_certificate_and_an_authenticator_secret_for_a_deciding_chair(people):
    out = io.StringIO()
    call_command("setup_signer", "cth", stdout=out)
    assert signer_path(people.district_chair).exists()
    assert "Khóa TOTP" in out.getvalue() and "otpauth://totp/" in out.getvalue()
    again = io.StringIO()
    call_command("setup_signer", "cth", stdout=again)
    assert "(đã có)" in again.getvalue()


def test_setup_signer_refuses_anyone_but_a_deciding_chair(people):
    with pytest.raises(CommandError, match="Chủ tịch"):
        call_command("setup_signer", "cax", stdout=io.StringIO())
    assert not signer_path(people.commune_police).exists()
