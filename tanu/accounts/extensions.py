"""Where the floors above accounts plug into it (accounts sits below them and cannot import
them). An app above registers here, in its ``AppConfig.ready``:

- an inbox: a function ``(user, kind, message, url)`` that puts a message, already in the
  official's language and without personal data, into their inbox (referrals keep the inbox).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tanu.accounts.models import User

#: Functions that put a message into an official's inbox.
INBOXES: list[Callable[[User, str, str, str], None]] = []


def to_inbox(user: User, kind: str, message: str, url: str = "/") -> None:
    """Give the message to every registered inbox (none: email only)."""
    for inbox in INBOXES:
        inbox(user, kind, message, url)
