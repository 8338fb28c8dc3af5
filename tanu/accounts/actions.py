"""Named writes on accounts. Each runs in a transaction and writes its audit entry in it.

Role, agency, password, second factor and whether an account is active change only here. The
official concerned is told in the inbox and by email (without personal data: a link to sign in).
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.shortcuts import resolve_url
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tanu.accounts import extensions
from tanu.accounts.models import (
    PERSONAL_DATA_ROLES,
    Agency,
    ApiToken,
    AuthenticatorDevice,
    LoginSession,
    RecoveryCodeDevice,
    Role,
    RoleChangeRequest,
    SignInFailure,
    User,
    hash_token,
    password_digest,
)
from tanu.audit.actions import client_address, record
from tanu.audit.models import Action, ObjectType


class AccountError(Exception):
    """A change that is refused; the message is for the administrator, in their language."""


# --- telling the official -------------------------------------------------------------------


def _tell(user: User, message: Promise, kind: str, params: dict[str, object] | None = None) -> None:
    """An inbox message and an email, both without personal data: only what changed and a link
    to sign in. The inbox lives in the referrals app, which sits above accounts and registers it
    in :mod:`tanu.accounts.extensions`."""
    with translation.override(user.language or settings.LANGUAGE_CODE):
        text = str(message) % {k: str(v) for k, v in params.items()} if params else str(message)
        subject = _("tanu: your account was changed")
        body = _("%(message)s\n\nSign in to tanu to see it: %(url)s") % {
            "message": text,
            "url": settings.TANU_SITE_URL.rstrip("/") + resolve_url(settings.LOGIN_URL),
        }
    extensions.to_inbox(user, kind, text, "/")
    if user.email:
        address = user.email
        transaction.on_commit(lambda: send_mail(subject, body, None, [address], fail_silently=True))


def _end_sessions_and_tokens(user: User) -> None:
    keys = list(LoginSession.objects.filter(user=user).values_list("session_key", flat=True))
    Session.objects.filter(session_key__in=keys).delete()
    LoginSession.objects.filter(user=user).delete()
    ApiToken.objects.filter(user=user).delete()


def _locked(user: User) -> User:
    return User.objects.select_for_update().get(pk=user.pk)


def _refuse_self(user: User, actor: User) -> None:
    if user.pk == actor.pk:
        raise AccountError(
            _("Nobody can change their own role or agency. Ask another administrator.")
        )


# --- sign-in --------------------------------------------------------------------------------


def do_record_login(user: User, *, request: HttpRequest) -> None:
    with transaction.atomic():
        if request.session.session_key is None:
            request.session.save()
        LoginSession.objects.get_or_create(
            session_key=request.session.session_key or "", defaults={"user": user}
        )
        record(
            Action.LOGIN,
            actor=user,
            object_type=ObjectType.USER,
            object_id=user.pk,
            request=request,
        )


def do_record_logout(user: User, *, request: HttpRequest) -> None:
    with transaction.atomic():
        record(
            Action.LOGOUT,
            actor=user,
            object_type=ObjectType.USER,
            object_id=user.pk,
            request=request,
        )


def _username_digest(username: str) -> str:
    return hashlib.sha256(username.strip().lower().encode()).hexdigest()


def do_record_failed_sign_in(username: str, *, request: HttpRequest, channel: str) -> None:
    """A wrong username or password. The username tried goes into the entry's object id (it
    names an account, not a victim); the address is kept a short while against spraying."""
    address = client_address(request)
    with transaction.atomic():
        record(
            Action.LOGIN_FAILED,
            actor=None,
            actor_username="",
            object_type=ObjectType.USERNAME,
            object_id=username[:64],
            fields=[channel],
            request=request,
        )
        if address:
            SignInFailure.objects.create(
                address=address, username_digest=_username_digest(username)
            )


def do_record_failed_second_factor(user: User, *, request: HttpRequest, channel: str) -> None:
    record(
        Action.LOGIN_FAILED,
        actor=user,
        object_type=ObjectType.OTP,
        object_id=user.pk,
        fields=[channel],
        request=request,
    )


def do_record_lockout(username: str, *, request: HttpRequest, by: str) -> None:
    """A sign-in refused because of a lockout: ``by`` is "account" (too many failures for one
    username from one address) or "address" (too many usernames from one address)."""
    if getattr(request, "_tanu_lockout_recorded", False):
        return
    request._tanu_lockout_recorded = True  # type: ignore[attr-defined]
    record(
        Action.LOGIN_FAILED,
        actor=None,
        actor_username="",
        object_type=ObjectType.LOCKOUT,
        object_id=username[:64],
        fields=[by],
        request=request,
    )


def address_is_throttled(request: HttpRequest) -> bool:
    """True while the address has failed with too many distinct usernames within the window."""
    address = client_address(request)
    if not address:
        return False
    since = timezone.now() - timedelta(minutes=settings.TANU_LOGIN_SPRAY_MINUTES)
    SignInFailure.objects.filter(at__lt=since).delete()
    tried = (
        SignInFailure.objects.filter(address=address, at__gte=since)
        .values("username_digest")
        .distinct()
        .count()
    )
    return tried >= settings.TANU_LOGIN_SPRAY_LIMIT


# --- API tokens -----------------------------------------------------------------------------


def do_issue_api_token(user: User, *, request: HttpRequest | None = None) -> str:
    raw = secrets.token_urlsafe(32)
    with transaction.atomic():
        ApiToken.objects.create(
            user=user,
            key_hash=hash_token(raw),
            password_digest=password_digest(user),
            expires_at=timezone.now() + timedelta(hours=settings.TANU_API_TOKEN_HOURS),
        )
        record(
            Action.LOGIN,
            actor=user,
            object_type=ObjectType.API_TOKEN,
            object_id=user.pk,
            request=request,
        )
    return raw


def do_revoke_api_token(
    token: ApiToken, *, actor: User, request: HttpRequest | None = None
) -> None:
    with transaction.atomic():
        ApiToken.objects.filter(pk=token.pk).delete()
        record(
            Action.LOGOUT,
            actor=actor,
            object_type=ObjectType.API_TOKEN,
            object_id=actor.pk,
            request=request,
        )


# --- enabling and disabling -----------------------------------------------------------------


def do_disable_user(user: User, *, actor: User, request: HttpRequest | None = None) -> None:
    """Disable a user and end all of their sessions and API tokens at once."""
    with transaction.atomic():
        locked = _locked(user)
        locked.is_active = False
        locked.disabled_at = timezone.now()
        locked.save(update_fields=["is_active", "disabled_at"])
        _end_sessions_and_tokens(locked)
        record(
            Action.DISABLE,
            actor=actor,
            object_type=ObjectType.USER,
            object_id=locked.pk,
            request=request,
        )
        _tell(
            locked, gettext_lazy("Your tanu account was disabled by an administrator."), "account"
        )
    user.is_active = False


def do_enable_user(user: User, *, actor: User, request: HttpRequest | None = None) -> None:
    with transaction.atomic():
        locked = _locked(user)
        locked.is_active = True
        locked.disabled_at = None
        locked.save(update_fields=["is_active", "disabled_at"])
        record(
            Action.UPDATE,
            actor=actor,
            object_type=ObjectType.USER,
            object_id=locked.pk,
            fields=["is_active"],
            request=request,
        )
        _tell(locked, gettext_lazy("Your tanu account was enabled again."), "account")
    user.is_active = True


# --- password and second factor -------------------------------------------------------------


def do_set_password(
    user: User, password: str, *, actor: User, request: HttpRequest | None = None
) -> None:
    """Set a new password. Every session and API token of the official ends. The second factor
    stays as it is: whoever knows the new password still needs the official's authenticator."""
    validate_password(password, user)
    with transaction.atomic():
        locked = _locked(user)
        locked.set_password(password)
        locked.save(update_fields=["password"])
        _end_sessions_and_tokens(locked)
        record(
            Action.UPDATE,
            actor=actor,
            object_type=ObjectType.USER,
            object_id=locked.pk,
            fields=["password"],
            request=request,
        )
        if locked.pk != actor.pk:
            _tell(locked, gettext_lazy("An administrator set a new password for you."), "account")
    user.password = locked.password


