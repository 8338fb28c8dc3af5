from django.urls import path

from tanu.identification import views

app_name = "identification"

urlpatterns = [
    path("screenings/", views.screening_list, name="screenings"),
    path("screenings/new/", views.screening_new, name="screening_new"),
    path("screenings/<int:pk>/", views.screening_detail, name="screening"),
    path("screenings/<int:pk>/answers/", views.screening_answers, name="screening_answers"),
    path("screenings/<int:pk>/details/", views.screening_context_update, name="screening_context"),
    path("screenings/<int:pk>/finalise/", views.screening_finalise, name="screening_finalise"),
    path("screenings/<int:pk>/correct/", views.screening_correct, name="screening_correct"),
    path("screenings/<int:pk>/print/", views.screening_print, name="screening_print"),
    path("checklists/", views.checklist_list, name="checklists"),
    path("checklists/<slug:checklist_id>/blank/", views.checklist_blank, name="checklist_blank"),
    path("triage/", views.triage, name="triage"),
    path("triage/blank/", views.triage_blank, name="triage_blank"),
]
