from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone

from areas.models import Area
from areas.widgets import DateField
from programmes.models import Phase, ReportKind

from .models import REPORT_UNIT_LEVELS
from .services import SUMMARY_KINDS


class ReportRequestForm(forms.Form):
    kind = forms.ChoiceField(label="Loại báo cáo", choices=ReportKind.choices)
    unit = forms.ModelChoiceField(label="Đơn vị báo cáo", queryset=Area.objects.none())
    year = forms.IntegerField(
        label="Năm",
        required=False,
        min_value=2000,
        max_value=2100,
        help_text="Cho báo cáo 06 tháng, năm, Tháng hành động.",
    )
    phase = forms.ModelChoiceField(
        label="Giai đoạn",
        queryset=Phase.objects.none(),
        required=False,
        help_text="Cho báo cáo sơ kết, tổng kết.",
    )
    as_of = DateField(
        label="Số liệu tính đến ngày",
        required=False,
        help_text="Để trống: cuối kỳ báo cáo (hoặc hôm nay nếu kỳ chưa kết thúc).",
    )
    difficulties = forms.CharField(
        label="Khó khăn, vướng mắc", required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    proposals = forms.CharField(
        label="Đề xuất, kiến nghị", required=False, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = (
            Area.objects.visible_to(user).filter(level__in=REPORT_UNIT_LEVELS).order_by("path")
        )
        self.fields["phase"].queryset = (
            Phase.objects.visible_to(user)
            .select_related("programme")
            .order_by("programme__signed_on", "number")
        )
        self.fields["phase"].label_from_instance = lambda p: f"{p.programme.number} — {p.name}"
        if not self.is_bound:
            self.initial.setdefault("year", timezone.localdate().year)
            if user.area_id:
                self.initial.setdefault("unit", user.area_id)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        kind = data.get("kind")
        if kind in SUMMARY_KINDS and not data.get("phase"):
            self.add_error("phase", "Báo cáo sơ kết, tổng kết phải chọn giai đoạn của kế hoạch.")
        if kind and kind not in SUMMARY_KINDS and not data.get("year"):
            self.add_error("year", "Hãy nhập năm báo cáo (ví dụ 2025).")
        as_of: dt.date | None = data.get("as_of")
        if as_of and as_of > timezone.localdate():
            self.add_error("as_of", "Ngày tính số liệu không được sau ngày hôm nay.")
        return data


class NarrativeForm(forms.Form):
    difficulties = forms.CharField(
        label="Khó khăn, vướng mắc", required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    proposals = forms.CharField(
        label="Đề xuất, kiến nghị", required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    as_of = DateField(label="Số liệu tính đến ngày")
