from django.urls import path

from tanu.linkage import api

urlpatterns = [
    path("duplicates/", api.duplicate_list, name="api-duplicates"),
]
