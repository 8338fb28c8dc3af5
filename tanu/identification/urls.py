from django.urls import include, path

from tanu.identification import checklist_views, views

app_name = "identification"

# One screening: screenings/<id>/….
screening_urls = [
    path("", views.screening_detail, name="screening"),
    path("answers/", views.screening_answers, name="screening_answers"),
    path("details/", views.screening_context_update, name="screening_context"),
    path("finalise/", views.screening_finalise, name="screening_finalise"),
    path("correct/", views.screening_correct, name="screening_correct"),
    path("print/", views.screening_print, name="screening_print"),
]

# Checklist versions (national administrators): checklists/versions/….
checklist_version_urls = [
    path("", checklist_views.version_list, name="checklist_versions"),
    path("<int:pk>/", checklist_views.version_detail, name="checklist_version"),
    path("<int:pk>/approve/", checklist_views.version_approve, name="checklist_version_approve"),
    path("<int:pk>/reject/", checklist_views.version_reject, name="checklist_version_reject"),
    path("<int:pk>/xlsform/", checklist_views.version_xlsform, name="checklist_version_xlsform"),
]

urlpatterns = [
    path("screenings/", views.screening_list, name="screenings"),
    path("screenings/new/", views.screening_new, name="screening_new"),
    path("screenings/<int:pk>/", include(screening_urls)),
    path("checklists/", views.checklist_list, name="checklists"),
    path("checklists/versions/", include(checklist_version_urls)),
    path("checklists/<slug:checklist_id>/blank/", views.checklist_blank, name="checklist_blank"),
    path("triage/", views.triage, name="triage"),
    path("triage/blank/", views.triage_blank, name="triage_blank"),
]
