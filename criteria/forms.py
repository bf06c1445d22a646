"""Forms of the criteria pages and of the admin."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone

from areas.widgets import DateField, DateModelForm
from dossiers.uploads import validate_upload

from . import rules
from .models import Criterion, EvidenceAttestation


def rules_help() -> str:
    """Every rule with its parameters, for the admin's help text."""
    lines = []
    for key, spec in sorted(rules.REGISTRY.items()):
        params = "; ".join(p.describe(name) for name, p in spec.params.items()) or "không có tham số"
        lines.append(f"• {key} — {spec.label}: {params}")
    return "\n".join(lines)


class CriterionAdminForm(forms.ModelForm):
    """The criterion as the admin edits it: parameters as JSON, checked against the rule's
    parameter list with a Vietnamese message naming the wrong parameter."""

    params = forms.JSONField(
        label="Tham số",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "cols": 60}),
        error_messages={"invalid": 'Tham số phải viết đúng cú pháp JSON, ví dụ {"min_count": 1}.'},
    )

    class Meta:
        model = Criterion
        fields = ["number", "short_name", "text", "rule", "params", "evidence_valid_days"]
        widgets = {"text": forms.Textarea(attrs={"rows": 3, "cols": 60})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["params"].help_text = "Tham số của từng quy tắc:\n" + rules_help()

    def clean(self):
        cleaned = super().clean()
        rule_key, params = cleaned.get("rule"), cleaned.get("params")
        if rule_key and "params" not in self.errors:
            try:
                cleaned["params"] = rules.validate_params(rule_key, params)
            except forms.ValidationError as exc:
                self.add_error("params", exc.messages)
        return cleaned


class AsOfForm(forms.Form):
    """The as-of date picker of the scorecard and table pages."""

    ngay = DateField(label="Tính đến ngày", required=False)
    de_nghi = DateField(
        label="Ngày đề nghị công nhận",
        required=False,
        help_text="Để tính xét nghiệm “trong N ngày trước ngày đề nghị”; bỏ trống: lấy ngày tính.",
    )

    def clean_ngay(self) -> dt.date:
        day = self.cleaned_data.get("ngay") or timezone.localdate()
        if day > timezone.localdate():
            raise forms.ValidationError("Không tính điểm cho ngày trong tương lai.")
        return day

    def as_of(self) -> dt.date:
        if self.is_valid():
            return self.cleaned_data["ngay"]
        return timezone.localdate()

    def proposal_date(self) -> dt.date | None:
        return self.cleaned_data.get("de_nghi") if self.is_valid() else None


class AttestationForm(DateModelForm):
    class Meta:
        model = EvidenceAttestation
        fields = ["document", "officer_name", "officer_position", "attested_on", "note"]
        widgets = {
            "note": forms.Textarea(attrs={"rows": 3}),
        }
        error_messages = {
            "document": {"required": "Chọn tệp minh chứng."},
            "officer_name": {"required": "Ghi họ tên cán bộ xác nhận."},
            "attested_on": {"required": "Ghi ngày xác nhận."},
        }

    def clean_document(self):
        # The one check of uploaded papers: type read from the content, size bounded.
        document = self.cleaned_data.get("document")
        if document is not None:
            validate_upload(document)
        return document

    def clean_attested_on(self):
        day = self.cleaned_data.get("attested_on")
        if day and day > timezone.localdate():
            raise forms.ValidationError("Ngày xác nhận không được sau ngày hôm nay.")
        return day
