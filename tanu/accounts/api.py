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
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from tanu.accounts import actions
from tanu.accounts.access import get_agency_for_user, visible_agencies
from tanu.accounts.models import User
from tanu.audit.actions import record
from tanu.audit.models import Action


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=512, trim_whitespace=False)
    otp = serializers.CharField(max_length=16, required=False, allow_blank=True)


@extend_schema(
    request=TokenRequestSerializer,
    responses={200: inline_serializer("Token", {"token": serializers.CharField()})},
)
@api_view(["POST"])
@authentication_classes([])
@permission_classes([AllowAny])
@throttle_classes([])
def token_view(request: Request) -> Response:
    serializer = TokenRequestSerializer(data=request.data)
    serializer.is_valid(raise_exception=True)
    data = serializer.validated_data
    django_request: HttpRequest = request._request
    user = authenticate(django_request, username=data["username"], password=data["password"])
    if getattr(django_request, "axes_locked_out", False):
        return Response(
            {"detail": _("Too many failed attempts. Try again later.")},
            status=status.HTTP_429_TOO_MANY_REQUESTS,
        )
    if not isinstance(user, User):
        record(Action.LOGIN_FAILED, actor=None, object_type="api_token", request=django_request)
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
            return Response(
                {"detail": _("A valid two-factor code is required."), "otp_required": True},
                status=status.HTTP_400_BAD_REQUEST,
            )
    raw = actions.do_issue_api_token(user, request=django_request)
    return Response({"token": raw})


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
    paginator = PageNumberPagination()
    page = paginator.paginate_queryset(visible_agencies(user).order_by("pk"), request)
    return paginator.get_paginated_response(AgencySerializer(page, many=True).data)


@extend_schema(responses=AgencySerializer)
@api_view(["GET"])
def agency_detail_view(request: Request, pk: int) -> Response:
    user = request.user
    assert isinstance(user, User)
    return Response(AgencySerializer(get_agency_for_user(user, pk)).data)
