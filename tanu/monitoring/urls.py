from django.urls import path

from tanu.monitoring import views

app_name = "monitoring"

urlpatterns = [
    path("", views.visit_calendar, name="visits"),
    path("visits/", views.visit_list, name="visit_list"),
    path("visits/new/", views.visit_new, name="visit_new"),
    path("visits/<int:pk>/", views.visit_detail, name="visit"),
    path("visits/<int:pk>/plan/", views.visit_edit, name="visit_edit"),
    path("visits/<int:pk>/cancel/", views.visit_cancel, name="visit_cancel"),
    path("visits/<int:pk>/report/", views.visit_report, name="visit_report"),
    path("visits/<int:pk>/screenings/", views.visit_screening, name="visit_screening"),
    path("visits/<int:pk>/actions/", views.follow_up_new, name="follow_up_new"),
    path("visits/<int:pk>/print/", views.visit_print, name="visit_print"),
    path("visits/<int:pk>/pdf/", views.visit_pdf, name="visit_pdf"),
    path("actions/", views.follow_up_list, name="follow_ups"),
    path("actions/<int:pk>/done/", views.follow_up_done, name="follow_up_done"),
    path("overview/", views.overview, name="overview"),
    path("facilities/", views.facility_list, name="facilities"),
    path("facilities/new/", views.facility_new, name="facility_new"),
    path("facilities/<int:pk>/", views.facility_detail, name="facility"),
    path("facilities/<int:pk>/edit/", views.facility_edit, name="facility_edit"),
]
