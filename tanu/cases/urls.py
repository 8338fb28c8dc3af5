from django.urls import path

from tanu.cases import views

app_name = "cases"

urlpatterns = [
    path("cases/", views.case_list, name="cases"),
    path("cases/search/", views.case_search, name="search"),
    path("cases/break-glass/", views.break_glass, name="break_glass"),
    path("screenings/<int:screening_pk>/case/", views.case_open, name="open"),
    path("cases/<int:pk>/", views.case_detail, name="case"),
    path("cases/<int:pk>/person/", views.person_edit, name="person_edit"),
    path("cases/<int:pk>/reveal/", views.case_reveal, name="reveal"),
    path("cases/<int:pk>/status/", views.case_status, name="status"),
    path("cases/<int:pk>/consents/", views.consent_add, name="consent_add"),
    path(
        "cases/<int:pk>/consents/<int:consent_pk>/withdraw/",
        views.consent_withdraw,
        name="consent_withdraw",
    ),
    path("cases/<int:pk>/notes/", views.note_add, name="note_add"),
    path("cases/<int:pk>/documents/", views.document_add, name="document_add"),
    path(
        "cases/<int:pk>/documents/<int:document_pk>/",
        views.document_download,
        name="document",
    ),
    path("cases/<int:pk>/export.<str:fmt>", views.case_export, name="export"),
    path("cases/<int:pk>/requests/", views.data_request_add, name="request_add"),
    path(
        "cases/<int:pk>/requests/<int:request_pk>/decide/",
        views.data_request_decide,
        name="request_decide",
    ),
]
