from __future__ import annotations

from typing import Any

from django import forms

from areas.models import Area, Level


class ExportRequestForm(forms.Form):
    province = forms.ModelChoiceField(
        label="Tỉnh, thành phố",
        queryset=Area.objects.none(),
        empty_label=None,
        error_messages={
            "required": "Chọn tỉnh, thành phố.",
            "invalid_choice": "Chọn tỉnh, thành phố trong danh sách.",
        },
    )
    personal_data = forms.BooleanField(
        label="Kèm dữ liệu cá nhân (họ tên, ngày sinh, địa chỉ, ghi chú; số CCCD che một phần)",
        required=False,
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["province"].queryset = (  # type: ignore[attr-defined]
            Area.objects.visible_to(user).filter(level=Level.PROVINCE).order_by("name")
        )
