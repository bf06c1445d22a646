"""Existing users take their role on a body: the co-appraising roles become one role whose body
names the department, and every user of a route role gets the body of their unit (created with
the names and titles the administration uses; an administrator corrects them in the admin)."""

from django.db import migrations

# role -> (body kind, name prefix, symbol by level, head title by level)
BODY_OF_ROLE = {
    "commune_police": ("police", "Công an", {"commune": "CAX"}, {"commune": "Trưởng"}),
    "commune_chair": ("committee", "Ủy ban nhân dân", {"commune": "UBND"}, {"commune": "Chủ tịch"}),
    "appraising_police": (
        "police",
        "Công an",
        {"commune": "CAX", "district": "CAH", "province": "CAT"},
        {"commune": "Trưởng", "district": "Trưởng", "province": "Giám đốc"},
    ),
    "deciding_chair": (
        "committee",
        "Ủy ban nhân dân",
        {"commune": "UBND", "district": "UBND", "province": "UBND"},
        {"commune": "Chủ tịch", "district": "Chủ tịch", "province": "Chủ tịch"},
    ),
    "labour_affairs": (
        "department",
        "Phòng Lao động - Thương binh và Xã hội",
        {"district": "LĐTBXH", "province": "SLĐTBXH"},
        {"district": "Trưởng phòng", "province": "Giám đốc"},
    ),
    "health": (
        "department",
        "Trung tâm Y tế",
        {"district": "TTYT", "province": "SYT"},
        {"district": "Giám đốc", "province": "Giám đốc"},
    ),
}


def _unit_words(area):
    name = area.name
    if area.kind and name.lower().startswith(area.kind.lower() + " "):
        name = name[len(area.kind) + 1 :]
    return f"{area.kind} {name}"


def forwards(apps, schema_editor):
    User = apps.get_model("areas", "User")
    Body = apps.get_model("areas", "Body")
    for user in User.objects.filter(role__in=list(BODY_OF_ROLE), area__isnull=False).select_related("area"):
        kind, prefix, symbols, titles = BODY_OF_ROLE[user.role]
        level = user.area.level
        body, _ = Body.objects.get_or_create(
            area=user.area,
            name=f"{prefix} {_unit_words(user.area)}",
            defaults={
                "kind": kind,
                "symbol": symbols.get(level, "UBND"),
                "head_title": titles.get(level, "Trưởng"),
            },
        )
        user.body = body
        if user.role in ("labour_affairs", "health"):
            user.role = "co_appraiser"
        user.save(update_fields=["body", "role"])


class Migration(migrations.Migration):
    dependencies = [("areas", "0002_body_and_route_roles")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
