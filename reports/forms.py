from __future__ import annotations

from typing import Any

from django import forms

from . import sections
from .periods import ReportPeriod


class ReportRequestForm(forms.Form):
    """Which report to prepare: one of the periods the unit's calendar offers (no dates typed)."""

    period = forms.ChoiceField(
        label="Kỳ báo cáo",
        help_text="Các kỳ theo lịch báo cáo của kế hoạch áp dụng cho đơn vị: 06 tháng, năm, Tháng hành "
        "động, sơ kết giai đoạn, tổng kết. Ngày báo cáo là ngày ban hành.",
    )

    def __init__(self, *args: Any, periods: list[ReportPeriod], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["period"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", "— Chọn kỳ báo cáo —")] + [(p.key, p.choice_label) for p in periods]
        self.fields["period"].error_messages["invalid_choice"] = (
            "Kỳ báo cáo đã chọn không có trong lịch báo cáo của đơn vị."
        )
        self.fields["period"].error_messages["required"] = "Hãy chọn kỳ báo cáo."


class ReportTextForm(forms.Form):
    """The narrative of a draft, one text per section of the report's kind."""

    def __init__(self, *args: Any, kind: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        titles = sections.part_titles(kind)
        counters: dict[str, int] = {}
        for section in sections.sections_for(kind):
            counters[section.part] = counters.get(section.part, 0) + 1
            label = f"{section.part}. {titles[section.part]}"
            if section.key != "situation" and section.part in ("II", "III", "V"):
                label = f"{section.part}.{counters[section.part]}. {section.title}"
            self.fields[section.key] = forms.CharField(
                label=label,
                required=False,
                max_length=20000,
                help_text=(
                    section.hint
                    + (" " if section.hint else "")
                    + ("Bắt buộc trước khi ban hành." if section.required else "")
                ).strip(),
                widget=forms.Textarea(attrs={"rows": 5 if section.required else 4}),
            )


class CorrectionForm(forms.Form):
    reason = forms.CharField(
        label="Lý do đính chính, thay thế",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Hãy nêu lý do đính chính, thay thế báo cáo."},
    )
