"""Officials at work, for the load test (see benchmarks/loadtest.py, which starts everything).

    locust -f loadtest/locustfile.py --headless -u 50 -r 10 -t 5m --host http://127.0.0.1:8765

Four in five simulated officials are screeners (police units of the six seminar cities): they
start screenings and answer indicators as the page does (htmx), finalise some, search for a
person, open cases and send referrals. The others are shelter case workers: they read their
referral inbox, open referrals and accept the new ones. Each signs in once, with an account of
its own (``loadtest.screener.N`` / ``loadtest.caseworker.N``, password ``tanu-demo``, made by
the runner in the scratch database) at a random moment of the first 30 seconds
(TANU_LOADTEST_SIGN_IN_SPREAD), and waits 2 to 6 seconds before every request (reading a
page, typing, asking the next question): several times faster than an official interviewing a
person, so the test has a margin.

Requests are grouped by kind of page in the statistics (``/cases/[id]/``); any answer other
than the one expected counts as a failure.
"""

from __future__ import annotations

import itertools
import os
import random
import re
import time
from typing import Any

from locust import HttpUser, between, task

PASSWORD = "tanu-demo"
SIGN_IN_SPREAD_SECONDS = float(os.environ.get("TANU_LOADTEST_SIGN_IN_SPREAD", "30"))
SCREENERS = 40
CASEWORKERS = 10
_screener_numbers = itertools.count()
_caseworker_numbers = itertools.count()

CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
CSRF_HEADER = re.compile(r'"X-CSRFToken": "([^"]+)"')
CASE_LINK = re.compile(r'href="/cases/(\d+)/"')
REFERRAL_LINK = re.compile(r'href="/referrals/(\d+)/"')
SCREENING_URL = re.compile(r"/screenings/(\d+)/$")
REVISION = re.compile(r'name="revision" value="(\d+)"')
SELECT = r'<select[^>]*name="{name}"[^>]*>(.*?)</select>'
OPTION = re.compile(r'<option value="(\d+)"[^>]*>([^<]*)</option>')
SURNAMES = [
    "Ахметова",
    "Иванов",
    "Kenzhebaeva",
    "Оспанов",
    "Сулейменова",
    "Ким",
    "Zhumabaev",
    "Каримов",
    "Nurlanova",
    "Смирнова",
]
ADULT_LABOUR_CODES = [
    f"AL-{dimension}-0{n}" for dimension in ("DR", "CR", "RV", "EC", "CD", "DV") for n in (1, 2, 3)
]


def _csrf(html: str) -> str:
    found = CSRF_FIELD.search(html) or CSRF_HEADER.search(html)
    return found.group(1) if found else ""


def _options(html: str, name: str) -> list[tuple[str, str]]:
    block = re.search(SELECT.format(name=name), html, re.S)
    return OPTION.findall(block.group(1)) if block else []


class Official(HttpUser):
    abstract = True
    wait_time = between(2, 6)

    def username(self) -> str:
        raise NotImplementedError

    def on_start(self) -> None:
        # Officials arrive over the first half minute, not all in the same five seconds:
        # signing in is deliberately expensive (Argon2, 100 MiB), one sign-in takes 0.2 s of a
        # core here.
        time.sleep(random.uniform(0, SIGN_IN_SPREAD_SECONDS))
        self.client.headers["Accept-Language"] = "en"
        page = self.client.get("/accounts/login/", name="/accounts/login/")
        with self.client.post(
            "/accounts/login/",
            {
                "username": self.username(),
                "password": PASSWORD,
                "csrfmiddlewaretoken": _csrf(page.text),
            },
            name="/accounts/login/ (sign in)",
            catch_response=True,
        ) as response:
            if "/accounts/login/" in response.url:
                response.failure(f"could not sign in as {self.username()}")

    def get(self, path: str, name: str) -> Any:
        return self.client.get(path, name=name)

    @task(2)
    def search_person(self) -> None:
        page = self.get("/cases/search/", "/cases/search/")
        self.wait()
        self.client.post(
            "/cases/search/",
            {
                "name": random.choice(SURNAMES),
                "document": "",
                "csrfmiddlewaretoken": _csrf(page.text),
            },
            name="/cases/search/ (search)",
        )


