"""Criteria pages: who may open what (outsiders get 404), what the scorecard shows, the evidence
upload, the admin's parameter validation, and constant queries."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from criteria import services
from criteria.models import CriteriaSet, EvidenceAttestation
from criteria.scoring import Status
from subjects import models as sm
from tests.conftest import otp_login
from tests.criteria.conftest import one_rule_set
from tests.factories import (
    AreaFactory,
    DrugPointFactory,
    DrugTestFactory,
    ManagementFileFactory,
    PersonFactory,
    PersonStatusFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

INSIDE = [
    "commune_police",
    "commune_chair",
    "district_police",
    "labour",
    "health",
    "district_chair",
    "province",
]
OUTSIDE = ["other_police", "tanan_police", "city_police"]


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def pdf(name="bien-ban.pdf", content=b"%PDF-1.4 minh chung"):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


# ---------------------------------------------------------------- access matrix


@pytest.mark.parametrize("persona", INSIDE + OUTSIDE)
@pytest.mark.parametrize("page", ["scorecard", "table"])
def test_commune_pages_open_inside_the_jurisdiction_and_404_outside(tree, people, login, persona, page):
    client = login(getattr(people, persona))
    response = client.get(reverse(f"criteria:{page}", args=[tree.hoang_then.pk]))
    assert response.status_code == (200 if persona in INSIDE else 404)


@pytest.mark.parametrize("persona", INSIDE + OUTSIDE)
def test_village_scorecard_follows_the_same_gate(tree, people, login, persona):
    response = login(getattr(people, persona)).get(reverse("criteria:scorecard", args=[tree.ta_leng.pk]))
    assert response.status_code == (200 if persona in INSIDE else 404)


def test_anonymous_user_is_sent_to_sign_in(client, tree):
    response = client.get(reverse("criteria:scorecard", args=[tree.hoang_then.pk]))
    assert response.status_code == 302 and "/dang-nhap/" in response["Location"]


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("commune_police", 200),
        ("commune_chair", 403),
        ("district_police", 403),
        ("other_police", 404),
        ("tanan_police", 404),
    ],
)
def test_only_the_communes_police_may_upload_evidence(tree, people, login, persona, status):
    criterion = CriteriaSet.objects.get(name__contains="Lai Châu").criteria.get(number=7)
    response = login(getattr(people, persona)).get(
        reverse("criteria:attest", args=[tree.ta_leng.pk, criterion.pk])
    )
    assert response.status_code == status


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("commune_police", 200),
        ("district_police", 200),
        ("province", 200),
        ("other_police", 404),
        ("city_police", 404),
    ],
)
def test_evidence_documents_are_served_only_inside_the_jurisdiction(
    tree, people, login, media, persona, status
):
    criterion = CriteriaSet.objects.get(name__contains="Lai Châu").criteria.get(number=7)
    attestation = services.create_attestation(
        user=people.commune_police,
        area=tree.ta_leng,
        criterion=criterion,
        document=pdf(),
        officer_name="Trần Văn Cán Bộ",
        attested_on=dt.date(2025, 6, 1),
    )
    response = login(getattr(people, persona)).get(
        reverse("criteria:evidence_document", args=[attestation.pk])
    )
    assert response.status_code == status
    if status == 200:
        assert b"".join(response.streaming_content) == b"%PDF-1.4 minh chung"


# ---------------------------------------------------------------- what the pages show


def test_scorecard_names_the_records_that_fail_with_links(tree, people, login):
    person = PersonFactory(village=tree.ta_leng, full_name="Lò Văn Chưa Hồ Sơ")
    PersonStatusFactory(person=person, kind=sm.StatusKind.ADDICT)
    point = DrugPointFactory(village=tree.ho_sao, description="Lán trại bỏ hoang")
    response = login(people.commune_police).get(
        reverse("criteria:scorecard", args=[tree.hoang_then.pk]), {"ngay": "2025-06-30"}
    )
    html = response.content.decode()
    assert "Lò Văn Chưa Hồ Sơ" in html
    assert f'href="{reverse("subjects:person_detail", args=[person.pk])}"' in html
    assert "Lán trại bỏ hoang" in html
    assert f'href="{reverse("subjects:point_detail", args=[point.pk])}"' in html
    assert "chưa có hồ sơ quản lý" in html
    assert "Chưa đạt" in html and "30/06/2025" in html
    assert "Việc cần hoàn thành" in html
    # The person's name never reaches the URL.
    assert "Chưa" not in response.request["QUERY_STRING"]


def test_scorecard_as_of_date_changes_the_score(tree, people, login):
    person = PersonFactory(village=tree.ta_leng, full_name="Người Nghiện Mới")
    PersonStatusFactory(person=person, kind=sm.StatusKind.ADDICT, start_date=dt.date(2025, 6, 1))
    client = login(people.commune_police)
    url = reverse("criteria:scorecard", args=[tree.ta_leng.pk])
    assert "Người Nghiện Mới" in client.get(url, {"ngay": "2025-06-01"}).content.decode()
    assert "Người Nghiện Mới" not in client.get(url, {"ngay": "2025-05-31"}).content.decode()


@pytest.mark.parametrize(
    ("value", "message"), [("31/02/2025", "Không có ngày 31/02/2025"), ("2099-01-01", "tương lai")]
)
def test_bad_as_of_date_is_refused_with_a_vietnamese_message(tree, people, login, value, message):
    response = login(people.commune_police).get(
        reverse("criteria:scorecard", args=[tree.ta_leng.pk]), {"ngay": value}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    assert f'value="{value}"' in html or value in html


def test_table_lists_villages_and_commune_with_a_cell_per_criterion(tree, people, login):
    PersonStatusFactory(person=PersonFactory(village=tree.ho_sao), kind=sm.StatusKind.ADDICT)
    response = login(people.district_police).get(
        reverse("criteria:table", args=[tree.phong_tho.pk]), {"ngay": "2025-06-30"}
    )
    html = response.content.decode()
    for name in ["Bản Tả Lèng", "Bản Hô Sáo", "Xã Hoang Thèn", "Bản Co Muông", "Xã Mường So"]:
        assert name in html
    assert "TC 8" in html and "TC 9" not in html
    assert "0/3 thôn, bản đạt đủ tiêu chí" in html


def test_index_lists_sets_and_the_units_the_user_can_score(tree, people, login):
    html = login(people.district_police).get(reverse("criteria:index")).content.decode()
    assert "Bộ tiêu chí tỉnh Lai Châu (8 tiêu chí)" in html
    assert "Xã Hoang Thèn" in html and "Xã Mường So" in html and "Xã Tân An" not in html
    html = login(people.commune_police).get(reverse("criteria:index")).content.decode()
    assert "Xã Hoang Thèn" in html and "Xã Mường So" not in html


def test_set_detail_shows_the_criteria_texts(tree, people, login):
    criteria_set = CriteriaSet.objects.get(name__contains="Thanh Hóa")
    html = (
        login(people.commune_police)
        .get(reverse("criteria:set_detail", args=[criteria_set.pk]))
        .content.decode()
    )
    assert "dưới 10 người nghiện ma túy ngoài cộng đồng" in html
    assert "Chưa áp dụng" in html


def test_home_page_tells_commune_police_how_many_villages_meet_everything(tree, people, login):
    html = login(people.commune_police).get(reverse("home")).content.decode()
    assert "0/2 thôn, bản đạt đủ tiêu chí hôm nay" in html
    assert reverse("criteria:table", args=[tree.hoang_then.pk]) in html


def test_home_page_reads_the_nights_snapshots_when_they_cover_every_village(tree, people, login):
    """After the nightly run the card reads the stored verdicts (and says when they were
    computed) instead of scoring the registers again; a village the run has not covered sends
    the card back to live scoring."""
    from snapshots.models import ScoreSnapshot
    from snapshots.services import snapshot_province

    today = timezone.localdate()
    snapshot_province(province_id=tree.lai_chau.pk, day=today, watch=False)
    stored = ScoreSnapshot.objects.filter(area__parent=tree.hoang_then, day=today)
    assert stored.count() == 2
    # A stored verdict the registers would not give today: the card shows what was stored.
    stored.filter(area=tree.ta_leng).update(status=Status.MET)
    client = login(people.commune_police)
    html = client.get(reverse("home")).content.decode()
    assert "1/2 thôn, bản đạt đủ tiêu chí theo kết quả chấm lúc" in html
    stored.filter(area=tree.ta_leng).delete()
    html = client.get(reverse("home")).content.decode()
    assert "0/2 thôn, bản đạt đủ tiêu chí hôm nay" in html


# ---------------------------------------------------------------- evidence upload


def test_commune_police_upload_evidence_and_the_criterion_is_met(tree, people, login, media):
    criteria_set = one_rule_set("attested_only", {"subject": "Không có sản xuất trái phép chất ma túy"})
    criteria_set.is_active = True
    criteria_set.save()
    programme = tree.programmes.phong_tho
    programme.village_criteria_set = criteria_set
    programme.save()
    criterion = criteria_set.criteria.get()
    client = login(people.commune_police)
    url = reverse("criteria:attest", args=[tree.ta_leng.pk, criterion.pk])
    response = client.post(
        url,
        {
            "document": pdf(),
            "officer_name": "Trần Văn Cán Bộ",
            "officer_position": "Trưởng Công an xã",
            "attested_on": "2025-06-01",
            "note": "Đã kiểm tra thực địa",
        },
    )
    assert response.status_code == 302
    attestation = EvidenceAttestation.objects.get()
    assert Path(attestation.document.path).is_relative_to(media)
    assert "Trần" not in attestation.document.name  # no personal data in the stored name
    html = client.get(
        reverse("criteria:scorecard", args=[tree.ta_leng.pk]), {"ngay": "2025-06-30"}
    ).content.decode()
    assert "Trần Văn Cán Bộ, Trưởng Công an xã" in html
    assert reverse("criteria:evidence_document", args=[attestation.pk]) in html


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"document": ("anh.exe", b"MZ")}, "chỉ nhận tệp PDF, JPEG hoặc PNG đúng định dạng."),
        ({"officer_name": ""}, "Ghi họ tên cán bộ xác nhận."),
        ({"attested_on": "2099-01-01"}, "Ngày xác nhận không được sau ngày hôm nay."),
    ],
)
def test_bad_evidence_is_refused_with_a_vietnamese_message_and_keeps_what_was_typed(
    tree, people, login, media, data, message
):
    criterion = CriteriaSet.objects.get(name__contains="Lai Châu").criteria.get(number=7)
    posted = {"officer_name": "Trần Văn Cán Bộ", "attested_on": "2025-06-01", "note": "Ghi chú đã gõ"}
    posted.update({k: v for k, v in data.items() if k != "document"})
    name, content = data.get("document", ("bien-ban.pdf", b"%PDF-1.4"))
    posted["document"] = SimpleUploadedFile(name, content)
    response = login(people.commune_police).post(
        reverse("criteria:attest", args=[tree.ta_leng.pk, criterion.pk]), posted
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    assert "Ghi chú đã gõ" in html
    assert not EvidenceAttestation.objects.exists()


# ---------------------------------------------------------------- admin


@pytest.fixture
def admin_client_logged(client, db):
    admin = UserFactory(username="quantri", is_staff=True, is_superuser=True)
    return otp_login(client, admin)


def admin_payload(criteria_set, criterion, params):
    data = {
        "name": criteria_set.name,
        "legal_basis": criteria_set.legal_basis,
        "for_villages": "on",
        "for_communes": "on",
        "valid_from": criteria_set.valid_from.isoformat(),
        "valid_until": "",
        "jurisdiction": "",
        "is_active": "on",
        "note": "",
        "criteria-TOTAL_FORMS": "1",
        "criteria-INITIAL_FORMS": "1",
        "criteria-MIN_NUM_FORMS": "0",
        "criteria-MAX_NUM_FORMS": "1000",
        "criteria-0-id": str(criterion.pk),
        "criteria-0-criteria_set": str(criteria_set.pk),
        "criteria-0-number": str(criterion.number),
        "criteria-0-text": criterion.text,
        "criteria-0-rule": criterion.rule,
        "criteria-0-params": params,
    }
    return data


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ('{"fewer_than": "mười"}', "giá trị “mười” không hợp lệ"),
        ("{}", "Thiếu tham số “fewer_than”"),
        ('{"fewer_than": 10, "max": 3}', "không có tham số “max”"),
        ("{fewer_than: 10", "Tham số phải viết đúng cú pháp JSON"),
    ],
)
def test_admin_refuses_bad_parameters_with_a_vietnamese_message(tree, admin_client_logged, params, message):
    criteria_set = one_rule_set("fewer_addicts_than", {"fewer_than": 10})
    criterion = criteria_set.criteria.get()
    url = reverse("admin:criteria_criteriaset_change", args=[criteria_set.pk])
    response = admin_client_logged.post(url, admin_payload(criteria_set, criterion, params))
    assert response.status_code == 200
    assert message in response.content.decode()
    criterion.refresh_from_db()
    assert criterion.params == {"fewer_than": 10}


def test_admin_parameter_change_changes_the_next_score(tree, admin_client_logged):
    for i in range(3):
        PersonStatusFactory(
            person=PersonFactory(village=tree.trai_mua, full_name=f"N {i}"), kind=sm.StatusKind.ADDICT
        )
    criteria_set = one_rule_set("fewer_addicts_than", {"fewer_than": 10})
    criterion = criteria_set.criteria.get()
    as_of = dt.date(2025, 6, 30)
    assert services.score_area(area=tree.tan_an, as_of=as_of, criteria_set=criteria_set).passed
    url = reverse("admin:criteria_criteriaset_change", args=[criteria_set.pk])
    response = admin_client_logged.post(url, admin_payload(criteria_set, criterion, '{"fewer_than": 3}'))
    assert response.status_code == 302
    assert not services.score_area(area=tree.tan_an, as_of=as_of, criteria_set=criteria_set).passed


# ---------------------------------------------------------------- constant queries


def grow(commune, villages, persons_per_village):
    made = [AreaFactory(parent=commune) for _ in range(villages)]
    for village in made:
        for i in range(persons_per_village):
            person = PersonFactory(village=village, full_name=f"Người {village.pk}-{i}")
            PersonStatusFactory(person=person, kind=sm.StatusKind.ADDICT)
            ManagementFileFactory(person=person)
            DrugTestFactory(person=person)
        DrugPointFactory(village=village)


@pytest.mark.parametrize("page", ["scorecard", "table"])
def test_pages_run_the_same_queries_at_two_data_sizes(tree, people, login, django_assert_num_queries, page):
    client = login(people.district_police)
    url = reverse(f"criteria:{page}", args=[tree.hoang_then.pk])
    grow(tree.hoang_then, 1, 1)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    grow(tree.hoang_then, 4, 5)
    with django_assert_num_queries(len(small.captured_queries)):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize(
    ("as_of", "shown", "status"),
    [
        ("2025-06-30", "có giá trị đến hết ngày 01/07/2025", "met"),
        ("2025-07-02", "hết giá trị sau ngày 01/07/2025", "needs_evidence"),
    ],
)
def test_scorecard_shows_until_when_an_attestation_counts(tree, people, login, media, as_of, shown, status):
    criteria_set = one_rule_set("attested_only", {"subject": "Không có sản xuất trái phép chất ma túy"})
    criteria_set.jurisdiction, criteria_set.is_active = tree.lai_chau, True
    tree.programmes.phong_tho.village_criteria_set = criteria_set
    tree.programmes.phong_tho.save()
    criteria_set.save()
    criterion = criteria_set.criteria.get()
    criterion.evidence_valid_days = 30
    criterion.save()
    services.create_attestation(
        user=people.commune_police,
        area=tree.ta_leng,
        criterion=criterion,
        document=pdf(),
        officer_name="Trần Văn Cán Bộ",
        attested_on=dt.date(2025, 6, 1),
    )
    response = login(people.commune_police).get(
        reverse("criteria:scorecard", args=[tree.ta_leng.pk]), {"ngay": as_of}
    )
    result = response.context["scorecard"].results[0]
    assert (result.status, result.evidence.valid_until) == (status, "2025-07-01")
    assert shown in " ".join(response.content.decode().split())


def test_tables_read_the_nights_snapshots_and_a_commune_may_ask_to_score_again(
    tree, people, login, monkeypatch
):
    import datetime as dt

    from criteria import services as criteria_services
    from snapshots import services as snapshot_services

    PersonStatusFactory(person=PersonFactory(village=tree.ho_sao), kind=sm.StatusKind.ADDICT)
    day = dt.date(2025, 6, 30)
    snapshot_services.snapshot_province(province_id=tree.lai_chau.pk, day=day, watch=False)
    live = criteria_services.score_areas(
        areas=[tree.ta_leng, tree.ho_sao, tree.hoang_then, tree.co_muong, tree.muong_so], as_of=day
    )
    scored = []
    monkeypatch.setattr(criteria_services, "score_areas", lambda **kwargs: scored.append(kwargs) or live)
    client = login(people.district_police)
    html = client.get(
        reverse("criteria:table", args=[tree.phong_tho.pk]), {"ngay": "2025-06-30"}
    ).content.decode()
    assert scored == []  # no live scoring
    assert "Theo kết quả chấm điểm hằng đêm ngày 30/06/2025" in html
    assert "0/3 thôn, bản đạt đủ tiêu chí" in html
    for name in ["Bản Tả Lèng", "Bản Hô Sáo", "Xã Hoang Thèn", "Bản Co Muông", "Xã Mường So"]:
        assert name in html
    assert "TC 8" in html and "TC 9" not in html
    assert "tinh-lai=1" not in html  # a whole district is never re-scored on request
    # A commune's table reads them too, and offers to score the registers as they are now.
    html = client.get(
        reverse("criteria:table", args=[tree.hoang_then.pk]), {"ngay": "2025-06-30"}
    ).content.decode()
    assert scored == []
    assert "Chấm lại cả bảng theo sổ theo dõi hiện tại" in html
    # A day the night did not cover, and a commune's table asked again, are scored live.
    client.get(reverse("criteria:table", args=[tree.phong_tho.pk]), {"ngay": "2025-06-29"})
    client.get(reverse("criteria:table", args=[tree.hoang_then.pk]), {"ngay": "2025-06-30", "tinh-lai": "1"})
    assert len(scored) == 2
    # Asking a district to be re-scored is ignored: it reads the snapshots.
    client.get(reverse("criteria:table", args=[tree.phong_tho.pk]), {"ngay": "2025-06-30", "tinh-lai": "1"})
    assert len(scored) == 2


def test_a_scorecard_names_the_first_failing_records_and_links_to_all_of_them(
    tree, people, login, monkeypatch
):
    """A commune of thousands of persons sent megabytes: each criterion names its first
    FAILING_SHOWN records by name and counts the rest; the page of one criterion names them all."""
    from criteria import scoring

    monkeypatch.setattr(scoring, "FAILING_SHOWN", 2)
    for name in ["Vàng A Ba", "Giàng A Một", "Lý A Hai"]:
        PersonStatusFactory(
            person=PersonFactory(village=tree.ta_leng, full_name=name), kind=sm.StatusKind.ADDICT
        )
    client = login(people.commune_police)
    url = reverse("criteria:scorecard", args=[tree.ta_leng.pk])
    day = timezone.localdate().strftime("%d/%m/%Y")
    response = client.get(url, {"ngay": day})
    result = next(r for r in response.context["scorecard"].results if len(r.failing) == 3)

    def block(html: str) -> str:
        start = html.index(f'id="tieu-chi-{result.number}"')
        return html[start : html.find('id="tieu-chi-', start + 1)]

    shown = block(response.content.decode())
    assert "Giàng A Một" in shown and "Lý A Hai" in shown and "Vàng A Ba" not in shown
    assert "… và 1 bản ghi khác" in shown
    assert f"tieu-chi={result.number}#tieu-chi-{result.number}" in shown
    shown = block(client.get(url, {"ngay": day, "tieu-chi": result.number}).content.decode())
    assert "Vàng A Ba" in shown and "bản ghi khác" not in shown