def do_reset_mfa(user: User, *, actor: User, request: HttpRequest | None = None) -> None:
    """Remove the official's authenticator and recovery codes. Where MFA is required they must
    enrol again at their next sign-in; their sessions and tokens end now."""
    with transaction.atomic():
        locked = _locked(user)
        AuthenticatorDevice.objects.filter(user=locked).delete()
        RecoveryCodeDevice.objects.filter(user=locked).delete()
        _end_sessions_and_tokens(locked)
        record(
            Action.UPDATE,
            actor=actor,
            object_type=ObjectType.USER,
            object_id=locked.pk,
            fields=["mfa"],
            request=request,
        )
        _tell(
            locked,
            gettext_lazy(
                "An administrator removed your two-factor authentication. Set it up again at "
                "your next sign-in."
            ),
            "account",
        )


def do_start_mfa_enrolment(
    user: User, *, request: HttpRequest | None = None
) -> AuthenticatorDevice:
    """The authenticator the official is setting up: the one still waiting for its first code,
    or a new one with a new secret (audited). The official's row is locked, so two tabs or two
    quick requests share one pending authenticator instead of making two."""
    with transaction.atomic():
        locked = _locked(user)
        device = (
            AuthenticatorDevice.objects.filter(user=locked, confirmed=False).order_by("pk").first()
        )
        if device is None:
            device = AuthenticatorDevice.objects.create(
                user=locked, name="authenticator", confirmed=False
            )
            record(
                Action.UPDATE,
                actor=locked,
                object_type=ObjectType.USER,
                object_id=locked.pk,
                fields=["mfa_pending"],
                request=request,
            )
    return device


