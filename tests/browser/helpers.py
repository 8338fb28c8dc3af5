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
