"""Participants' pages, without an account: a test opened by its short code (typed at ``/t/``,
or the QR code), the participant's own page (tests, exercises, surveys, certificate) and the
public certificate check.

A test is taken with the personal code or, when the trainer chose so, anonymously: then the
attempt has no participant and only the browser session that started it finds it again. The
answers to a pre-test are shown once the key is released (see ``KnowledgeTest.key_is_visible``).

Who a participant is: their personal code (on their slip; also a QR code to ``/training/p/<code>/``)
puts them into this browser's session for their seminar. A personal code has about 59 bits and a
test code about 40, so neither can be guessed; a wrong code shows the same error whatever the
reason. Answers are saved one by one as they are given (``save``), so a dropped connection or a
reload loses nothing; the page's script keeps unsent answers on the phone and sends them when the
connection is back (``static/training/attempt.js``).
"""

from __future__ import annotations

import hashlib
from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tanu.audit.actions import client_address, record
from tanu.audit.models import Action, ObjectType
from tanu.training import access, actions, codes, exercises, forms, surveys
from tanu.training.certificates import LANGUAGES
from tanu.training.models import (
    Attempt,
    Certificate,
    ExerciseAttempt,
    KnowledgeTest,
    Participant,
    Question,
    SurveyResponse,
    current_language,
    in_language,
)
from tanu.training.names import initials_and_surname
from tanu.training.views.certificates import certificate_response
from tanu.training.views.common import posted
from tanu.training.views.exercises import exercise_page, exercise_result_page


def _test_by_code(code: str) -> KnowledgeTest:
    normal = codes.normalise(code)
    test = (
        KnowledgeTest.objects.select_related("seminar", "seminar__region")
        .filter(code=normal)
        .first()
        if len(normal) == codes.TEST_CODE_LENGTH
        else None
    )
    if test is None:
        raise Http404
    return test


# ---------------------------------------------------------------------------------------------
# The code page: /t/, where a participant types the test code shown in the room

#: Wrong test codes one address may type in a window before the page asks it to wait.
CODE_TRIES = 20
CODE_TRIES_SECONDS = 600


def _tries_key(request: HttpRequest) -> str:
    address = client_address(request) or "unknown"
    return "training-code-tries:" + hashlib.sha256(address.encode()).hexdigest()[:32]


def _too_many_tries(request: HttpRequest) -> bool:
    return int(cache.get(_tries_key(request), 0)) >= CODE_TRIES


def _count_wrong_try(request: HttpRequest) -> None:
    key = _tries_key(request)
    if cache.add(key, 1, CODE_TRIES_SECONDS):
        return
    try:
        cache.incr(key)
    except ValueError:  # expired in between
        cache.set(key, 1, CODE_TRIES_SECONDS)


def _wrong_code(form: forms.TestCodeForm) -> None:
    form.add_error(
        "code",
        _("No test has this code. Check it on the screen in the room, or ask your trainer."),
    )


def _wrong_code_page(request: HttpRequest, raw: str) -> HttpResponse:
    _count_wrong_try(request)
    form = forms.TestCodeForm({"code": raw[:40]})
    form.is_valid()
    _wrong_code(form)
    return render(request, "training/take_find.html", {"form": form}, status=404)


@require_http_methods(["GET", "POST"])
def code_entry(request: HttpRequest) -> HttpResponse:
    """The page where the test code is typed (case, spaces and dashes do not matter). A wrong
    code gets the form again with one message, whatever the reason, so the page tells nothing
    about which codes exist; an address that keeps trying is asked to wait."""
    source = request.POST if request.method == "POST" else request.GET
    form = forms.TestCodeForm(source if "code" in source else None)
    if form.is_bound and form.is_valid():
        if _too_many_tries(request):
            form.add_error(
                "code", _("Too many wrong codes from this connection. Wait ten minutes.")
            )
        else:
            normal = codes.normalise(form.cleaned_data["code"])
            test = (
                KnowledgeTest.objects.filter(code=normal).only("code").first()
                if len(normal) == codes.TEST_CODE_LENGTH
                else None
            )
            if test is not None:
                return redirect("training:take", code=test.code)
            _count_wrong_try(request)
            _wrong_code(form)
    return render(
        request,
        "training/take_find.html",
        {"form": form},
        status=400 if form.is_bound and form.errors else 200,
    )


