"""REST API of the service directory (no personal data): any authenticated user may read it."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import api_view
from rest_framework.request import Request
from rest_framework.response import Response

from tanu.accounts.models import Region
from tanu.lib.pagination import ApiPagination
from tanu.referrals import directory
from tanu.referrals.models import Service


class ServiceSerializer(serializers.ModelSerializer):
    name = serializers.CharField(read_only=True)
    region = serializers.CharField(source="region.code", read_only=True)
    agency = serializers.IntegerField(source="agency_id", read_only=True, allow_null=True)
    via_tanu = serializers.BooleanField(read_only=True)
    languages = serializers.ListField(
        child=serializers.CharField(), source="language_list", read_only=True
    )
    forms = serializers.SerializerMethodField()

    class Meta:
        model = Service
        fields = [
            "id",
            "kind",
            "name",
            "name_kk",
            "name_ru",
            "name_en",
            "region",
            "agency",
            "via_tanu",
            *directory.DETAIL_FIELDS,
            "updated_at",
        ]
        read_only_fields = fields

    def get_forms(self, service: Service) -> list[str]:
        return [form for form in directory.FORMS if form in service.forms.split(",")]


class ServiceQuerySerializer(serializers.Serializer):
    q = serializers.CharField(
        required=False, allow_blank=True, max_length=200, help_text=gettext_lazy("name or address")
    )
    region = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=8,
        help_text=gettext_lazy("region code, e.g. KZ-75"),
    )
    kind = serializers.ChoiceField(choices=Service.Kind.choices, required=False, allow_blank=True)
    accepts = serializers.ChoiceField(
        choices=directory.ACCEPTS_CHOICES, required=False, allow_blank=True
    )
    inactive = serializers.BooleanField(
        required=False, default=False, help_text=gettext_lazy("include services no longer active")
    )


@extend_schema(
    operation_id="services_list",
    parameters=[ServiceQuerySerializer],
    responses=ServiceSerializer(many=True),
)
@api_view(["GET"])
def service_list(request: Request) -> Response:
    query = ServiceQuerySerializer(data=request.query_params)
    query.is_valid(raise_exception=True)
    params = query.validated_data
    qs = Service.objects.select_related("region").order_by("region__code", "name_en")
    if not params.get("inactive"):
        qs = qs.filter(is_active=True)
    region_id = None
    code = (params.get("region") or "").strip().upper()
    if code:
        region = Region.objects.filter(code=code).first()
        if region is None:
            return Response(
                {"detail": _(directory.MSG_UNKNOWN_REGION) % {"value": code}},
                status=status.HTTP_400_BAD_REQUEST,
            )
        region_id = region.pk
    qs = directory.search_services(
        qs,
        text=params.get("q", ""),
        region=region_id,
        kind=params.get("kind", ""),
        accepts=params.get("accepts", ""),
    )
    paginator = ApiPagination()
    page = paginator.paginate_queryset(qs, request)
    return paginator.get_paginated_response(ServiceSerializer(page, many=True).data)


@extend_schema(operation_id="services_detail", responses=ServiceSerializer)
@api_view(["GET"])
def service_detail(request: Request, pk: int) -> Response:
    service = get_object_or_404(Service.objects.select_related("region"), pk=pk)
    return Response(ServiceSerializer(service).data)
