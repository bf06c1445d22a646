"""Official administrative documents (Nghị định 30/2020/NĐ-CP, Phụ lục I) as PDF.

Templates extend `templates/documents/official.html`, which lays out the A4 page, the two-column
header (issuing body, number; national motto, place and date), the title, the body, the
recipients and the signature block. This module gives the pieces the header needs and renders
the PDF with WeasyPrint, embedding the Tinos font shipped under static/fonts/tinos/.
The reports app renders its reports with the same base template and `render_pdf`.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string

from areas.models import Area, Level
from programmes.models import long_date

# WeasyPrint narrates every rendering step at INFO; only its warnings matter here.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)

FONT_DIR = "fonts/tinos"
FONT_FILES = {
    ("normal", 400): "tinos-latin-vietnamese-400-normal.ttf",
    ("italic", 400): "tinos-latin-vietnamese-400-italic.ttf",
    ("normal", 700): "tinos-latin-vietnamese-700-normal.ttf",
    ("italic", 700): "tinos-latin-vietnamese-700-italic.ttf",
}


@dataclass(frozen=True)
class FontFace:
    style: str
    weight: int
    url: str


def font_faces() -> list[FontFace]:
    """The @font-face sources of the document font, as file URLs WeasyPrint can read."""
    faces = []
    for (style, weight), name in FONT_FILES.items():
        path = finders.find(f"{FONT_DIR}/{name}")
        if path is None:
            raise FileNotFoundError(f"static/{FONT_DIR}/{name} is missing")
        faces.append(FontFace(style=style, weight=weight, url=Path(path).as_uri()))
    return faces


def short_name(area: Area) -> str:
    """The name without its type word: "Huyện Phong Thổ" → "Phong Thổ"."""
    if area.kind and area.name.lower().startswith(area.kind.lower() + " "):
        return area.name[len(area.kind) + 1 :]
    return area.name


def place_and_date(place: str, day: dt.date) -> str:
    """ "Phong Thổ, ngày 05 tháng 02 năm 2024" (the date written as `programmes.models.long_date`)."""
    return f"{place}, {long_date(day)}"


def document_number(number: int | str) -> str:
    """Numbers below 10 are written 01…09."""
    text = str(number).strip()
    return f"{int(text):02d}" if text.isdigit() else text


def committee_name(area: Area) -> str:
    """ "Ủy ban nhân dân huyện Phong Thổ"."""
    return f"Ủy ban nhân dân {area.kind} {short_name(area)}"


def committee_header(area: Area) -> tuple[str, str]:
    """(parent line, issuing body line) of a People's Committee: the committee names itself in
    two lines, "ỦY BAN NHÂN DÂN" over the unit."""
    return "", f"ỦY BAN NHÂN DÂN\n{area.kind.upper()} {short_name(area).upper()}"


def police_header(area: Area) -> tuple[str, str]:
    """(parent line, issuing body line) of the police of `area`: a district's police sits under
    the province's, a province's police under the Ministry of Public Security."""
    own = f"CÔNG AN {area.kind.upper()} {short_name(area).upper()}"
    if area.level == Level.PROVINCE or area.parent is None:
        return "BỘ CÔNG AN", own
    parent = area.parent
    return f"CÔNG AN {parent.kind.upper()} {short_name(parent).upper()}", own


def render_pdf(template_name: str, context: dict[str, Any]) -> bytes:
    """Render an official-document template to PDF bytes."""
    from weasyprint import HTML

    html = render_to_string(template_name, {**context, "font_faces": font_faces()})
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()
