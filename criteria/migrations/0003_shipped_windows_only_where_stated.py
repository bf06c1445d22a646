"""The shipped criteria apply a period only where their text states one.

Lai Châu 8 ("Không để xảy ra tình trạng trồng cây có chứa chất ma túy"), Thanh Hóa 6 (the same,
with points and groups) and Thanh Hóa 7 (serious cases) state no period: the 365-day windows
shipped with them were invented, and go. Thanh Hóa 5 ("định kỳ, đột xuất phải được xét nghiệm")
states none either: instead of a test within an invented 90 days, a post-rehab person must have
been tested since becoming one. Thanh Hóa 1 and 2 keep their 30 days, which the text states.

A criterion an administrator has changed since it was shipped is left as it is.
"""

from django.db import migrations

LAI_CHAU = "Bộ tiêu chí tỉnh Lai Châu (8 tiêu chí)"
THANH_HOA = "Bộ tiêu chí “Xã không ma túy” tỉnh Thanh Hóa"

POST_REHAB_TESTED_90_DAYS = {
    "rule": "tested_within_days",
    "params": {"status_kinds": ["post_rehab"], "within_days": 90, "require_negative": False},
}
POST_REHAB_TESTED_SINCE = {"rule": "suspected_tested", "params": {"status_kinds": ["post_rehab"]}}
CULTIVATION_365 = {"rule": "no_cultivation", "params": {"lookback_days": 365}}
CULTIVATION = {"rule": "no_cultivation", "params": {}}


def _replace_part(params, old, new):
    parts = params.get("parts", [])
    if old not in parts:
        return None
    return {**params, "parts": [new if part == old else part for part in parts]}


# (set, number, rule, shipped parameters -> parameters without the invented window)
CHANGES = [
    (LAI_CHAU, 8, "no_cultivation", lambda p: {} if p == {"lookback_days": 365} else None),
    (THANH_HOA, 5, "all_of", lambda p: _replace_part(p, POST_REHAB_TESTED_90_DAYS, POST_REHAB_TESTED_SINCE)),
    (THANH_HOA, 6, "all_of", lambda p: _replace_part(p, CULTIVATION_365, CULTIVATION)),
    (
        THANH_HOA,
        7,
        "no_serious_case_by_users",
        lambda p: (
            {k: v for k, v in p.items() if k != "lookback_days"} if p.get("lookback_days") == 365 else None
        ),
    ),
]

# The reverse: the parameters as shipped by 0002.
RESTORE = [
    (LAI_CHAU, 8, "no_cultivation", lambda p: {"lookback_days": 365} if p == {} else None),
    (THANH_HOA, 5, "all_of", lambda p: _replace_part(p, POST_REHAB_TESTED_SINCE, POST_REHAB_TESTED_90_DAYS)),
    (THANH_HOA, 6, "all_of", lambda p: _replace_part(p, CULTIVATION, CULTIVATION_365)),
    (
        THANH_HOA,
        7,
        "no_serious_case_by_users",
        lambda p: {**p, "lookback_days": 365} if "lookback_days" not in p and "since" not in p else None,
    ),
]


def _apply(changes):
    def run(apps, schema_editor):
        Criterion = apps.get_model("criteria", "Criterion")
        for set_name, number, rule, change in changes:
            criterion = Criterion.objects.filter(
                criteria_set__name=set_name, number=number, rule=rule
            ).first()
            if criterion is None:
                continue
            params = change(criterion.params or {})
            if params is not None:
                criterion.params = params
                criterion.save(update_fields=["params"])

    return run


class Migration(migrations.Migration):
    dependencies = [("criteria", "0002_seed_criteria_sets")]

    operations = [migrations.RunPython(_apply(CHANGES), _apply(RESTORE))]
