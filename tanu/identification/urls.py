from django.urls import include, path

from tanu.identification import views

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

urlpatterns = [
    path("screenings/", views.screening_list, name="screenings"),
    path("screenings/new/", views.screening_new, name="screening_new"),
    path("screenings/<int:pk>/", include(screening_urls)),
    path("checklists/", views.checklist_list, name="checklists"),
    path("checklists/<slug:checklist_id>/blank/", views.checklist_blank, name="checklist_blank"),
    path("triage/", views.triage, name="triage"),
    path("triage/blank/", views.triage_blank, name="triage_blank"),
]
