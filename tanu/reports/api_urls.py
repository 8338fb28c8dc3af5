from django.urls import path

from tanu.reports import api

urlpatterns = [
    path("stats/", api.stats_overview, name="api-stats"),
    path("stats/<slug:table>/", api.stats_table, name="api-stats-table"),
]