def _find_participant(raw_code: str, seminar_id: int | None = None) -> Participant | None:
    code = codes.normalise(raw_code)
    if len(code) != codes.PERSONAL_CODE_LENGTH:
        return None
    qs = Participant.objects.select_related("seminar").filter(code_index=actions.code_index(code))
    if seminar_id is not None:
        qs = qs.filter(seminar_id=seminar_id)
    return qs.first()


def _code_form(
    request: HttpRequest, template: str, context: dict[str, Any], seminar_id: int | None
) -> HttpResponse | Participant:
    """The personal-code form: the participant when the posted code is right, else the page."""
    form = forms.CodeForm(posted(request))
    if request.method == "POST" and form.is_valid():
        participant = _find_participant(form.cleaned_data["code"], seminar_id)
        if participant is not None:
            access.remember_participant(request, participant)
            return participant
        form.add_error(
            "code", _("This code is not right. Check it on your slip, or ask your trainer.")
        )
    return render(
        request,
        template,
        {**context, "form": form},
        status=400 if request.method == "POST" else 200,
    )


# ---------------------------------------------------------------------------------------------
# Taking a test


def _item_views(attempt: Attempt, *, reveal: bool) -> list[dict[str, Any]]:
    items = list(
        attempt.items.select_related("question")
        .prefetch_related("question__options")
        .order_by("position")
    )
    views = []
    for item in items:
        question = item.question
        options = {o.pk: o for o in question.options.all()}
        response = item.response
        chosen = set(response) if isinstance(response, list) else set()
        pairs = (
            {int(k): int(v) for k, v in (response or {}).items()}
            if isinstance(response, dict)
            else {}
        )
        view: dict[str, Any] = {
            "pk": item.pk,
            "position": item.position,
            "kind": question.kind,
            "text": question.text,
            "explanation": question.explanation if reveal else "",
            "score": item.score,
            "multiple": question.kind == Question.Kind.MULTIPLE,
            "matching": question.kind == Question.Kind.MATCHING,
        }
        if question.kind == Question.Kind.MATCHING:
            view["rights"] = [
                {"pk": pk, "text": options[pk].match} for pk in item.match_order if pk in options
            ]
            view["lefts"] = [
                {
                    "pk": pk,
                    "text": options[pk].text,
                    "chosen": pairs.get(pk),
                    "chosen_text": options[pairs[pk]].match if pairs.get(pk) in options else "",
                    "right": options[pk].match,
                    "correct": pairs.get(pk) == pk,
                }
                for pk in item.order
                if pk in options
            ]
        else:
            view["options"] = [
                {
                    "pk": pk,
                    "text": options[pk].text,
                    "checked": pk in chosen,
                    "is_correct": options[pk].is_correct if reveal else None,
                }
                for pk in item.order
                if pk in options
            ]
            view["chosen_texts"] = [o["text"] for o in view["options"] if o["checked"]]
            view["right_texts"] = (
                [o["text"] for o in view["options"] if o["is_correct"]] if reveal else []
            )
        views.append(view)
    return views


def _is_answered(item: dict[str, Any]) -> bool:
    if item["matching"]:
        return any(left["chosen"] for left in item["lefts"])
    return any(option["checked"] for option in item["options"])


def _unanswered(items: list[dict[str, Any]]) -> list[int]:
    return [item["position"] for item in items if not _is_answered(item)]


ANONYMOUS_SESSION_KEY = "tanu_training_anonymous_attempts"

#: In the last seconds of a test, submitting no longer asks about unanswered questions.
LAST_SECONDS = 5


