"""Create/edit forms of the registers. The models hold the rules (validators, `clean()`,
constraints with Vietnamese messages); the forms limit choices to what the user may see and
add the checks a model cannot make on fields the form does not carry."""

from __future__ import annotations

from typing import Any

from crispy_forms.helper import FormHelper
from django import forms
from django.db.models import QuerySet

from areas.models import Area, Level, User
from areas.widgets import DateModelForm

from . import models as m
from .text import normalise_name


class RegisterForm(DateModelForm):
    """Every register form: bound to the user, date pickers, unit choices within their reach."""

    area_field = "village"
    area_levels: tuple[str, ...] = (Level.VILLAGE,)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        if self.area_field in self.fields:
            field = self.fields[self.area_field]
            field.queryset = self.area_choices()
            field.empty_label = "— Chọn —"
        self.helper = FormHelper()
        self.helper.form_tag = False

    def area_choices(self) -> QuerySet[Area]:
        return Area.objects.visible_to(self.user).filter(level__in=self.area_levels).order_by("path")

    def _get_validation_exclusions(self) -> set[str]:
        # A person's record gets its person from the page, not from a field; the rules naming the
        # person (one test per person, day and method) must still be checked before saving.
        exclude = super()._get_validation_exclusions()
        if getattr(self.instance, "person_id", None):
            exclude.discard("person")
        return exclude


class PersonChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: m.Person) -> str:
        return f"{obj.full_name} ({obj.birth_date:%Y}) — {obj.village}"


def visible_persons(user: Any) -> QuerySet[m.Person]:
    return m.Person.objects.visible_to(user).select_related("village").order_by("name_search", "birth_date")


class PersonForm(RegisterForm):
    class Meta:
        model = m.Person
        fields = [
            "full_name",
            "birth_date",
            "sex",
            "cccd",
            "village",
            "address",
            "residence_type",
            "resident_since",
            "presence",
            "note",
        ]
        widgets = {"note": forms.Textarea(attrs={"rows": 3})}

    def validate_unique(self) -> None:
        # A CCCD held outside the user's jurisdiction must not be revealed by this form's errors:
        # its uniqueness is answered after validation by `subjects.services.lookup_cccd`.
        exclude = self._get_validation_exclusions()
        exclude.add("cccd")
        try:
            self.instance.validate_unique(exclude=exclude)
        except forms.ValidationError as error:
            self._update_errors(error)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        # The model's "same name, birth date and village" constraint is on `name_search`, a
        # column the form does not carry, so Django would not check it before saving.
        name, birth, village = cleaned.get("full_name"), cleaned.get("birth_date"), cleaned.get("village")
        if name and birth and village:
            twins = m.Person.objects.filter(
                name_search=normalise_name(name), birth_date=birth, village=village
            )
            if self.instance.pk:
                twins = twins.exclude(pk=self.instance.pk)
            if twins.exists():
                raise forms.ValidationError("Đã có người cùng họ tên, ngày sinh ở thôn, bản này.")
        return cleaned


class PersonStatusForm(RegisterForm):
    class Meta:
        model = m.PersonStatus
        fields = ["kind", "start_date", "end_date", "basis", "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 2})}


class ManagementFileForm(RegisterForm):
    class Meta:
        model = m.ManagementFile
        fields = ["kind", "opened_on", "responsible", "closed_on", "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 2})}


class TreatmentForm(RegisterForm):
    class Meta:
        model = m.Treatment
        fields = [
            "kind",
            "medication",
            "start_date",
            "end_date",
            "facility",
            "complies_with_rules",
            "uses_other_drugs",
            "note",
        ]
        widgets = {"note": forms.Textarea(attrs={"rows": 2})}


class DrugTestForm(RegisterForm):
    class Meta:
        model = m.DrugTest
        fields = ["tested_on", "result", "substance", "method", "reason", "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 2})}


class DrugPointForm(RegisterForm):
    class Meta:
        model = m.DrugPoint
        fields = ["village", "kind", "description", "found_on", "eliminated_on", "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 3})}


class PersonsFieldMixin:
    """A many-to-many to persons offers only the persons the user sees; persons already linked
    from outside their jurisdiction stay linked (the user cannot see them, so cannot unlink them)."""

    persons_field = ""

    def setup_persons(self, user: Any) -> None:
        self.fields[self.persons_field].queryset = visible_persons(user)

    def keep_hidden_persons(self, chosen: QuerySet[m.Person]) -> QuerySet[m.Person]:
        if not self.instance.pk:
            return chosen
        linked = getattr(self.instance, self.persons_field).all()
        hidden = linked.exclude(pk__in=m.Person.objects.visible_to(self.user).values("pk"))
        return m.Person.objects.filter(
            pk__in=[*chosen.values_list("pk", flat=True), *hidden.values_list("pk", flat=True)]
        )


class CriminalGroupForm(PersonsFieldMixin, RegisterForm):
    members = PersonChoiceField(
        label="Thành viên",
        queryset=m.Person.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text="Giữ Ctrl (Cmd) để chọn nhiều người.",
    )

    class Meta:
        model = m.CriminalGroup
        fields = ["village", "kind", "name", "found_on", "dismantled_on", "members", "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 3})}

    persons_field = "members"

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, user=user, **kwargs)
        self.setup_persons(user)

    def clean_members(self) -> QuerySet[m.Person]:
        return self.keep_hidden_persons(self.cleaned_data["members"])


class DrugCaseForm(PersonsFieldMixin, RegisterForm):
    persons = PersonChoiceField(
        label="Đối tượng liên quan",
        queryset=m.Person.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text="Giữ Ctrl (Cmd) để chọn nhiều người.",
    )

    class Meta:
        model = m.DrugCase
        fields = ["village", "kind", "occurred_on", "severity", "summary", "persons", "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 3})}

    persons_field = "persons"

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, user=user, **kwargs)
        self.setup_persons(user)

    def clean_persons(self) -> QuerySet[m.Person]:
        return self.keep_hidden_persons(self.cleaned_data["persons"])


class CultivationIncidentForm(RegisterForm):
    class Meta:
        model = m.CultivationIncident
        fields = ["village", "plant", "season", "area_m2", "plant_count", "found_on", "eradicated_on", "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 3})}


class HouseholdCommitmentForm(RegisterForm):
    class Meta:
        model = m.HouseholdCommitment
        fields = ["village", "kind", "as_of", "households", "signed", "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 3})}


class HotlineBoardForm(RegisterForm):
    class Meta:
        model = m.HotlineBoard
        fields = ["village", "kind", "location", "installed_on", "removed_on", "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 3})}


class PreventionModelForm(RegisterForm):
    area_field = "area"
    area_levels = (Level.VILLAGE, Level.COMMUNE)

    class Meta:
        model = m.PreventionModel
        fields = [
            "name",
            "kind",
            "area",
            "lead_organisation",
            "established_on",
            "is_active",
            "ended_on",
            "last_evaluated_on",
            "evaluated_effective",
            "note",
        ]
        widgets = {"note": forms.Textarea(attrs={"rows": 3})}


class OfficerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return obj.display_name


class AssignForm(forms.Form):
    officer = OfficerChoiceField(
        label="Cán bộ phụ trách",
        queryset=User.objects.none(),
        required=False,
        empty_label="— Chưa giao —",
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )
    reason = forms.CharField(
        label="Lý do",
        required=False,
        max_length=255,
        widget=forms.TextInput(attrs={"class": "form-control form-control-sm"}),
    )

    def __init__(self, *args: Any, officers: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["officer"].queryset = officers  # type: ignore[attr-defined]
