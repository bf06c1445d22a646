import subprocess

from areas import demo as area_demo
from dossiers import demo
from dossiers.models import Decision, Dossier
from dossiers.route import State


def test_the_demo_has_dossiers_at_every_stage_with_signed_decisions_and_runs_twice(db):
    units = area_demo.load()
    summary = demo.load(units)
    assert "11 hồ sơ minh họa mới" in summary and "khóa TOTP" in summary
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
    recognised = {d.dossier.area.name for d in Decision.objects.select_related("dossier__area")}
    assert recognised == {"Bản Tả Lèng", "Thôn Kim Chuế"}
    for decision in Decision.objects.all():
        assert (
            "Signature is Valid"
            in subprocess.run(["pdfsig", decision.file.path], capture_output=True, text=True).stdout
        )
    assert Dossier.objects.get(area__name="Thôn Trại Mũa").appraising_body.name == "Thành phố Hải Phòng"

    assert "0 hồ sơ minh họa mới" in demo.load(units)
    assert Dossier.objects.count() == 11