def _remember_anonymous(request: HttpRequest, attempt: Attempt) -> None:
    known = dict(request.session.get(ANONYMOUS_SESSION_KEY, {}))
    known[str(attempt.test_id)] = attempt.pk
    request.session[ANONYMOUS_SESSION_KEY] = known


def _anonymous_attempt(request: HttpRequest, test: KnowledgeTest) -> Attempt | None:
    pk = request.session.get(ANONYMOUS_SESSION_KEY, {}).get(str(test.pk))
    if pk is None:
        return None
    return Attempt.objects.filter(test=test, pk=pk, participant__isnull=True).first()


def _attempt_for(
    request: HttpRequest, code: str
) -> tuple[KnowledgeTest, Participant | None, Attempt | None]:
    """The test, the participant (``None`` when unknown, and always in an anonymous test) and
    their attempt (in an anonymous test: the one this browser started)."""
    test = _test_by_code(code)
    if test.anonymous:
        return test, None, _anonymous_attempt(request, test)
    participant = access.session_participant(request, test.seminar_id)
    attempt = (
        Attempt.objects.filter(test=test, participant=participant).first()
        if participant is not None
        else None
    )
    return test, participant, attempt


def _attempt_page(
    request: HttpRequest,
    context: dict[str, Any],
    attempt: Attempt,
    *,
    unanswered: list[int] | None = None,
) -> HttpResponse:
    remaining = max(0, int((attempt.deadline - timezone.now()).total_seconds()))
    items = _item_views(attempt, reveal=False)
    context.update(
        {
            "attempt": attempt,
            "items": items,
            "remaining": remaining,
            "answered": sum(1 for item in items if _is_answered(item)),
            "unanswered": unanswered or [],
        }
    )
    return render(request, "training/take_attempt.html", context)


@require_http_methods(["GET", "POST"])
def take(request: HttpRequest, code: str) -> HttpResponse:
    try:
        test, participant, attempt = _attempt_for(request, code)
    except Http404:  # a mistyped link: the code page in the participant's language, not a 404
        return _wrong_code_page(request, code)
    context: dict[str, Any] = {"test": test, "seminar": test.seminar, "code": test.code}
    if participant is None and not test.anonymous:
        outcome = _code_form(request, "training/take_code.html", context, test.seminar_id)
        if isinstance(outcome, Participant):
            return redirect("training:take", code=test.code)
        return outcome
    if request.method == "POST":  # a code posted again by a participant already known
        return redirect("training:take", code=test.code)
    context["participant"] = participant
    if attempt is not None and not attempt.is_submitted and not actions.accepts_answers(attempt):
        attempt = actions.do_submit_attempt(attempt, request=request)  # the time ran out
    if attempt is None:
        return render(request, "training/take_start.html", context)
    if attempt.is_submitted:
        reveal = test.key_is_visible()
        context.update(
            {
                "attempt": attempt,
                "items": _item_views(attempt, reveal=reveal),
                "reveal": reveal,
                "pass_mark": test.seminar.pass_mark
                if test.kind == KnowledgeTest.Kind.POST
                else None,
            }
        )
        return render(request, "training/take_result.html", context)
    return _attempt_page(request, context, attempt)


@require_POST
def start(request: HttpRequest, code: str) -> HttpResponse:
    test, participant, attempt = _attempt_for(request, code)
    if attempt is not None or (participant is None and not test.anonymous):
        return redirect("training:take", code=test.code)
    try:
        attempt = actions.do_start_attempt(
            test, participant, language=current_language(), request=request
        )
    except actions.TrainingError as exc:
        messages.error(request, str(exc))
    else:
        if test.anonymous:
            _remember_anonymous(request, attempt)
    return redirect("training:take", code=test.code)


def _wants_json(request: HttpRequest) -> bool:
    return "application/json" in request.headers.get("Accept", "")


