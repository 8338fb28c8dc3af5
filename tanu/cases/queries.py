"""Searching persons through blind indexes, and the case timeline."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, QuerySet

from tanu.accounts.models import User
from tanu.cases.models import Case, PersonIndex
from tanu.lib import crypto
from tanu.lib.translit import name_tokens


def search_cases(cases: QuerySet[Case], *, name: str = "", document: str = "") -> QuerySet[Case]:
    """Cases whose person matches every name token and the document number, if given."""
    wanted: list[tuple[str, str]] = [
        (PersonIndex.Kind.NAME, crypto.blind_index(token, kind="name"))
        for token in name_tokens(name)
    ]
    if document.strip():
        wanted.append((PersonIndex.Kind.DOCUMENT, crypto.blind_index(document, kind="document")))
    if not wanted:
        return cases.none()
    digests = {digest for _kind, digest in wanted}
    person_ids = (
        PersonIndex.objects.filter(digest__in=digests)
        .values("person_id")
        .annotate(hits=Count("digest", distinct=True))
        .filter(hits__gte=len(digests))
        .values("person_id")
    )
    return cases.filter(person_id__in=person_ids)


@dataclass
class TimelineItem:
    at: datetime
    kind: str
    title: str
    agency: str
    url: str = ""


def timeline(case: Case, user: User) -> list[TimelineItem]:
    """Everything that happened on a case, each agency seeing only its own notes."""
    items = [
        TimelineItem(s.created_at, "screening", s.reference, s.agency.name)
        for s in case.screenings.select_related("agency")
    ]
    items += [
        TimelineItem(c.recorded_at, "consent", c.get_purpose_display(), "")
        for c in case.consents.all()
    ]
    items += [
        TimelineItem(n.created_at, "note", "", n.agency.name)
        for n in case.notes.select_related("agency").filter(agency_id=user.agency_id or 0)
    ]
    from tanu.cases.extensions import TIMELINE_SOURCES

    for source in TIMELINE_SOURCES:
        items += source(case, user)
    return sorted(items, key=lambda item: item.at)
