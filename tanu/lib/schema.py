"""The OpenAPI schema view: public in development and demo mode, signed-in users otherwise."""

from __future__ import annotations

from collections.abc import Sequence

from django.conf import settings
from drf_spectacular.views import SpectacularAPIView
from rest_framework.permissions import AllowAny, BasePermission, IsAuthenticated


class SchemaView(SpectacularAPIView):
    def get_permissions(self) -> Sequence[BasePermission]:
        if getattr(settings, "TANU_API_SCHEMA_PUBLIC", False):
            return [AllowAny()]
        return [IsAuthenticated()]