@require_POST
def save(request: HttpRequest, code: str) -> HttpResponse:
    test, _participant, attempt = _attempt_for(request, code)
    if attempt is None:
        if _wants_json(request):
            return JsonResponse({"error": _("Open the test again.")}, status=409)
        return redirect("training:take", code=test.code)
    items = list(attempt.items.select_related("question"))
    responses = forms.parse_responses(request.POST, items)
    try:
        saved = actions.do_save_answers(attempt, responses)
    except actions.TimeUpError as exc:
        if _wants_json(request):
            return JsonResponse({"error": str(exc), "over": True}, status=409)
        messages.error(request, str(exc))
        return redirect("training:take", code=test.code)
    if _wants_json(request):
        remaining = max(0, int((attempt.deadline - timezone.now()).total_seconds()))
        return JsonResponse({"saved": saved, "remaining": remaining})
    messages.success(request, _("Your answers are saved."))
    return redirect("training:take", code=test.code)


@require_POST
def submit(request: HttpRequest, code: str) -> HttpResponse:
    """Submit the test. With questions left unanswered (and time left), the answers are saved
    and the page comes back listing their numbers, with a button to submit anyway."""
    test, _participant, attempt = _attempt_for(request, code)
    if attempt is None:
        return redirect("training:take", code=test.code)
    items = list(attempt.items.select_related("question"))
    responses = forms.parse_responses(request.POST, items)
    # When the time runs out the page submits itself: no question then, nor in the last
    # seconds (the phone's clock and the connection may lag a little).
    in_time = (
        attempt.submitted_at is None
        and timezone.now() + timedelta(seconds=LAST_SECONDS) <= attempt.deadline
    )
    if request.POST.get("confirm") != "1" and in_time:
        if responses:
            try:
                actions.do_save_answers(attempt, responses)
            except actions.TimeUpError:
                return redirect("training:take", code=test.code)
        unanswered = _unanswered(_item_views(attempt, reveal=False))
        if unanswered:
            context: dict[str, Any] = {"test": test, "seminar": test.seminar, "code": test.code}
            return _attempt_page(request, context, attempt, unanswered=unanswered)
    actions.do_submit_attempt(attempt, responses=responses, request=request)
    return redirect("training:take", code=test.code)


# ---------------------------------------------------------------------------------------------
# The participant's own page


@require_GET
def participant_link(request: HttpRequest, key: str) -> HttpResponse:
    """The link on the participant's slip (QR code): remembers them in this browser."""
    participant = _find_participant(key)
    if participant is None:
        raise Http404
    access.remember_participant(request, participant)
    return redirect("training:me")


@require_http_methods(["GET", "POST"])
def me(request: HttpRequest) -> HttpResponse:
    participant = access.session_participant(request)
    if participant is None:
        outcome = _code_form(request, "training/me_code.html", {}, None)
        if isinstance(outcome, Participant):
            return redirect("training:me")
        return outcome
    if request.method == "POST":
        return redirect("training:me")
    seminar = participant.seminar
    today = timezone.localdate()
    attempts = {a.test_id: a for a in Attempt.objects.filter(participant=participant)}
    tests = [
        {"test": test, "attempt": attempts.get(test.pk)}
        for test in seminar.tests.order_by("pk")
        if test.is_open or test.pk in attempts
    ]
    answered = set(
        SurveyResponse.objects.filter(participant=participant).values_list("kind", flat=True)
    )
    survey_rows = [
        {
            "kind": kind,
            "label": label,
            "open": surveys.is_open(seminar, kind, today),
            "opens_on": surveys.opens_on(seminar, kind),
            "done": kind in answered,
        }
        for kind, label in SurveyResponse.Kind.choices
    ]
    certificate = Certificate.objects.filter(participant=participant).first()
    done = ExerciseAttempt.objects.filter(participant=participant).order_by("-created_at")
    return render(
        request,
        "training/me.html",
        {
            "participant": participant,
            "seminar": seminar,
            "tests": tests,
            "scenarios": exercises.all_scenarios(),
            "exercise_attempts": done[:20],
            "surveys": survey_rows,
            "certificate": certificate,
            "languages": LANGUAGES,
        },
    )


@require_POST
def leave(request: HttpRequest) -> HttpResponse:
    """On a shared phone: forget the participant in this browser."""
    access.forget_participants(request)
    return redirect("training:me")


