"""The officers `bench_load` sends at the app (Locust, headless, run as a subprocess).

Not imported by Django: Locust patches the standard library with gevent. `bench_load` writes a
plan (JSON, path in LOAD_PLAN) with one pre-made session per virtual user and the ids each role
may open; every user takes its own session, so no password is hashed under load. Waits between
pages: LOAD_WAIT_MIN..LOAD_WAIT_MAX seconds (0..0 for saturation). Requests are named by page,
so Locust's per-name statistics are the per-page table.

The users are Locust's `FastHttpUser` (geventhttpclient): the load tool runs on the same two
cores as the app, and it spends a fraction of the CPU per request that `HttpUser` (requests)
does, so the figures say more about the app. Behind the deployed proxy the app sets its cookies
`Secure`; here the client sends them over the plain HTTP of the loopback address, as a browser
may on localhost (`_LoopbackPolicy`). CSRF is checked as in production: POSTs carry the form's token.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import os
import random
import re
from http.cookiejar import DefaultCookiePolicy
from typing import Any

from locust import FastHttpUser, between, constant, task
from requests.cookies import create_cookie

PLAN: dict[str, Any] = json.loads(open(os.environ["LOAD_PLAN"], encoding="utf-8").read())  # noqa: SIM115
WAIT_MIN = float(os.environ.get("LOAD_WAIT_MIN", "1"))
WAIT_MAX = float(os.environ.get("LOAD_WAIT_MAX", "3"))
WAIT = constant(0) if WAIT_MAX <= 0 else between(WAIT_MIN, WAIT_MAX)
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
_sessions = {role: itertools.cycle(accounts) for role, accounts in PLAN["roles"].items()}
_counter = itertools.count()


class _LoopbackPolicy(DefaultCookiePolicy):
    """Sends the app's `Secure` cookies back over plain HTTP to 127.0.0.1."""

    def return_ok_secure(self, cookie, request):
        return True


class Officer(FastHttpUser):
    abstract = True
    role = ""
    wait_time = WAIT

    def on_start(self) -> None:
        account = next(_sessions[self.role])
        self.ids: dict[str, list[int]] = account["ids"]
        index = next(_counter)
        session = account["sessions"][index % len(account["sessions"])]
        self.client.cookiejar.set_policy(_LoopbackPolicy())
        self.client.cookiejar.set_cookie(create_cookie(PLAN["session_cookie"], session, domain="127.0.0.1"))
        self.rng = random.Random(index)

    def pick(self, key: str) -> int | None:
        values = self.ids.get(key) or []
        return self.rng.choice(values) if values else None

    def page(self, url: str, name: str, ok: tuple[int, ...] = (200,)) -> str:
        with self.client.get(url, name=name, catch_response=True, allow_redirects=False) as response:
            if response.status_code not in ok:
                target = response.headers.get("Location") if response.headers else None
                response.failure(
                    f"HTTP {response.status_code}" + (f" → {target.split('?')[0]}" if target else "")
                )
                return ""
            if response.status_code == 200 and "/dang-nhap/" in response.url:
                response.failure("sent to the login page")
            return response.text


