"""The structure of each kind of report and the draft sentences the app writes from the figures.

A Vietnamese periodic report reads: I. the situation (figures and narrative); II. results, task by
task of the plan, with figures; III. the general assessment (strengths; shortcomings and
limitations; their causes); IV. directions and tasks for the next period; V. proposals. A phase or
final summary adds the lessons learnt (in III) and proposals for commendation (in V). The Action
Month report follows the month's own tasks (seed 001). The app fills every figure and table; the
texts below are a draft the officer rewrites in the app before the report is issued.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from programmes.models import ReportKind

from .formatting import vn_number


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    part: str  # the Roman part it belongs to: "I", "II", …
    required: bool = False  # must have text before the report is issued
    hint: str = ""


PART_TITLES = {
    "I": "Tình hình tội phạm và tệ nạn ma túy trên địa bàn",
    "II": "Kết quả thực hiện",
    "III": "Đánh giá chung",
    "IV": "Phương hướng, nhiệm vụ kỳ tới",
    "V": "Đề xuất, kiến nghị",
}
ACTION_MONTH_PART_TITLES = {
    **PART_TITLES,
    "I": "Công tác lãnh đạo, chỉ đạo và tình hình trên địa bàn",
    "II": "Kết quả thực hiện các nội dung Tháng hành động",
    "IV": "Phương hướng, nhiệm vụ thời gian tới",
}

SITUATION = Section("situation", "Tình hình", "I", hint="Nhận định chung về tình hình trong kỳ.")
TASKS = [
    Section(
        "task_leadership",
        "Công tác lãnh đạo, chỉ đạo, tuyên truyền, phổ biến, giáo dục pháp luật",
        "II",
        hint="Văn bản chỉ đạo đã ban hành, số buổi tuyên truyền, số lượt người tham dự…",
    ),
    Section("task_crime", "Nắm tình hình, đấu tranh, xử lý tội phạm về ma túy", "II"),
    Section(
        "task_persons",
        "Phát hiện, quản lý người sử dụng trái phép chất ma túy, người nghiện ma túy; cai nghiện, điều trị",
        "II",
    ),
    Section("task_cultivation", "Phát hiện, xóa bỏ cây có chứa chất ma túy", "II"),
    Section("task_building", "Xây dựng “thôn, bản, tổ dân phố, xã không ma túy”", "II"),
]
ACTION_MONTH_TASKS = [
    Section(
        "task_propaganda",
        "Tuyên truyền hưởng ứng Tháng hành động, Ngày Quốc tế và Ngày toàn dân phòng, chống ma túy (26/6)",
        "II",
        hint="Hình thức, số buổi, số lượt người tham dự, khẩu hiệu, băng rôn…",
    ),
    Section("task_crime", "Tấn công, trấn áp tội phạm về ma túy", "II"),
    Section(
        "task_persons",
        "Rà soát, xét nghiệm, quản lý người sử dụng, người nghiện ma túy, người có biểu hiện loạn thần",
        "II",
    ),
    Section("task_building", "Xây dựng địa bàn không ma túy", "II"),
]
ASSESSMENT = [
    Section("strengths", "Ưu điểm", "III", required=True),
    Section("weaknesses", "Tồn tại, hạn chế", "III", required=True),
    Section("causes", "Nguyên nhân", "III", required=True, hint="Nguyên nhân khách quan, chủ quan."),
]
LESSONS = Section("lessons", "Bài học kinh nghiệm", "III", required=True)
NEXT = Section("next_tasks", "Phương hướng, nhiệm vụ", "IV", required=True)
PROPOSALS = Section("proposals", "Đề xuất, kiến nghị", "V")
COMMENDATIONS = Section(
    "commendations",
    "Đề xuất khen thưởng",
    "V",
    hint="Tập thể, cá nhân có thành tích đề nghị khen thưởng và hình thức khen thưởng.",
)


def sections_for(kind: str) -> list[Section]:
    """The sections of a report of `kind`, in the kind's own order."""
    if kind == ReportKind.ACTION_MONTH:
        return [SITUATION, *ACTION_MONTH_TASKS, *ASSESSMENT, NEXT, PROPOSALS]
    if kind in (ReportKind.PHASE_SUMMARY, ReportKind.FINAL_SUMMARY):
        return [SITUATION, *TASKS, *ASSESSMENT, LESSONS, NEXT, PROPOSALS, COMMENDATIONS]
    return [SITUATION, *TASKS, *ASSESSMENT, NEXT, PROPOSALS]


