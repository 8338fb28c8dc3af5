"""A seminar's knowledge tests, for its trainers: creating one, its page with the code and QR
code for the room and the attempts, and opening or closing it."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from tanu.accounts.access import current_user as _user
from tanu.accounts.models import User
from tanu.audit.actions import record_read
from tanu.audit.models import ObjectType
from tanu.training import access, actions, forms
from tanu.training.codes import grouped
from tanu.training.models import Attempt, KnowledgeTest, Objective
from tanu.training.views.common import _errors, qr_data_uri


@login_required
@require_POST
def test_new(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    seminar = access.get_seminar_for_user(user, pk)
    form = forms.KnowledgeTestForm(request.POST)
    if not form.is_valid():
        messages.error(request, _errors(form))
        return redirect("training:seminar", pk=seminar.pk)
    try:
        test = actions.do_create_test(seminar, actor=user, data=form.cleaned_data, request=request)
    except actions.TrainingError as exc:
        messages.error(request, str(exc))
        return redirect("training:seminar", pk=seminar.pk)
    messages.success(
        request, _("The test is ready. Open it when the participants are in the room.")
    )
    return redirect("training:test", pk=seminar.pk, test_pk=test.pk)


def _test(user: User, pk: int, test_pk: int) -> KnowledgeTest:
    seminar = access.get_seminar_for_user(user, pk)
    test = (
        KnowledgeTest.objects.select_related("seminar").filter(seminar=seminar, pk=test_pk).first()
    )
    if test is None:
        raise Http404
    return test


@login_required
@require_GET
def test_detail(request: HttpRequest, pk: int, test_pk: int) -> HttpResponse:
    user = _user(request)
    test = _test(user, pk, test_pk)
    url = request.build_absolute_uri(reverse("training:take", args=[test.code]))
    attempts = Attempt.objects.filter(test=test).select_related("participant").order_by("pk")
    record_read(
        ObjectType.TRAINING_TEST_RESULTS,
        test.pk,
        actor=user,
        fields=["full_name", "score"],
        request=request,
    )
    return render(
        request,
        "training/test_detail.html",
        {
            "seminar": test.seminar,
            "test": test,
            "url": url,
            "qr": qr_data_uri(url),
            "code": grouped(test.code),
            "code_page": request.build_absolute_uri(reverse("test_code")),
            "attempts": attempts,
            "key_visible": test.key_is_visible(),
            "objective_names": [
                str(dict(Objective.choices).get(o, o)) for o in test.objectives or []
            ],
        },
    )


@login_required
@require_POST
def test_toggle(request: HttpRequest, pk: int, test_pk: int) -> HttpResponse:
    user = _user(request)
    test = _test(user, pk, test_pk)
    is_open = request.POST.get("open") == "1"
    actions.do_set_test_open(test, actor=user, is_open=is_open, request=request)
    messages.success(request, _("The test is open.") if is_open else _("The test is closed."))
    return redirect("training:test", pk=pk, test_pk=test_pk)


@login_required
@require_POST
def test_key_release(request: HttpRequest, pk: int, test_pk: int) -> HttpResponse:
    """Show the participants the right answers of a pre-test (hidden until then)."""
    user = _user(request)
    test = _test(user, pk, test_pk)
    actions.do_release_test_key(test, actor=user, request=request)
    messages.success(request, _("The participants now see the right answers of this test."))
    return redirect("training:test", pk=pk, test_pk=test_pk)


@login_required
@require_POST
def test_anonymous(request: HttpRequest, pk: int, test_pk: int) -> HttpResponse:
    """Personal codes or anonymous participation, while nobody has started the test."""
    user = _user(request)
    test = _test(user, pk, test_pk)
    anonymous = request.POST.get("anonymous") == "1"
    try:
        actions.do_set_test_anonymous(test, actor=user, anonymous=anonymous, request=request)
    except actions.TrainingError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            _("Participants take this test anonymously.")
            if anonymous
            else _("Participants take this test with their personal code."),
        )
    return redirect("training:test", pk=pk, test_pk=test_pk)
