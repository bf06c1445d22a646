"""The shipped sets apply only in the province that issued them: bind each to its province where
that province already exists (a database where `import_divisions` ran). Elsewhere the binding
happens when the province is imported (`criteria.services.bind_shipped_sets`)."""

from django.db import migrations

SHIPPED_SET_PROVINCES = {
    "Bộ tiêu chí tỉnh Lai Châu (8 tiêu chí)": "12",
    "Bộ tiêu chí “Xã không ma túy” tỉnh Thanh Hóa": "38",
}


def forwards(apps, schema_editor):
    Area = apps.get_model("areas", "Area")
    CriteriaSet = apps.get_model("criteria", "CriteriaSet")
    for name, code in SHIPPED_SET_PROVINCES.items():
        province = Area.objects.filter(level="province", code=code).first()
        if province is not None:
            CriteriaSet.objects.filter(name=name, jurisdiction__isnull=True).update(jurisdiction=province)


class Migration(migrations.Migration):
    dependencies = [("criteria", "0005_criterion_evidence_valid_days"), ("areas", "0001_initial")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
