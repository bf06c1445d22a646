from django.core.management import call_command

from areas.models import Area, Level, User


def test_import_divisions_loads_34_provinces_and_3321_communes_once(db, capsys):
    call_command("import_divisions")
    assert Area.objects.filter(level=Level.PROVINCE).count() == 34
    assert Area.objects.filter(level=Level.COMMUNE).count() == 3321
    assert Area.objects.get(code="12").name == "Tỉnh Lai Châu"
    assert Area.objects.get(code="11167").parent.code == "31"
    capsys.readouterr()

    call_command("import_divisions")
    out = capsys.readouterr().out
    assert "không có thay đổi" in out
    # and the national unit Cục C04's observers are bound to, once
    assert Area.objects.count() == 34 + 3321 + 1
    assert Area.objects.get(level=Level.NATION).parent is None


def test_load_demo_builds_both_shapes_and_every_role_and_is_idempotent(db, capsys):
    call_command("load_demo")
    counts = (Area.objects.count(), User.objects.count())
    phong_tho = Area.objects.get(name="Huyện Phong Thổ")
    villages = Area.objects.subtree(phong_tho).filter(level=Level.VILLAGE)
    assert villages.count() == 170
    assert Area.objects.subtree(phong_tho).filter(level=Level.COMMUNE).count() == 17
    assert villages.filter(name="Bản Co Muông", parent__name="Xã Mường So").exists()
    tan_an = Area.objects.get(name="Xã Tân An")
    assert tan_an.parent.level == Level.PROVINCE
    assert tan_an.children.count() == 16
    assert set(User.objects.exclude(role="").values_list("role", flat=True)) == {
        "commune_police",
        "commune_chair",
        "appraising_police",
        "co_appraiser",
        "deciding_chair",
        "province_observer",
        "national_observer",
    }
    assert "cax_hoangthen" in capsys.readouterr().out
    # Every acting account acts for a body of its own unit; no village name is used twice.
    assert not User.objects.exclude(role="").filter(body__isnull=True).exists()
    names = list(villages.values_list("name", flat=True))
    assert len(names) == len(set(names))
    assert phong_tho.closed_on.isoformat() == "2025-07-01"
    # The demo's history is dated: its 2024 and first-half-2025 reports count what was recognised.
    from reports.models import ReportRequest

    counted = {
        (r.kind, r.period_end.isoformat()): r.figures["progress"]["village"]["recognised"]
        for r in ReportRequest.objects.filter(unit=phong_tho)
    }
    assert counted == {("phase_summary", "2024-12-31"): 2, ("six_month", "2025-06-30"): 4}

    call_command("load_demo")
    assert (Area.objects.count(), User.objects.count()) == counts


def test_demo_and_real_divisions_share_the_provinces(db):
    call_command("load_demo")
    call_command("import_divisions")
    assert Area.objects.filter(level=Level.PROVINCE, name="Tỉnh Lai Châu").count() == 1
    assert Area.objects.filter(name="Xã Tân An", parent__code="31").count() == 1