class Screener(Official):
    weight = 4

    def username(self) -> str:
        if not hasattr(self, "_username"):
            self._username = f"loadtest.screener.{next(_screener_numbers) % SCREENERS}"
        return self._username

    @task(3)
    def screen(self) -> None:
        form = self.get("/screenings/new/", "/screenings/new/")
        self.wait()
        with self.client.post(
            "/screenings/new/",
            {
                "place": random.choice(["patrol", "workplace_inspection", "border_or_transport"]),
                "facility_name": "",
                "interview_language": random.choice(["ru", "kk"]),
                "age_group": "adult",
                "age_years": str(random.randint(18, 50)),
                "form": "labour",
                "csrfmiddlewaretoken": _csrf(form.text),
            },
            name="/screenings/new/ (start)",
            catch_response=True,
        ) as response:
            found = SCREENING_URL.search(response.url or "")
            if not found:
                response.failure("no screening page after starting a screening")
                return
        pk = found.group(1)
        token = _csrf(response.text)
        for code in random.sample(ADULT_LABOUR_CODES, random.randint(3, 6)):
            self.wait()
            self.client.post(
                f"/screenings/{pk}/answers/",
                {f"ans-{code}": random.choice(["observed", "not_observed", "not_observed"])},
                headers={"HX-Request": "true", "X-CSRFToken": token},
                name="/screenings/[id]/answers/ (htmx)",
            )
        if random.random() < 0.5:
            self.wait()
            page = self.get(f"/screenings/{pk}/", "/screenings/[id]/")
            revision = REVISION.search(page.text)
            self.wait()
            self.client.post(
                f"/screenings/{pk}/finalise/",
                {
                    "judgement": "agree",
                    "notes": "",
                    "revision": revision.group(1) if revision else "1",
                    "csrfmiddlewaretoken": _csrf(page.text),
                },
                name="/screenings/[id]/finalise/",
            )

    @task(2)
    def open_case(self) -> None:
        listing = self.get("/cases/", "/cases/")
        cases = CASE_LINK.findall(listing.text)
        if cases:
            self.wait()
            self.get(f"/cases/{random.choice(cases)}/", "/cases/[id]/")

    @task(2)
    def referral_inbox(self) -> None:
        self.get("/referrals/", "/referrals/")

    @task(1)
    def refer(self) -> None:
        status = random.choice(["referred", "in_assistance", "open"])
        listing = self.get(f"/cases/?status={status}", "/cases/?status=")
        cases = CASE_LINK.findall(listing.text)
        if not cases:
            return
        pk = random.choice(cases)
        self.wait()
        form = self.get(f"/cases/{pk}/refer/", "/cases/[id]/refer/")
        services = [
            value
            for value, label in _options(form.text, "service")
            if not any(word in label for word in ("Police", "Migration"))
        ]
        if not services:
            return
        consents = [
            v for v, label in _options(form.text, "consent") if label.startswith("referral")
        ]
        data = {
            "service": random.choice(services),
            "purpose": "Safe accommodation and counselling",
            "urgency": "routine",
            "shared_fields": ["case_number", "sex", "age_band", "languages"],
            "csrfmiddlewaretoken": _csrf(form.text),
        }
        if consents:
            data["consent"] = consents[0]
        else:
            data["consent_exception"] = "risk_to_life"
            data["exception_reason"] = "The person is in danger where they are now."
        self.wait()
        self.client.post(f"/cases/{pk}/refer/", data, name="/cases/[id]/refer/ (send)")


class CaseWorker(Official):
    weight = 1

    def username(self) -> str:
        if not hasattr(self, "_username"):
            self._username = f"loadtest.caseworker.{next(_caseworker_numbers) % CASEWORKERS}"
        return self._username

    @task(3)
    def inbox(self) -> None:
        inbox = self.get("/referrals/", "/referrals/")
        referrals = REFERRAL_LINK.findall(inbox.text)
        if not referrals:
            return
        self.wait()
        page = self.get(f"/referrals/{random.choice(referrals[:20])}/", "/referrals/[id]/")
        if 'name="status" value="accepted"' in page.text and random.random() < 0.5:
            pk = page.url.rstrip("/").rsplit("/", 1)[-1]
            self.wait()
            self.client.post(
                f"/referrals/{pk}/status/",
                {"status": "accepted", "csrfmiddlewaretoken": _csrf(page.text)},
                name="/referrals/[id]/status/ (accept)",
            )