def part_titles(kind: str) -> dict[str, str]:
    titles = ACTION_MONTH_PART_TITLES if kind == ReportKind.ACTION_MONTH else PART_TITLES
    if kind == ReportKind.FINAL_SUMMARY:
        return {**titles, "IV": "Phương hướng, nhiệm vụ thời gian tới"}
    return titles


def missing(kind: str, texts: dict[str, str]) -> list[Section]:
    """The required sections still without text."""
    return [s for s in sections_for(kind) if s.required and not texts.get(s.key, "").strip()]


# ---------------------------------------------------------------- the draft sentences


def _n(value: float | int) -> str:
    return vn_number(value, 0 if float(value).is_integer() else 1)


def _change(now: float | int, before: float | int) -> str:
    if now > before:
        return f"tăng {_n(now - before)}"
    if now < before:
        return f"giảm {_n(before - now)}"
    return "không thay đổi"


def draft(kind: str, figures: dict[str, Any]) -> dict[str, str]:
    """The sentences the app proposes for every section of a report of `kind`, from its figures.
    Causes and proposals are the officer's: the app has no figures for them and leaves them empty."""
    s = {row["key"]: row for row in figures["situation"]}
    compare = figures["comparison_text"]

    def now(key: str) -> float | int:
        return s[key]["current"]

    def vs(key: str) -> str:
        return f"{_change(s[key]['current'], s[key]['previous'])} so với {_short(compare)}"

    village, commune = figures["progress"]["village"], figures["progress"]["commune"]
    texts: dict[str, str] = {}
    texts["situation"] = (
        f"Trong kỳ, tình hình tội phạm và tệ nạn ma túy trên địa bàn: số người nghiện ma túy đang quản lý "
        f"{_n(now('addicts'))} người ({vs('addicts')}); người sử dụng trái phép chất ma túy "
        f"{_n(now('users'))} người ({vs('users')}); phát hiện {_n(now('cases'))} vụ án, vụ việc về ma túy "
        f"({vs('cases')}); còn {_n(now('points_active'))} điểm, tụ điểm ma túy hoạt động."
    )
    texts["task_leadership"] = ""
    texts["task_propaganda"] = ""
    texts["task_crime"] = (
        f"Phát hiện {_n(now('points_found'))} điểm, tụ điểm; triệt xóa {_n(now('points_eliminated'))} "
        f"điểm, tụ điểm; cuối kỳ còn {_n(now('points_active'))} điểm, tụ điểm và "
        f"{_n(now('groups_active'))} ổ nhóm, đường dây còn hoạt động. Phát hiện {_n(now('cases'))} vụ án, "
        f"vụ việc ({vs('cases')}), trong đó {_n(now('cases_serious'))} vụ rất nghiêm trọng, đặc biệt "
        "nghiêm trọng."
    )
    texts["task_persons"] = (
        f"Đang quản lý {_n(now('addicts'))} người nghiện, {_n(now('users'))} người sử dụng trái phép chất "
        f"ma túy, {_n(now('post_rehab'))} người sau cai nghiện; {_n(now('suspected'))} người có căn cứ nghi "
        f"sử dụng; {_n(now('psychosis'))} người có biểu hiện loạn thần. {_n(now('in_treatment'))} người "
        f"đang cai nghiện, điều trị (trong đó {_n(now('in_substitution'))} người điều trị thay thế). Xét "
        f"nghiệm {_n(now('tests'))} lượt, {_n(now('tests_positive'))} lượt dương tính."
    )
    texts["task_cultivation"] = (
        f"Phát hiện {_n(now('cultivation_found'))} vụ trồng cây có chứa chất ma túy, diện tích "
        f"{_n(now('cultivation_m2'))} m² ({vs('cultivation_found')})."
        if now("cultivation_found")
        else f"Trong kỳ không phát hiện trường hợp trồng cây có chứa chất ma túy ({vs('cultivation_found')})."
    )
    building = [
        f"Toàn địa bàn có {figures['registered']} đơn vị đăng ký xây dựng “không ma túy” "
        f"(cùng thời điểm kỳ so sánh: {figures['registered_before']}).",
        f"Đã được công nhận: {village['text']}" + (f"; {commune['text']}" if commune["total"] else "") + ".",
    ]
    report_phases = [p for p in figures["phases"] if p["is_report_phase"]] or [
        p for p in figures["phases"] if p["status"] in ("Đang thực hiện", "Đạt chỉ tiêu", "Chưa đạt chỉ tiêu")
    ][-1:]
    for p in report_phases:
        building.append(
            f"Chỉ tiêu {p['name'][:1].lower()}{p['name'][1:]} của Kế hoạch số {p['plan']}: {p['target_text']}; "
            f"kết quả: {p['actual_text']} ({p['status'][:1].lower()}{p['status'][1:]})."
        )
    texts["task_building"] = " ".join(building)

    strengths = []
    if village["recognised"] > village["recognised_before"]:
        strengths.append(
            f"Trong kỳ có thêm {village['recognised'] - village['recognised_before']} thôn, bản được công "
            "nhận “không ma túy”."
        )
    if now("addicts") < s["addicts"]["previous"]:
        strengths.append(f"Số người nghiện ma túy {vs('addicts')}.")
    if now("points_eliminated"):
        strengths.append(f"Triệt xóa {_n(now('points_eliminated'))} điểm, tụ điểm ma túy.")
    on_track = [p for p in report_phases if p["on_track"]]
    if on_track:
        strengths.append(f"Đạt chỉ tiêu {on_track[0]['name'][:1].lower()}{on_track[0]['name'][1:]}.")
    texts["strengths"] = " ".join(strengths)

    weaknesses = []
    if now("points_active"):
        weaknesses.append(f"Còn {_n(now('points_active'))} điểm, tụ điểm ma túy hoạt động.")
    if now("addicts") > s["addicts"]["previous"]:
        weaknesses.append(f"Số người nghiện ma túy {vs('addicts')}.")
    behind = [p for p in report_phases if not p["on_track"]]
    if behind:
        weaknesses.append(
            f"Chưa đạt chỉ tiêu {behind[0]['name'][:1].lower()}{behind[0]['name'][1:]} "
            f"({behind[0]['actual_text']} so với chỉ tiêu {behind[0]['target_text']})."
        )
    if figures["at_risk"]:
        names = ", ".join(r["area"] for r in figures["at_risk"])
        weaknesses.append(f"Đơn vị đã công nhận có nguy cơ không giữ vững tiêu chí: {names}.")
    if figures["overdue"]:
        weaknesses.append(f"{len(figures['overdue'])} hồ sơ công nhận chậm so với thời hạn xử lý.")
    texts["weaknesses"] = " ".join(weaknesses)
    texts["causes"] = ""
    texts["lessons"] = ""

    next_tasks = ["Tiếp tục triển khai đồng bộ các giải pháp phòng, chống ma túy trên địa bàn."]
    for p in behind:
        remaining = p["required"] - p["achieved"]
        next_tasks.append(
            f"Tập trung hoàn thành chỉ tiêu {p['name'][:1].lower()}{p['name'][1:]}: còn {remaining} đơn vị "
            "cần được công nhận."
        )
    if village["recognised"] or commune["recognised"]:
        next_tasks.append("Duy trì, giữ vững tiêu chí tại các đơn vị đã được công nhận “không ma túy”.")
    if figures["at_risk"]:
        next_tasks.append(
            "Khắc phục ngay các tiêu chí chưa đạt tại: "
            + ", ".join(r["area"] for r in figures["at_risk"])
            + "."
        )
    if now("points_active"):
        next_tasks.append(
            f"Đấu tranh, triệt xóa {_n(now('points_active'))} điểm, tụ điểm ma túy còn hoạt động."
        )
    texts["next_tasks"] = "\n".join(next_tasks)
    texts["proposals"] = ""
    texts["commendations"] = ""
    return {section.key: texts.get(section.key, "") for section in sections_for(kind)}


def _short(compare: str) -> str:
    """ "cùng kỳ năm trước (từ … đến …)" → "cùng kỳ năm trước"."""
    return compare.split(" (", 1)[0]