def do_confirm_authenticator(
    device: AuthenticatorDevice, *, actor: User, token: str, request: HttpRequest
) -> list[str] | None:
    """Confirm the official's pending authenticator with a code it shows, and give new recovery
    codes: returned once, to be shown once (only their digests are stored). A wrong code is
    recorded as a failed second factor (and slows further guesses down) and answers None.

    The official's row and the authenticator are locked and read again: two submissions cannot
    both confirm it, and one's recovery codes are never silently replaced by the other's."""
    with transaction.atomic():
        locked_user = _locked(actor)
        locked = (
            AuthenticatorDevice.objects.select_for_update()
            .filter(pk=device.pk, user=locked_user)
            .first()
        )
        if locked is None or locked.confirmed:
            raise AccountError(
                _("This authenticator is no longer waiting to be set up. Start again.")
            )
        if not locked.verify_token(token):  # keeps its throttling state: committed below
            do_record_failed_second_factor(locked_user, request=request, channel="web")
            return None
        locked.confirmed = True
        locked.save(update_fields=["confirmed"])
        recovery, _created = RecoveryCodeDevice.objects.get_or_create(
            user=locked_user, name="recovery", defaults={"confirmed": True}
        )
        codes = recovery.replace_codes()
        # Told by email too: if someone else enrolled (say, after an administrator set the
        # password of an official who had not enrolled yet), the official learns of it.
        _tell(
            actor,
            gettext_lazy(
                "Two-factor authentication was set up for your tanu account. If this was not "
                "you, tell your administrator at once."
            ),
            "account",
        )
        record(
            Action.UPDATE,
            actor=actor,
            object_type=ObjectType.USER,
            object_id=actor.pk,
            fields=["mfa"],
            request=request,
        )
    return codes


# --- role and agency ------------------------------------------------------------------------


