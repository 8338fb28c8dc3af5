"""A seminar's participants, for its trainers: adding and editing them, and the printable slips
with each one's personal code."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from tanu.accounts.access import current_user as _user
from tanu.accounts.models import User
from tanu.audit.actions import record
from tanu.audit.models import Action, ObjectType
from tanu.training import access, actions, forms
from tanu.training.codes import grouped
from tanu.training.models import Participant
from tanu.training.views.common import posted, qr_data_uri


@login_required
@require_http_methods(["GET", "POST"])
def participant_new(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    seminar = access.get_seminar_for_user(user, pk)
    form = forms.ParticipantForm(posted(request), region=seminar.region)
    if request.method == "POST" and form.is_valid():
        actions.do_add_participant(
            seminar, actor=user, data=form.participant_data(), request=request
        )
        messages.success(request, _("The participant is added."))
        if request.POST.get("another") == "1":
            return redirect("training:participant_new", pk=seminar.pk)
        return redirect("training:seminar", pk=seminar.pk)
    return render(
        request,
        "training/participant_form.html",
        {"form": form, "seminar": seminar, "participant": None},
        status=400 if form.errors else 200,
    )


def seminar_participant(seminar_pk: int, user: User, participant_pk: int) -> Participant:
    seminar = access.get_seminar_for_user(user, seminar_pk)
    participant = (
        Participant.objects.select_related("seminar", "agency", "user")
        .filter(seminar=seminar, pk=participant_pk)
        .first()
    )
    if participant is None:
        raise Http404
    return participant


@login_required
@require_http_methods(["GET", "POST"])
def participant_edit(request: HttpRequest, pk: int, participant_pk: int) -> HttpResponse:
    user = _user(request)
    participant = seminar_participant(pk, user, participant_pk)
    seminar = participant.seminar
    form = forms.ParticipantForm(
        posted(request),
        region=seminar.region,
        initial=forms.ParticipantForm.initial_for(participant),
    )
    if request.method == "POST" and form.is_valid():
        actions.do_update_participant(
            participant, actor=user, data=form.participant_data(), request=request
        )
        messages.success(request, _("Saved."))
        return redirect("training:seminar", pk=seminar.pk)
    return render(
        request,
        "training/participant_form.html",
        {"form": form, "seminar": seminar, "participant": participant},
        status=400 if form.errors else 200,
    )


@login_required
@require_GET
def slips(request: HttpRequest, pk: int) -> HttpResponse:
    """Printable slips: each participant's personal code and a QR code to their own page."""
    user = _user(request)
    seminar = access.get_seminar_for_user(user, pk)
    people = []
    for participant in seminar.participants.order_by("pk"):
        url = request.build_absolute_uri(
            reverse("training:participant_link", args=[participant.code])
        )
        people.append(
            {
                "participant": participant,
                "code": grouped(participant.code),
                "url": url,
                "qr": qr_data_uri(url),
            }
        )
    record(
        Action.EXPORT,
        actor=user,
        object_type=ObjectType.SEMINAR_PARTICIPANTS,
        object_id=seminar.pk,
        fields=["full_name", "code"],
        request=request,
    )
    return render(request, "training/slips.html", {"seminar": seminar, "people": people})
