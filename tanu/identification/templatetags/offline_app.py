"""Template helpers of the installable app: base.html registers its service worker for a
screener; a screening done offline shows what the phone found."""

from __future__ import annotations

from django import template

from tanu.accounts.models import User
from tanu.identification import offline
from tanu.identification.access import can_screen
from tanu.identification.models import Screening

register = template.Library()


@register.filter
def screens_offline(user: object) -> bool:
    """Whether the signed-in user screens, so that the offline screening page is kept for them."""
    return isinstance(user, User) and user.is_authenticated and can_screen(user)


@register.filter
def offline_differences(screening: Screening) -> list[str]:
    """What the phone found differently from the server's assessment, in words."""
    return [str(offline.DIFFERENCE_LABELS[key]) for key in offline.differences(screening)]