def role_needs_approval(role: str) -> bool:
    """A role that sees personal data, or a national administrator's (whose checklist changes
    take two of them: both are made by two administrators)."""
    return role in PERSONAL_DATA_ROLES or role == Role.NATIONAL_ADMIN


def _apply_role(locked: User, role: str) -> None:
    locked.role = role
    # Administrators work in tanu's own pages (/accounts/users/, /accounts/agencies/). The Django
    # admin is for technical repairs by a superuser (`tanu createadmin`): the administrator role
    # does not grant it, and leaving the role takes it away.
    if role != Role.ADMINISTRATOR:
        locked.is_staff = False
        locked.is_superuser = False
    locked.save(update_fields=["role", "is_staff", "is_superuser"])


def _tell_role(user: User, role: str) -> None:
    _tell(
        user,
        gettext_lazy("Your role in tanu is now: %(role)s."),
        "account",
        {"role": Role(role).label},
    )


def do_change_role(
    user: User, role: str, *, actor: User, request: HttpRequest | None = None
) -> RoleChangeRequest | None:
    """Change a role. A role that sees personal data is only asked for here: the request waits
    for a second administrator (do_approve_role_change). Returns that request, if any."""
    _refuse_self(user, actor)
    if role not in Role.values:
        raise AccountError(_("Choose one of the roles."))
    with transaction.atomic():
        locked = _locked(user)
        if locked.role == role:
            raise AccountError(_("The official already has this role."))
        if role_needs_approval(role):
            if RoleChangeRequest.objects.filter(
                user=locked, status=RoleChangeRequest.Status.PENDING
            ).exists():
                raise AccountError(
                    _("A role change for this official is already waiting for approval.")
                )
            request_row = RoleChangeRequest.objects.create(
                user=locked, role=role, previous_role=locked.role, requested_by=actor
            )
            record(
                Action.CREATE,
                actor=actor,
                object_type=ObjectType.ROLE_CHANGE_REQUEST,
                object_id=request_row.pk,
                fields=["role"],
                request=request,
            )
            return request_row
        _apply_role(locked, role)
        record(
            Action.UPDATE,
            actor=actor,
            object_type=ObjectType.USER,
            object_id=locked.pk,
            fields=["role"],
            request=request,
        )
        _tell_role(locked, role)
    user.role = role
    return None


def _decide_request(
    request_row: RoleChangeRequest, status: str, *, actor: User, request: HttpRequest | None
) -> RoleChangeRequest:
    """Lock a pending request, refuse its requester and its subject, record the decision and its
    audit entry (inside the caller's transaction)."""
    locked = RoleChangeRequest.objects.select_for_update().get(pk=request_row.pk)
    if locked.status != RoleChangeRequest.Status.PENDING:
        raise AccountError(_("This request was already decided."))
    if locked.requested_by_id == actor.pk:
        raise AccountError(_("A second administrator must decide on a request you made."))
    if locked.user_id == actor.pk:
        raise AccountError(
            _("Nobody can change their own role or agency. Ask another administrator.")
        )
    locked.status = status
    locked.decided_by = actor
    locked.decided_at = timezone.now()
    locked.save(update_fields=["status", "decided_by", "decided_at"])
    record(
        Action.UPDATE,
        actor=actor,
        object_type=ObjectType.ROLE_CHANGE_REQUEST,
        object_id=locked.pk,
        fields=["status"],
        request=request,
    )
    request_row.status = locked.status
    return locked


def do_approve_role_change(
    request_row: RoleChangeRequest, *, actor: User, request: HttpRequest | None = None
) -> None:
    with transaction.atomic():
        locked = _decide_request(
            request_row, RoleChangeRequest.Status.APPROVED, actor=actor, request=request
        )
        user = _locked(locked.user)
        _apply_role(user, locked.role)
        record(
            Action.UPDATE,
            actor=actor,
            object_type=ObjectType.USER,
            object_id=user.pk,
            fields=["role"],
            request=request,
        )
        _tell_role(user, locked.role)


