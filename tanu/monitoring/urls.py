from django.urls import include, path

from tanu.monitoring import views

app_name = "monitoring"

# One visit: visits/<id>/….
visit_urls = [
    path("", views.visit_detail, name="visit"),
    path("plan/", views.visit_edit, name="visit_edit"),
    path("cancel/", views.visit_cancel, name="visit_cancel"),
    path("report/", views.visit_report, name="visit_report"),
    path("screenings/", views.visit_screening, name="visit_screening"),
    path("actions/", views.follow_up_new, name="follow_up_new"),
    path("print/", views.visit_print, name="visit_print"),
    path("pdf/", views.visit_pdf, name="visit_pdf"),
]

urlpatterns = [
    path("", views.visit_calendar, name="visits"),
    path("visits/", views.visit_list, name="visit_list"),
    path("visits/new/", views.visit_new, name="visit_new"),
    path("visits/<int:pk>/", include(visit_urls)),
    path("actions/", views.follow_up_list, name="follow_ups"),
    path("actions/<int:pk>/done/", views.follow_up_done, name="follow_up_done"),
    path("overview/", views.overview, name="overview"),
    path("facilities/", views.facility_list, name="facilities"),
    path("facilities/new/", views.facility_new, name="facility_new"),
    path("facilities/<int:pk>/", views.facility_detail, name="facility"),
    path("facilities/<int:pk>/edit/", views.facility_edit, name="facility_edit"),
]
