"""API tokens end with a password change and when the account is disabled; a caller revokes
their own token with DELETE (issue 14, section 8)."""

from __future__ import annotations

import pytest
from django.test import Client

from tanu.accounts import actions
from tanu.accounts.models import ApiToken, User
from tanu.accounts.tests.personas import Personas
from tanu.audit.models import Action, AuditEntry

pytestmark = pytest.mark.django_db


def _me(raw: str) -> int:
    client = Client(HTTP_ACCEPT_LANGUAGE="en", HTTP_AUTHORIZATION=f"Bearer {raw}")
    return client.get("/api/v1/me/").status_code


def test_a_password_change_ends_the_tokens_issued_before_it(personas: Personas) -> None:
    raw = actions.do_issue_api_token(personas.screener)
    assert _me(raw) == 200
    actions.do_set_password(personas.screener, "a-fresh-long-passphrase-5", actor=personas.admin)
    assert _me(raw) == 401


def test_a_password_changed_outside_the_named_action_also_ends_the_tokens(
    personas: Personas,
) -> None:
    raw = actions.do_issue_api_token(personas.screener)
    user = User.objects.get(pk=personas.screener.pk)
    user.set_password("changed-by-the-command-line-8")
    user.save()
    assert ApiToken.objects.filter(user=user).exists()
    assert _me(raw) == 401


def test_disabling_the_account_ends_its_tokens(personas: Personas) -> None:
    raw = actions.do_issue_api_token(personas.screener)
    actions.do_disable_user(personas.screener, actor=personas.admin)
    assert _me(raw) == 401


def test_delete_revokes_the_callers_token_and_is_audited(personas: Personas) -> None:
    raw = actions.do_issue_api_token(personas.screener)
    other = actions.do_issue_api_token(personas.screener)
    client = Client(HTTP_ACCEPT_LANGUAGE="en", HTTP_AUTHORIZATION=f"Bearer {raw}")
    response = client.delete("/api/v1/auth/token/")
    assert response.status_code == 204
    assert _me(raw) == 401
    assert _me(other) == 200  # only the token the request was made with
    assert AuditEntry.objects.filter(
        action=Action.LOGOUT, actor=personas.screener, object_type="api_token"
    ).exists()


def test_delete_without_a_token_is_refused(personas: Personas) -> None:
    response = Client(HTTP_ACCEPT_LANGUAGE="en").delete("/api/v1/auth/token/")
    assert response.status_code == 401
    assert ApiToken.objects.count() == 0
