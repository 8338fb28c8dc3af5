"""Where the floors above cases plug into it.

Cases sits below referrals and cannot import them. An app above registers here, in its
``AppConfig.ready``, what the case needs of it: the timeline items it adds to a case, and the
services a consent to share may name. Each list holds functions; with none registered, the case
shows and offers nothing of that kind.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import partial
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import QuerySet

if TYPE_CHECKING:
    from tanu.accounts.models import User
    from tanu.cases.models import Case
    from tanu.cases.queries import TimelineItem

#: Functions ``(case, user) -> timeline items`` (referrals add their events and services given).
TIMELINE_SOURCES: list[Callable[[Case, User], Iterable[TimelineItem]]] = []

#: At most one function ``case -> services`` that a consent to share may name (referrals: the
#: same filter as the referral form and the API).
SHARING_SERVICES: list[Callable[[Case], QuerySet[Any]]] = []

#: Functions ``(case, user) -> (label, url)`` pairs: links the case page shows to what floors above
#: keep about the case (proceedings: "Criminal proceedings (N)" to those who may read them).
CASE_LINKS: list[Callable[[Case, User], Iterable[tuple[str, str]]]] = []


def case_links(case: Case, user: User) -> list[tuple[str, str]]:
    """The links of every registered app for this case and reader."""
    return [link for source in CASE_LINKS for link in source(case, user)]


#: Functions ``() -> queryset of case ids`` that retention must keep for now, whatever their
#: age (proceedings: a case whose criminal proceedings are not closed).
RETENTION_HOLDS: list[Callable[[], QuerySet[Any]]] = []


#: Functions ``person id -> None`` told that a person was created or their fields changed, once
#: the change is committed (linkage: compare the person with the others, in the background).
PERSON_CHANGED_HOOKS: list[Callable[[int], None]] = []


def person_changed(person_id: int) -> None:
    """Call every registered hook for this person after the current transaction commits."""
    for hook in PERSON_CHANGED_HOOKS:
        transaction.on_commit(partial(hook, person_id))


#: Called after a register import commits, with the ids of the persons it created (linkage
#: compares them with everyone).
PERSONS_IMPORTED_HOOKS: list[Callable[[list[int]], None]] = []


def persons_imported(person_ids: list[int]) -> None:
    """Call every registered hook for these new persons after the current transaction commits."""
    for hook in PERSONS_IMPORTED_HOOKS:
        transaction.on_commit(partial(hook, list(person_ids)))


def sharing_services(case: Case) -> QuerySet[Any]:
    """The services a consent to share may name for this case (none when no app offers any)."""
    if SHARING_SERVICES:
        return SHARING_SERVICES[0](case)
    from tanu.cases.models import Consent

    service_model: Any = Consent._meta.get_field("service").related_model
    return service_model._default_manager.none()
