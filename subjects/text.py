"""Vietnamese text helpers shared by search, imports and duplicate checks."""

import re
import unicodedata

_SPACES = re.compile(r"\s+")


def normalise_name(text: str) -> str:
    """Lower case, accents stripped, đ → d, single spaces: "Nguyễn  Văn Á" → "nguyen van a"."""
    text = (text or "").replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return _SPACES.sub(" ", stripped).strip().lower()


def tidy_name(text: str) -> str:
    """A person's name as typed, in NFC with single spaces and each word capitalised."""
    text = unicodedata.normalize("NFC", _SPACES.sub(" ", text or "").strip())
    return " ".join(word[:1].upper() + word[1:].lower() for word in text.split(" "))


def mask_cccd(cccd: str | None) -> str:
    """Lists show only the last 4 digits of a citizen ID: ••••••••1234."""
    if not cccd:
        return ""
    return "•" * (len(cccd) - 4) + cccd[-4:]
