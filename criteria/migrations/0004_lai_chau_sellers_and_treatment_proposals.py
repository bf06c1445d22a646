"""Lai Châu 1 and 3 read as their text says.

1. "Không có … đối tượng bán lẻ trái phép chất ma túy": a retail seller is a person. The criterion
   keeps its point kinds and also asks that nobody of the unit holds the new status "Đối tượng bán
   lẻ trái phép chất ma túy".
3. "100% người nghiện … có mặt tại địa bàn được lập hồ sơ áp dụng các hình thức cai nghiện": an
   addict for whom the file proposing a treatment measure is being prepared (the new management
   file kind "Đề nghị áp dụng biện pháp cai nghiện", open until the measure is decided) counts, as
   does one in treatment.

A criterion an administrator has changed since it was shipped is left as it is.
"""

from django.db import migrations

LAI_CHAU = "Bộ tiêu chí tỉnh Lai Châu (8 tiêu chí)"
POINT_KINDS = {"kinds": ["hotspot", "complex", "retail", "organising"]}
SELLERS = {"rule": "no_persons_holding", "params": {"status_kinds": ["seller"]}}
IN_TREATMENT = {"rule": "people_in_treatment", "params": {"status_kinds": ["addict"], "presence": ["present"]}}
IN_TREATMENT_OR_PROPOSED = {
    "rule": "people_in_treatment",
    "params": {"status_kinds": ["addict"], "presence": ["present"], "proposal_file_kinds": ["treatment"]},
}


def _criterion(apps, number):
    Criterion = apps.get_model("criteria", "Criterion")
    return Criterion.objects.filter(criteria_set__name=LAI_CHAU, number=number).first()


def _swap_part(params, old, new):
    parts = params.get("parts", [])
    return {**params, "parts": [new if part == old else part for part in parts]} if old in parts else None


def forward(apps, schema_editor):
    first = _criterion(apps, 1)
    if first is not None and first.rule == "no_active_drug_points" and first.params == POINT_KINDS:
        first.rule = "all_of"
        first.params = {"parts": [{"rule": "no_active_drug_points", "params": POINT_KINDS}, SELLERS]}
        first.save(update_fields=["rule", "params"])
    third = _criterion(apps, 3)
    if third is not None and third.rule == "all_of":
        params = _swap_part(third.params, IN_TREATMENT, IN_TREATMENT_OR_PROPOSED)
        if params is not None:
            third.params = params
            third.save(update_fields=["params"])


def backward(apps, schema_editor):
    first = _criterion(apps, 1)
    shipped = {"parts": [{"rule": "no_active_drug_points", "params": POINT_KINDS}, SELLERS]}
    if first is not None and first.rule == "all_of" and first.params == shipped:
        first.rule = "no_active_drug_points"
        first.params = POINT_KINDS
        first.save(update_fields=["rule", "params"])
    third = _criterion(apps, 3)
    if third is not None and third.rule == "all_of":
        params = _swap_part(third.params, IN_TREATMENT_OR_PROPOSED, IN_TREATMENT)
        if params is not None:
            third.params = params
            third.save(update_fields=["params"])


class Migration(migrations.Migration):
    dependencies = [
        ("criteria", "0003_shipped_windows_only_where_stated"),
        ("subjects", "0004_seller_status_and_treatment_proposal_file"),
    ]

    operations = [migrations.RunPython(forward, backward)]
