"""Printable referral slips for outside providers: only the shared fields, in a chosen language,
with every value in words (tanu.referrals.sharing.labelled_text) and dates in that language's
form; the referring official signs it."""

from __future__ import annotations

from django.utils import timezone, translation
from django.utils.translation import gettext as _

from tanu.cases.presentation import local_date
from tanu.lib import pdf
from tanu.referrals.forms import FIELD_LABELS
from tanu.referrals.models import Referral, Service
from tanu.referrals.sharing import labelled_text, shared_view

# Printed where the slip has no value, for the official to fill in by hand.
BLANK = "_" * 28


def official_name(referral: Referral) -> str:
    user = referral.created_by
    return user.get_full_name().strip() or user.get_username()


def work_phone(referral: Referral) -> str:
    """Officials and agencies keep no phone number in tanu; the service directory may list one
    for the sending agency (its own entry). Otherwise the official writes it by hand."""
    listed = (
        Service.objects.filter(agency_id=referral.from_agency_id, is_active=True)
        .exclude(phone="")
        .values_list("phone", flat=True)
        .first()
    )
    return listed or BLANK


def referral_slip(referral: Referral, language: str) -> bytes:
    with translation.override(language):
        shared = labelled_text(shared_view(referral))
        rows = [(str(FIELD_LABELS.get(key, key)), value) for key, value in shared.items()]
        service = referral.service
        official = official_name(referral)
        return pdf.render(
            _("Referral slip"),
            [
                pdf.Section(
                    _("Referred to"),
                    rows=[
                        (_("service"), service.name),
                        (_("address"), service.address or "—"),
                        (_("phone"), service.phone or "—"),
                    ],
                ),
                pdf.Section(
                    _("Referral"),
                    rows=[
                        (_("referred by"), referral.from_agency.name),
                        (_("referring official"), official),
                        (_("work phone"), work_phone(referral)),
                        (_("date"), local_date(timezone.localdate(referral.created_at))),
                        (_("purpose"), referral.purpose),
                        (_("urgency"), str(Referral.Urgency(referral.urgency).label)),
                        (_("answer due by"), local_date(referral.due_date)),
                    ],
                ),
                pdf.Section(_("Information shared with the person's consent"), rows=rows),
                pdf.Section(
                    _("Signature"),
                    rows=[
                        (_("referring official"), official),
                        (_("signature"), BLANK),
                        (_("date"), BLANK),
                    ],
                ),
            ],
            subtitle=_("Referral no. %(number)s") % {"number": referral.pk},
            footer=_(
                "Confidential. Use only for the purpose of this referral; do not copy or pass on."
            ),
        )
