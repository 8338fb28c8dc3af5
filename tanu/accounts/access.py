"""Who may see which agency or user. One helper per object type; outsiders get 404."""

from __future__ import annotations

from django.contrib.auth.tokens import default_token_generator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode
from rest_framework.request import Request

from tanu.accounts.models import Agency, Role, RoleChangeRequest, User
from tanu.audit.denied import raise_denied
from tanu.audit.models import ObjectType


def current_user(request: HttpRequest | Request) -> User:
    """The signed-in official of a page or API request. Every view that asks is behind sign-in
    (``login_required``, the API's authentication); anyone else gets 404."""
    user = request.user
    if not isinstance(user, User) or not user.is_authenticated:
        raise Http404
    return user


def visible_agencies(user: User) -> QuerySet[Agency]:
    qs = Agency.objects.select_related("region")
    if not user.is_active:
        return qs.none()
    if user.role in (Role.ADMINISTRATOR, Role.ANALYST) or user.is_superuser:
        return qs
    if user.role == Role.COORDINATOR and user.agency_id:
        return qs.filter(region_id=user.agency.region_id)  # type: ignore[union-attr]
    if user.agency_id:
        return qs.filter(pk=user.agency_id)
    return qs.none()


def get_agency_for_user(user: User, pk: int) -> Agency:
    try:
        return visible_agencies(user).get(pk=pk)
    except (Agency.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def managed_users(user: User) -> QuerySet[User]:
    qs = User.objects.select_related("agency__region")
    if user.is_active and (user.role == Role.ADMINISTRATOR or user.is_superuser):
        return qs
    return qs.none()


def get_managed_user(user: User, pk: int) -> User:
    try:
        return managed_users(user).get(pk=pk)
    except (User.DoesNotExist, ValueError, TypeError):
        raise_denied(ObjectType.USER, pk)


def is_administrator(user: User) -> bool:
    return user.is_active and (user.role == Role.ADMINISTRATOR or user.is_superuser)


def require_administrator(user: User, object_type: ObjectType, object_id: object = "") -> None:
    """The administrators' pages (users, agencies): anyone else gets an audited 404."""
    if not is_administrator(user):
        raise_denied(object_type, object_id)


def get_role_request_for_user(user: User, pk: int) -> RoleChangeRequest:
    require_administrator(user, ObjectType.ROLE_CHANGE_REQUEST, pk)
    try:
        return RoleChangeRequest.objects.select_related("user", "requested_by").get(pk=pk)
    except (RoleChangeRequest.DoesNotExist, ValueError, TypeError):
        raise_denied(ObjectType.ROLE_CHANGE_REQUEST, pk)


def get_managed_agency(user: User, pk: int) -> Agency:
    require_administrator(user, ObjectType.AGENCY, pk)
    try:
        return Agency.objects.select_related("region").get(pk=pk)
    except (Agency.DoesNotExist, ValueError, TypeError):
        raise_denied(ObjectType.AGENCY, pk)


def password_link(user: User) -> str:
    """The path of the one-time page where the official sets their password (what
    ``tanu createadmin`` prints). It works until the password changes, or for
    PASSWORD_RESET_TIMEOUT seconds; the path holds the account's number, never its name."""
    return reverse(
        "accounts:set_password",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )


def user_for_password_link(uidb64: str, token: str) -> User | None:
    """The active official a set-password link is for, or None when it is wrong, used or old."""
    try:
        pk = int(urlsafe_base64_decode(uidb64).decode())
        user = User.objects.get(pk=pk, is_active=True, disabled_at__isnull=True)
    except (ValueError, TypeError, OverflowError, UnicodeDecodeError, User.DoesNotExist):
        return None
    return user if default_token_generator.check_token(user, token) else None
