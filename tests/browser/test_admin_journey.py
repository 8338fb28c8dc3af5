"""An administrator manages users on a phone, in Russian: creates a user and the invitation is
emailed, asks for a role that sees personal data (pending), a second administrator approves it,
resets someone's second factor and disables a user (issue 19, section 5)."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.utils import translation
from django.utils.translation import gettext as _

from tanu.accounts.models import AuthenticatorDevice, Role, RoleChangeRequest, User
from tanu.accounts.tests.factories import UserFactory
from tanu.accounts.tests.personas import Personas
from tests.browser.helpers import sign_in

pytestmark = pytest.mark.browser

LANG = "ru"


def _t(text: str) -> str:
    with translation.override(LANG):
        return _(text)


def _no_sideways_scroll(page: Any) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"the page is {width} px wide"


def _phone(browser: Any) -> tuple[Any, Any]:
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="ru-RU")
    page = context.new_page()
    page.set_default_timeout(15000)
    return context, page


def _submit(page: Any, action: str) -> None:
    with page.expect_navigation():
        page.locator(f"form[action='{action}'] button[type=submit]").click()


@pytest.mark.django_db(transaction=True)
def test_an_administrator_manages_users_on_a_phone_in_russian(
    live_server: Any, browser: Any, shot: Any, personas: Personas
) -> None:
    base = live_server.url
    second_admin = UserFactory(
        username="admin2",
        role=Role.ADMINISTRATOR,
        agency=personas.ministry,
        is_staff=True,
        is_superuser=True,
    )
    AuthenticatorDevice.objects.create(user=personas.monitor, name="authenticator", confirmed=True)
    context, page = _phone(browser)
    sign_in(page, base, "admin", LANG)

    # The home page leads to user management.
    page.locator("main a[href='/accounts/users/']").first.click()
    page.wait_for_url(f"{base}/accounts/users/")
    assert 'lang="ru"' in page.content()
    _no_sideways_scroll(page)
    shot(page, "admin-1-users-ru")

    # A new user; the invitation goes by email, no password is shown.
    page.locator("a[href='/accounts/users/new/']").first.click()
    page.wait_for_url(f"{base}/accounts/users/new/")
    page.fill("#id_username", "aigerim")
    page.fill("#id_first_name", "Айгерим")
    page.fill("#id_last_name", "Сапарова")
    page.fill("#id_email", "aigerim@example.org")
    page.select_option("#id_agency", str(personas.ministry.pk))
    page.select_option("#id_role", Role.ANALYST)
    _no_sideways_scroll(page)
    shot(page, "admin-2-new-user-ru")
    with page.expect_navigation():
        page.locator("form.stack button.primary").click()
    official = User.objects.get(username="aigerim")
    assert page.url == f"{base}/accounts/users/{official.pk}/"
    body = page.content()
    assert "aigerim@example.org" in body
    assert [m.to for m in mail.outbox] == [["aigerim@example.org"]]
    assert "/accounts/password/" in mail.outbox[0].body
    assert official.role == Role.ANALYST and not official.has_usable_password()
    _no_sideways_scroll(page)
    shot(page, "admin-3-user-created-ru")

    # A role that sees personal data waits for a second administrator.
    page.select_option("#id_role", Role.CASE_WORKER)
    _submit(page, f"/accounts/users/{official.pk}/role/")
    assert page.locator("#pending-role").is_visible()
    official.refresh_from_db()
    assert official.role == Role.ANALYST
    page.locator("#pending-role").scroll_into_view_if_needed()
    _no_sideways_scroll(page)
    shot(page, "admin-4-role-pending-ru")
    request_row = RoleChangeRequest.objects.get(user=official)
    page.goto(f"{base}/accounts/users/")
    assert (
        page.locator(f"form[action='/accounts/users/requests/{request_row.pk}/approve/']").count()
        == 0
    )  # the one who asked cannot approve it

    # The second administrator approves it.
    context2, page2 = _phone(browser)
    sign_in(page2, base, second_admin.username, LANG)
    page2.goto(f"{base}/accounts/users/")
    page2.locator("#pending-requests").scroll_into_view_if_needed()
    _no_sideways_scroll(page2)
    shot(page2, "admin-5-pending-for-second-admin-ru")
    _submit(page2, f"/accounts/users/requests/{request_row.pk}/approve/")
    official.refresh_from_db()
    assert official.role == Role.CASE_WORKER
    assert page2.locator("#pending-requests").count() == 0
    shot(page2, "admin-6-approved-ru")
    context2.close()

    # The second factor of the monitor is reset.
    monitor = personas.monitor
    page.goto(f"{base}/accounts/users/{monitor.pk}/")
    assert page.locator("#mfa-state").inner_text() == _t("set up")
    _submit(page, f"/accounts/users/{monitor.pk}/reset-mfa/")
    assert page.locator("#mfa-state").inner_text() == _t("not set up")
    assert not AuthenticatorDevice.objects.filter(user=monitor).exists()
    shot(page, "admin-7-mfa-reset-ru")

    # A user is disabled.
    screener = personas.screener
    page.goto(f"{base}/accounts/users/{screener.pk}/")
    _submit(page, f"/accounts/users/{screener.pk}/disable/")
    assert page.locator("#account-state").inner_text() == _t("disabled")
    screener.refresh_from_db()
    assert not screener.is_active
    _no_sideways_scroll(page)
    shot(page, "admin-8-disabled-ru")

    # The agencies and regions, with the regions' coordinators.
    page.goto(f"{base}/accounts/agencies/")
    assert page.locator(f"a[href='/accounts/users/{personas.coordinator.pk}/']").count() >= 1
    _no_sideways_scroll(page)
    shot(page, "admin-9-agencies-ru")
    context.close()
