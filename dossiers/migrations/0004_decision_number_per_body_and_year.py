"""Decision numbers run per issuing body and year, kept unique by the database: existing decisions
take their dossier's deciding body and the year of their date. Should two already share a number,
the migration stops and names them rather than guessing which is wrong."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def fill_issuer_and_year(apps, schema_editor):
    Decision = apps.get_model("dossiers", "Decision")
    seen = {}
    for decision in Decision.objects.select_related("dossier"):
        decision.issuer_id = decision.dossier.decider_id
        decision.year = decision.decided_on.year
        key = (decision.issuer_id, decision.year, decision.number)
        if key in seen:
            raise RuntimeError(
                f"Quyết định {decision.number} năm {decision.year} trùng số giữa hồ sơ {seen[key]} và "
                f"{decision.dossier_id}; cần sửa số trước khi nâng cấp."
            )
        seen[key] = decision.dossier_id
        decision.save(update_fields=["issuer", "year"])


class Migration(migrations.Migration):

    dependencies = [
        ('areas', '0003_bodies_for_existing_users'),
        ('dossiers', '0003_programme_and_bodies_data'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='decision',
            name='issuer',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='areas.body', verbose_name='cơ quan ban hành'),
        ),
        migrations.AddField(
            model_name='decision',
            name='year',
            field=models.PositiveSmallIntegerField(null=True, verbose_name='năm'),
        ),
        migrations.RunPython(fill_issuer_and_year, migrations.RunPython.noop),
        migrations.AlterField(
            model_name='decision',
            name='issuer',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='areas.body', verbose_name='cơ quan ban hành'),
        ),
        migrations.AlterField(
            model_name='decision',
            name='year',
            field=models.PositiveSmallIntegerField(verbose_name='năm'),
        ),
        migrations.AddConstraint(
            model_name='decision',
            constraint=models.UniqueConstraint(fields=('issuer', 'year', 'number'), name='decision_number_unique_per_body_and_year', violation_error_message='Số quyết định này đã được cơ quan dùng trong năm.'),
        ),
    ]
