import io

import pytest
from django.core.management import CommandError, call_command

from dossiers.signing import organisation_path, signer_path


def test_setup_signer_issues_a_certificate_and_an_authenticator_secret_for_a_deciding_chair(people):
    out = io.StringIO()
    call_command("setup_signer", "cth", stdout=out)
    assert signer_path(people.district_chair).exists()
    # The committee's organisation certificate too: a decision carries both signatures.
    assert organisation_path(people.district_chair.body).exists()
    assert "Chứng thư số của cơ quan (Ủy ban nhân dân huyện Phong Thổ)" in out.getvalue()
    assert "Khóa TOTP" in out.getvalue() and "otpauth://totp/" in out.getvalue()
    again = io.StringIO()
    call_command("setup_signer", "cth", stdout=again)
    assert "(đã có)" in again.getvalue()


def test_setup_signer_refuses_anyone_but_a_deciding_chair(people):
    with pytest.raises(CommandError, match="Chủ tịch"):
        call_command("setup_signer", "cax", stdout=io.StringIO())
    assert not signer_path(people.commune_police).exists()
