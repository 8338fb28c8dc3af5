"""Certificates, for a seminar's trainers: issuing them to those who qualify, revoking one, and
the PDF (also served to the participant, by ``public.me_certificate``)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from tanu.accounts.access import current_user as _user
from tanu.audit.actions import record, record_read
from tanu.audit.models import Action, ObjectType
from tanu.training import access, actions, eligibility
from tanu.training.certificates import LANGUAGES, render_certificate
from tanu.training.models import Certificate
from tanu.training.views.participants import seminar_participant


@login_required
@require_POST
def certificates_issue(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    seminar = access.get_seminar_for_user(user, pk)
    issued = actions.do_issue_certificates(seminar, actor=user, request=request)
    standings = actions.standings(seminar)
    record_read(
        ObjectType.SEMINAR_PARTICIPANTS,
        seminar.pk,
        actor=user,
        fields=["full_name"],
        request=request,
    )
    return render(
        request,
        "training/certificates_issued.html",
        {
            "seminar": seminar,
            "issued": len(issued),
            "holders": sum(
                1
                for s in standings
                if getattr(s.participant, "certificate", None) is not None
                and s.participant.certificate.revoked_at is None
            ),
            "refusals": eligibility.refusals(seminar, standings),
        },
    )


@login_required
@require_POST
def certificate_revoke(request: HttpRequest, pk: int, participant_pk: int) -> HttpResponse:
    user = _user(request)
    participant = seminar_participant(pk, user, participant_pk)
    certificate = Certificate.objects.filter(participant=participant).first()
    if certificate is None:
        raise Http404
    actions.do_revoke_certificate(certificate, actor=user, request=request)
    messages.success(request, _("The certificate is revoked."))
    return redirect("training:seminar", pk=pk)


def certificate_response(certificate: Certificate, lang: str) -> HttpResponse:
    standing = next(
        s
        for s in actions.standings(certificate.participant.seminar)
        if s.participant.pk == certificate.participant_id
    )
    pdf = render_certificate(certificate, standing, lang)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="certificate-{certificate.code}-{lang}.pdf"'
    )
    return response


@login_required
@require_GET
def certificate_pdf(request: HttpRequest, pk: int, participant_pk: int, lang: str) -> HttpResponse:
    user = _user(request)
    participant = seminar_participant(pk, user, participant_pk)
    certificate = (
        Certificate.objects.filter(participant=participant)
        .select_related("participant__seminar", "participant__agency")
        .first()
    )
    if certificate is None or lang not in LANGUAGES:
        raise Http404
    record(
        Action.EXPORT,
        actor=user,
        object_type=ObjectType.TRAINING_CERTIFICATE,
        object_id=certificate.pk,
        request=request,
    )
    return certificate_response(certificate, lang)
