"""Password rules, with every message in Vietnamese (Django's own are partly untranslated).

The product's own words ("không ma túy", …) are refused like the common passwords: they are the
first thing anyone guessing a password here would try. The comparison ignores case, accents,
digits and punctuation, so "KhongMaTuy@2024" is the word "khongmatuy"."""

from __future__ import annotations

import unicodedata
from typing import Any

from django.contrib.auth import password_validation as django_validators
from django.core.exceptions import ValidationError

PRODUCT_WORDS = frozenset(
    {
        "khongmatuy",
        "khongcomatuy",
        "matuy",
        "phongchongmatuy",
        "xakhongmatuy",
        "thonkhongmatuy",
        "bankhongmatuy",
        "diabankhongmatuy",
        "congan",
        "conganxa",
        "conganhuyen",
        "congantinh",
        "ubnd",
        "uybannhandan",
        "quantri",
        "matkhau",
    }
)


def letters_only(password: str) -> str:
    """`password` lowercased, without accents, digits, spaces or punctuation ("đ" reads "d")."""
    decomposed = unicodedata.normalize("NFKD", password.lower().replace("đ", "d"))
    return "".join(c for c in decomposed if c.isascii() and c.isalpha())


class MinimumLengthValidator(django_validators.MinimumLengthValidator):
    def get_error_message(self) -> str:
        return f"Mật khẩu quá ngắn: cần ít nhất {self.min_length} ký tự."

    def get_help_text(self) -> str:
        return f"Mật khẩu phải có ít nhất {self.min_length} ký tự."


class UserAttributeSimilarityValidator(django_validators.UserAttributeSimilarityValidator):
    def get_error_message(self) -> str:
        return "Mật khẩu quá giống thông tin của tài khoản (tên đăng nhập, họ tên hoặc thư điện tử)."

    def get_help_text(self) -> str:
        return "Mật khẩu không được quá giống tên đăng nhập, họ tên hay thư điện tử của bạn."


class CommonPasswordValidator(django_validators.CommonPasswordValidator):
    """Django's list of 20,000 common passwords, and the product's own words."""

    def validate(self, password: str, user: Any = None) -> None:
        if letters_only(password) in PRODUCT_WORDS:
            raise ValidationError(self.get_error_message(), code="password_too_common")
        super().validate(password, user)

    def get_error_message(self) -> str:
        return "Mật khẩu này quá phổ biến hoặc chỉ là tên của hệ thống, dễ bị đoán."

    def get_help_text(self) -> str:
        return "Mật khẩu không được là mật khẩu phổ biến hay tên của hệ thống (như “không ma túy”)."


class NumericPasswordValidator(django_validators.NumericPasswordValidator):
    def get_error_message(self) -> str:
        return "Mật khẩu không được chỉ gồm chữ số."

    def get_help_text(self) -> str:
        return "Mật khẩu không được chỉ gồm chữ số."
