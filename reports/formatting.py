"""How the reports write numbers and proportions in Vietnamese: 1.234,5 and "27/170 thôn, bản =
15,9 %"; the pages, the PDF and the charts share them."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from programmes.models import unit_words


def percent(part: int, whole: int) -> Decimal:
    """`part` of `whole` in per cent, one decimal, half up (27/170 → 15.9)."""
    if not whole:
        return Decimal("0.0")
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def vn_number(value: Decimal | int | float, decimals: int = 1) -> str:
    """Vietnamese number format: dot groups thousands, comma before decimals (1.234,5)."""
    exact = Decimal(str(value)).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    text = f"{exact:,.{decimals}f}"
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def fraction_text(part: int, whole: int, level: str, day: dt.date) -> str:
    """ "27/170 thôn, bản = 15,9 %" (the commune level named as on `day`)."""
    return f"{part}/{whole} {unit_words(level, day)} = {vn_number(percent(part, whole))} %"
