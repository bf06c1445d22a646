"""Plans, their phases and the provinces' yearly targets move from the reports app to the
programmes app, keeping their ids (reports point at phases by id). A plan's free-text basis is
kept in the note: its legal bases are entered again as structured lines in the admin."""

from django.core.management.color import no_style
from django.db import migrations


def forwards(apps, schema_editor):
    OldPlan = apps.get_model("reports", "Plan")
    OldPhase = apps.get_model("reports", "Phase")
    OldTarget = apps.get_model("reports", "ProvinceTarget")
    Programme = apps.get_model("programmes", "Programme")
    Phase = apps.get_model("programmes", "Phase")
    ProvinceTarget = apps.get_model("programmes", "ProvinceTarget")
    for plan in OldPlan.objects.all():
        starts = [p.starts_on for p in OldPhase.objects.filter(plan=plan)]
        valid_from = plan.signed_on or (min(starts) if starts else None)
        Programme.objects.create(
            pk=plan.pk,
            number=plan.number,
            issuing_body=plan.issuing_body,
            issuing_unit_id=plan.issuing_unit_id,
            signed_on=plan.signed_on,
            title=plan.title,
            valid_from=valid_from or plan.issuing_unit.established_on or "2000-01-01",
            # No criteria set nor route is known for a copied plan: it governs nothing until an
            # administrator completes it.
            is_active=False,
            note=f"Căn cứ ghi trước đây: {plan.basis}" if plan.basis else "",
            is_demo=plan.is_demo,
        )
    for phase in OldPhase.objects.all():
        new = Phase.objects.create(
            pk=phase.pk,
            programme_id=phase.plan_id,
            number=phase.number,
            name=phase.name,
            starts_on=phase.starts_on,
            ends_on=phase.ends_on,
            target_level=phase.target_level,
            target_kind=phase.target_kind,
            target_value=phase.target_value,
            target_note=phase.target_note,
            report_due_on=phase.report_due_on,
            is_final=phase.is_final,
        )
        new.target_units.set(phase.target_units.all())
    for target in OldTarget.objects.all():
        ProvinceTarget.objects.create(
            pk=target.pk,
            province_id=target.province_id,
            year=target.year,
            target_kind=target.target_kind,
            target_value=target.target_value,
            basis=target.basis,
            is_demo=target.is_demo,
        )
    # Rows were inserted with their ids: move the sequences past them.
    statements = schema_editor.connection.ops.sequence_reset_sql(no_style(), [Programme, Phase, ProvinceTarget])
    with schema_editor.connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [
        ("programmes", "0001_initial"),
        ("reports", "0001_initial"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
