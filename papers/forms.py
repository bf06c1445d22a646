from __future__ import annotations

import contextlib
import datetime as dt
from typing import Any

from django import forms

from areas.widgets import DateField

from .specs import PaperSpec


class PaperForm(forms.Form):
    """The text sections of a paper, one field each, built from its spec."""

    def __init__(self, *args: Any, spec: PaperSpec, **kwargs: Any) -> None:
        initial = dict(kwargs.pop("initial", {}) or {})
        for section in spec.sections:
            if section.widget == "date" and initial.get(section.key):
                with contextlib.suppress(ValueError):
                    initial[section.key] = dt.date.fromisoformat(initial[section.key])
        super().__init__(*args, initial=initial, **kwargs)
        for section in spec.sections:
            field: forms.Field
            if section.widget == "date":
                field = DateField(label=section.label, required=False)
            elif section.widget == "line":
                field = forms.CharField(label=section.label, required=False, max_length=1000)
            else:
                rows = 6 if section.key in ("body", "situation", "measures", "content") else 3
                field = forms.CharField(
                    label=section.label, required=False, widget=forms.Textarea(attrs={"rows": rows})
                )
            field.help_text = section.help + (" (bắt buộc khi hoàn thành)" if section.required else "")
            self.fields[section.key] = field