def _me(request: HttpRequest) -> Participant:
    participant = access.session_participant(request)
    if participant is None:
        raise Http404
    return participant


@require_http_methods(["GET", "POST"])
def me_exercise(request: HttpRequest, scenario_id: str) -> HttpResponse:
    participant = access.session_participant(request)
    if participant is None:
        return redirect("training:me")
    return exercise_page(
        request,
        scenario_id,
        page="training:me_exercise",
        result_page="training:me_exercise_result",
        participant=participant,
    )


@require_GET
def me_exercise_result(request: HttpRequest, pk: int) -> HttpResponse:
    attempt = ExerciseAttempt.objects.filter(pk=pk, participant=_me(request)).first()
    return exercise_result_page(request, attempt, again="training:me_exercise", back="training:me")


@require_http_methods(["GET", "POST"])
def survey(request: HttpRequest, kind: str) -> HttpResponse:
    participant = _me(request)
    if kind not in SurveyResponse.Kind.values:
        raise Http404
    seminar = participant.seminar
    if not surveys.is_open(seminar, kind, timezone.localdate()):
        messages.info(
            request,
            _("This survey opens on %(day)s.")
            % {"day": formats.date_format(surveys.opens_on(seminar, kind), "SHORT_DATE_FORMAT")},
        )
        return redirect("training:me")
    if SurveyResponse.objects.filter(participant=participant, kind=kind).exists():
        messages.info(request, _("You have already answered this survey. Thank you!"))
        return redirect("training:me")
    form = forms.SurveyForm(posted(request), kind=kind)
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_submit_survey(
                participant,
                kind=kind,
                answers=form.answers(),
                comment=form.cleaned_data["comment"],
                request=request,
            )
        except actions.TrainingError as exc:
            messages.info(request, str(exc))
        else:
            messages.success(request, _("Thank you for your answers."))
        return redirect("training:me")
    return render(
        request,
        "training/survey.html",
        {"form": form, "kind_label": SurveyResponse.Kind(kind).label, "seminar": seminar},
        status=400 if form.errors else 200,
    )


@require_GET
def me_certificate(request: HttpRequest, lang: str) -> HttpResponse:
    participant = _me(request)
    certificate = (
        Certificate.objects.select_related("participant__seminar", "participant__agency")
        .filter(participant=participant, revoked_at__isnull=True)
        .first()
    )
    if certificate is None or lang not in LANGUAGES:
        raise Http404
    record(
        Action.EXPORT,
        actor=None,
        actor_username=actions.participant_label(participant),
        object_type=ObjectType.TRAINING_CERTIFICATE,
        object_id=certificate.pk,
        request=request,
    )
    return certificate_response(certificate, lang)


# ---------------------------------------------------------------------------------------------
# Public certificate check


@require_GET
def verify(request: HttpRequest) -> HttpResponse:
    """Valid or not, and for a valid code only: the seminar's city and dates, the date of issue
    and the holder's initials and surname (so that an employer can match it to the person in
    front of them; nothing else about them)."""
    raw = request.GET.get("code", "")
    form = forms.VerifyForm(request.GET if raw else None)
    checked = None
    certificate = None
    if raw:
        checked = False
        if form.is_valid():
            certificate = actions.verify_certificate(form.cleaned_data["code"])
            checked = certificate is not None
    seminar = certificate.participant.seminar if certificate else None
    return render(
        request,
        "training/verify.html",
        {
            "form": form,
            "checked": checked,
            "valid": bool(certificate and certificate.is_valid),
            "revoked": bool(certificate and not certificate.is_valid),
            "city": in_language(seminar, "city") if seminar else "",
            "starts_on": seminar.starts_on if seminar else None,
            "ends_on": seminar.ends_on if seminar else None,
            "issued_on": certificate.issued_at if certificate else None,
            "holder": initials_and_surname(certificate.participant.full_name)
            if certificate
            else "",
        },
        status=200,
    )