class CommunePolice(Officer):
    """Công an xã: the register of their commune — lists, searches, persons, tests."""

    role = "commune_officer"
    weight = 6

    @task(1)
    def home(self) -> None:
        self.page("/", "home (commune)")

    @task(4)
    def person_list(self) -> None:
        choice = self.rng.randrange(4)
        query = [
            "",
            f"?page={self.rng.randint(2, 20)}",
            "?status=addict",
            f"?village={self.pick('villages')}",
        ]
        self.page(PLAN["urls"]["person_list"] + query[choice], "person list")

    @task(3)
    def search(self) -> None:
        term = self.rng.choice(PLAN["searches"])
        self.page(f"{PLAN['urls']['person_list']}?q={term.replace(' ', '+')}", "person search")

    @task(3)
    def person(self) -> None:
        self.page(PLAN["urls"]["person_detail"].format(self.pick("persons")), "person detail")

    @task(1)
    def tests(self) -> None:
        self.page(PLAN["urls"]["test_list"], "drug-test list")

    @task(1)
    def add_test(self) -> None:
        url = PLAN["urls"]["test_create"].format(self.pick("persons"))
        form = self.page(url, "drug-test form")
        token = TOKEN.search(form)
        if not token:
            return
        day = dt.date.today() - dt.timedelta(days=self.rng.randint(1, 900))
        data = {
            "csrfmiddlewaretoken": token.group(1),
            "tested_on": day.strftime("%d/%m/%Y"),
            "result": self.rng.choice(["negative", "negative", "positive"]),
            "substance": "",
            "method": self.rng.choice(["kit", "lab"]),
            "reason": "periodic",
            "note": "",
        }
        headers = {"Referer": self.host + url}
        with self.client.post(
            url,
            data=data,
            headers=headers,
            name="drug-test add (POST)",
            catch_response=True,
            allow_redirects=False,
        ) as response:
            # 302: saved. 200: the form again with a Vietnamese message (same person, day and
            # method already recorded) — an answer, not an error.
            if response.status_code not in (200, 302):
                response.failure(f"HTTP {response.status_code}")


class DistrictPolice(Officer):
    """Appraising police (the province police since districts ceased): inbox, the table of
    units, scorecards, the registers across communes."""

    role = "appraiser"
    weight = 3

    @task(2)
    def home(self) -> None:
        self.page("/", "home")

    @task(3)
    def inbox(self) -> None:
        self.page(PLAN["urls"]["inbox"], "inbox")

    @task(2)
    def table(self) -> None:
        self.page(PLAN["urls"]["table"].format(self.pick("tables")), "commune table")

    @task(3)
    def scorecard(self) -> None:
        self.page(PLAN["urls"]["scorecard"].format(self.pick("units")), "scorecard")

    @task(2)
    def persons(self) -> None:
        self.page(PLAN["urls"]["person_list"] + f"?page={self.rng.randint(1, 50)}", "person list")

    @task(1)
    def tests(self) -> None:
        self.page(PLAN["urls"]["test_list"], "drug-test list")

    @task(1)
    def reports(self) -> None:
        page = self.page(PLAN["urls"]["report_list"], "report list")
        token = TOKEN.search(page)
        unit = self.pick("report_units")
        if not token or unit is None:
            return
        data = {
            "csrfmiddlewaretoken": token.group(1),
            "kind": PLAN["report_kind"],
            "unit": unit,
            "year": dt.date.today().year,
        }
        headers = {"Referer": self.host + PLAN["urls"]["report_list"]}
        with self.client.post(
            PLAN["urls"]["report_list"],
            data=data,
            headers=headers,
            name="report request (POST)",
            catch_response=True,
            allow_redirects=False,
        ) as response:
            if response.status_code not in (200, 302):
                response.failure(f"HTTP {response.status_code}")


class Chair(Officer):
    """Chairs of People's Committees: their dossiers, the decisions and minutes as PDF."""

    role = "chair"
    weight = 1

    @task(2)
    def dossiers(self) -> None:
        self.page(PLAN["urls"]["dossier_list"], "dossier list")

    @task(3)
    def dossier(self) -> None:
        pk = self.pick("dossiers")
        if pk is not None:
            self.page(PLAN["urls"]["dossier_detail"].format(pk), "dossier detail")

    @task(2)
    def decision(self) -> None:
        pk = self.pick("decisions")
        if pk is not None:
            self.page(PLAN["urls"]["decision"].format(pk), "decision PDF")

    @task(1)
    def minutes(self) -> None:
        pk = self.pick("minutes")
        if pk is not None:
            self.page(PLAN["urls"]["minutes"].format(pk), "appraisal minutes PDF (stored)")
