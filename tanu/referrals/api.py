"""REST API for referrals: the same rules as the pages."""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import api_view
from rest_framework.request import Request
from rest_framework.response import Response

from tanu.accounts.access import current_user as _user
from tanu.audit.actions import record_read
from tanu.audit.models import ObjectType
from tanu.cases.access import get_case_for_user
from tanu.cases.models import Consent
from tanu.lib.etags import error_response
from tanu.lib.pagination import ApiPagination
from tanu.lib.revisions import ConflictError
from tanu.referrals import access, actions
from tanu.referrals.models import SHAREABLE_FIELDS, Referral, Service
from tanu.referrals.sharing import sharing_ended_reason, sharing_in_force


class ReferralSerializer(serializers.ModelSerializer):
    """What lists and details carry: never a personal value. The shared values are read, with a
    reason, from /api/v1/referrals/<id>/person/ by the receiving agency."""

    case_number = serializers.CharField(source="case.number")
    service_name = serializers.CharField(source="service.name")
    sharing_ended_reason = serializers.SerializerMethodField()

    class Meta:
        model = Referral
        fields = [
            "id",
            "case_number",
            "service",
            "service_name",
            "from_agency",
            "to_agency",
            "purpose",
            "urgency",
            "status",
            "decline_reason",
            "due_date",
            "shared_fields",
            "sharing_ended_reason",
            "consent_exception",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_sharing_ended_reason(self, obj: Referral) -> str | None:
        return sharing_ended_reason(obj)


class ReferralCreateSerializer(serializers.Serializer):
    case = serializers.IntegerField()
    service = serializers.IntegerField()
    purpose = serializers.CharField(max_length=300)
    urgency = serializers.ChoiceField(choices=Referral.Urgency.choices, default="routine")
    shared_fields = serializers.ListField(
        child=serializers.ChoiceField(choices=SHAREABLE_FIELDS), required=False
    )
    consent = serializers.IntegerField(required=False, allow_null=True)
    consent_exception = serializers.ChoiceField(
        choices=Referral.ConsentException.choices, required=False, allow_blank=True
    )
    exception_reason = serializers.CharField(max_length=1000, required=False, allow_blank=True)


class StatusSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=Referral.Status.choices)
    reason = serializers.CharField(max_length=500, required=False, allow_blank=True)


@extend_schema(request=ReferralCreateSerializer, responses=ReferralSerializer(many=True))
@api_view(["GET", "POST"])
def referral_list(request: Request) -> Response:
    user = _user(request)
    if request.method == "GET":
        paginator = ApiPagination()
        page = paginator.paginate_queryset(access.visible_referrals(user).order_by("-pk"), request)
        return paginator.get_paginated_response(ReferralSerializer(page, many=True).data)
    serializer = ReferralCreateSerializer(data=request.data)
    serializer.is_valid(raise_exception=True)
    data = serializer.validated_data
    case = get_case_for_user(user, data["case"])
    service = Service.objects.filter(pk=data["service"]).first()
    if service is None:
        return Response({"detail": _("Unknown service.")}, status=status.HTTP_400_BAD_REQUEST)
    consent = (
        Consent.objects.filter(pk=data["consent"], case=case).first()
        if data.get("consent")
        else None
    )
    try:
        referral = actions.do_send_referral(
            case,
            actor=user,
            service=service,
            purpose=data["purpose"],
            urgency=data["urgency"],
            shared_fields=list(data.get("shared_fields") or []),
            consent=consent,
            consent_exception=data.get("consent_exception", ""),
            exception_reason=data.get("exception_reason", ""),
            request=request._request,
        )
    except actions.ReferralError as exc:
        return error_response(exc)
    return Response(ReferralSerializer(referral).data, status=status.HTTP_201_CREATED)


@extend_schema(responses=ReferralSerializer)
@api_view(["GET"])
def referral_detail(request: Request, pk: int) -> Response:
    user = _user(request)
    referral = access.get_referral_for_user(user, pk)
    record_read(ObjectType.REFERRAL, referral.pk, actor=user, request=request._request)
    return Response(ReferralSerializer(referral).data)


@extend_schema(request=StatusSerializer, responses=ReferralSerializer)
@api_view(["POST"])
def referral_status(request: Request, pk: int) -> Response:
    user = _user(request)
    referral = access.get_referral_for_user(user, pk)
    if not (access.is_recipient(user, referral) or access.is_sender(user, referral)):
        raise Http404
    serializer = StatusSerializer(data=request.data)
    serializer.is_valid(raise_exception=True)
    try:
        referral = actions.do_change_referral_status(
            referral,
            actor=user,
            status=serializer.validated_data["status"],
            reason=serializer.validated_data.get("reason", ""),
            request=request._request,
        )
    except (actions.ReferralError, ConflictError) as exc:
        return error_response(exc)
    return Response(ReferralSerializer(referral).data)


@extend_schema(responses=OpenApiTypes.OBJECT)
@api_view(["GET"])
def referral_person(request: Request, pk: int) -> Response:
    """The shared fields of the person, for the receiving agency, while sharing is in force.
    Needs `X-Tanu-Reason` (why you open it); each read is one audit entry naming the fields.
    Anyone else, and the recipient once sharing has ended, gets 404 (the referral's detail
    says why in `sharing_ended_reason`)."""
    user = _user(request)
    referral = access.get_referral_for_user(user, pk)
    if not access.is_recipient(user, referral) or not sharing_in_force(referral):
        raise Http404
    reason = request.headers.get("X-Tanu-Reason", "").strip()
    if len(reason) < 5:
        return Response(
            {"detail": _("State why you open the personal data in the X-Tanu-Reason header.")},
            status=status.HTTP_400_BAD_REQUEST,
        )
    try:
        values = actions.do_reveal_referral_person(
            referral, actor=user, reason=reason, request=request._request, remember=False
        )
    except actions.ReferralError as exc:
        return error_response(exc)
    response = Response(values)
    response["Cache-Control"] = "no-store"
    return response
