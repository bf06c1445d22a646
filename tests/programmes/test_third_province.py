"""A third province's route, bodies, titles, legal bases and deadlines are configured in the admin
only — no code — and a commune's dossier walks it end to end, through a council vote."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from areas.models import Area, Body
from criteria.models import CriteriaSet
from dossiers import services
from dossiers.route import Move, State
from dossiers.services import MoveRefused
from dossiers.signing import ensure_signer
from programmes.models import Programme
from tests.dossiers.conftest import issue_proposal, otp_code
from tests.factories import UserFactory


def _admin(client, django_user_model):
    """A superuser whose session carries a verified one-time-password device (the admin asks for
    one where it is behind OTP)."""
    admin = django_user_model.objects.create_superuser("quantri", "", "mat-khau-quan-tri-thu-nghiem")
    device = TOTPDevice.objects.create(user=admin, name="Thử", confirmed=True)
    client.force_login(admin)
    session = client.session
    session["otp_device_id"] = device.persistent_id
    session.save()
    return client


def _inlines(prefix: str, rows: list[dict]) -> dict:
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(rows)),
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for i, row in enumerate(rows):
        data.update({f"{prefix}-{i}-{key}": value for key, value in row.items()})
    return data


def _post(client, url: str, data: dict) -> None:
    response = client.post(url, data)
    assert response.status_code == 302, response.context and (
        response.context["adminform"].form.errors,
        [f.errors for formset in response.context.get("inline_admin_formsets", []) for f in formset.formset],
    )


def _area(client, **fields) -> Area:
    empty = {**_inlines("classifications", []), **_inlines("successions_out", [])}
    _post(client, reverse("admin:areas_area_add"), {"is_demo": "", **fields, **empty})
    return Area.objects.get(name=fields["name"])


def _body(client, area, kind, name, head, symbol) -> Body:
    _post(
        client,
        reverse("admin:areas_body_add"),
        {"kind": kind, "name": name, "area": area.pk, "head_title": head, "symbol": symbol},
    )
    return Body.objects.get(name=name)


@pytest.fixture
def quang_ngai(client, django_user_model, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.VAR_DIR = tmp_path / "var"
    client = _admin(client, django_user_model)
    province = _area(client, level="province", kind="tỉnh", name="Tỉnh Quảng Ngãi", code="51")
    commune = _area(client, level="commune", kind="xã", name="Xã Nghĩa Hành", parent=province.pk)
    _area(client, level="village", kind="thôn", name="Thôn An Hòa", parent=commune.pk)
    bodies = {
        "police": _body(client, province, "police", "Công an tỉnh Quảng Ngãi", "Giám đốc", "CAT"),
        "committee": _body(
            client, province, "committee", "Ủy ban nhân dân tỉnh Quảng Ngãi", "Chủ tịch", "UBND"
        ),
        "health": _body(client, province, "department", "Sở Y tế tỉnh Quảng Ngãi", "Giám đốc", "SYT"),
        "council": _body(
            client,
            province,
            "council",
            "Hội đồng xét duyệt địa bàn cấp xã không ma túy tỉnh Quảng Ngãi",
            "Chủ tịch",
            "HĐXD",
        ),
        "commune_police": _body(client, commune, "police", "Công an xã Nghĩa Hành", "Trưởng", "CAX"),
        "commune_committee": _body(
            client, commune, "committee", "Ủy ban nhân dân xã Nghĩa Hành", "Chủ tịch", "UBND"
        ),
    }
    # A criteria set of this province's own: the shipped rules with its own parameters.
    _post(
        client,
        reverse("admin:criteria_criteriaset_add"),
        {
            "name": "Bộ tiêu chí xã không ma túy tỉnh Quảng Ngãi (thử)",
            "legal_basis": "Kế hoạch số 04/KH-UBND ngày 23/7/2025 của UBND tỉnh Quảng Ngãi",
            "for_communes": "on",
            "valid_from": "2025-07-23",
            "jurisdiction": province.pk,
            "is_active": "on",
            "note": "",
            **_inlines(
                "criteria",
                [
                    {
                        "number": "1",
                        "text": "Dưới 05 người nghiện ma túy",
                        "rule": "fewer_addicts_than",
                        "params": '{"fewer_than": 5}',
                    },
                    {
                        "number": "2",
                        "text": "Không có điểm ma túy",
                        "rule": "no_active_drug_points",
                        "params": '{"kinds": ["hotspot", "complex", "retail", "organising"]}',
                    },
                ],
            ),
        },
    )
    criteria_set = CriteriaSet.objects.get(name__startswith="Bộ tiêu chí xã không ma túy tỉnh Quảng Ngãi")
    route = [
        ("appraise", bodies["police"], "20"),
        ("co_appraise", bodies["health"], ""),
        ("council", bodies["council"], "10"),
        ("decide", bodies["committee"], "7"),
        ("review", None, "5"),
    ]
    _post(
        client,
        reverse("admin:programmes_programme_add"),
        {
            "number": "04/KH-UBND",
            "issuing_body": "UBND tỉnh Quảng Ngãi",
            "issuing_unit": province.pk,
            "signed_on": "2025-07-23",
            "title": "Xây dựng xã, phường, đặc khu không ma túy trên địa bàn tỉnh Quảng Ngãi",
            "valid_from": "2025-07-23",
            "is_active": "on",
            "commune_criteria_set": criteria_set.pk,
            "note": "",
            **_inlines(
                "legal_bases",
                [
                    {
                        "position": "1",
                        "document_kind": "Luật",
                        "title": "Tổ chức chính quyền địa phương",
                        "issued_on": "2025-06-16",
                    },
                    {
                        "position": "2",
                        "document_kind": "Hướng dẫn",
                        "number": "37/HD-BCA",
                        "issued_on": "2025-09-24",
                        "issuer": "Bộ Công an",
                        "title": "về trình tự, thủ tục, thẩm quyền xét duyệt địa bàn cấp xã không ma túy",
                    },
                ],
            ),
            **_inlines(
                "route_steps",
                [
                    {"unit_level": "commune", "function": f, "body": b.pk if b else "", "deadline_days": d}
                    for f, b, d in route
                ],
            ),
            **_inlines("required_components", []),
            **_inlines("reporting_windows", []),
            **_inlines("phases", []),
        },
    )
    return province, commune, bodies, Programme.objects.get(number="04/KH-UBND")


def test_a_commune_of_a_third_province_walks_the_route_configured_in_the_admin_through_a_council(
    quang_ngai, tmp_path
):
    province, commune, bodies, programme = quang_ngai
    user = UserFactory
    police = user(username="cax_nh", role="commune_police", area=commune, body=bodies["commune_police"])
    chair = user(username="ctx_nh", role="commune_chair", area=commune, body=bodies["commune_committee"])
    appraiser = user(username="ca_qn", role="appraising_police", area=province, body=bodies["police"])
    health = user(username="syt_qn", role="co_appraiser", area=province, body=bodies["health"])
    members = [
        user(username=f"hd_{i}", role="council_member", area=province, body=bodies["council"])
        for i in range(3)
    ]
    decider = user(username="ct_qn", role="deciding_chair", area=province, body=bodies["committee"])

    dossier = services.register(
        user=police, area=commune, target_date=timezone.localdate() + dt.timedelta(days=90)
    )
    assert (dossier.programme, dossier.appraiser, dossier.council, dossier.decider) == (
        programme,
        bodies["police"],
        bodies["council"],
        bodies["committee"],
    )

    def step(move, who, comment="", **extra):
        return services.move(dossier_id=dossier.pk, move=move, user=who, comment=comment, **extra)

    dossier = step(Move.SUBMIT, police)
    # The programme's deadline for the commune's review (5 days) is the dossier's deadline now.
    assert dossier.deadline == timezone.localdate() + dt.timedelta(days=5)
    dossier = step(Move.FORWARD, chair)
    dossier = step(Move.ACCEPT, appraiser)
    services.add_opinion(dossier_id=dossier.pk, user=health, agrees=True, text="Thống nhất.")
    dossier = step(Move.APPRAISE_PASS, appraiser)
    # With a council, the chair may not decide on the appraisal alone.
    ensure_signer(decider)
    with pytest.raises(MoveRefused):
        step(Move.RECOGNISE, decider, otp_token=otp_code(decider))
    dossier = step(Move.SEND_TO_COUNCIL, appraiser)
    assert dossier.state == State.COUNCIL_REVIEW
    services.cast_vote(dossier_id=dossier.pk, user=members[0], agrees=True)
    with pytest.raises(MoveRefused, match="1/3 đồng ý"):
        step(Move.COUNCIL_PASS, appraiser)
    services.cast_vote(dossier_id=dossier.pk, user=members[1], agrees=True)
    services.cast_vote(dossier_id=dossier.pk, user=members[2], agrees=False, comment="Cần kiểm tra thêm.")
    dossier = step(Move.COUNCIL_PASS, appraiser)
    assert dossier.state == State.COUNCIL_PASSED
    issue_proposal(dossier, appraiser)
    dossier = step(Move.RECOGNISE, decider, otp_token=otp_code(decider))
    assert dossier.state == State.RECOGNISED
    assert dossier.decision.number == "01/QĐ-UBND"

    import subprocess

    text = " ".join(
        subprocess.run(
            ["pdftotext", "-layout", dossier.decision.file.path, "-"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.split()
    )
    assert "Căn cứ Luật Tổ chức chính quyền địa phương ngày 16 tháng 6 năm 2025" in text
    assert "Căn cứ Hướng dẫn số 37/HD-BCA ngày 24 tháng 9 năm 2025 của Bộ Công an" in text
    assert "Theo đề nghị của Giám đốc Công an tỉnh Quảng Ngãi" in text
    assert "ỦY BAN NHÂN DÂN TỈNH QUẢNG NGÃI" in text
    assert "Lai Châu" not in text and "Phong Thổ" not in text
    assert [e.move for e in dossier.events.order_by("at", "pk")][-7:] == [
        Move.APPRAISE_PASS,
        Move.SEND_TO_COUNCIL,
        "vote",  # each member's vote is in the history
        "vote",
        "vote",
        Move.COUNCIL_PASS,
        Move.RECOGNISE,
    ]
