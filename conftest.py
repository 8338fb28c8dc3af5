"""Shared fixtures: a persona for every role, and an outsider from another region."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.test import Client

from tanu.accounts.tests.personas import Personas, make_personas


@pytest.fixture
def personas(db: None) -> Personas:
    return make_personas()


@pytest.fixture
def client() -> Client:
    """A browser that prefers English, as most assertions in the suite are written in English."""
    return Client(HTTP_ACCEPT_LANGUAGE="en")


@pytest.fixture(autouse=True)
def english_outside_requests() -> Iterator[None]:
    """Messages raised outside a request (actions called directly) read in English in tests."""
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def fresh_cache() -> None:
    """Each test starts with an empty cache: counters kept there (wrong test codes from one
    address, sign-in throttling) must not carry over from one test to the next."""
    from django.core.cache import caches

    for cache in caches.all():
        cache.clear()
