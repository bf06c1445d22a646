"""A short name per criterion for the heads of the criteria table (the full text shows on hover
and focus), filled for the two shipped sets; other sets fall back to "TC <number>"."""

from django.db import migrations, models

SHORT_NAMES = {
    "Bộ tiêu chí tỉnh Lai Châu (8 tiêu chí)": {
        1: "Không có điểm ma túy",
        2: "Không có đối tượng, ổ nhóm",
        3: "Hồ sơ, cai nghiện",
        4: "Điều trị thay thế",
        5: "Quản lý người nghiện",
        6: "Cam kết hộ gia đình",
        7: "Mô hình phòng chống",
        8: "Không trồng cây ma túy",
    },
    "Bộ tiêu chí “Xã không ma túy” tỉnh Thanh Hóa": {
        1: "Người nghiện: hồ sơ, cai",
        2: "Người sử dụng, loạn thần",
        3: "Xét nghiệm người nghi",
        4: "Giảm người nghiện",
        5: "Quản lý sau cai",
        6: "Không tụ điểm, trồng cây",
        7: "Không sót lọt đối tượng",
        8: "Cam kết hộ gia đình",
        9: "Mô hình phòng chống",
    },
}


def fill(apps, schema_editor):
    Criterion = apps.get_model("criteria", "Criterion")
    for set_name, names in SHORT_NAMES.items():
        for number, short_name in names.items():
            Criterion.objects.filter(criteria_set__name=set_name, number=number, short_name="").update(
                short_name=short_name
            )


class Migration(migrations.Migration):
    dependencies = [
        ("criteria", "0006_bind_shipped_sets"),
    ]

    operations = [
        migrations.AddField(
            model_name="criterion",
            name="short_name",
            field=models.CharField(
                blank=True,
                help_text="Đầu cột của bảng tiêu chí, ví dụ “Không có điểm ma túy”; bỏ trống: “TC” và số thứ tự.",
                max_length=40,
                verbose_name="tên ngắn",
            ),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