def do_reject_role_change(
    request_row: RoleChangeRequest, *, actor: User, request: HttpRequest | None = None
) -> None:
    with transaction.atomic():
        _decide_request(
            request_row, RoleChangeRequest.Status.REJECTED, actor=actor, request=request
        )


def do_change_agency(
    user: User, agency: Agency | None, *, actor: User, request: HttpRequest | None = None
) -> None:
    _refuse_self(user, actor)
    with transaction.atomic():
        locked = _locked(user)
        new_id = agency.pk if agency is not None else None
        if locked.agency_id == new_id:
            raise AccountError(_("The official already belongs to this agency."))
        locked.agency = agency
        locked.save(update_fields=["agency"])
        record(
            Action.UPDATE,
            actor=actor,
            object_type=ObjectType.USER,
            object_id=locked.pk,
            fields=["agency"],
            request=request,
        )
        _tell(
            locked,
            gettext_lazy("An administrator moved your account to another agency."),
            "account",
        )
    user.agency = agency


def do_set_language(user: User, language: str) -> None:
    User.objects.filter(pk=user.pk).update(language=language)
    user.language = language


# --- an administrator from the server's shell -----------------------------------------------

CREATEADMIN_ACTOR_NAME = "tanu createadmin"


def do_create_administrator(username: str, email: str, *, password: str | None) -> User:
    """An administrator made from a shell on the server (``tanu createadmin``): the first one,
    or one more when none can sign in. Nobody approves the role here, as no second administrator
    may exist yet; whoever has a shell is outside tanu's controls anyway (README, security).

    Without a password the account has none usable until its holder sets one through the
    one-time link the command prints. Either way the administrator sets up a second factor at
    the first sign-in, as everyone does. Refused (AccountError) if the username is taken."""
    username = User.normalize_username(username.strip())
    email = User.objects.normalize_email(email.strip())
    try:
        User.username_validator(username)
        validate_email(email)
    except ValidationError as exc:
        raise AccountError(" ".join(exc.messages)) from exc
    if User.objects.filter(username__iexact=username).exists():
        raise AccountError(_("The username %(username)s is taken.") % {"username": username})
    # Made from a shell, this administrator is also the superuser who may open the Django admin
    # for technical repairs; administrators made in tanu's pages are not.
    user = User(username=username, email=email, is_active=True, is_staff=True, is_superuser=True)
    if password is not None:
        validate_password(password, user)
        user.set_password(password)
    else:
        user.set_unusable_password()
    with transaction.atomic():
        try:
            with transaction.atomic():
                user.save()
        except IntegrityError as exc:  # the same username, created a moment ago
            raise AccountError(
                _("The username %(username)s is taken.") % {"username": username}
            ) from exc
        _apply_role(user, Role.ADMINISTRATOR)
        record(
            Action.CREATE,
            actor=None,
            actor_username=CREATEADMIN_ACTOR_NAME,
            object_type=ObjectType.USER,
            object_id=user.pk,
            fields=["username", "email", "role", "is_staff", "is_superuser"]
            + (["password"] if password is not None else []),
        )
    return user


# --- users and agencies from the administrators' pages -----------------------------------


def do_send_invitation(user: User, *, actor: User, request: HttpRequest | None = None) -> None:
    """Email the official the one-time link where they set their own password (the page
    ``tanu createadmin`` links to). Nobody sees or chooses the password for them."""
    from tanu.accounts.access import password_link

    if not user.email:
        raise AccountError(_("The official has no email address: add one first."))
    if not user.is_active:
        raise AccountError(_("The account is disabled: enable it first."))
    with translation.override(user.language or settings.LANGUAGE_CODE):
        subject = _("tanu: your account")
        body = _(
            "An account in tanu was made for you. Your username is %(username)s.\n\n"
            "Set your password here (the link works once, and only for a few days): %(url)s\n\n"
            "After signing in you will set up two-factor authentication."
        ) % {
            "username": user.get_username(),
            "url": settings.TANU_SITE_URL.rstrip("/") + password_link(user),
        }
    address = user.email
    with transaction.atomic():
        record(
            Action.UPDATE,
            actor=actor,
            object_type=ObjectType.USER,
            object_id=user.pk,
            fields=["invitation"],
            request=request,
        )
        transaction.on_commit(lambda: send_mail(subject, body, None, [address], fail_silently=True))


