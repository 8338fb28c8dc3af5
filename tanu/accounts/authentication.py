"""Bearer-token authentication for the API. Only token hashes are stored."""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.request import Request

from tanu.accounts.models import ApiToken, User, hash_token


class BearerTokenAuthentication(BaseAuthentication):
    keyword = b"bearer"

    def authenticate(self, request: Request) -> tuple[User, ApiToken] | None:
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != self.keyword:
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(_("Invalid token header."))
        try:
            raw = parts[1].decode("ascii")
        except UnicodeDecodeError as exc:
            raise exceptions.AuthenticationFailed(_("Invalid token header.")) from exc
        token = (
            ApiToken.objects.select_related("user__agency__region")
            .filter(key_hash=hash_token(raw))
            .first()
        )
        if (
            token is None
            or token.is_expired()
            or not token.user.is_active
            or not token.matches_password(token.user)  # the password changed since it was issued
        ):
            raise exceptions.AuthenticationFailed(_("The token is not valid or has expired."))
        return token.user, token

    def authenticate_header(self, request: Request) -> str:
        return "Bearer"


class BearerTokenScheme(OpenApiAuthenticationExtension):
    target_class = "tanu.accounts.authentication.BearerTokenAuthentication"
    name = "bearerAuth"

    def get_security_definition(self, auto_schema: object) -> dict[str, str]:
        return {"type": "http", "scheme": "bearer"}
