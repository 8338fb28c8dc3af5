from django.urls import include, path

from tanu.cases import views

app_name = "cases"

# One case: cases/<id>/….
case_urls = [
    path("", views.case_detail, name="case"),
    path("person/", views.person_edit, name="person_edit"),
    path("reveal/", views.case_reveal, name="reveal"),
    path("status/", views.case_status, name="status"),
    path("consents/", views.consent_add, name="consent_add"),
    path(
        "consents/<int:consent_pk>/withdraw/",
        views.consent_withdraw,
        name="consent_withdraw",
    ),
    path("notes/", views.note_add, name="note_add"),
    path("documents/", views.document_add, name="document_add"),
    path("documents/<int:document_pk>/", views.document_download, name="document"),
    path("export.<str:fmt>", views.case_export, name="export"),
    path("requests/", views.data_request_add, name="request_add"),
    path(
        "requests/<int:request_pk>/decide/",
        views.data_request_decide,
        name="request_decide",
    ),
]

urlpatterns = [
    path("cases/", views.case_list, name="cases"),
    path("cases/search/", views.case_search, name="search"),
    path("cases/break-glass/", views.break_glass, name="break_glass"),
    path("screenings/<int:screening_pk>/case/", views.case_open, name="open"),
    path("cases/<int:pk>/", include(case_urls)),
]
