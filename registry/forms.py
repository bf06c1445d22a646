from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone

from areas.widgets import DateField

from .models import DocumentKind


class ReservationForm(forms.Form):
    """A number taken in the paper register, entered so the app never issues it again."""

    kind = forms.ChoiceField(label="Loại văn bản", choices=DocumentKind.choices)
    number = forms.IntegerField(
        label="Số",
        min_value=1,
        max_value=99999,
        error_messages={
            "required": "Nhập số đã lấy trong sổ giấy.",
            "min_value": "Số văn bản bắt đầu từ 01.",
        },
    )
    issued_on = DateField(label="Ngày văn bản")
    summary = forms.CharField(
        label="Trích yếu nội dung",
        max_length=500,
        error_messages={"required": "Ghi trích yếu nội dung văn bản."},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["issued_on"].initial = timezone.localdate()

    def clean_summary(self) -> str:
        return " ".join(self.cleaned_data["summary"].split())
