import datetime as dt
import subprocess

from areas import demo as area_demo
from criteria import demo as criteria_demo
from dossiers import demo
from dossiers.models import Decision, Dossier
from dossiers.route import State
from programmes import demo as programme_demo


def test_the_demo_tells_both_shapes_with_dated_history_and_signed_decisions_and_runs_twice(db):
    units = area_demo.load()
    criteria_demo.load(units)
    programme_demo.load(units)
    summary = demo.load(units)
    assert "15 hồ sơ minh họa mới" in summary and "khóa TOTP" in summary
    assert "dừng" not in summary and "không đăng ký được" not in summary, summary
    states = set(Dossier.objects.values_list("state", flat=True))
    assert states >= {
        State.DRAFT,
        State.SUBMITTED,
        State.FORWARDED,
        State.UNDER_APPRAISAL,
        State.RETURNED,
        State.APPRAISED_PASS,
        State.RECOGNISED,
        State.NOT_RECOGNISED,
    }
    decisions = {
        d.dossier.area.name: d for d in Decision.objects.select_related("dossier__area", "dossier__decider")
    }
    assert set(decisions) == {"Bản Tả Lèng", "Bản Co Muông", "Bản Seo Khèn", "Bản Nà Phình", "Thôn Kim Chuế"}
    # Phong Thổ's decisions were taken in 2024 and the first half of 2025, by the district's committee.
    for name in ("Bản Tả Lèng", "Bản Co Muông", "Bản Seo Khèn", "Bản Nà Phình"):
        assert decisions[name].decided_on < dt.date(2025, 7, 1)
        assert decisions[name].dossier.decider.name == "Ủy ban nhân dân huyện Phong Thổ"
    for decision in decisions.values():
        assert (
            "Signature is Valid"
            in subprocess.run(["pdfsig", decision.file.path], capture_output=True, text=True).stdout
        )
    tan_an = Dossier.objects.select_related("appraiser", "programme").get(area__name="Thôn Trại Mũa")
    assert tan_an.appraiser.name == "Công an thành phố Hải Phòng"
    assert tan_an.programme.issuing_body == "UBND xã Tân An"
    thanh_hoa = Dossier.objects.select_related("programme__commune_criteria_set").get(
        area__name="Phường Hàm Rồng"
    )
    assert "Thanh Hóa" in thanh_hoa.programme.commune_criteria_set.name
    # A dossier left with the district's police when the district ceased waits for its successor.
    stuck = Dossier.objects.select_related("appraiser").get(area__name="Bản Nà Sáng")
    assert stuck.state == State.FORWARDED and not stuck.appraiser.is_open_on(dt.date(2026, 1, 1))

    assert "0 hồ sơ minh họa mới" in demo.load(units)
    assert Dossier.objects.count() == 15
