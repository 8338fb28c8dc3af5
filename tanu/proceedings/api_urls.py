from django.urls import path

from tanu.proceedings import api

urlpatterns = [
    path("proceedings/", api.proceeding_list, name="api-proceedings"),
    path("proceedings/<int:pk>/", api.proceeding_detail, name="api-proceeding"),
]
