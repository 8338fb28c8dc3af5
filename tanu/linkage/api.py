"""REST API for likely duplicates: the coordinators' view of their region's pairs.

A pair names ids, agencies, regions, the match probability and the fields that agreed: never a
person's value. Only coordinators read it, each the pairs with a record in their region; anyone
else gets 404, as everywhere in the API. Each page read is one audit entry."""

from __future__ import annotations

from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.decorators import api_view
from rest_framework.request import Request
from rest_framework.response import Response

from tanu.accounts.access import current_user as _user
from tanu.accounts.models import Region
from tanu.audit.actions import record_read
from tanu.audit.models import ObjectType
from tanu.lib.pagination import ApiPagination
from tanu.linkage import access
from tanu.linkage.models import MatchPair

READ_FIELDS = ["agencies", "regions", "match_probability", "agreements", "status"]


class DuplicateSerializer(serializers.ModelSerializer):
    region_a: serializers.SlugRelatedField[Region] = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )
    region_b: serializers.SlugRelatedField[Region] = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )
    agreements = serializers.ListField(
        child=serializers.CharField(), read_only=True, help_text="The fields that agreed."
    )

    class Meta:
        model = MatchPair
        fields = [
            "id",
            "person_a",
            "person_b",
            "agency_a",
            "agency_b",
            "region_a",
            "region_b",
            "match_probability",
            "agreements",
            "status",
            "found_at",
            "decided_at",
        ]
        read_only_fields = fields


class DuplicateFilterSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=MatchPair.Status.choices, required=False)


@extend_schema(
    operation_id="duplicates_list",
    parameters=[
        OpenApiParameter(
            "status", str, enum=MatchPair.Status.values, required=False, description="Only these."
        )
    ],
    responses=DuplicateSerializer(many=True),
    description="Coordinators: the likely duplicates with a record in your region (either side), "
    "most probable first. Ids, agencies and regions (ISO 3166-2 codes) only, never a person's "
    "values. Anyone else: 404.",
)
@api_view(["GET"])
def duplicate_list(request: Request) -> Response:
    user = _user(request)
    if not access.is_coordinator(user):
        raise Http404
    wanted = DuplicateFilterSerializer(data=request.query_params)
    wanted.is_valid(raise_exception=True)
    qs = access.region_pairs(user).select_related("region_a", "region_b")
    if "status" in wanted.validated_data:
        qs = qs.filter(status=wanted.validated_data["status"])
    paginator = ApiPagination()
    page: list[MatchPair] = (
        paginator.paginate_queryset(qs.order_by("-match_probability", "pk"), request) or []
    )
    record_read(
        ObjectType.MATCH_PAIR,
        actor=user,
        fields=READ_FIELDS,
        request=request._request,
        region_id=access.region_of(user),
    )
    return paginator.get_paginated_response(DuplicateSerializer(page, many=True).data)
