"""Statistics API under /api/v1/stats/: the dashboard's figures as JSON, with the same filters,
scope and small-cell protection (figures are numbers, or the string "<5")."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.decorators import api_view
from rest_framework.request import Request
from rest_framework.response import Response

from tanu.reports import stats
from tanu.reports.access import stats_scope
from tanu.reports.filters import FilterError, Filters, parse_filters
from tanu.reports.suppression import small_label, threshold

FILTER_PARAMETERS = [
    OpenApiParameter("region", OpenApiTypes.STR, description="ISO 3166-2 code, e.g. KZ-75"),
    OpenApiParameter("year", OpenApiTypes.INT),
    OpenApiParameter("month_from", OpenApiTypes.INT, description="1-12, with year"),
    OpenApiParameter("month_to", OpenApiTypes.INT, description="1-12, with year"),
    OpenApiParameter("form", OpenApiTypes.STR, enum=["labour", "sexual", "unknown"]),
    OpenApiParameter(
        "age_group", OpenApiTypes.STR, enum=["adult", "child", "unknown_maybe_child", "unknown"]
    ),
    OpenApiParameter("sex", OpenApiTypes.STR, enum=["female", "male", "other", "unknown"]),
    OpenApiParameter("agency_type", OpenApiTypes.STR),
]


def _filters(request: Request) -> Filters | Response:
    scope = stats_scope(request.user)
    try:
        filters, _form = parse_filters(request.query_params, scope)
    except FilterError as error:
        return Response(
            {"detail": _("The filters are not valid."), "errors": error.form.errors},
            status=status.HTTP_400_BAD_REQUEST,
        )
    return filters


def _envelope(filters: Filters) -> dict[str, Any]:
    return {
        "threshold": threshold(),
        "small_label": small_label(),
        "note": str(stats.PROTECTION_NOTE),
        "filters": filters.describe(),
    }


@extend_schema(
    operation_id="stats_overview",
    parameters=FILTER_PARAMETERS,
    responses={200: OpenApiTypes.OBJECT},
    description='Every table of the statistics dashboard, protected (counts 1-4 read "<5").',
)
@api_view(["GET"])
def stats_overview(request: Request) -> Response:
    filters = _filters(request)
    if isinstance(filters, Response):
        return filters
    data = stats.overview(filters).as_json()
    data["table_names"] = list(stats.TABLE_NAMES)
    return Response(data)


@extend_schema(
    operation_id="stats_table",
    parameters=FILTER_PARAMETERS,
    responses={200: OpenApiTypes.OBJECT},
    description="One table by name (see table_names in the overview), protected.",
)
@api_view(["GET"])
def stats_table(request: Request, table: str) -> Response:
    filters = _filters(request)
    if isinstance(filters, Response):
        return filters
    if table not in stats.TABLE_NAMES:
        raise Http404
    found = stats.table_by_name(filters, table)
    if found is None:
        raise Http404
    return Response({**_envelope(filters), "table": found.as_json()})
