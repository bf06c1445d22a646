"""Evidence uploads are read by their content, as dossier documents are, and belong to the
criteria set that scores the unit."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from criteria import services
from criteria.models import CriteriaSet, EvidenceAttestation

HTML = b"<html><body><script>alert(document.cookie)</script></body></html>"


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


SVG = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"></svg>'


def _post(client, area, criterion, name, content):
    return client.post(
        reverse("criteria:attest", args=[area.pk, criterion.pk]),
        {
            "document": SimpleUploadedFile(name, content),
            "officer_name": "Trần Văn Cán Bộ",
            "attested_on": "2025-06-01",
        },
    )


def _lai_chau_criterion():
    return CriteriaSet.objects.get(name__contains="Lai Châu").criteria.get(number=7)


@pytest.mark.parametrize(
    ("name", "content"), [("bien-ban.pdf", HTML), ("anh.png", SVG), ("anh.jpg", b"GIF89a")]
)
def test_a_file_whose_content_is_not_its_name_is_refused(name, content, tree, people, login, media):
    response = _post(login(people.commune_police), tree.ta_leng, _lai_chau_criterion(), name, content)
    assert response.status_code == 200
    assert "chỉ nhận tệp PDF, JPEG hoặc PNG đúng định dạng" in response.content.decode()
    assert not EvidenceAttestation.objects.exists()


def test_the_service_reads_the_content_too(tree, people, media):
    with pytest.raises(ValidationError) as error:
        services.create_attestation(
            user=people.commune_police,
            area=tree.ta_leng,
            criterion=_lai_chau_criterion(),
            document=SimpleUploadedFile("bien-ban.pdf", HTML),
            officer_name="Trần Văn Cán Bộ",
            attested_on=dt.date(2025, 6, 1),
        )
    assert "document" in error.value.message_dict
    assert not EvidenceAttestation.objects.exists()


def test_a_criterion_of_another_criteria_set_is_refused(tree, people, login, media):
    thanh_hoa = CriteriaSet.objects.get(name__contains="Thanh Hóa").criteria.order_by("number").first()
    response = _post(login(people.commune_police), tree.ta_leng, thanh_hoa, "bien-ban.pdf", b"%PDF-1.4 x")
    assert response.status_code == 200
    assert "không thuộc bộ tiêu chí áp dụng cho" in response.content.decode()
    assert not EvidenceAttestation.objects.exists()


def test_a_real_pdf_for_the_units_own_criterion_is_accepted(tree, people, login, media):
    response = _post(
        login(people.commune_police), tree.ta_leng, _lai_chau_criterion(), "bb.pdf", b"%PDF-1.4 x"
    )
    assert response.status_code == 302
    assert EvidenceAttestation.objects.count() == 1
