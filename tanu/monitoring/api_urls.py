from django.urls import path

from tanu.monitoring import api

urlpatterns = [
    path("facilities/", api.facility_list, name="api-facilities"),
    path("facilities/<int:pk>/", api.facility_detail, name="api-facility"),
    path("visits/", api.visit_list, name="api-visits"),
    path("visits/<int:pk>/", api.visit_detail, name="api-visit"),
]
