"""Statistics count linked persons once: the dashboard's "distinct persons", apart from
screenings and cases, counts each person at their first case. Records merged within an agency
and strong matches across agencies are one person; a likely match, a pair still to review or
one found to be two persons are not. The figure is published like every other one."""

from __future__ import annotations

import pytest

from tanu.accounts.tests.personas import Personas
from tanu.cases.models import Case
from tanu.cases.tests.helpers import open_case
from tanu.linkage import actions
from tanu.linkage.models import MatchPair
from tanu.linkage.tests.helpers import held_elsewhere, pair_of, two_cases_of_one_agency
from tanu.reports import queries
from tanu.reports.filters import Filters
from tanu.reports.tests.helpers import signed_in

pytestmark = pytest.mark.django_db


def persons(filters: Filters | None = None) -> int:
    return queries.distinct_persons(filters or Filters()).n


def cases() -> int:
    return Case.objects.count()


def test_two_merged_records_are_one_person_and_two_again_after_an_unmerge(
    personas: Personas,
) -> None:
    older, newer = two_cases_of_one_agency(personas.screener, personas.colleague)
    open_case(personas.screener)
    pair = pair_of(older, newer)
    assert (cases(), persons()) == (3, 3)  # a pair still to review is not a decision

    merge = actions.do_merge_persons(pair, actor=personas.screener, reason="same person")
    assert (cases(), persons()) == (3, 2)

    actions.do_unmerge_persons(merge, actor=personas.screener, reason="two sisters")
    assert persons() == 3


def test_a_strong_match_across_agencies_is_one_person_and_a_likely_one_is_not(
    personas: Personas,
) -> None:
    ours = open_case(personas.screener)
    theirs = held_elsewhere(personas.outsider)
    pair = pair_of(ours, theirs, probability=0.995)
    assert persons() == 1
    # Counted once, where first met: the region of the later case no longer counts the person.
    first, later = sorted((ours, theirs), key=lambda case: (case.created_at, case.pk))
    assert persons(Filters(region_id=first.region_id)) == 1
    assert persons(Filters(region_id=later.region_id)) == 0

    MatchPair.objects.filter(pk=pair.pk).update(match_probability=0.95)
    assert persons() == 2
    MatchPair.objects.filter(pk=pair.pk).update(
        match_probability=0.999, status=MatchPair.Status.DIFFERENT
    )
    assert persons() == 2


def test_three_records_of_one_person_count_once(personas: Personas) -> None:
    first, second = two_cases_of_one_agency(personas.screener, personas.colleague)
    third = open_case(personas.colleague)
    actions.do_merge_persons(pair_of(first, second), actor=personas.screener, reason="same person")
    actions.do_merge_persons(pair_of(first, third), actor=personas.screener, reason="same person")
    assert (cases(), persons()) == (3, 1)


def test_the_dashboard_publishes_distinct_persons_beside_cases_protected(
    personas: Personas, settings
) -> None:  # type: ignore[no-untyped-def]
    settings.TANU_STATS_THRESHOLD = 5
    older, newer = two_cases_of_one_agency(personas.screener, personas.colleague)
    actions.do_merge_persons(pair_of(older, newer), actor=personas.screener, reason="same person")
    client = signed_in(personas.analyst)

    funnel = client.get("/api/v1/stats/funnel/").json()["table"]
    page = client.get("/reports/").content.decode()

    rows = {row["key"]: row["values"]["count"] for row in funnel["rows"]}
    assert rows["persons"] == "<5" and rows["cases"] == "<5"  # 1 and 2: never shown raw
    assert [row["key"] for row in funnel["rows"]].index("persons") == 3  # after the cases
    assert "distinct persons (linked records counted once)" in page
