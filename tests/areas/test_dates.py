"""Dates as Vietnamese officers write them: dd/mm/yyyy in and out, one field and widget for every
date of every form and filter, and a clear message for a day that does not exist."""

from __future__ import annotations

import datetime as dt
import importlib
import inspect

import django_filters
import pytest
from django import forms
from django.urls import reverse
from django.utils import timezone

from areas.widgets import DateField, DateInput, impossible_date_message
from subjects import models as sm
from subjects.forms import DrugTestForm, PersonForm
from tests import factories as f

FORM_MODULES = ["subjects.forms", "criteria.forms", "dossiers.forms", "reports.forms"]
FILTER_MODULES = ["subjects.filters"]


@pytest.fixture
def today_end_of_2026(monkeypatch):
    """Registers refuse dates after today; fix today so the example date stays in the past."""
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: dt.date(2026, 12, 31))


def test_a_date_typed_05_12_2026_is_stored_as_5_december_2026(tree, people, login, today_end_of_2026):
    person = f.PersonFactory(village=tree.ta_leng)
    client = login(people.commune_police)
    response = client.post(
        reverse("subjects:test_create", args=[person.pk]),
        {"tested_on": "05/12/2026", "result": "negative", "method": "kit", "reason": "periodic"},
    )
    assert response.status_code == 302, response.context and response.context["form"].errors
    assert sm.DrugTest.objects.get(person=person).tested_on == dt.date(2026, 12, 5)


def test_a_stored_date_is_shown_as_dd_mm_yyyy_in_a_text_box_with_the_calendar_hook(tree, people):
    person = f.PersonFactory(village=tree.ta_leng, birth_date=dt.date(1992, 4, 3))
    html = str(PersonForm(instance=person, user=people.commune_police)["birth_date"])
    assert 'value="03/04/1992"' in html
    assert 'type="text"' in html and 'type="date"' not in html
    assert "data-date-input" in html and 'placeholder="dd/mm/yyyy"' in html


def test_an_impossible_day_is_refused_with_a_message_that_names_it(tree, people, today_end_of_2026):
    person = f.PersonFactory(village=tree.ta_leng)
    form = DrugTestForm(
        data={"tested_on": "31/02/2026", "result": "negative", "method": "kit", "reason": "periodic"},
        user=people.commune_police,
    )
    form.instance.person = person
    assert not form.is_valid()
    assert form.errors["tested_on"] == ["Không có ngày 31/02/2026: tháng 2 năm 2026 có 28 ngày."]


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("29/02/2024", dt.date(2024, 2, 29)),
        ("5/12/2026", dt.date(2026, 12, 5)),
        (" 05/12/2026 ", dt.date(2026, 12, 5)),
        ("2026-12-05", dt.date(2026, 12, 5)),  # links and exports carry ISO dates
    ],
)
def test_real_days_are_read_day_first(typed, expected):
    assert DateField().clean(typed) == expected


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("29/02/2025", "Không có ngày 29/02/2025: tháng 2 năm 2025 có 28 ngày."),
        ("31/04/2026", "Không có ngày 31/04/2026: tháng 4 năm 2026 có 30 ngày."),
        ("00/01/2026", "Không có ngày 00/01/2026: tháng 1 năm 2026 có 31 ngày."),
        (
            "12/13/2026",
            "Không có tháng 13: ngày viết theo thứ tự ngày/tháng/năm (dd/mm/yyyy), tháng từ 01 đến 12.",
        ),
        ("hôm qua", "Ngày không hợp lệ: nhập theo dạng ngày/tháng/năm (dd/mm/yyyy), ví dụ 05/12/2026."),
        ("12/05/26", "Ngày không hợp lệ: nhập theo dạng ngày/tháng/năm (dd/mm/yyyy), ví dụ 05/12/2026."),
    ],
)
def test_what_is_not_a_day_gets_a_vietnamese_message(typed, message):
    with pytest.raises(forms.ValidationError) as caught:
        DateField().clean(typed)
    assert caught.value.messages == [message]


def test_impossible_date_message_is_silent_for_real_days_and_other_text():
    assert impossible_date_message("28/02/2026") is None
    assert impossible_date_message("abc") is None


def _form_classes():
    for module_name in FORM_MODULES:
        module = importlib.import_module(module_name)
        for _name, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, forms.BaseForm) and cls.__module__ == module_name:
                yield cls


def test_every_date_field_of_every_form_is_the_shared_one():
    checked = 0
    for cls in _form_classes():
        for name, field in cls.base_fields.items():
            if isinstance(field, forms.DateField):
                assert isinstance(field, DateField), f"{cls.__name__}.{name}"
                assert isinstance(field.widget, DateInput), f"{cls.__name__}.{name}"
                checked += 1
    assert checked >= 25  # the registers' dates, the as-of pickers, the dossier and report dates


def test_every_date_filter_uses_the_shared_field():
    checked = 0
    for module_name in FILTER_MODULES:
        module = importlib.import_module(module_name)
        for _name, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, django_filters.FilterSet) and cls.__module__ == module_name:
                for name, filter_ in cls.base_filters.items():
                    if isinstance(filter_, django_filters.DateFilter):
                        assert filter_.field_class is DateField, f"{cls.__name__}.{name}"
                        assert isinstance(filter_.field.widget, DateInput), f"{cls.__name__}.{name}"
                        checked += 1
    assert checked >= 4


def test_a_date_filter_explains_an_impossible_day(tree, people, login):
    client = login(people.commune_police)
    response = client.get(reverse("subjects:test_list"), {"tested_from": "31/02/2026"})
    assert response.status_code == 400  # an invalid filter is an error, not a silently wider list
    assert "Không có ngày 31/02/2026" in response.content.decode()
