from django.urls import path

from tanu.linkage import views

app_name = "linkage"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("pairs/<int:pk>/", views.pair_detail, name="pair"),
    path("pairs/<int:pk>/reveal/", views.pair_reveal, name="pair_reveal"),
    path("pairs/<int:pk>/merge/", views.pair_merge, name="pair_merge"),
    path("pairs/<int:pk>/different/", views.pair_different, name="pair_different"),
    path("merges/<int:pk>/", views.merge_detail, name="merge"),
    path("merges/<int:pk>/undo/", views.merge_undo, name="merge_undo"),
    path("cases/<int:pk>/matches/", views.case_matches, name="case_matches"),
    path(
        "cases/<int:pk>/matches/<int:pair_pk>/contact/",
        views.contact_request_add,
        name="contact_request_add",
    ),
    path("contact-requests/", views.contact_request_list, name="contact_requests"),
    path("contact-requests/<int:pk>/", views.contact_request_detail, name="contact_request"),
    path(
        "contact-requests/<int:pk>/forward/",
        views.contact_request_forward,
        name="contact_request_forward",
    ),
    path(
        "contact-requests/<int:pk>/decline/",
        views.contact_request_decline,
        name="contact_request_decline",
    ),
    path(
        "contact-requests/<int:pk>/share/",
        views.contact_request_share,
        name="contact_request_share",
    ),
]