def do_create_user(
    *,
    username: str,
    first_name: str,
    last_name: str,
    email: str,
    agency: Agency | None,
    role: str,
    actor: User,
    request: HttpRequest | None = None,
) -> tuple[User, RoleChangeRequest | None]:
    """A new official, without a usable password: the invitation (do_send_invitation) lets them
    set one. A role that sees personal data is only asked for, as in do_change_role: it waits
    for a second administrator. Returns the user and that request, if any."""
    username = User.normalize_username(username.strip())
    email = User.objects.normalize_email(email.strip())
    try:
        User.username_validator(username)
        validate_email(email)
    except ValidationError as exc:
        raise AccountError(" ".join(exc.messages)) from exc
    if role and role not in Role.values:
        raise AccountError(_("Choose one of the roles."))
    if User.objects.filter(username__iexact=username).exists():
        raise AccountError(_("The username %(username)s is taken.") % {"username": username})
    user = User(
        username=username,
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        email=email,
        agency=agency,
        is_active=True,
    )
    user.set_unusable_password()
    pending: RoleChangeRequest | None = None
    with transaction.atomic():
        try:
            with transaction.atomic():
                user.save()
        except IntegrityError as exc:
            raise AccountError(
                _("The username %(username)s is taken.") % {"username": username}
            ) from exc
        record(
            Action.CREATE,
            actor=actor,
            object_type=ObjectType.USER,
            object_id=user.pk,
            fields=["username", "first_name", "last_name", "email", "agency"],
            request=request,
        )
        if role and role_needs_approval(role):
            pending = do_change_role(user, role, actor=actor, request=request)
        elif role:  # told in the invitation, not in a second email
            _apply_role(user, role)
            record(
                Action.UPDATE,
                actor=actor,
                object_type=ObjectType.USER,
                object_id=user.pk,
                fields=["role"],
                request=request,
            )
        do_send_invitation(user, actor=actor, request=request)
    return user, pending


AGENCY_FIELDS = ("name_kk", "name_ru", "name_en", "kind", "region", "is_active")


def do_create_agency(
    data: dict[str, object], *, actor: User, request: HttpRequest | None = None
) -> Agency:
    """A new agency from the administrators' page (``data`` holds AGENCY_FIELDS)."""
    with transaction.atomic():
        agency = Agency.objects.create(**{f: data[f] for f in AGENCY_FIELDS if f in data})
        record(
            Action.CREATE,
            actor=actor,
            object_type=ObjectType.AGENCY,
            object_id=agency.pk,
            fields=[f for f in AGENCY_FIELDS if f in data],
            request=request,
        )
    return agency


def do_update_agency(
    agency: Agency, data: dict[str, object], *, actor: User, request: HttpRequest | None = None
) -> list[str]:
    """Change an agency's names, type, region or whether it is active. Returns what changed."""
    with transaction.atomic():
        locked = Agency.objects.select_for_update().get(pk=agency.pk)
        changed = [f for f in AGENCY_FIELDS if f in data and getattr(locked, f) != data[f]]
        if not changed:
            return []
        for f in changed:
            setattr(locked, f, data[f])
        locked.save(update_fields=changed)
        record(
            Action.UPDATE,
            actor=actor,
            object_type=ObjectType.AGENCY,
            object_id=locked.pk,
            fields=changed,
            request=request,
        )
    for f in changed:
        setattr(agency, f, data[f])
    return changed
