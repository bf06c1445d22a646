"""The two criteria sets of the plan documents, shipped as data.

- Lai Châu, Kế hoạch số 1246/KH-UBND ngày 09/04/2024 (quoted in the Phong Thổ plan 174/KH-UBND):
  8 criteria for villages and communes; unbound, so it is the default set everywhere.
- Thanh Hóa, Đề án xây dựng “Xã không ma túy” giai đoạn 2024 - 2025: 9 criteria for communes.
  It ships inactive and unbound: an administrator binds it to the province of Thanh Hóa (which
  exists only once the administrative units are imported) and activates it.

The texts are verbatim from the documents; the parameters are the thresholds they state.
"""

import datetime as dt

from django.db import migrations

LAI_CHAU = {
    "name": "Bộ tiêu chí tỉnh Lai Châu (8 tiêu chí)",
    "legal_basis": "Kế hoạch số 1246/KH-UBND ngày 09/04/2024 của UBND tỉnh Lai Châu về việc xây dựng "
    "“thôn, bản, tổ dân phố, xã, thị trấn không có ma túy” trên địa bàn tỉnh Lai Châu",
    "for_villages": True,
    "for_communes": True,
    "valid_from": dt.date(2024, 4, 9),
    "is_active": True,
    "note": "Trích dẫn tại Kế hoạch số 174/KH-UBND ngày 24/5/2024 của UBND huyện Phong Thổ.",
}

LAI_CHAU_CRITERIA = [
    (
        1,
        "Không có tụ điểm, điểm phức tạp về ma túy, đối tượng bán lẻ trái phép chất ma túy, điểm tổ chức và sử dụng trái phép chất ma túy trên địa bàn.",
        "no_active_drug_points",
        {"kinds": ["hotspot", "complex", "retail", "organising"]},
    ),
    (
        2,
        "Không để đối tượng (có hộ khẩu thường trú hoặc tạm trú trên địa bàn từ 03 tháng trở lên), ổ nhóm, đường dây hoạt động phạm tội về ma túy trên địa bàn.",
        "all_of",
        {
            "parts": [
                {"rule": "no_resident_offenders", "params": {"min_residence_months": 3}},
                {"rule": "no_active_groups", "params": {}},
            ]
        },
    ),
    (
        3,
        "100% người nghiện ma túy trên địa bàn có hồ sơ quản lý; 100% người nghiện ma túy có mặt tại địa bàn được lập hồ sơ áp dụng các hình thức cai nghiện phù hợp và 100% người sau cai nghiện được lập hồ sơ quản lý theo quy định.",
        "all_of",
        {
            "parts": [
                {"rule": "people_filed", "params": {"status_kinds": ["addict"], "file_kinds": ["addict"]}},
                {"rule": "people_in_treatment", "params": {"status_kinds": ["addict"], "presence": ["present"]}},
                {"rule": "people_filed", "params": {"status_kinds": ["post_rehab"], "file_kinds": ["post_rehab"]}},
            ]
        },
    ),
    (
        4,
        "100% người nghiện ma túy tham gia chương trình điều trị nghiện các chất dạng thuốc phiện bằng thuốc thay thế trên 12 tháng không sử dụng các chất ma túy khác, chấp hành tốt nội quy của cơ sở điều trị, cơ sở cấp phát thuốc trên địa bàn.",
        "substitution_compliant",
        {"min_months": 12},
    ),
    (
        5,
        "100% người nghiện chất ma túy có mặt tại nơi cư trú trên địa bàn đều được lập hồ sơ quản lý, theo dõi, giám sát chặt chẽ theo quy định của pháp luật.",
        "people_filed",
        {"status_kinds": ["addict"], "file_kinds": ["addict"], "presence": ["present"]},
    ),
    (
        6,
        "100% đại diện hộ gia đình trên địa bàn ký cam kết không phạm tội, không tham gia tệ nạn ma túy và tự nguyện hợp tác với các lực lượng chức năng trong công tác phòng, chống ma túy; 100% thôn, bản, tổ dân phố có bảng niêm yết công khai số điện thoại đường dây nóng của lực lượng chức năng phòng, chống tội phạm ma túy.",
        "all_of",
        {
            "parts": [
                {"rule": "household_commitments", "params": {"kind": ["drug_free"], "min_percent": 100}},
                {"rule": "village_boards", "params": {"kinds": ["hotline"]}},
            ]
        },
    ),
    (
        7,
        "Xây dựng, tham gia và duy trì hiệu quả ít nhất 01 mô hình về phòng chống tội phạm và tệ nạn ma túy trên địa bàn.",
        "prevention_models",
        {"min_count": 1, "require_effective": True},
    ),
    (
        8,
        "Không để xảy ra tình trạng trồng cây có chứa chất ma túy trên địa bàn.",
        "no_cultivation",
        {"lookback_days": 365},
    ),
]

