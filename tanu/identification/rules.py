"""What a finalised screening leads to: the rules the floors above read (cases opens a case,
referrals offers child protection). Pure functions of the screening."""

from __future__ import annotations

from tanu.identification.models import Screening

#: Outcomes for which a case is opened.
OPENABLE_OUTCOMES = ("presumed_victim", "possible_victim")
#: Age groups treated as a child: protection first (CETS 197 Art. 10(3)).
CHILD_AGE_GROUPS = ("child", "unknown_maybe_child")


def may_open_case(screening: Screening) -> bool:
    """A case is opened for a presumed or possible victim, and for a child (or someone who may be
    one) whose interview stopped early, so that child protection can be referred to at once."""
    return screening.outcome in OPENABLE_OUTCOMES or (
        screening.outcome == "incomplete" and screening.age_group in CHILD_AGE_GROUPS
    )


def case_openable(screening: Screening) -> bool:
    """Whether a case may be opened from this screening now (it is final and its outcome opens
    one)."""
    return screening.status == Screening.Status.FINAL and may_open_case(screening)


def offers_child_protection(screening: Screening) -> bool:
    """A finalised incomplete screening of a child, or of someone who may be a child: the
    referral to child protection is offered at once (CETS 197 Art. 10(3))."""
    return (
        screening.status == Screening.Status.FINAL
        and screening.outcome == "incomplete"
        and screening.age_group in CHILD_AGE_GROUPS
    )


def suggests_services(screening: Screening) -> bool:
    """Services are suggested once a screening is final with any indication (or incomplete)."""
    return screening.status == Screening.Status.FINAL and screening.outcome != "no_indication"
