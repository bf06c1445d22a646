"""Shared form widgets: long lists of units, and the one date field of the app."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from typing import Any

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django_filters.fields import ModelChoiceField as FilterModelChoiceField
from django_filters.fields import ModelChoiceIterator as FilterChoiceIterator


def _select(context: dict) -> str:
    """A <select> from a Select widget's context, its options in one pass."""
    options = format_html_join(
        "",
        '<option value="{}"{}>{}</option>',
        (
            (option["value"], " selected" if option["selected"] else "", option["label"])
            for _group, group_options, _index in context["optgroups"]
            for option in group_options
        ),
    )
    return format_html('<select name="{}"{}>{}</select>', context["name"], flatatt(context["attrs"]), options)


class CompactSelect(forms.Select):
    """A <select> rendered in one pass.

    Django renders every <option> through its own template; a district's 500 villages then cost
    hundreds of milliseconds per page. The HTML is the same, built with format_html_join."""

    def render(self, name: str, value: Any, attrs: dict | None = None, renderer: Any = None) -> str:
        context = self.get_context(name, value, attrs)["widget"]
        return _select(context)


class _ListedChoiceIterator(FilterChoiceIterator):
    """The choices read in one ordinary query. Django walks a model choice field with
    `.iterator()`, which on PostgreSQL opens a server-side cursor — DECLARE … WITH HOLD, FETCH,
    CLOSE: three round trips and a result materialised at commit — on every list page, for the
    few hundred units of a jurisdiction at most. A unit's label is its name: only the id and the
    name are read."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        if self.field.null_label is not None:
            yield (self.field.null_value, self.field.null_label)
        for obj in self.queryset.only("pk", "name"):
            yield self.choice(obj)


class _ListedModelChoiceField(FilterModelChoiceField):
    iterator = _ListedChoiceIterator


class UnitFilter(django_filters.ModelChoiceFilter):
    """A list filter on one of the user's units (a village, a commune): a `CompactSelect` of
    choices read in one query."""

    field_class = _ListedModelChoiceField

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", CompactSelect)
        super().__init__(*args, **kwargs)


# ----------------------------------------------------------------------------- filter forms


def _class(widget: forms.Widget, extra: str) -> str:
    return " ".join(part for part in (widget.attrs.get("class", ""), extra) if part)


def _filter_field(field: forms.BoundField) -> str:
    """One field in Bootstrap 5's markup (the same as crispy-forms' bootstrap5 pack gives)."""
    widget = field.field.widget
    if field.is_hidden:
        return str(field)
    errors = field.errors
    select = isinstance(widget, forms.Select)
    choices = isinstance(widget, forms.RadioSelect)  # CheckboxSelectMultiple is one
    checkbox = isinstance(widget, forms.CheckboxInput)
    css = "form-check-input" if checkbox or choices else "form-select" if select else "form-control"
    attrs: dict[str, Any] = {"class": _class(widget, css + (" is-invalid" if errors else ""))}
    if errors:
        attrs["aria-invalid"] = "true"
        attrs["aria-describedby"] = f"{field.auto_id}_error"
    attrs = field.build_widget_attrs(attrs, widget)
    if field.auto_id and "id" not in widget.attrs:
        attrs.setdefault("id", field.auto_id)
    context = widget.get_context(field.html_name, field.value(), attrs)["widget"]
    if select:
        control = _select(context)
    elif choices:
        control = format_html_join(
            "",
            '<div class="form-check"><input type="{}" name="{}" value="{}"{}><label for="{}" class="form-check-label">{}</label></div>',
            (
                (
                    option["type"],
                    option["name"],
                    option["value"],
                    flatatt({**option["attrs"], "class": css}),
                    option["attrs"].get("id", ""),
                    option["label"],
                )
                for _group, group_options, _index in context["optgroups"]
                for option in group_options
            ),
        )
    elif isinstance(widget, forms.widgets.Input) or checkbox:
        value = context["value"]
        control = format_html(
            '<input type="{}" name="{}"{}{}>',
            context["type"],
            context["name"],
            format_html(' value="{}"', value) if value is not None else "",
            flatatt(context["attrs"]),
        )
    else:  # any other widget: its own template
        control = field.as_widget(attrs=attrs)
    feedback = (
        format_html(
            '<div id="{}_error" class="invalid-feedback d-block">{}</div>',
            field.auto_id,
            format_html_join(
                "",
                '<p id="error_{}_{}"><strong>{}</strong></p>',
                ((number, field.auto_id, error) for number, error in enumerate(errors, 1)),
            ),
        )
        if errors
        else ""
    )
    help_text = (
        format_html('<div id="{}_helptext" class="form-text">{}</div>', field.auto_id, field.help_text)
        if field.help_text
        else ""
    )
    if checkbox:
        return format_html(
            '<div class="mb-3"><div id="div_{}" class="form-check">{}<label for="{}" class="form-check-label">{}</label>{}{}</div></div>',
            field.auto_id,
            control,
            field.id_for_label,
            field.label,
            feedback,
            help_text,
        )
    if choices:
        return format_html(
            '<div id="div_{}" class="mb-3"><fieldset><legend class="form-label fs-6">{}</legend><div>{}</div>{}{}</fieldset></div>',
            field.auto_id,
            field.label,
            control,
            feedback,
            help_text,
        )
    return format_html(
        '<div id="div_{}" class="mb-3"><label for="{}" class="form-label">{}</label>{}{}{}</div>',
        field.auto_id,
        field.id_for_label,
        field.label,
        control,
        feedback,
        help_text,
    )


def render_filter_fields(form: forms.Form) -> str:
    """The fields of a list page's filter form, labelled, with their errors.

    A list page is the most opened page of the app, and its filter form was a large share of its
    time: crispy-forms renders each field through a dozen templates, Django each widget and each
    option through its own. This builds the same markup in one pass with format_html, from what
    each widget's `get_context` gives (its attributes, value, options and checked boxes); a widget
    of another kind falls back to its own template."""
    return format_html_join("", "{}", ((_filter_field(field),) for field in form))


# ----------------------------------------------------------------------------- dates

DATE_HINT = "dd/mm/yyyy"


class DateInput(forms.DateInput):
    """Every date field of the app: a text box that takes and shows dd/mm/yyyy.

    Typing is always allowed; static/js/app.js adds the calendar button (flatpickr in Vietnamese,
    vendored) to every input carrying `data-date-input`. The accepted formats are
    DATE_INPUT_FORMATS in config/formats/vi/formats.py, the first of which renders the value."""

    def __init__(self, attrs: dict | None = None) -> None:
        defaults = {
            "data-date-input": "",
            "placeholder": DATE_HINT,
            "inputmode": "numeric",
            "autocomplete": "off",
            "maxlength": "10",
            "class": "date-input",
        }
        super().__init__(attrs={**defaults, **(attrs or {})})


_DMY = re.compile(r"^\s*(\d{1,2})/(\d{1,2})/(\d{4})\s*$")


def impossible_date_message(value: Any) -> str | None:
    """A message for a dd/mm/yyyy that names no real day (31/02/2026, 12/13/2026), else None."""
    match = _DMY.match(str(value or ""))
    if not match:
        return None
    day, month, year = (int(part) for part in match.groups())
    if not 1 <= month <= 12:
        return (
            f"Không có tháng {month}: ngày viết theo thứ tự ngày/tháng/năm (dd/mm/yyyy), tháng từ 01 đến 12."
        )
    last = calendar.monthrange(year, month)[1] if year >= 1 else 31
    if not 1 <= day <= last:
        return f"Không có ngày {day:02d}/{month:02d}/{year}: tháng {month} năm {year} có {last} ngày."
    return None


class DateField(forms.DateField):
    """A date typed or picked as dd/mm/yyyy, with a Vietnamese message for what is not a date."""

    widget = DateInput
    default_error_messages = {
        "invalid": f"Ngày không hợp lệ: nhập theo dạng ngày/tháng/năm ({DATE_HINT}), ví dụ 05/12/2026.",
    }

    def to_python(self, value: Any) -> dt.date | None:
        try:
            return super().to_python(value)
        except ValidationError:
            message = impossible_date_message(value)
            if message:
                raise ValidationError(message, code="invalid") from None
            raise


def formfield(db_field: models.Field, **kwargs: Any) -> forms.Field | None:
    """The `formfield_callback` of model forms: model date fields become the shared DateField."""
    if isinstance(db_field, models.DateField) and not isinstance(db_field, models.DateTimeField):
        kwargs["form_class"] = DateField
        if not isinstance(kwargs.get("widget"), forms.HiddenInput):
            kwargs["widget"] = DateInput
    return db_field.formfield(**kwargs)


class _DateModelFormMetaclass(forms.models.ModelFormMetaclass):
    def __new__(mcs, name: str, bases: tuple, attrs: dict) -> type:
        meta = attrs.get("Meta")
        if meta is not None and not hasattr(meta, "formfield_callback"):
            meta.formfield_callback = formfield
        return super().__new__(mcs, name, bases, attrs)


class DateModelForm(forms.ModelForm, metaclass=_DateModelFormMetaclass):
    """The base of the app's model forms: their date fields are the shared DateField (Django
    reads `formfield_callback` only from a form's own Meta, so the metaclass puts it there)."""


class DateFilter(django_filters.DateFilter):
    """A list filter on a date, with the same field and widget as the forms."""

    field_class = DateField
