from __future__ import annotations

from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from areas.models import Area, Level
from areas.widgets import DateField
from programmes.models import Phase
from programmes.selectors import governing_programme, missing_programme_message

from .models import DocumentKind, Dossier, ReviewOutcome
from .route import REASON_REQUIRED, RETURNS, SENDS_UP, Move
from .uploads import MAX_UPLOAD_BYTES, validate_upload

ACCEPT = ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data: Any, initial: Any = None) -> list:
        files = data if isinstance(data, list | tuple) else [data] if data else []
        cleaned = [super(MultipleFileField, self).clean(f, initial) for f in files]
        for upload in cleaned:
            validate_upload(upload)
        return cleaned


class RegistrationForm(forms.Form):
    area = forms.ModelChoiceField(label="Đơn vị đăng ký", queryset=Area.objects.none())
    phase = forms.ModelChoiceField(
        label="Giai đoạn kế hoạch",
        queryset=Phase.objects.none(),
        required=False,
        empty_label="— Chọn giai đoạn —",
    )
    target_date = DateField(label="Thời hạn đạt tiêu chí")

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        open_areas = Dossier.objects.open().values("area_id")
        self.fields["area"].queryset = (
            Area.objects.visible_to(user)
            .filter(level__in=[Level.VILLAGE, Level.COMMUNE], closed_on__isnull=True)
            .exclude(pk__in=open_areas)
            .order_by("level", "name")
        )
        self.fields["area"].label_from_instance = lambda a: a.name
        # The commune's governing programme today decides the phases offered (and whether the
        # unit can register at all: without a programme the page says who must configure one).
        self.programme = None
        self.programme_missing = ""
        if user.area_id is not None:
            today = timezone.localdate()
            self.programme = governing_programme(user.area, today)
            if self.programme is None:
                self.programme_missing = missing_programme_message(user.area, today)
            else:
                phases = self.programme.phases.order_by("number")
                self.fields["phase"].queryset = phases
                self.fields["phase"].required = phases.exists()
                self.fields["phase"].help_text = f"Theo {self.programme} của {self.programme.issuing_body}."

    def clean_target_date(self):
        day = self.cleaned_data["target_date"]
        if day < timezone.localdate():
            raise ValidationError("Thời hạn đạt tiêu chí không được trước hôm nay.")
        return day


