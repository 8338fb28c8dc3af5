"""Follow-up actions: an owner and a due date, tracked to completion."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tanu.accounts.tests.personas import Personas
from tanu.audit.models import AuditEntry
from tanu.monitoring import actions
from tanu.monitoring.models import FollowUpAction
from tanu.monitoring.tests.helpers import day_after, recorded, signed_in, today

pytestmark = pytest.mark.django_db


def _action(personas: Personas, **extra: object) -> FollowUpAction:
    visit = recorded(personas)
    return actions.do_add_follow_up_action(
        visit,
        actor=personas.monitor,
        description=str(extra.get("description", "Ask for an interpreter")),
        owner=extra.get("owner", personas.screener),  # type: ignore[arg-type]
        due_on=day_after(5),
    )


def test_a_follow_up_action_goes_from_open_to_done_with_what_was_done(
    personas: Personas,
) -> None:
    follow_up = _action(personas)
    assert follow_up.status == "open" and follow_up.completed_at is None
    owner = signed_in("screener")
    mine = owner.get("/monitoring/actions/?mine=1").content.decode()
    assert "Ask for an interpreter" in mine and "Mark as done" in mine
    response = owner.post(
        f"/monitoring/actions/{follow_up.pk}/done/",
        {"outcome": "An interpreter now comes twice a week.", "next": "actions"},
    )
    assert response.status_code == 302 and response["Location"] == "/monitoring/actions/"
    follow_up.refresh_from_db()
    assert follow_up.status == "done"
    assert follow_up.outcome == "An interpreter now comes twice a week."
    assert follow_up.completed_by == personas.screener and follow_up.completed_at is not None
    assert "Ask for an interpreter" not in owner.get("/monitoring/actions/").content.decode()
    done = owner.get("/monitoring/actions/?status=done").content.decode()
    assert "An interpreter now comes twice a week." in done
    assert AuditEntry.objects.filter(
        object_type="follow_up_action", object_id=str(follow_up.pk), action="update"
    ).exists()


def test_an_action_is_done_only_once(personas: Personas) -> None:
    follow_up = _action(personas)
    actions.do_complete_follow_up_action(follow_up, actor=personas.monitor, outcome="Done.")
    response = signed_in("monitor").post(
        f"/monitoring/actions/{follow_up.pk}/done/", {"outcome": "Again"}, follow=True
    )
    assert "This action is already done." in response.content.decode()
    follow_up.refresh_from_db()
    assert follow_up.outcome == "Done."


def test_closing_needs_to_say_what_was_done(personas: Personas) -> None:
    follow_up = _action(personas)
    response = signed_in("screener").post(
        f"/monitoring/actions/{follow_up.pk}/done/", {"outcome": "  "}, follow=True
    )
    assert "Say what was done." in response.content.decode()
    follow_up.refresh_from_db()
    assert follow_up.status == "open"


def test_only_the_owner_or_the_planners_close_an_action(personas: Personas) -> None:
    follow_up = _action(personas, owner=personas.coordinator)
    # A screener of the region sees it, but it is not theirs to close.
    page = signed_in("colleague").get("/monitoring/actions/").content.decode()
    assert "Ask for an interpreter" in page and "Mark as done" not in page
    response = signed_in("colleague").post(
        f"/monitoring/actions/{follow_up.pk}/done/", {"outcome": "x"}
    )
    assert response.status_code == 404
    follow_up.refresh_from_db()
    assert follow_up.status == "open"
    signed_in("monitor").post(f"/monitoring/actions/{follow_up.pk}/done/", {"outcome": "Sent."})
    follow_up.refresh_from_db()
    assert follow_up.status == "done"


def test_an_open_action_past_its_due_date_is_marked_overdue(personas: Personas) -> None:
    follow_up = _action(personas)
    FollowUpAction.objects.filter(pk=follow_up.pk).update(due_on=today() - timedelta(days=1))
    page = signed_in("monitor").get("/monitoring/actions/").content.decode()
    assert '<strong class="error">overdue</strong>' in page
    overview = signed_in("monitor").get("/monitoring/overview/").content.decode()
    assert "1 overdue" in overview


def test_the_owner_must_belong_to_the_visits_region(personas: Personas) -> None:
    visit = recorded(personas)
    response = signed_in("monitor").post(
        f"/monitoring/visits/{visit.pk}/actions/",
        {
            "description": "Call Aktau",
            "owner": personas.outsider.pk,
            "due_on": day_after(3).isoformat(),
        },
        follow=True,
    )
    assert "Select a valid choice" in response.content.decode()
    with pytest.raises(actions.MonitoringError):
        actions.do_add_follow_up_action(
            visit,
            actor=personas.monitor,
            description="Call Aktau",
            owner=personas.outsider,
            due_on=day_after(3),
        )
    assert not FollowUpAction.objects.exists()


def test_a_due_date_in_the_past_is_refused(personas: Personas) -> None:
    visit = recorded(personas)
    response = signed_in("monitor").post(
        f"/monitoring/visits/{visit.pk}/actions/",
        {
            "description": "Too late",
            "owner": personas.monitor.pk,
            "due_on": (today() - timedelta(days=1)).isoformat(),
        },
        follow=True,
    )
    assert "The due date cannot be in the past." in response.content.decode()
    assert not FollowUpAction.objects.exists()
