from django.urls import URLPattern, URLResolver, include, path, register_converter

from tanu.training import public
from tanu.training.views import (
    certificates,
    exercises,
    knowledge_tests,
    participants,
    questions,
    results,
    roster,
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

# Inside one seminar: seminars/<id>/sessions/…, participants/…, tests/….
session_urls = [
    path("new/", seminars.session_new, name="session_new"),
    path("<training_id:session_pk>/delete/", seminars.session_delete, name="session_delete"),
    path("<training_id:session_pk>/attendance/", seminars.attendance, name="attendance"),
    path(
        "<training_id:session_pk>/attendance/<training_id:participant_pk>/",
        roster.attendance_toggle,
        name="attendance_toggle",
    ),
]
participant_urls = [
    path("new/", participants.participant_new, name="participant_new"),
    path("import/", roster.participant_import, name="participant_import"),
    path("template.<str:fmt>", roster.participant_template, name="participant_template"),
    path(
        "<training_id:participant_pk>/edit/",
        participants.participant_edit,
        name="participant_edit",
    ),
    path(
        "<training_id:participant_pk>/certificate/<str:lang>.pdf",
        certificates.certificate_pdf,
        name="certificate_pdf",
    ),
    path(
        "<training_id:participant_pk>/certificate/revoke/",
        certificates.certificate_revoke,
        name="certificate_revoke",
    ),
]
test_urls = [
    path("new/", knowledge_tests.test_new, name="test_new"),
    path("<training_id:test_pk>/", knowledge_tests.test_detail, name="test"),
    path("<training_id:test_pk>/open/", knowledge_tests.test_toggle, name="test_toggle"),
    path(
        "<training_id:test_pk>/key/release/",
        knowledge_tests.test_key_release,
        name="test_key_release",
    ),
    path(
        "<training_id:test_pk>/anonymous/",
        knowledge_tests.test_anonymous,
        name="test_anonymous",
    ),
]
seminar_urls: list[URLPattern | URLResolver] = [
    path("", seminars.seminar_detail, name="seminar"),
    path("edit/", seminars.seminar_edit, name="seminar_edit"),
    path("sessions/", include(session_urls)),
    path("participants/", include(participant_urls)),
    path("slips/", participants.slips, name="slips"),
    path("tests/", include(test_urls)),
    path("certificates/", certificates.certificates_issue, name="certificates_issue"),
]

question_urls = [
    path("", questions.question_list, name="questions"),
    path("new/", questions.question_new, name="question_new"),
    path("<training_id:pk>/", questions.question_edit, name="question_edit"),
]
exercise_urls = [
    path("", exercises.exercise_list, name="exercises"),
    path("done/<training_id:pk>/", exercises.exercise_result, name="exercise_result"),
    path("<slug:scenario_id>/", exercises.exercise, name="exercise"),
    path("<slug:scenario_id>/key/", exercises.exercise_key, name="exercise_key"),
]
result_urls = [
    path("", results.results_page, name="results"),
    path("items/", results.items_page, name="items"),
    path("<slug:name>.csv", results.results_csv, name="results_csv"),
]

# Trainers, administrators, analysts, and officials practising.
staff_urls = [
    path("", seminars.home, name="home"),
    path("seminars/new/", seminars.seminar_new, name="seminar_new"),
    path("seminars/<training_id:pk>/", include(seminar_urls)),
    path("questions/", include(question_urls)),
    path("exercises/", include(exercise_urls)),
    path("results/", include(result_urls)),
]

# Participants, without an account: a test by its code, then their own page.
test_taking_urls = [
    path("", public.take, name="take"),
    path("start/", public.start, name="start"),
    path("save/", public.save, name="save"),
    path("submit/", public.submit, name="submit"),
]
me_urls = [
    path("", public.me, name="me"),
    path("leave/", public.leave, name="leave"),
    path("exercises/done/<training_id:pk>/", public.me_exercise_result, name="me_exercise_result"),
    path("exercises/<slug:scenario_id>/", public.me_exercise, name="me_exercise"),
    path("survey/<slug:kind>/", public.survey, name="survey"),
    path("certificate/<str:lang>.pdf", public.me_certificate, name="me_certificate"),
]
participant_facing_urls = [
    path("t/<str:code>/", include(test_taking_urls)),
    path("p/<str:key>/", public.participant_link, name="participant_link"),
    path("me/", include(me_urls)),
]

urlpatterns = [
    *staff_urls,
    *participant_facing_urls,
    # Anyone: the certificate check.
    path("verify/", public.verify, name="verify"),
]
