"""What referrals add to the floors below them, registered by the app's ``ready``: the case's
timeline and the services a consent may name (:mod:`tanu.cases.extensions`), and the inbox that
accounts tells officials through (:mod:`tanu.accounts.extensions`)."""

from __future__ import annotations

from datetime import UTC, datetime

from django.db.models import QuerySet

from tanu.accounts.models import User
from tanu.cases.models import Case
from tanu.cases.queries import TimelineItem
from tanu.referrals.models import ReferralEvent, Service, ServiceRecord


def timeline_items(case: Case, user: User) -> list[TimelineItem]:
    """The case's referral events and the services given, for its timeline."""
    items = [
        TimelineItem(
            e.at,
            "referral",
            f"#{e.referral_id} {e.referral.service.name}: {e.get_status_display()}",
            e.agency.name,
            f"/referrals/{e.referral_id}/",
        )
        for e in ReferralEvent.objects.filter(referral__case=case).select_related(
            "agency", "referral__service"
        )
    ]
    items += [
        TimelineItem(
            datetime.combine(s.given_on, datetime.min.time(), tzinfo=UTC),
            "service",
            s.get_kind_display(),
            s.agency.name,
        )
        for s in ServiceRecord.objects.filter(referral__case=case).select_related("agency")
    ]
    return items


def sharing_services(case: Case) -> QuerySet[Service]:
    """A consent to share may name only a service the case may be referred to."""
    from tanu.referrals.directory import services_for_case

    return services_for_case(case)


def register() -> None:
    from tanu.accounts import extensions as account_extensions
    from tanu.cases import extensions
    from tanu.referrals.actions import put_in_inbox

    if timeline_items not in extensions.TIMELINE_SOURCES:
        extensions.TIMELINE_SOURCES.append(timeline_items)
    if sharing_services not in extensions.SHARING_SERVICES:
        extensions.SHARING_SERVICES.append(sharing_services)
    if put_in_inbox not in account_extensions.INBOXES:
        account_extensions.INBOXES.append(put_in_inbox)
