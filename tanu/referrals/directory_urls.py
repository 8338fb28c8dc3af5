"""The service directory's pages; the project includes them at ``services/``."""

from django.urls import path

from tanu.referrals import directory_views

app_name = "directory"

urlpatterns = [
    path("", directory_views.service_list, name="services"),
    path("export.csv", directory_views.service_export, name="export"),
    path("import/", directory_views.service_import, name="import"),
    path("<int:pk>/", directory_views.service_detail, name="service"),
]
