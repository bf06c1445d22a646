"""Walk the pages a signed-in user can reach by following links, one page per view of the URL
conf, and check each page as a person would see it on a phone and on a laptop.

Used by tests/browser/test_every_page.py; `python -m tests.browser.walk URL USER PASSWORD` runs
the same walk against a running server and prints what it found."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1366, "height": 768}

# Words of English UI text that must not reach a Vietnamese user (matched as whole words,
# case-insensitive, in the visible text, placeholders, titles and ARIA labels).
ENGLISH_WORDS = [
    "Choose",
    "chosen",
    "Browse",
    "Submit",
    "Cancel",
    "Delete",
    "Save",
    "Search",
    "Filter",
    "Previous",
    "Next",
    "Page",
    "Currently",
    "Clear",
    "Change",
    "Upload",
    "Download",
    "Login",
    "Log in",
    "Logout",
    "Log out",
    "Sign in",
    "Password",
    "Username",
    "Error",
    "Not Found",
    "Forbidden",
    "Server Error",
    "Bad Request",
    "required",
    "This field",
    "Enter a valid",
    "Select a valid",
    "Loading",
    "Close",
    "Toggle navigation",
    "Yes",
    "No file",
    "Unknown",
    "None",
    "True",
    "False",
    "mm/dd/yyyy",
]
ENGLISH = re.compile(r"\b(" + "|".join(re.escape(w) for w in ENGLISH_WORDS) + r")\b", re.IGNORECASE)

# What the page shows a person: visible text plus the attributes screen readers and hovers read.
_PAGE_TEXT_JS = """() => {
  const parts = [document.title, document.body.innerText];
  for (const el of document.querySelectorAll('[placeholder],[title],[aria-label],input[type=submit],input[type=button]')) {
    for (const attr of ['placeholder', 'title', 'aria-label', 'value']) {
      if (attr === 'value' && !(el.type === 'submit' || el.type === 'button')) continue;
      const v = el.getAttribute(attr); if (v) parts.push(v);
    }
  }
  return parts.join('\\n');
}"""

_WIDTH_JS = """() => {
  const de = document.documentElement;
  const wide = [];
  if (de.scrollWidth > window.innerWidth) {
    for (const el of document.body.querySelectorAll('*')) {
      const r = el.getBoundingClientRect();
      if (r.right > window.innerWidth + 1 && getComputedStyle(el).position !== 'fixed') {
        let inScroller = false;
        for (let p = el.parentElement; p; p = p.parentElement) {
          const o = getComputedStyle(p).overflowX;
          if (o === 'auto' || o === 'scroll' || o === 'hidden') { inScroller = true; break; }
        }
        if (!inScroller) wide.push(el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
          (el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\\s+/).join('.') : '') +
          ' ' + Math.round(r.right));
      }
      if (wide.length > 5) break;
    }
  }
  return {scrollWidth: de.scrollWidth, innerWidth: window.innerWidth, wide};
}"""

# Not pages: the admin has its own look (Django's), sign-out is a POST, media and exports are files.
# The admin has Django's look; the exchange API (/api/) answers other systems, and its Swagger page
# is for their developers.
SKIP_PREFIXES = ("/quan-tri/", "/static/", "/dang-xuat/", "/api/")


@dataclass
class Problem:
    url: str
    what: str

    def __str__(self) -> str:
        return f"{self.url}: {self.what}"


@dataclass
class WalkResult:
    visited: dict[str, str] = field(default_factory=dict)  # view name -> url
    problems: list[Problem] = field(default_factory=list)


def view_name(path: str) -> str | None:
    from django.urls import Resolver404, resolve

    try:
        match = resolve(path)
    except Resolver404:
        return None
    return match.view_name


def _links(page, base: str) -> Iterator[str]:
    hrefs = page.eval_on_selector_all("a[href]", "els => els.map(e => e.getAttribute('href'))")
    origin = urlsplit(base)
    for href in hrefs:
        if not href or href.startswith(("#", "mailto:", "tel:", "javascript:")):
            continue
        url = urljoin(page.url, href)
        parts = urlsplit(url)
        if (parts.scheme, parts.netloc) != (origin.scheme, origin.netloc):
            continue
        yield parts._replace(fragment="").geturl()


def check_page(page, url: str, result: WalkResult, checks: tuple[str, ...]) -> None:
    """The checks on the page already loaded at the phone size; the laptop size is set after."""
    if "date" in checks:
        natives = page.eval_on_selector_all(
            "input[type=date], input[type=datetime-local]", "els => els.length"
        )
        if natives:
            result.problems.append(Problem(url, f"{natives} native date input(s)"))
    if "english" in checks:
        text = page.evaluate(_PAGE_TEXT_JS)
        found = sorted({m.group(0) for m in ENGLISH.finditer(text)})
        if found:
            result.problems.append(Problem(url, f"English words: {', '.join(found)}"))
    if "width" in checks:
        for size in (PHONE, LAPTOP):
            page.set_viewport_size(size)
            page.wait_for_timeout(30)
            width = page.evaluate(_WIDTH_JS)
            if width["scrollWidth"] > width["innerWidth"]:
                result.problems.append(
                    Problem(
                        url,
                        f"scrolls sideways at {size['width']}px: scrollWidth {width['scrollWidth']}"
                        f" > {width['innerWidth']} ({'; '.join(width['wide'])})",
                    )
                )
        page.set_viewport_size(PHONE)


def walk(
    page,
    base: str,
    start: str = "/",
    limit: int = 200,
    checks: tuple[str, ...] = ("width", "date", "english"),
    per_view: int = 1,
) -> WalkResult:
    """Breadth-first from `start` over same-site links, one page per view name (`per_view`)."""
    result = WalkResult()
    seen_urls: set[str] = set()
    per_view_count: dict[str, int] = {}
    queue = [urljoin(base, start)]
    page.set_viewport_size(PHONE)
    request = page.context.request
    while queue and len(seen_urls) < limit:
        url = queue.pop(0)
        if url in seen_urls:
            continue
        path = urlsplit(url).path
        if path.startswith(SKIP_PREFIXES):
            continue
        name = view_name(path)
        if name is None or per_view_count.get(name, 0) >= per_view:
            continue
        seen_urls.add(url)
        head = request.get(url, max_redirects=0)
        if head.status >= 500 or head.status == 404:
            result.problems.append(Problem(url, f"answered {head.status}"))
            continue
        if head.status in (301, 302) and head.headers.get("location"):
            result.visited.setdefault(name, url)  # a view that sends elsewhere: follow it
            per_view_count[name] = per_view_count.get(name, 0) + 1
            queue.append(urljoin(url, head.headers["location"]))
            continue
        if not head.headers.get("content-type", "").startswith("text/html") or head.status == 403:
            continue
        per_view_count[name] = per_view_count.get(name, 0) + 1
        response = page.goto(url)
        if response is None or response.status != 200:
            result.problems.append(Problem(url, f"answered {response and response.status}"))
            continue
        result.visited.setdefault(name, url)
        check_page(page, url, result, checks)
        queue.extend(link for link in _links(page, base) if link not in seen_urls)
    return result


if __name__ == "__main__":  # pragma: no cover - a developer's tool
    import os
    import sys

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    from playwright.sync_api import sync_playwright

    base, username, password = sys.argv[1:4]
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
        context = browser.new_context(locale="vi-VN", viewport=PHONE)
        page = context.new_page()
        page.goto(urljoin(base, "/dang-nhap/"))
        page.get_by_label("Tên đăng nhập").fill(username)
        page.get_by_label("Mật khẩu").fill(password)
        with page.expect_navigation():
            page.get_by_role("button", name="Đăng nhập").click()
        outcome = walk(page, base)
        for name, url in sorted(outcome.visited.items()):
            print("visited", name, url)
        for problem in outcome.problems:
            print("PROBLEM", problem)
        browser.close()