THANH_HOA = {
    "name": "Bộ tiêu chí “Xã không ma túy” tỉnh Thanh Hóa",
    "legal_basis": "Đề án xây dựng “Xã không ma túy” giai đoạn 2024 - 2025 (tỉnh Thanh Hóa); Chỉ thị số "
    "06-CT/TU ngày 01/9/2021 của Ban Thường vụ Tỉnh ủy Thanh Hóa; Quyết định số 272/QĐ-UBND ngày "
    "21/01/2021 của Chủ tịch UBND tỉnh Thanh Hóa",
    "for_villages": False,
    "for_communes": True,
    "valid_from": dt.date(2024, 1, 1),
    "valid_until": dt.date(2025, 12, 31),
    "is_active": False,
    "note": "Chọn phạm vi áp dụng là Tỉnh Thanh Hóa rồi đánh dấu “đang áp dụng”.",
}

THANH_HOA_CRITERIA = [
    (
        1,
        "100% người nghiện ma túy trên địa bàn xã (gọi tắt là trên địa bàn) được phát hiện, có hồ sơ quản lý và tham gia các hình thức cai nghiện/điều trị nghiện phù hợp; có tổng số dưới 10 người nghiện ma túy ngoài cộng đồng và được quản lý, theo dõi, giám sát chặt chế; đồng thời có kết quả âm tính khi xét nghiệm chất ma túy trong cơ thể cách thời điểm đề nghị công nhận không quá 30 ngày.",
        "all_of",
        {
            "parts": [
                {"rule": "people_filed", "params": {"status_kinds": ["addict"], "file_kinds": ["addict"]}},
                {"rule": "people_in_treatment", "params": {"status_kinds": ["addict"]}},
                {"rule": "fewer_addicts_than", "params": {"fewer_than": 10, "presence": ["present"]}},
                {
                    "rule": "tested_within_days",
                    "params": {"status_kinds": ["addict"], "within_days": 30, "require_negative": True, "presence": ["present"]},
                },
            ]
        },
    ),
    (
        2,
        "100% người sử dụng trái phép chất ma túy, người có biểu hiện loạn thần \"ngáo đá\" cư trú tại địa bàn xã, thị trấn được phát hiện, lập hồ sơ quản lý, theo dõi, giám sát chặt chẽ theo quy định; đồng thời có kết quả âm tính khi xét nghiệm chất ma túy trong cơ thể, cách thời điểm đề nghị công nhận không quá 30 ngày.",
        "all_of",
        {
            "parts": [
                {"rule": "people_filed", "params": {"status_kinds": ["user", "psychosis"]}},
                {
                    "rule": "tested_within_days",
                    "params": {"status_kinds": ["user", "psychosis"], "within_days": 30, "require_negative": True},
                },
            ]
        },
    ),
    (
        3,
        "100% người có căn cứ nghi sử dụng trái phép chất ma túy phải được lập danh sách và xét nghiệm chất ma túy trong cơ thể.",
        "suspected_tested",
        {"status_kinds": ["suspected"]},
    ),
    (
        4,
        "Kiềm chế, làm giảm tổng số người nghiện và tổng số người sử dụng trái phép chất ma túy cư trú trên địa bàn so với tổng số đối tượng đã được rà soát kể từ ngày đăng ký xây dựng",
        "below_baseline",
        {"status_kinds": ["addict", "user"]},
    ),
    (
        5,
        "100% người sau cai nghiện ma túy có hồ sơ quản lý, được giám sát chặt chẽ và định kỳ, đột xuất phải được xét nghiệm chất ma túy trong cơ thể; có điều kiện tái hòa nhập cộng đồng; được tư vấn, hỗ trợ, giúp đỡ tìm kiếm việc làm.",
        "all_of",
        {
            "parts": [
                {"rule": "people_filed", "params": {"status_kinds": ["post_rehab"], "file_kinds": ["post_rehab"]}},
                {
                    "rule": "tested_within_days",
                    "params": {"status_kinds": ["post_rehab"], "within_days": 90, "require_negative": False},
                },
                {
                    "rule": "attested_only",
                    "params": {"subject": "Điều kiện tái hòa nhập cộng đồng; tư vấn, hỗ trợ, giúp đỡ tìm kiếm việc làm cho người sau cai nghiện"},
                },
            ]
        },
    ),
    (
        6,
        "Không có điểm, tụ điểm phức tạp, điểm có nguy cơ phức tạp, ổ nhóm, đường dây tội phạm về ma túy; không có vụ việc trồng cây có chứa chất ma túy, sản xuất trái phép chất ma túy trên địa bàn.",
        "all_of",
        {
            "parts": [
                {
                    "rule": "no_active_drug_points",
                    "params": {"kinds": ["hotspot", "complex", "at_risk", "retail", "organising"]},
                },
                {"rule": "no_active_groups", "params": {}},
                {"rule": "no_cultivation", "params": {"lookback_days": 365}},
                {"rule": "attested_only", "params": {"subject": "Không có vụ việc sản xuất trái phép chất ma túy trên địa bàn"}},
            ]
        },
    ),
    (
        7,
        "Không để sót, lọt các đối tượng là công dân trên địa bàn nghiện ma túy, sử dụng trái phép chất ma túy, các đối tượng có biều hiện loạn thần, \"ngáo đá\" gây ra các vụ việc, vụ án rất nghiêm trọng, đặc biệt nghiêm trọng.",
        "no_serious_case_by_users",
        {
            "severities": ["very_serious", "particularly_serious"],
            "status_kinds": ["addict", "user", "psychosis"],
            "lookback_days": 365,
        },
    ),
    (
        8,
        "100% đại diện hộ gia đình đang cư trú trên địa bàn cam kết không tham gia tội phạm, tệ nạn ma túy và tự nguyện hợp tác với các lực lượng chức năng trong công tác phòng, chống ma túy.",
        "household_commitments",
        {"kind": ["drug_free"], "min_percent": 100},
    ),
    (
        9,
        "Xây dựng và duy trì hiệu quả ít nhất 01 mô hình về phòng, chống tội phạm, tệ nạn ma túy trên địa bàn cấp xã.",
        "prevention_models",
        {"min_count": 1, "require_effective": True},
    ),
]


def seed(apps, schema_editor):
    CriteriaSet = apps.get_model("criteria", "CriteriaSet")
    Criterion = apps.get_model("criteria", "Criterion")
    for fields, criteria in ((LAI_CHAU, LAI_CHAU_CRITERIA), (THANH_HOA, THANH_HOA_CRITERIA)):
        criteria_set, created = CriteriaSet.objects.get_or_create(name=fields["name"], defaults=fields)
        if not created:
            continue
        Criterion.objects.bulk_create(
            Criterion(criteria_set=criteria_set, number=number, text=text, rule=rule, params=params)
            for number, text, rule, params in criteria
        )


def unseed(apps, schema_editor):
    CriteriaSet = apps.get_model("criteria", "CriteriaSet")
    CriteriaSet.objects.filter(name__in=[LAI_CHAU["name"], THANH_HOA["name"]]).delete()


class Migration(migrations.Migration):
    dependencies = [("criteria", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
