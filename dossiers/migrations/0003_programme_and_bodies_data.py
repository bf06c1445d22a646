"""Each existing dossier takes the programme that governed its unit on the day it was registered
and the bodies of the unit that used to appraise and decide for it. Where no programme covers the
unit, an inactive placeholder programme records that one must be entered (nothing is invented:
its note says so). Then the old columns go and the new ones become required."""

import django.db.models.deletion
from django.db import migrations, models


def _body(Body, area, kind, prefix, symbol, head):
    name = area.name
    if area.kind and name.lower().startswith(area.kind.lower() + " "):
        name = name[len(area.kind) + 1 :]
    body, _ = Body.objects.get_or_create(
        area=area,
        name=f"{prefix} {area.kind} {name}",
        defaults={"kind": kind, "symbol": symbol, "head_title": head},
    )
    return body


def forwards(apps, schema_editor):
    Dossier = apps.get_model("dossiers", "Dossier")
    Programme = apps.get_model("programmes", "Programme")
    Body = apps.get_model("areas", "Body")
    for dossier in Dossier.objects.select_related("appraising_body", "area", "registration"):
        unit = dossier.appraising_body
        police_symbol = {"province": "CAT", "district": "CAH"}.get(unit.level, "CAX")
        dossier.appraiser = _body(
            Body, unit, "police", "Công an", police_symbol, "Giám đốc" if unit.level == "province" else "Trưởng"
        )
        dossier.decider = _body(Body, unit, "committee", "Ủy ban nhân dân", "UBND", "Chủ tịch")
        ancestors = [int(p) for p in dossier.area.path.strip("/").split("/") if p]
        day = dossier.registration.registered_on
        candidates = Programme.objects.filter(issuing_unit_id__in=ancestors, valid_from__lte=day)
        by_unit = {p.issuing_unit_id: p for p in candidates.order_by("valid_from")}
        programme = next((by_unit[i] for i in reversed(ancestors) if i in by_unit), None)
        if programme is None:
            programme, _ = Programme.objects.get_or_create(
                issuing_unit_id=unit.pk,
                number="(chưa khai báo)",
                signed_on=None,
                defaults={
                    "issuing_body": dossier.decider.name,
                    "title": "Kế hoạch chưa được khai báo khi chuyển dữ liệu",
                    "valid_from": day,
                    "is_active": False,
                    "note": "Tạo khi chuyển dữ liệu cho các hồ sơ lập trước khi có kế hoạch trong hệ thống; "
                    "quản trị viên cần khai báo kế hoạch thật và căn cứ pháp lý.",
                },
            )
        dossier.programme = programme
        dossier.save(update_fields=["appraiser", "decider", "programme"])


class Migration(migrations.Migration):
    dependencies = [("dossiers", "0002_programme_and_bodies")]

    operations = [
        migrations.RunPython(forwards, migrations.RunPython.noop),
        migrations.RemoveField(model_name="dossier", name="appraising_body"),
        migrations.RemoveField(model_name="registration", name="phase_label"),
        migrations.AlterField(
            model_name="dossier",
            name="appraiser",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="appraised_dossiers",
                to="areas.body",
                verbose_name="cơ quan chủ trì thẩm định",
            ),
        ),
        migrations.AlterField(
            model_name="dossier",
            name="decider",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="decided_dossiers",
                to="areas.body",
                verbose_name="cơ quan quyết định công nhận",
            ),
        ),
        migrations.AlterField(
            model_name="dossier",
            name="programme",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="dossiers",
                to="programmes.programme",
                verbose_name="kế hoạch",
            ),
        ),
    ]
