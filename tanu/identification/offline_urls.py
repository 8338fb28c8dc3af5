from django.urls import path

from tanu.identification import offline_views

app_name = "offline"

# The offline screening page and what it fetches; the service worker and the manifest are at the
# site's root (tanu/urls.py).
urlpatterns = [
    path("screenings/offline/", offline_views.offline_page, name="page"),
    path("screenings/offline/checklists.json", offline_views.offline_checklists, name="checklists"),
    path("screenings/offline/sync/", offline_views.offline_sync, name="sync"),
]
