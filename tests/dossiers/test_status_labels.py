"""The appraisal page names statuses through `criteria.scoring.Status`, the computed result and
the appraiser's finding alike."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from criteria.scoring import Status
from dossiers import services
from dossiers.route import State
from tests.factories import DrugPointFactory

pytestmark = pytest.mark.django_db


def test_the_appraisal_rows_label_computed_and_found_statuses_through_status(walk, people, tree, login):
    dossier = walk.to(walk.register(tree.ta_leng), State.UNDER_APPRAISAL)
    DrugPointFactory(village=tree.ta_leng, found_on=timezone.localdate() - dt.timedelta(days=1))
    services.record_finding(
        dossier_id=dossier.pk,
        user=people.district_police,
        number=1,
        status=Status.MET,
        reason="Điểm đã bị triệt xóa, kiểm tra thực tế; sổ chưa cập nhật.",
    )
    response = login(people.district_police).get(dossier.get_absolute_url())
    row = response.context["appraisal_rows"][0]
    assert (row["result"]["status"], row["finding"].status) == (Status.NOT_MET, Status.MET)
    html = " ".join(response.content.decode().split())
    assert f"Tính từ sổ theo dõi: <strong>{Status.NOT_MET.label}</strong>" in html
    assert f"Đã thẩm định: <strong>{Status.MET.label}</strong>" in html
