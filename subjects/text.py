"""Vietnamese text helpers shared by search, imports and duplicate checks, and the one definition
of how typed identity text (names, CCCD numbers) is cleaned: the model fields in
`subjects/models.py` call these, so a form and an import clean a value the same way."""

import functools
import re
import sys
import unicodedata

_SPACES = re.compile(r"\s+")
# Only ASCII digits: `\d` would also take full-width (１２…) and Arabic-Indic (٠١٢…) digits.
_CCCD = re.compile(r"[0-9]{12}")


@functools.cache
def _invisible() -> re.Pattern[str]:
    # Every format (Cf) and control (Cc) character of the Unicode version Python ships, as one
    # character class: found once per process, then matched in C rather than char by char.
    chars = (chr(code) for code in range(sys.maxunicode + 1))
    return re.compile(
        "[" + "".join(re.escape(ch) for ch in chars if unicodedata.category(ch) in ("Cf", "Cc")) + "]"
    )


def _visible(text: str) -> str:
    """NFC, without format characters (category Cf: zero-width spaces and joiners, soft hyphens,
    U+2060 word joiner, bidirectional overrides, BOM) or control characters: what is left is
    what a reader sees, so two strings that look alike compare alike."""
    return _invisible().sub("", unicodedata.normalize("NFC", text or ""))


def clean_line(text: str) -> str:
    """One line of typed text: visible characters only, single spaces, no outer spaces."""
    return _SPACES.sub(" ", _visible(text)).strip()


def normalise_name(text: str) -> str:
    """Lower case, accents stripped, đ → d, single spaces: "Nguyễn  Văn Á" → "nguyen van a"."""
    text = _visible(text).replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return _SPACES.sub(" ", stripped).strip().lower()


def tidy_name(text: str) -> str:
    """A person's name as typed, cleaned (`clean_line`), each word capitalised."""
    text = clean_line(text)
    return " ".join(word[:1].upper() + word[1:].lower() for word in text.split(" ")) if text else ""


def has_letter(text: str) -> bool:
    """At least one letter (Unicode category L*): a name of marks, digits or punctuation is no name."""
    return any(unicodedata.category(ch).startswith("L") for ch in text or "")


def clean_cccd(text: str) -> str:
    """A CCCD as typed, without spaces and invisible characters; validity is `is_cccd`."""
    return _SPACES.sub("", _visible(text))


def is_cccd(text: str) -> bool:
    """Exactly 12 ASCII digits."""
    return bool(_CCCD.fullmatch(text or ""))


def mask_cccd(cccd: str | None) -> str:
    """Lists show only the last 4 digits of a citizen ID: ••••••••1234."""
    if not cccd:
        return ""
    return "•" * (len(cccd) - 4) + cccd[-4:]
