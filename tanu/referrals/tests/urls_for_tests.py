"""The project's URLs plus the service directory's pages and API, for as long as the project's
urls.py does not include them yet (once it does, this is the project's URLs unchanged)."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, include, path

from tanu import urls as project
from tanu.referrals import services_api


def _wired(
    patterns: list[URLPattern | URLResolver], *, namespace: str = "", view: object = None
) -> bool:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            if namespace and pattern.namespace == namespace:
                return True
            if _wired(pattern.url_patterns, namespace=namespace, view=view):
                return True
        elif view is not None and pattern.callback is view:
            return True
    return False


urlpatterns: list[URLPattern | URLResolver] = list(project.urlpatterns)
if not _wired(urlpatterns, namespace="directory"):
    urlpatterns.insert(0, path("services/", include("tanu.referrals.directory_urls")))
if not _wired(urlpatterns, view=services_api.service_list):
    urlpatterns[:0] = [
        path("api/v1/services/", services_api.service_list, name="api-services"),
        path("api/v1/services/<int:pk>/", services_api.service_detail, name="api-service"),
    ]

handler404 = project.handler404
handler500 = project.handler500
handler400 = project.handler400
