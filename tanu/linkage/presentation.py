"""How strong a likely match is, in words: the only measure a reader of another agency's match
is given (never the probability's source, the other person or agency)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext

#: A match at least this probable is called strong; below it, likely.
STRONG = 0.99


def strength(probability: float) -> str:
    return "strong" if probability >= STRONG else "likely"


def strength_label(probability: float) -> str:
    if strength(probability) == "strong":
        return pgettext("match strength", "strong")
    return pgettext("match strength", "likely")


AGREEMENT_LABELS = {
    "name": _("name"),
    "names": _("name"),
    "family_name": _("family name"),
    "given_name": _("given name"),
    "patronymic": _("patronymic"),
    "date_of_birth": _("date of birth"),
    "age": _("age"),
    "estimated_age": _("estimated age"),
    "sex": _("sex"),
    "citizenship": _("citizenship"),
    "region": _("region"),
    "document": _("identity document"),
    "document_number": _("identity document"),
    "documents": _("identity document"),
}


def agreement_labels(agreements: object) -> list[str]:
    """The fields that agreed, in the reader's language (a name not known here stays)."""
    if not isinstance(agreements, list):
        return []
    return [str(AGREEMENT_LABELS.get(str(name), str(name))) for name in agreements]
