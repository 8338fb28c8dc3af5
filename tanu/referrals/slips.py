"""Printable referral slips for outside providers: only the shared fields, in a chosen language."""

from __future__ import annotations

from django.utils import translation
from django.utils.translation import gettext as _

from tanu.lib import pdf
from tanu.referrals.forms import FIELD_LABELS
from tanu.referrals.models import Referral
from tanu.referrals.sharing import shared_view


def _text(value: object) -> str:
    if isinstance(value, list):
        return "; ".join(
            " ".join(str(v) for v in item.values()) if isinstance(item, dict) else str(item)
            for item in value
        )
    return str(value or "—")


def referral_slip(referral: Referral, language: str) -> bytes:
    with translation.override(language):
        shared = shared_view(referral)
        rows = [(str(FIELD_LABELS.get(key, key)), _text(value)) for key, value in shared.items()]
        service = referral.service
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
                        (_("date"), referral.created_at.date().isoformat()),
                        (_("purpose"), referral.purpose),
                        (_("urgency"), str(Referral.Urgency(referral.urgency).label)),
                        (_("answer due by"), referral.due_date.isoformat()),
                    ],
                ),
                pdf.Section(_("Information shared with the person's consent"), rows=rows),
            ],
            footer=_(
                "Confidential. Use only for the purpose of this referral; do not copy or pass on."
            ),
        )
