"""Named writes on accounts. Each runs in a transaction and writes its audit entry in it."""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from tanu.accounts.models import ApiToken, LoginSession, User, hash_token
from tanu.audit.actions import record
from tanu.audit.models import Action


def do_record_login(user: User, *, request: HttpRequest) -> None:
    with transaction.atomic():
        if request.session.session_key is None:
            request.session.save()
        LoginSession.objects.get_or_create(
            session_key=request.session.session_key or "", defaults={"user": user}
        )
        record(Action.LOGIN, actor=user, object_type="user", object_id=user.pk, request=request)


def do_issue_api_token(user: User, *, request: HttpRequest | None = None) -> str:
    raw = secrets.token_urlsafe(32)
    with transaction.atomic():
        ApiToken.objects.create(
            user=user,
            key_hash=hash_token(raw),
            expires_at=timezone.now() + timedelta(hours=settings.TANU_API_TOKEN_HOURS),
        )
        record(
            Action.LOGIN,
            actor=user,
            object_type="api_token",
            object_id=user.pk,
            request=request,
        )
    return raw


def do_disable_user(user: User, *, actor: User, request: HttpRequest | None = None) -> None:
    """Disable a user and end all of their sessions and API tokens at once."""
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        locked.is_active = False
        locked.disabled_at = timezone.now()
        locked.save(update_fields=["is_active", "disabled_at"])
        keys = list(LoginSession.objects.filter(user=locked).values_list("session_key", flat=True))
        Session.objects.filter(session_key__in=keys).delete()
        LoginSession.objects.filter(user=locked).delete()
        ApiToken.objects.filter(user=locked).delete()
        record(
            Action.DISABLE, actor=actor, object_type="user", object_id=locked.pk, request=request
        )
    user.is_active = False


def do_enable_user(user: User, *, actor: User, request: HttpRequest | None = None) -> None:
    with transaction.atomic():
        User.objects.filter(pk=user.pk).update(is_active=True, disabled_at=None)
        record(
            Action.UPDATE,
            actor=actor,
            object_type="user",
            object_id=user.pk,
            fields=["is_active"],
            request=request,
        )
    user.is_active = True


def do_set_language(user: User, language: str) -> None:
    User.objects.filter(pk=user.pk).update(language=language)
    user.language = language
