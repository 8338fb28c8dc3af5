from __future__ import annotations

from typing import Any

from tanu.accounts.tests.factories import TEST_PASSWORD


def sign_in(page: Any, base: str, username: str, language: str = "en") -> None:
    page.goto(f"{base}/accounts/login/")
    if language:
        with page.expect_navigation():
            page.select_option("#lang-select", language)
    page.fill("#id_username", username)
    page.fill("#id_password", TEST_PASSWORD)
    page.locator("form.stack button[type=submit]").click()
    page.wait_for_url(f"{base}/")


def answer_observed(page: Any, codes: list[str]) -> None:
    """Answer "observed" to each indicator, going on through the dimensions as a phone shows
    them one at a time, and wait until htmx has saved each answer."""
    for code in codes:
        radio = page.locator(f"input[name='ans-{code}'][value=observed]")
        while not radio.is_visible():
            page.locator(".dimension.current .dimension-nav button.primary").click()
        radio.check()
        page.wait_for_function(
            "code => document.querySelector(`input[name='ans-${code}'][value=observed]`).checked",
            arg=code,
        )
