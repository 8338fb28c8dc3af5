"""`tanu createadmin` makes an administrator without a terminal: the password from standard input,
or a one-time link to set it. The account is audited and still needs a second factor."""

from __future__ import annotations

import io
import re

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client, override_settings
from django.utils import translation

from tanu.accounts.models import Role, User
from tanu.audit.models import AuditEntry

pytestmark = pytest.mark.django_db

PASSWORD = "a long and unusual passphrase 42"


def _create(*args: str, stdin: str = "") -> str:
    out = io.StringIO()
    call_command("createadmin", *args, stdin=io.StringIO(stdin), stdout=out)
    return out.getvalue()


@override_settings(TANU_REQUIRE_MFA=True)
def test_an_administrator_made_with_a_password_from_standard_input_signs_in_and_must_set_up_mfa() -> (
    None
):
    output = _create(
        "--username",
        "first",
        "--email",
        "first@example.org",
        "--password-stdin",
        stdin=PASSWORD + "\n",
    )
    admin = User.objects.get(username="first")
    assert admin.is_active and admin.role == Role.ADMINISTRATOR
    assert admin.is_staff and admin.is_superuser
    assert admin.email == "first@example.org"
    assert admin.check_password(PASSWORD)
    assert PASSWORD not in output

    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    signed_in = client.post("/accounts/login/", {"username": "first", "password": PASSWORD})
    assert signed_in.status_code == 302
    home = client.get("/")
    assert home.status_code == 302 and home["Location"] == "/accounts/otp/setup/"
    assert client.get("/admin/").status_code == 302


def test_creating_an_administrator_is_audited() -> None:
    _create(
        "--username",
        "first",
        "--email",
        "first@example.org",
        "--password-stdin",
        stdin=PASSWORD + "\n",
    )
    admin = User.objects.get(username="first")
    entry = AuditEntry.objects.get(action="create", object_type="user", object_id=str(admin.pk))
    assert entry.actor_username == "tanu createadmin"
    assert {"role", "password"} <= set(entry.fields)


def test_an_existing_username_is_refused_and_nothing_changes(personas: object) -> None:
    before = User.objects.get(username="screener")
    entries = AuditEntry.objects.count()
    with pytest.raises(CommandError) as refused:
        _create(
            "--username",
            "screener",
            "--email",
            "x@example.org",
            "--password-stdin",
            stdin=PASSWORD + "\n",
        )
    assert refused.value.returncode != 0
    assert "taken" in str(refused.value)
    after = User.objects.get(username="screener")
    assert (after.role, after.is_superuser, after.email, after.password) == (
        before.role,
        before.is_superuser,
        before.email,
        before.password,
    )
    assert User.objects.filter(username__iexact="screener").count() == 1
    assert AuditEntry.objects.count() == entries


def test_a_weak_password_or_an_empty_standard_input_is_refused_and_nobody_is_created() -> None:
    with pytest.raises(CommandError):
        _create(
            "--username",
            "first",
            "--email",
            "first@example.org",
            "--password-stdin",
            stdin="first\n",
        )
    with pytest.raises(CommandError):
        _create("--username", "first", "--email", "first@example.org", "--password-stdin")
    assert not User.objects.filter(username="first").exists()


@override_settings(TANU_SITE_URL="https://tanu.example.kz/")
def test_without_a_password_a_one_time_link_sets_it_once_through_the_audited_action() -> None:
    output = _create("--username", "first", "--email", "first@example.org")
    admin = User.objects.get(username="first")
    assert not admin.has_usable_password()
    links = re.findall(r"https://tanu\.example\.kz(/accounts/password/\S+/)", output)
    assert len(links) == 1
    assert "first" not in links[0]

    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    opened = client.get(links[0])
    # The token leaves the address at once.
    assert opened.status_code == 302 and opened["Location"].endswith("/set-password/")
    page = client.get(opened["Location"])
    assert page.status_code == 200
    done = client.post(opened["Location"], {"password1": PASSWORD, "password2": PASSWORD})
    assert done.status_code == 302 and done["Location"] == "/accounts/login/"
    admin.refresh_from_db()
    assert admin.check_password(PASSWORD)
    assert AuditEntry.objects.filter(
        action="update", object_type="user", object_id=str(admin.pk), fields=["password"]
    ).exists()

    # Used once: the same link no longer works.
    again = Client(HTTP_ACCEPT_LANGUAGE="en")
    reopened = again.get(again.get(links[0])["Location"])
    assert reopened.status_code == 404
    assert "not valid" in reopened.content.decode()


def test_a_tampered_link_sets_no_password() -> None:
    output = _create("--username", "first", "--email", "first@example.org")
    link = re.findall(r"(/accounts/password/\S+/)", output)[0]
    uid, token = link.split("/")[3:5]
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    target = client.get(f"/accounts/password/{uid}/{token[:-1]}x/")["Location"]
    assert client.post(target, {"password1": PASSWORD, "password2": PASSWORD}).status_code == 404
    assert not User.objects.get(username="first").has_usable_password()


def test_the_command_speaks_english_whatever_the_default_language() -> None:
    with translation.override("ru"), pytest.raises(CommandError) as refused:
        _create("--username", "bad name!", "--email", "first@example.org")
    assert re.fullmatch(r"[\x00-\x7f]+", str(refused.value)), str(refused.value)


@override_settings(TANU_SITE_URL="https://tanu.example.kz/")
def test_a_link_of_an_account_disabled_meanwhile_sets_no_password(personas: object) -> None:
    from tanu.accounts import actions

    output = _create("--username", "second", "--email", "second@example.org")
    admin = User.objects.get(username="second")
    link = re.findall(r"https://tanu\.example\.kz(/accounts/password/\S+/)", output)[0]
    other = User.objects.get(username="admin")
    actions.do_disable_user(admin, actor=other)
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    page = client.get(client.get(link)["Location"])
    assert page.status_code == 404
    posted = client.post(
        "/accounts/password/x/set-password/", {"password1": PASSWORD, "password2": PASSWORD}
    )
    assert posted.status_code == 404
    admin.refresh_from_db()
    assert not admin.has_usable_password()
