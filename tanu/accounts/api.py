"""API authentication (bearer tokens), the token endpoint and JSON errors in the caller's language."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import authenticate
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp import match_token, user_has_device
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.decorators import (
    api_view,
    authentication_classes,
    permission_classes,
    throttle_classes,
)
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from tanu.accounts import actions
from tanu.accounts.access import get_agency_for_user, visible_agencies
from tanu.accounts.authentication import BearerTokenAuthentication
from tanu.accounts.models import ApiToken, User
from tanu.accounts.views import spraying_message
from tanu.lib.pagination import ApiPagination


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=512, trim_whitespace=False)
    otp = serializers.CharField(max_length=16, required=False, allow_blank=True)


@extend_schema(
    methods=["POST"],
    request=TokenRequestSerializer,
    responses={200: inline_serializer("Token", {"token": serializers.CharField()})},
)
@extend_schema(methods=["DELETE"], request=None, responses={204: None})
@api_view(["POST", "DELETE"])
@authentication_classes([BearerTokenAuthentication])
@permission_classes([AllowAny])
@throttle_classes([])
def token_view(request: Request) -> Response:
    """POST: a new token for a username, password and (where required) a code.
    DELETE: revoke the token this request is made with."""
    if request.method == "DELETE":
        return _revoke_token(request)
    serializer = TokenRequestSerializer(data=request.data)
    serializer.is_valid(raise_exception=True)
    data = serializer.validated_data
    django_request: HttpRequest = request._request
    if actions.address_is_throttled(django_request):
        actions.do_record_lockout(data["username"], request=django_request, by="address")
        return Response({"detail": spraying_message()}, status=status.HTTP_429_TOO_MANY_REQUESTS)
    user = authenticate(django_request, username=data["username"], password=data["password"])
    if getattr(django_request, "axes_locked_out", False):
        # Axes' middleware answers with locked_out(), which is JSON for the API and audited.
        return Response(
            {"detail": _("Too many failed attempts. Try again later.")},
            status=status.HTTP_429_TOO_MANY_REQUESTS,
        )
    if not isinstance(user, User):
        actions.do_record_failed_sign_in(data["username"], request=django_request, channel="api")
        return Response(
            {"detail": _("The username or password is not right.")},
            status=status.HTTP_400_BAD_REQUEST,
        )
    needs_code = user_has_device(user) or (settings.TANU_REQUIRE_MFA and user.needs_mfa)
    if needs_code:
        code = (data.get("otp") or "").replace(" ", "")
        if not user_has_device(user):
            return Response(
                {"detail": _("Set up two-factor authentication in the web app first.")},
                status=status.HTTP_400_BAD_REQUEST,
            )
        if not code or match_token(user, code) is None:
            if code:
                actions.do_record_failed_second_factor(user, request=django_request, channel="api")
            return Response(
                {"detail": _("A valid two-factor code is required."), "otp_required": True},
                status=status.HTTP_400_BAD_REQUEST,
            )
    raw = actions.do_issue_api_token(user, request=django_request)
    return Response({"token": raw})


def _revoke_token(request: Request) -> Response:
    user = request.user
    if not isinstance(user, User) or not isinstance(request.auth, ApiToken):
        return Response(
            {"detail": _("Send the token to revoke in the Authorization header.")},
            status=status.HTTP_401_UNAUTHORIZED,
        )
    actions.do_revoke_api_token(request.auth, actor=user, request=request._request)
    return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema(
    responses={
        200: inline_serializer(
            "Me",
            {
                "username": serializers.CharField(),
                "role": serializers.CharField(),
                "agency": serializers.CharField(allow_null=True),
                "region": serializers.CharField(allow_null=True),
                "language": serializers.CharField(),
            },
        )
    }
)
@api_view(["GET"])
@permission_classes([IsAuthenticated])
def me_view(request: Request) -> Response:
    user = request.user
    assert isinstance(user, User)
    agency = user.agency
    return Response(
        {
            "username": user.username,
            "role": user.role,
            "agency": agency.name if agency else None,
            "region": agency.region.code if agency else None,
            "language": user.language or request.LANGUAGE_CODE,
            "server_time": timezone.now().isoformat(),
        }
    )


class AgencySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    kind = serializers.CharField()
    region = serializers.CharField(source="region.code")


@extend_schema(responses=AgencySerializer(many=True))
@api_view(["GET"])
def agency_list_view(request: Request) -> Response:
    user = request.user
    assert isinstance(user, User)
    paginator = ApiPagination()
    page = paginator.paginate_queryset(visible_agencies(user).order_by("pk"), request)
    return paginator.get_paginated_response(AgencySerializer(page, many=True).data)


@extend_schema(responses=AgencySerializer)
@api_view(["GET"])
def agency_detail_view(request: Request, pk: int) -> Response:
    user = request.user
    assert isinstance(user, User)
    return Response(AgencySerializer(get_agency_for_user(user, pk)).data)
