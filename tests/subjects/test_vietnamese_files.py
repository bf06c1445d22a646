"""The files the app hands out speak Vietnamese too: every register's export and the import
template are scanned for English UI words (the same curated list as the browser walk)."""

from __future__ import annotations

import io

from django.urls import reverse
from openpyxl import load_workbook

from tests.browser.walk import ENGLISH
from tests.subjects.test_access import list_urls


def _english_in_workbook(content: bytes) -> set[str]:
    found = set()
    for sheet in load_workbook(io.BytesIO(content)).worksheets:
        found |= {m.group(0) for m in ENGLISH.finditer(sheet.title)}
        for row in sheet.iter_rows(values_only=True):
            for value in row:
                if isinstance(value, str):
                    found |= {m.group(0) for m in ENGLISH.finditer(value)}
    return found


def test_register_exports_and_the_import_template_have_no_english_words(records, people, login):
    client = login(people.commune_police)
    urls = [url for url in list_urls() if "xuat-excel" in url] + [reverse("subjects:import_template")]
    assert len(urls) >= 11
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        content = b"".join(response.streaming_content) if response.streaming else response.content
        assert not _english_in_workbook(content), (url, _english_in_workbook(content))
