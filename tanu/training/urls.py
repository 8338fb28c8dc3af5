from django.urls import path, register_converter

from tanu.training import public
from tanu.training.views import (
    certificates,
    exercises,
    knowledge_tests,
    participants,
    questions,
    results,
    seminars,
)


class IdConverter:
    """A database id: at most 18 digits, so that no id overflows a 64-bit column (a longer
    number is simply not found)."""

    regex = "[0-9]{1,18}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int) -> str:
        return str(value)


register_converter(IdConverter, "training_id")

app_name = "training"

urlpatterns = [
    # Trainers, administrators, analysts, and officials practising.
    path("", seminars.home, name="home"),
    path("seminars/new/", seminars.seminar_new, name="seminar_new"),
    path("seminars/<training_id:pk>/", seminars.seminar_detail, name="seminar"),
    path("seminars/<training_id:pk>/edit/", seminars.seminar_edit, name="seminar_edit"),
    path("seminars/<training_id:pk>/sessions/new/", seminars.session_new, name="session_new"),
    path(
        "seminars/<training_id:pk>/sessions/<training_id:session_pk>/delete/",
        seminars.session_delete,
        name="session_delete",
    ),
    path(
        "seminars/<training_id:pk>/sessions/<training_id:session_pk>/attendance/",
        seminars.attendance,
        name="attendance",
    ),
    path(
        "seminars/<training_id:pk>/participants/new/",
        participants.participant_new,
        name="participant_new",
    ),
    path(
        "seminars/<training_id:pk>/participants/<training_id:participant_pk>/edit/",
        participants.participant_edit,
        name="participant_edit",
    ),
    path(
        "seminars/<training_id:pk>/participants/<training_id:participant_pk>/certificate/<str:lang>.pdf",
        certificates.certificate_pdf,
        name="certificate_pdf",
    ),
    path(
        "seminars/<training_id:pk>/participants/<training_id:participant_pk>/certificate/revoke/",
        certificates.certificate_revoke,
        name="certificate_revoke",
    ),
    path("seminars/<training_id:pk>/slips/", participants.slips, name="slips"),
    path("seminars/<training_id:pk>/tests/new/", knowledge_tests.test_new, name="test_new"),
    path(
        "seminars/<training_id:pk>/tests/<training_id:test_pk>/",
        knowledge_tests.test_detail,
        name="test",
    ),
    path(
        "seminars/<training_id:pk>/tests/<training_id:test_pk>/open/",
        knowledge_tests.test_toggle,
        name="test_toggle",
    ),
    path(
        "seminars/<training_id:pk>/certificates/",
        certificates.certificates_issue,
        name="certificates_issue",
    ),
    path("questions/", questions.question_list, name="questions"),
    path("questions/new/", questions.question_new, name="question_new"),
    path("questions/<training_id:pk>/", questions.question_edit, name="question_edit"),
    path("exercises/", exercises.exercise_list, name="exercises"),
    path("exercises/done/<training_id:pk>/", exercises.exercise_result, name="exercise_result"),
    path("exercises/<slug:scenario_id>/", exercises.exercise, name="exercise"),
    path("exercises/<slug:scenario_id>/key/", exercises.exercise_key, name="exercise_key"),
    path("results/", results.results_page, name="results"),
    path("results/items/", results.items_page, name="items"),
    path("results/<slug:name>.csv", results.results_csv, name="results_csv"),
    # Participants, without an account.
    path("t/<str:code>/", public.take, name="take"),
    path("t/<str:code>/start/", public.start, name="start"),
    path("t/<str:code>/save/", public.save, name="save"),
    path("t/<str:code>/submit/", public.submit, name="submit"),
    path("p/<str:key>/", public.participant_link, name="participant_link"),
    path("me/", public.me, name="me"),
    path("me/leave/", public.leave, name="leave"),
    path(
        "me/exercises/done/<training_id:pk>/", public.me_exercise_result, name="me_exercise_result"
    ),
    path("me/exercises/<slug:scenario_id>/", public.me_exercise, name="me_exercise"),
    path("me/survey/<slug:kind>/", public.survey, name="survey"),
    path("me/certificate/<str:lang>.pdf", public.me_certificate, name="me_certificate"),
    # Anyone: the certificate check.
    path("verify/", public.verify, name="verify"),
]
