"""What linkage plugs into the floors below it (tanu.cases.extensions, registered by the app's
``ready``): the case page's links (a merge, a pair to review, a possible match elsewhere), the
kept case's timeline with the merged case's history, retention that treats merged cases
together, and anonymising that clears linkage's free text about a case."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta
from typing import Any

from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tanu.accounts.models import User
from tanu.audit.models import ObjectType
from tanu.cases import queries
from tanu.cases.models import Case
from tanu.cases.queries import TimelineItem
from tanu.cases.retention import retention_days
from tanu.lib import crypto
from tanu.linkage import access
from tanu.linkage.models import ContactRequest, MatchPair, PersonMerge
from tanu.linkage.presentation import strength_label


def case_links(case: Case, user: User) -> Iterable[tuple[str, str]]:
    """Links for a reader of the whole case file (cases.access decided that already), from one
    query: a merge with another case of the agency, a duplicate to review, and each likely
    match held elsewhere (its region and strength only)."""
    pairs = (
        MatchPair.objects.filter(Q(person_a_id=case.person_id) | Q(person_b_id=case.person_id))
        .filter(status__in=(MatchPair.Status.OPEN, MatchPair.Status.MERGED))
        .select_related("region_a", "region_b", "person_a__case", "person_b__case")
        .order_by("-match_probability", "pk")
    )
    links: list[tuple[str, str]] = []
    matches = reverse("linkage:case_matches", args=[case.pk])
    for pair in pairs:
        mine_is_a = pair.person_a_id == case.person_id
        if pair.across_agencies:
            # As access.hits_for_case: no hit once either record was anonymised.
            anonymised = pair.person_a.anonymised_at or pair.person_b.anonymised_at
            if pair.status == MatchPair.Status.OPEN and anonymised is None:
                region = pair.region_b if mine_is_a else pair.region_a
                strength = strength_label(pair.match_probability)
                label = _("A possible match exists elsewhere: %(region)s, %(strength)s")
                links.append((label % {"region": region.name, "strength": strength}, matches))
            continue
        if not access.reviews(user, pair):
            continue
        other = (pair.person_b if mine_is_a else pair.person_a).case
        url = reverse("linkage:pair", args=[pair.pk])
        if pair.status == MatchPair.Status.OPEN:
            links.append((_("A possible duplicate in your agency: compare"), url))
        elif (other.created_at, other.pk) < (case.created_at, case.pk):  # the first is kept
            links.append(
                (_("This case was merged into case %(number)s") % {"number": other.number}, url)
            )
        else:
            links.append(
                (_("Case %(number)s was merged into this case") % {"number": other.number}, url)
            )
    return links


def timeline_items(case: Case, user: User) -> list[TimelineItem]:
    """The kept case's timeline holds the merge and the history of each case merged into it
    (one level deep per merge; both cases belong to the reader's view of one agency)."""
    items: list[TimelineItem] = []
    merges = PersonMerge.objects.filter(kept_case=case).select_related("merged_case__agency")
    for merge in merges:
        merged = merge.merged_case
        url = reverse("linkage:merge", args=[merge.pk])
        items.append(TimelineItem(merge.at, _("merge"), merged.number, merged.agency.name, url))
        if merge.undone_at is not None:
            items.append(TimelineItem(merge.undone_at, _("merge undone"), merged.number, "", url))
            continue
        for item in queries.timeline(merged, user):
            items.append(
                TimelineItem(
                    item.at, item.kind, f"{merged.number}: {item.title}", item.agency, item.url
                )
            )
    return items


def cases_held_with_their_merge() -> QuerySet[Any]:
    """Retention treats a merged pair together: a case of an active merge is kept while the
    other case of the merge is not yet due (still open, or closed within the period)."""
    cutoff = timezone.now() - timedelta(days=retention_days("closed_case"))
    due = Q(status=Case.Status.CLOSED, closed_at__lt=cutoff) | Q(anonymised_at__isnull=False)
    not_due = Case.objects.exclude(due).values("pk")
    active = PersonMerge.objects.filter(undone_at=None)
    return Case.objects.filter(
        Q(pk__in=active.filter(merged_case__in=not_due).values("kept_case_id"))
        | Q(pk__in=active.filter(kept_case__in=not_due).values("merged_case_id"))
    ).values("pk")


def clear_free_text(case: Case) -> dict[ObjectType, list[Any]]:
    """An anonymised case keeps its merges and contact requests as facts (ids, dates), but
    their reasons are free text that could name the person: cleared."""
    merges = PersonMerge.objects.filter(Q(kept_case=case) | Q(merged_case=case))
    merge_ids = list(merges.values_list("pk", flat=True))
    merges.update(**crypto.blank_values(PersonMerge))
    contacts = ContactRequest.objects.filter(Q(case=case) | Q(holding_case=case))
    contact_ids = list(contacts.values_list("pk", flat=True))
    contacts.update(**crypto.blank_values(ContactRequest))
    return {ObjectType.PERSON_MERGE: merge_ids, ObjectType.CONTACT_REQUEST: contact_ids}
