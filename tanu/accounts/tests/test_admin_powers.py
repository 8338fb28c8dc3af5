"""What an administrator can and cannot do to an official's account (issue 14, section 4)."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib import admin
from django.core import mail
from django.test import Client

from tanu.accounts import actions
from tanu.accounts.models import (
    ApiToken,
    AuthenticatorDevice,
    RecoveryCodeDevice,
    Role,
    RoleChangeRequest,
    User,
)
from tanu.accounts.tests.factories import TEST_PASSWORD, UserFactory
from tanu.accounts.tests.personas import Personas
from tanu.audit.models import Action, AuditEntry

pytestmark = pytest.mark.django_db


def _admin_client(user: User) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def _second_admin(personas: Personas) -> User:
    return UserFactory(
        username="admin2",
        role=Role.ADMINISTRATOR,
        agency=personas.ministry,
        is_staff=True,
        is_superuser=True,
        email="admin2@example.org",
    )


def _inbox(user: User) -> list[str]:
    from django.apps import apps

    notification = apps.get_model("referrals", "Notification")
    return list(notification.objects.filter(user=user).values_list("message", flat=True))


def test_no_second_factor_device_is_in_the_django_admin() -> None:
    from django_otp.models import Device

    registered = [model for model in admin.site._registry if issubclass(model, Device)]
    assert registered == []
    labels = {model._meta.label_lower for model in admin.site._registry}
    assert not labels & {
        "otp_totp.totpdevice",
        "otp_static.staticdevice",
        "otp_static.statictoken",
        "accounts.recoverycode",
    }


def test_the_user_page_does_not_edit_role_agency_activity_or_powers(personas: Personas) -> None:
    client = _admin_client(personas.admin)
    url = f"/admin/accounts/user/{personas.analyst.pk}/change/"
    page = client.get(url)
    assert page.status_code == 200
    body = page.content.decode()
    for field in ("role", "agency", "is_active", "is_staff", "is_superuser", "user_permissions"):
        assert f'name="{field}"' not in body
    client.post(
        url,
        {
            "username": "analyst",
            "first_name": "",
            "last_name": "",
            "email": "",
            "language": "",
            "role": Role.COORDINATOR,
            "agency": personas.police.pk,
            "is_active": "",
            "is_staff": "on",
            "is_superuser": "on",
        },
    )
    analyst = User.objects.get(pk=personas.analyst.pk)
    assert analyst.role == Role.ANALYST
    assert analyst.agency_id == personas.ministry.pk
    assert analyst.is_active and not analyst.is_staff and not analyst.is_superuser


def test_the_admin_password_page_cannot_be_used_to_skip_the_audit(personas: Personas) -> None:
    client = _admin_client(personas.admin)
    url = f"/admin/accounts/user/{personas.screener.pk}/password/"
    assert client.get(url).status_code == 200
    new = "a-new-long-passphrase-41"
    done = client.post(url, {"password1": new, "password2": new})
    assert done.status_code == 302
    screener = User.objects.get(pk=personas.screener.pk)
    assert screener.check_password(new)
    assert AuditEntry.objects.filter(
        action=Action.UPDATE, actor=personas.admin, object_id=str(screener.pk), fields=["password"]
    ).exists()


def test_nobody_changes_their_own_role_or_agency(personas: Personas) -> None:
    admin_user = personas.admin
    with pytest.raises(actions.AccountError, match="their own role or agency"):
        actions.do_change_role(admin_user, Role.ANALYST, actor=admin_user)
    with pytest.raises(actions.AccountError, match="their own role or agency"):
        actions.do_change_agency(admin_user, personas.police, actor=admin_user)
    client = _admin_client(admin_user)
    page = client.post(f"/admin/accounts/user/{admin_user.pk}/role/", {"role": Role.COORDINATOR})
    assert page.status_code == 400
    assert "Nobody can change their own role or agency." in page.content.decode()
    fresh = User.objects.get(pk=admin_user.pk)
    assert (fresh.role, fresh.agency_id) == (Role.ADMINISTRATOR, personas.ministry.pk)
    assert not RoleChangeRequest.objects.exists()


def test_a_role_that_sees_personal_data_waits_for_a_second_administrator(
    personas: Personas, django_capture_on_commit_callbacks: Any
) -> None:
    second = _second_admin(personas)
    analyst = personas.analyst
    actions.do_set_language(analyst, "en")
    pending = actions.do_change_role(analyst, Role.CASE_WORKER, actor=personas.admin)
    assert pending is not None
    assert User.objects.get(pk=analyst.pk).role == Role.ANALYST
    assert AuditEntry.objects.filter(
        action=Action.CREATE, object_type="role_change_request", object_id=str(pending.pk)
    ).exists()

    with pytest.raises(actions.AccountError, match="second administrator"):
        actions.do_approve_role_change(pending, actor=personas.admin)
    assert User.objects.get(pk=analyst.pk).role == Role.ANALYST

    with django_capture_on_commit_callbacks(execute=True):
        actions.do_approve_role_change(pending, actor=second)
    assert User.objects.get(pk=analyst.pk).role == Role.CASE_WORKER
    pending.refresh_from_db()
    assert pending.status == RoleChangeRequest.Status.APPROVED
    assert pending.decided_by == second
    assert AuditEntry.objects.filter(
        action=Action.UPDATE, actor=second, object_type="user", fields=["role"]
    ).exists()
    assert any("case worker" in message for message in _inbox(analyst))


def test_a_rejected_request_changes_nothing(personas: Personas) -> None:
    second = _second_admin(personas)
    pending = actions.do_change_role(personas.trainer, Role.COORDINATOR, actor=personas.admin)
    assert pending is not None
    actions.do_reject_role_change(pending, actor=second)
    assert User.objects.get(pk=personas.trainer.pk).role == Role.TRAINER
    with pytest.raises(actions.AccountError):
        actions.do_approve_role_change(pending, actor=second)
    assert AuditEntry.objects.filter(
        action=Action.UPDATE, actor=second, object_type="role_change_request"
    ).exists()


def test_a_second_superuser_approves_in_the_admin_and_the_role_grants_no_django_admin(
    personas: Personas,
) -> None:
    second = _second_admin(personas)
    pending = actions.do_change_role(personas.analyst, Role.ADMINISTRATOR, actor=personas.admin)
    assert pending is not None
    own = _admin_client(personas.admin).post(
        "/admin/accounts/rolechangerequest/",
        {"action": "approve_requests", "_selected_action": [pending.pk]},
    )
    assert own.status_code == 302
    assert not User.objects.get(pk=personas.analyst.pk).is_staff
    _admin_client(second).post(
        "/admin/accounts/rolechangerequest/",
        {"action": "approve_requests", "_selected_action": [pending.pk]},
    )
    analyst = User.objects.get(pk=personas.analyst.pk)
    assert analyst.role == Role.ADMINISTRATOR
    # The new administrator works in /accounts/users/; the Django admin stays for superusers.
    assert not analyst.is_staff and not analyst.is_superuser


def test_a_role_without_personal_data_changes_at_once_and_the_official_is_told(
    personas: Personas, django_capture_on_commit_callbacks: Any
) -> None:
    screener = personas.screener
    screener.email = "screener@example.org"
    screener.save(update_fields=["email"])
    with django_capture_on_commit_callbacks(execute=True):
        assert actions.do_change_role(screener, Role.ANALYST, actor=personas.admin) is None
    assert User.objects.get(pk=screener.pk).role == Role.ANALYST
    assert AuditEntry.objects.filter(
        action=Action.UPDATE, actor=personas.admin, object_id=str(screener.pk), fields=["role"]
    ).exists()
    assert _inbox(screener)
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["screener@example.org"]
    assert "/accounts/login/" in mail.outbox[0].body


@pytest.mark.parametrize(
    ("run", "field"),
    [
        (lambda p: actions.do_change_agency(p.screener, p.shelter, actor=p.admin), "agency"),
        (lambda p: actions.do_disable_user(p.screener, actor=p.admin), ""),
        (lambda p: actions.do_reset_mfa(p.screener, actor=p.admin), "mfa"),
        (
            lambda p: actions.do_set_password(p.screener, "another-long-phrase-92", actor=p.admin),
            "password",
        ),
    ],
)
def test_each_named_action_is_audited_and_told_to_the_official(
    personas: Personas, run: Any, field: str
) -> None:
    before = AuditEntry.objects.count()
    run(personas)
    entry = AuditEntry.objects.filter(seq__gt=before, actor=personas.admin).get()
    assert entry.object_id == str(personas.screener.pk)
    assert entry.fields == ([field] if field else [])
    assert len(_inbox(personas.screener)) == 1


def test_after_a_password_reset_the_password_alone_does_not_open_the_account(
    personas: Personas, settings: Any
) -> None:
    settings.TANU_REQUIRE_MFA = True
    device = AuthenticatorDevice.objects.create(user=personas.coordinator, name="phone")
    new = "chosen-by-the-admin-2026"
    actions.do_set_password(personas.coordinator, new, actor=personas.admin)
    assert AuthenticatorDevice.objects.filter(pk=device.pk).exists()
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.post("/accounts/login/", {"username": "coordinator", "password": new})
    assert client.get("/cases/")["Location"].startswith("/accounts/otp/")
    token = Client(HTTP_ACCEPT_LANGUAGE="en").post(
        "/api/v1/auth/token/",
        {"username": "coordinator", "password": new},
        content_type="application/json",
    )
    assert token.status_code == 400
    assert token.json()["otp_required"] is True


def test_resetting_mfa_removes_the_devices_and_forces_a_new_enrolment(
    personas: Personas, settings: Any
) -> None:
    AuthenticatorDevice.objects.create(user=personas.screener, name="phone")
    RecoveryCodeDevice.objects.create(user=personas.screener, name="recovery").replace_codes()
    actions.do_issue_api_token(personas.screener)
    client = _admin_client(personas.admin)
    url = f"/admin/accounts/user/{personas.screener.pk}/reset-mfa/"
    assert client.get(url).status_code == 200
    assert client.post(url, {}).status_code == 302
    assert not AuthenticatorDevice.objects.filter(user=personas.screener).exists()
    assert not RecoveryCodeDevice.objects.filter(user=personas.screener).exists()
    assert not ApiToken.objects.filter(user=personas.screener).exists()
    assert AuditEntry.objects.filter(
        action=Action.UPDATE, actor=personas.admin, fields=["mfa"]
    ).exists()
    settings.TANU_REQUIRE_MFA = True
    official = Client(HTTP_ACCEPT_LANGUAGE="en")
    official.post("/accounts/login/", {"username": "screener", "password": TEST_PASSWORD})
    assert official.get("/")["Location"] == "/accounts/otp/setup/"


def test_other_roles_cannot_reach_the_account_pages(personas: Personas) -> None:
    client = _admin_client(personas.coordinator)
    response = client.post(
        f"/admin/accounts/user/{personas.screener.pk}/role/", {"role": Role.ANALYST}
    )
    assert response.status_code == 302  # the admin site sends non-staff to sign in
    assert User.objects.get(pk=personas.screener.pk).role == Role.SCREENER
