from django.urls import path

from tanu.referrals import panels, views

app_name = "referrals"

urlpatterns = [
    path("cases/<int:pk>/refer/", views.referral_new, name="new"),
    path("cases/<int:pk>/referrals/", panels.case_panel, name="case_panel"),
    path("screenings/<int:pk>/services/", panels.screening_services, name="screening_services"),
    path("cases/<int:pk>/decisions/", views.decision_add, name="decision_add"),
    path(
        "cases/<int:pk>/decisions/<int:decision_pk>/review/",
        views.decision_review,
        name="decision_review",
    ),
    path("referrals/", views.referral_list, name="referrals"),
    path("referrals/<int:pk>/", views.referral_detail, name="referral"),
    path("referrals/<int:pk>/reveal/", views.referral_reveal, name="reveal"),
    path("referrals/<int:pk>/status/", views.referral_status, name="status"),
    path("referrals/<int:pk>/services/", views.referral_service, name="service"),
    path("referrals/<int:pk>/notes/", views.referral_note, name="note"),
    path("referrals/<int:pk>/feedback/", views.referral_feedback, name="feedback"),
    path("referrals/<int:pk>/slip.pdf", views.referral_slip_pdf, name="slip"),
    path("inbox/", views.inbox, name="inbox"),
    path("inbox/read/", views.inbox_read, name="inbox_read"),
]
