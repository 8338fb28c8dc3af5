"""The link the case page shows to the proceedings of the case (tanu.cases.extensions)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.urls import reverse
from django.utils.translation import gettext as _

from tanu.proceedings.access import visible_proceedings

if TYPE_CHECKING:
    from tanu.accounts.models import User
    from tanu.cases.models import Case


def proceedings_link(case: Case, user: User) -> Iterable[tuple[str, str]]:
    """The link "Criminal proceedings (N)" to those who may read them, when the case has any."""
    count = visible_proceedings(user).filter(case_id=case.pk).count()
    if not count:
        return []
    label = _("Criminal proceedings (%(count)s)") % {"count": count}
    return [(label, f"{reverse('proceedings:proceedings')}?case={case.pk}")]
