"""Shared fixtures: a persona for every role, and an outsider from another region."""

from __future__ import annotations

import configparser
import os
import sqlite3
from collections.abc import Iterator
from contextlib import closing, suppress

import pytest
from django.test import Client

from tanu.accounts.tests.personas import Personas, make_personas


def _mutation_guards(config: pytest.Config) -> tuple[str, ...]:
    """In a mutation run, the tests that guard the mutated module, when setup.cfg's
    [tanu:mutate-guards] names them; empty otherwise."""
    mutant = os.environ.get("MUTANT_UNDER_TEST", "")
    if "__mutmut_" not in mutant:
        return ()
    guards = configparser.ConfigParser()
    guards.read(config.rootpath / "setup.cfg")
    if not guards.has_section("tanu:mutate-guards"):
        return ()
    for module, paths in guards.items("tanu:mutate-guards"):
        if mutant.startswith(module + "."):
            return tuple(paths.split())
    return ()


def pytest_configure(config: pytest.Config) -> None:
    """A mutant of a module listed in setup.cfg's [tanu:mutate-guards] is tested by that
    module's own tests, all of them: not by the tests mutmut saw calling the mutated function
    (the engine is called by some 450 tests, and its memoised clauses are called only by the
    first test that needs each one), so a surviving mutant costs seconds, not minutes."""
    guards = _mutation_guards(config)
    if guards:
        config.args[:] = list(guards)


@pytest.fixture(scope="session")
def django_db_modify_db_settings(
    django_db_modify_db_settings_parallel_suffix: None,
) -> Iterator[None]:
    """Mutation runs (`make mutate`) start thousands of short test sessions, and migrating a new
    database took most of each one's time. TANU_TEST_DB_TEMPLATE names a SQLite file migrated
    beforehand with the test settings (the Makefile makes it): each session works on its own
    copy, so that sessions side by side never share a database and the template never changes."""
    from django.db import connections

    template = os.environ.get("TANU_TEST_DB_TEMPLATE", "")
    settings_dict = connections["default"].settings_dict
    if not os.path.isfile(template) or settings_dict["ENGINE"] != "django.db.backends.sqlite3":
        yield
        return
    copy = f"{template}.{os.getpid()}"
    with closing(sqlite3.connect(template)) as source, closing(sqlite3.connect(copy)) as target:
        source.backup(target)
    settings_dict["TEST"]["NAME"] = copy
    yield
    for suffix in ("", "-wal", "-shm"):
        with suppress(FileNotFoundError):
            os.remove(copy + suffix)


@pytest.fixture(scope="session")
def django_db_keepdb(request: pytest.FixtureRequest) -> bool:
    """Keep the test database with --reuse-db, and a copy of a template (above): it is there."""
    return bool(
        request.config.getvalue("reuse_db")
        or os.path.isfile(os.environ.get("TANU_TEST_DB_TEMPLATE", ""))
    )


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
