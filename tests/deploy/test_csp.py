"""Content-Security-Policy: scripts, styles, fonts and images come from the app itself, so an
injected <script> or inline handler does not run. The templates keep to it: no inline script,
no on…= handler, no javascript: URL (the documents rendered to PDF are not pages)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

TEMPLATES = Path(settings.BASE_DIR) / "templates"
PAGE_TEMPLATES = [
    path
    for path in TEMPLATES.rglob("*.html")
    if "documents" not in path.parts and path.name != "report_pdf.html"
]


def _policy(response) -> dict[str, list[str]]:
    header = response.headers["Content-Security-Policy"]
    return {d.split()[0]: d.split()[1:] for d in (part.strip() for part in header.split(";")) if d}


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["login", "password_change"])
def test_pages_carry_a_policy_that_forbids_inline_and_foreign_scripts(people, login, name):
    response = login(people.commune_police).get(reverse(name))
    policy = _policy(response)
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["form-action"] == ["'self'"]
    assert policy["base-uri"] == ["'self'"]


def test_the_templates_hold_no_inline_script():
    assert len(PAGE_TEMPLATES) > 30
    offenders = []
    for path in PAGE_TEMPLATES:
        text = path.read_text()
        for match in re.finditer(r"<script\b(?![^>]*\bsrc=)[^>]*>", text):
            if 'type="application/json"' not in match.group(0):
                offenders.append(f"{path.relative_to(TEMPLATES)}: {match.group(0)}")
        for match in re.finditer(r"\son[a-z]+\s*=\s*[\"']|javascript:", text, re.IGNORECASE):
            offenders.append(f"{path.relative_to(TEMPLATES)}: {match.group(0).strip()}")
    assert not offenders, offenders
