"""Passwords: the product's own words are refused like any common password, and every message
a user reads about a password is Vietnamese."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.password_validation import password_validators_help_texts, validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse

ENGLISH = re.compile(r"\b(password|characters?|similar|common|numeric|must|contain)\b", re.IGNORECASE)


def _messages(password: str, user=None) -> list[str]:
    with pytest.raises(ValidationError) as refused:
        validate_password(password, user)
    return refused.value.messages


@pytest.mark.parametrize(
    "password",
    [
        "khongmatuy",
        "KhongMaTuy@2024",
        "Không ma túy 2025!",
        "phongchongmatuy",
        "xakhongmatuy99",
        "Matuy#123456",
    ],
)
def test_the_products_words_are_refused_as_common_passwords(password):
    assert any("phổ biến" in message for message in _messages(password))


@pytest.mark.parametrize("password", ["Hoa-sen-no-ngoai-song-7", "tram2canh#Bac*ninh"])
def test_a_good_password_passes(password):
    validate_password(password)


@pytest.mark.parametrize("password", ["123", "12345678901", "password", "abc"])
def test_every_refusal_is_in_vietnamese(password):
    for message in _messages(password):
        assert not ENGLISH.search(message), message


@pytest.mark.django_db
def test_a_password_like_the_username_is_refused_in_vietnamese(people):
    messages = _messages("cax_other_1", people.other_police)
    assert messages and not any(ENGLISH.search(m) for m in messages)
    assert any("tên đăng nhập" in m for m in messages)


def test_the_help_texts_are_vietnamese():
    texts = password_validators_help_texts()
    assert len(texts) == 4
    assert not any(ENGLISH.search(text) for text in texts)


@pytest.mark.django_db
def test_changing_to_the_product_name_is_refused_on_the_page(people, login):
    client = login(people.commune_police)
    response = client.post(
        reverse("password_change"),
        {
            "old_password": "mat-khau-thu-nghiem",
            "new_password1": "KhongMaTuy@2026",
            "new_password2": "KhongMaTuy@2026",
        },
    )
    assert response.status_code == 200
    errors = response.context["form"].errors["new_password2"]
    assert errors and all(not ENGLISH.search(e) for e in errors)
