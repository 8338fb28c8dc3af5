"""No input makes a 500: every URL the project has, with junk, for several roles."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from tanu.accounts.tests.factories import TEST_PASSWORD
from tanu.accounts.tests.personas import Personas

JUNK_VALUES = ["1", "999999", "-1", "x", "%00", "'\"<script>", "9" * 30]


def _patterns(resolver: URLResolver, prefix: str = "") -> Iterator[str]:
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            if str(entry.pattern).startswith("admin/"):
                continue
            yield from _patterns(entry, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern)


def _fill(route: str) -> list[str]:
    """Routes with converters get filled with plausible and junk values."""
    if "<" not in route:
        return ["/" + route.lstrip("^").rstrip("$")]
    urls = []
    for value in ("1", "999999", "abc"):
        url = route
        while "<" in url:
            start, end = url.index("<"), url.index(">")
            converter = url[start + 1 : end]
            filler = value if not converter.startswith("int") or value.isdigit() else "2"
            url = url[:start] + filler + url[end + 1 :]
        urls.append("/" + url)
    return urls


def all_urls() -> list[str]:
    urls: list[str] = []
    for route in _patterns(get_resolver()):
        urls.extend(_fill(route))
    return sorted(set(urls))


@pytest.mark.django_db
@pytest.mark.parametrize(
    "username", [None, "screener", "caseworker", "coordinator", "analyst", "admin"]
)
def test_no_endpoint_answers_500_to_junk(personas: Personas, username: str | None) -> None:
    client = Client(raise_request_exception=False, HTTP_ACCEPT_LANGUAGE="en")
    if username:
        client.post("/accounts/login/", {"username": username, "password": TEST_PASSWORD})
    failures = []
    for url in all_urls():
        if url.startswith("/accounts/logout"):
            continue
        attempts = [
            ("get", {}, None),
            ("get", {v: v for v in JUNK_VALUES}, None),
            ("post", {"a": JUNK_VALUES, "page": "x", "language": "zz", "token": "%00"}, None),
            ("post", "{not json", "application/json"),
            (
                "post",
                '{"username": ["x"], "password": {"a": 1}, "observed": 5}',
                "application/json",
            ),
            ("put", "[1,2", "application/json"),
            ("patch", '{"x": null}', "application/json"),
            ("delete", None, None),
        ]
        for method, data, content_type in attempts:
            kwargs = {"content_type": content_type} if content_type else {}
            response = getattr(client, method)(url, data, **kwargs)
            if response.status_code >= 500:
                failures.append(f"{method.upper()} {url} -> {response.status_code}")
    assert failures == []
