from django.urls import include, path

from tanu.referrals import panels, views

app_name = "referrals"

# One referral: referrals/<id>/….
referral_urls = [
    path("", views.referral_detail, name="referral"),
    path("reveal/", views.referral_reveal, name="reveal"),
    path("status/", views.referral_status, name="status"),
    path("services/", views.referral_service, name="service"),
    path("notes/", views.referral_note, name="note"),
    path("feedback/", views.referral_feedback, name="feedback"),
    path("slip.pdf", views.referral_slip_pdf, name="slip"),
]
# From a case: cases/<id>/… (refer, the case's referrals panel, identification decisions).
case_urls = [
    path("refer/", views.referral_new, name="new"),
    path("referrals/", panels.case_panel, name="case_panel"),
    path("decisions/", views.decision_add, name="decision_add"),
    path("decisions/<int:decision_pk>/review/", views.decision_review, name="decision_review"),
]

urlpatterns = [
    path("cases/<int:pk>/", include(case_urls)),
    path("screenings/<int:pk>/services/", panels.screening_services, name="screening_services"),
    path("referrals/", views.referral_list, name="referrals"),
    path("referrals/<int:pk>/", include(referral_urls)),
    path("inbox/", views.inbox, name="inbox"),
    path("inbox/read/", views.inbox_read, name="inbox_read"),
]
