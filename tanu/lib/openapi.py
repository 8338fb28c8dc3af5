"""The API's schema generator (DEFAULT_SCHEMA_CLASS)."""

from __future__ import annotations

from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from rest_framework.pagination import BasePagination
from rest_framework.settings import api_settings


class AutoSchema(SpectacularAutoSchema):
    """The API lists are function views that paginate with DEFAULT_PAGINATION_CLASS; their
    GET responses are documented paginated (``count``, ``count_is_estimate``, ``next``...)
    with the ``page`` parameter."""

    def _get_paginator(self) -> BasePagination | None:
        paginator: BasePagination | None = super()._get_paginator()
        pagination_class: type[BasePagination] | None = api_settings.DEFAULT_PAGINATION_CLASS  # type: ignore[assignment]
        if paginator is None and pagination_class is not None and self.method == "GET":
            paginator = pagination_class()
        return paginator
