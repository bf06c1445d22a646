from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone

from areas.models import Area, Level, User
from areas.widgets import DateField
from subjects.forms import OfficerChoiceField

from .models import Outcome


class OpenRoundForm(forms.Form):
    title = forms.CharField(label="Tên đợt rà soát", max_length=200)
    starts_on = DateField(label="Từ ngày")
    due_on = DateField(label="Hạn hoàn thành")
    communes = forms.ModelMultipleChoiceField(
        label="Các xã tham gia",
        queryset=Area.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Chọn ít nhất một xã tham gia đợt rà soát."},
    )
    instructions = forms.CharField(
        label="Yêu cầu", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        communes = Area.objects.visible_to(user).open_on(today).filter(level=Level.COMMUNE)
        if user.area_id:
            communes = communes.filter(path__startswith=user.area.path)
        self.fields["communes"].queryset = communes.order_by("name")
        if not self.is_bound:
            self.initial.setdefault("starts_on", today)
            self.initial.setdefault("communes", list(communes.values_list("pk", flat=True)))

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("starts_on") and data.get("due_on") and data["due_on"] < data["starts_on"]:
            self.add_error("due_on", "Hạn hoàn thành không được trước ngày bắt đầu.")
        return data


class VerifyForm(forms.Form):
    person = forms.IntegerField(widget=forms.HiddenInput)
    verified_on = DateField(label="Ngày xác minh")
    outcome = forms.ChoiceField(label="Kết quả", choices=[("", "— Chọn kết quả —"), *Outcome.choices])
    note = forms.CharField(label="Nội dung thay đổi / ghi chú", required=False, max_length=500)

    def clean_verified_on(self) -> Any:
        day = self.cleaned_data["verified_on"]
        if day > timezone.localdate():
            raise forms.ValidationError("Ngày xác minh không được sau ngày hôm nay.")
        return day


class HandoverForm(forms.Form):
    from_officer = OfficerChoiceField(label="Cán bộ bàn giao", queryset=User.objects.none())
    to_officer = OfficerChoiceField(label="Cán bộ nhận bàn giao", queryset=User.objects.none())
    reason = forms.CharField(label="Lý do bàn giao", max_length=255)

    def __init__(self, *args: Any, holders: Any, officers: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["from_officer"].queryset = holders
        self.fields["to_officer"].queryset = officers

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("from_officer") and data.get("from_officer") == data.get("to_officer"):
            self.add_error("to_officer", "Cán bộ nhận bàn giao phải khác cán bộ bàn giao.")
        return data