class MoveForm(forms.Form):
    comment = forms.CharField(label="Ý kiến", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    kind = forms.ChoiceField(
        label="Loại tài liệu gửi kèm", choices=DocumentKind.choices, initial=DocumentKind.EVIDENCE
    )
    files = MultipleFileField(
        label="Tệp gửi kèm",
        required=False,
        widget=MultipleFileInput(attrs={"accept": ACCEPT}),
        help_text=f"PDF, JPEG hoặc PNG, mỗi tệp tối đa {MAX_UPLOAD_BYTES // (1024 * 1024)} MB.",
    )

    def __init__(self, *args: Any, move: str, dossier: Dossier | None = None, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", move)
        super().__init__(*args, **kwargs)
        self.move = Move(move)
        self.dossier = dossier
        if self.move in REASON_REQUIRED:
            self.fields["comment"].label = "Lý do"
            self.fields["comment"].required = True
            self.fields["comment"].error_messages["required"] = (
                f"Thao tác “{self.move.label}” phải ghi rõ lý do."
            )

    def extra(self) -> dict[str, Any]:
        return {}

    def attachments(self) -> list[tuple[str, Any]]:
        return [(self.cleaned_data["kind"], f) for f in self.cleaned_data.get("files", [])]


class RecogniseForm(MoveForm):
    reserved_number = forms.CharField(
        label="Số giữ chỗ (nếu có)",
        max_length=10,
        required=False,
        help_text="Để trống: quyết định lấy số tiếp theo trong sổ văn bản đi của cơ quan. Ghi số đã giữ chỗ "
        "trong sổ (ví dụ 125) nếu dùng số lấy từ sổ giấy.",
    )
    decided_on = DateField(label="Ngày ký", initial=timezone.localdate)
    otp_token = forms.CharField(
        label="Mã xác thực (OTP)",
        max_length=8,
        help_text="Mã 6 số trên ứng dụng xác thực của người ký.",
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )

    def clean_reserved_number(self):
        number = self.cleaned_data["reserved_number"].strip()
        if number and not number.isdigit():
            raise ValidationError("Số giữ chỗ chỉ gồm chữ số (ví dụ 125).")
        return number

    def extra(self) -> dict[str, Any]:
        return {
            "reserved_number": self.cleaned_data["reserved_number"],
            "decided_on": self.cleaned_data["decided_on"],
            "otp_token": self.cleaned_data["otp_token"],
        }


class SendUpForm(MoveForm):
    """Sending a dossier up (to the commune chair, to the appraising body): the page shows the
    readiness panel above it; a score below "đạt" needs the explanation (the service says so)."""

    explanation = forms.CharField(
        label="Giải trình (bắt buộc khi kết quả chấm điểm chưa đạt)",
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Được lưu cùng hồ sơ và hiển thị cho mọi cơ quan xử lý sau.",
    )

    def extra(self) -> dict[str, Any]:
        return {"explanation": self.cleaned_data["explanation"]}


class ReturnForm(MoveForm):
    """A return names what to fix: criteria of the dossier's set and papers."""

    fix_criteria = forms.TypedMultipleChoiceField(
        label="Tiêu chí cần khắc phục", required=False, coerce=int, widget=forms.CheckboxSelectMultiple
    )
    fix_documents = forms.MultipleChoiceField(
        label="Tài liệu cần bổ sung",
        required=False,
        choices=DocumentKind.choices,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        criteria = []
        if self.dossier is not None:
            from .selectors import criteria_set_of

            criteria_set = criteria_set_of(self.dossier)
            if criteria_set is not None:
                criteria = [
                    (c.number, f"{c.number}. {c.short_name or c.text[:80]}")
                    for c in criteria_set.criteria.all()
                ]
        cast(forms.ChoiceField, self.fields["fix_criteria"]).choices = criteria
        if not criteria:
            del self.fields["fix_criteria"]

    def extra(self) -> dict[str, Any]:
        return {
            "fix_criteria": self.cleaned_data.get("fix_criteria", []),
            "fix_documents": self.cleaned_data.get("fix_documents", []),
        }


class RevokeForm(MoveForm):
    otp_token = forms.CharField(
        label="Mã xác thực (OTP)",
        max_length=8,
        help_text="Mã 6 số trên ứng dụng xác thực của người ký; số quyết định lấy tự động từ sổ văn bản đi.",
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )

    def extra(self) -> dict[str, Any]:
        return {"otp_token": self.cleaned_data["otp_token"]}


def move_form_class(move: str) -> type[MoveForm]:
    if move == Move.RECOGNISE:
        return RecogniseForm
    if move == Move.REVOKE:
        return RevokeForm
    if move in SENDS_UP:
        return SendUpForm
    if move in RETURNS and move != Move.REFUSE:
        return ReturnForm
    return MoveForm


class OpinionRequestForm(forms.Form):
    bodies = forms.TypedMultipleChoiceField(
        label="Cơ quan phối hợp thẩm định", coerce=int, widget=forms.CheckboxSelectMultiple
    )
    due_on = DateField(label="Hạn trả lời")
    note = forms.CharField(
        label="Nội dung đề nghị", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, dossier: Dossier, **kwargs: Any) -> None:
        from areas.models import Body, Role

        super().__init__(*args, **kwargs)
        ids = dossier.acting_body_ids(Role.CO_APPRAISER)
        cast(forms.ChoiceField, self.fields["bodies"]).choices = list(
            Body.objects.filter(pk__in=ids).order_by("name").values_list("pk", "name")
        )

    def clean_due_on(self):
        day = self.cleaned_data["due_on"]
        if day < timezone.localdate():
            raise ValidationError("Hạn trả lời không được trước hôm nay.")
        return day


class ReviewForm(forms.Form):
    outcome = forms.ChoiceField(
        label="Kết luận rà soát",
        choices=[
            (ReviewOutcome.MAINTAINED, "Giữ vững"),
            (ReviewOutcome.REVOCATION_PROPOSED, "Đề nghị thu hồi công nhận"),
        ],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(label="Nhận xét", max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))
    evidence = MultipleFileField(
        label="Tài liệu chứng minh (bắt buộc khi đề nghị thu hồi)",
        required=False,
        widget=MultipleFileInput(attrs={"accept": ACCEPT}),
    )


class DocumentForm(forms.Form):
    kind = forms.ChoiceField(label="Loại tài liệu", choices=DocumentKind.choices)
    file = forms.FileField(
        label="Tệp",
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
        help_text=f"PDF, JPEG hoặc PNG, tối đa {MAX_UPLOAD_BYTES // (1024 * 1024)} MB.",
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        validate_upload(upload)
        return upload


class OpinionForm(forms.Form):
    agrees = forms.TypedChoiceField(
        label="Ý kiến",
        choices=[("1", "Thống nhất đề nghị công nhận"), ("0", "Không thống nhất")],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    text = forms.CharField(label="Nội dung ý kiến", widget=forms.Textarea(attrs={"rows": 3}))


class VoteForm(forms.Form):
    agrees = forms.TypedChoiceField(
        label="Biểu quyết",
        choices=[("1", "Đồng ý đề nghị công nhận"), ("0", "Không đồng ý")],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label="Ý kiến (nếu có)", required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 2})
    )


class FindingForm(forms.Form):
    """One criterion's row of the appraisal form; `computed` is the register's result, which the
    row may differ from only with a reason."""

    number = forms.IntegerField(widget=forms.HiddenInput)
    computed = forms.CharField(widget=forms.HiddenInput)
    status = forms.ChoiceField(label="Kết quả thẩm định")
    reason = forms.CharField(
        label="Lý do (bắt buộc khi khác kết quả tính toán)",
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from criteria.scoring import Status

        super().__init__(*args, **kwargs)
        self.fields["status"].choices = Status.choices

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (
            data.get("status")
            and data.get("status") != data.get("computed")
            and not (data.get("reason") or "").strip()
        ):
            self.add_error(
                "reason", f"Tiêu chí {data.get('number')}: khác kết quả tính toán phải ghi rõ lý do."
            )
        return data


FindingFormSet = forms.formset_factory(FindingForm, extra=0)
