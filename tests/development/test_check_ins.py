"""Check-ins: cadence, carry-forward of open action items, the live agenda, who may edit."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from saleshelm.core.errors import ApplicationError, PermissionDenied
from saleshelm.crm.models import StageKind
from saleshelm.development.models import ActionItem, CheckIn, CheckInStatus
from saleshelm.development.providers import (
    AgendaItem,
    AgendaSource,
    register_agenda_source,
    unregister,
)
from saleshelm.development.selectors import action_items_of, check_in_agenda
from saleshelm.development.services import (
    action_item_add,
    action_item_set_status,
    check_in_cadence_set,
    check_in_complete,
    check_in_schedule,
    check_in_update,
    check_ins_plan_due,
    development_goal_add,
    development_plan_create,
)
from tests.crm.factories import OpportunityFactory, default_pipeline

TODAY = timezone.localdate()


@pytest.mark.django_db
def test_open_action_items_are_carried_into_each_next_check_in(world):
    # Given a fortnightly cadence between Mai and the rep, and two items agreed in the first
    check_in_cadence_set(actor=world.manager, member=world.rep, every_days=14, next_on=TODAY)
    first = CheckIn.objects.get(member=world.rep, status=CheckInStatus.PLANNED)
    proposal = action_item_add(actor=world.rep, check_in=first, text="Send the Acme proposal")
    cfo = action_item_add(
        actor=world.manager, check_in=first, text="Book the CFO meeting", owner=world.manager
    )

    # When Mai marks it done, the next one is planned two weeks on and both items move into it
    _, second = check_in_complete(actor=world.manager, check_in=first)
    assert second.scheduled_for == TODAY + dt.timedelta(days=14)
    raised, carried = action_items_of(check_in=second)
    assert raised == [] and {i.pk for i in carried} == {proposal.pk, cfo.pk}

    # When one is done and the second check-in completes, only the open one moves again
    action_item_set_status(actor=world.rep, item=proposal, status="done")
    _, third = check_in_complete(actor=world.manager, check_in=second)
    _, carried = action_items_of(check_in=third)
    assert [i.pk for i in carried] == [cfo.pk]
    cfo.refresh_from_db()
    assert cfo.carry_count == 2 and cfo.carried_to == third
    # and the done one stays where it was, done
    proposal.refresh_from_db()
    assert proposal.status == "done" and proposal.carried_to == second


@pytest.mark.django_db
def test_a_check_in_planned_by_hand_picks_up_open_items_of_the_last_one(world):
    first = check_in_schedule(actor=world.manager, member=world.rep, scheduled_for=TODAY)
    item = action_item_add(actor=world.rep, check_in=first, text="Update the forecast")
    check_in_complete(actor=world.manager, check_in=first)

    second = check_in_schedule(
        actor=world.manager, member=world.rep, scheduled_for=TODAY + dt.timedelta(days=7)
    )

    assert [i.pk for i in action_items_of(check_in=second)[1]] == [item.pk]
    # items of another pair are not carried
    other = check_in_schedule(actor=world.manager, member=world.peer, scheduled_for=TODAY)
    assert action_items_of(check_in=other) == ([], [])


@pytest.mark.django_db
def test_the_daily_job_plans_due_cadences_once(world):
    check_in_cadence_set(actor=world.manager, member=world.rep, every_days=7, next_on=TODAY)
    CheckIn.objects.all().delete()

    assert check_ins_plan_due(organisation_id=world.org.pk, today=TODAY) == 1
    assert check_ins_plan_due(organisation_id=world.org.pk, today=TODAY) == 0
    assert CheckIn.objects.filter(member=world.rep, status=CheckInStatus.PLANNED).count() == 1


@pytest.mark.django_db
def test_only_coaches_of_the_member_plan_and_complete_check_ins(world):
    with pytest.raises(PermissionDenied):
        check_in_schedule(actor=world.other_manager, member=world.rep, scheduled_for=TODAY)
    with pytest.raises(PermissionDenied):
        check_in_schedule(actor=world.rep, member=world.peer, scheduled_for=TODAY)
    check_in = check_in_schedule(actor=world.manager, member=world.rep, scheduled_for=TODAY)
    with pytest.raises(PermissionDenied):
        check_in_complete(actor=world.rep, check_in=check_in)
    # the member writes in the shared notes; a peer may not
    check_in_update(actor=world.rep, check_in=check_in, notes="My topics: pricing.")
    with pytest.raises(PermissionDenied):
        check_in_update(actor=world.peer, check_in=check_in, notes="x")
    with pytest.raises(ApplicationError):
        action_item_add(actor=world.rep, check_in=check_in, text="x", owner=world.peer)


@pytest.mark.django_db
def test_the_agenda_is_built_from_live_data(world):
    # Given the rep's stalled deal, a deal without next step, a goal and a commitments source
    pipeline = default_pipeline(world.org)
    open_stage = pipeline.stages.filter(kind=StageKind.OPEN).first()
    stalled = OpportunityFactory(
        owner=world.rep, name="Stuck with procurement", stage=open_stage,
        stage_entered_at=timezone.now() - dt.timedelta(days=40), next_step="Call",
        next_step_date=TODAY + dt.timedelta(days=2),
    )  # fmt: skip
    OpportunityFactory(owner=world.rep, name="No plan deal", stage=open_stage, next_step="")
    OpportunityFactory(owner=world.peer, name="Peer's deal", stage=open_stage, next_step="")
    plan = development_plan_create(actor=world.rep, member=world.rep, title="Close better")
    development_goal_add(actor=world.rep, plan=plan, title="Run a mutual close plan")
    register_agenda_source(
        AgendaSource(
            key="tests.commitments",
            title="Commitments",
            items=lambda *, actor, member, today: [
                AgendaItem(title=f"Ten calls a day ({member.user.email})", due=today, overdue=True)
            ],
        )
    )
    try:
        check_in = check_in_schedule(actor=world.manager, member=world.rep, scheduled_for=TODAY)
        agenda = {
            s.key: s for s in check_in_agenda(actor=world.manager, check_in=check_in, today=TODAY)
        }
    finally:
        unregister("tests.commitments")

    assert [e.title for e in agenda["stalled"].entries] == [stalled.name]
    assert [e.title for e in agenda["no_next_step"].entries] == ["No plan deal"]
    assert [e.title for e in agenda["goals"].entries] == ["Run a mutual close plan"]
    assert agenda["tests.commitments"].entries[0].overdue
    assert "rep@acme.test" in agenda["tests.commitments"].entries[0].title
    assert "results" in agenda  # the performance app is installed: results and pacing


@pytest.mark.django_db
def test_check_in_pages_prepare_and_record_with_htmx(world, web_client):
    check_in = check_in_schedule(actor=world.manager, member=world.rep, scheduled_for=TODAY)
    client = web_client(world.manager)

    page = client.get(f"/development/check-ins/{check_in.pk}/")
    assert page.status_code == 200
    assert b"Agenda from live data" in page.content

    added = client.post(
        f"/development/check-ins/{check_in.pk}/action-items/",
        {"text": "Prepare the QBR deck", "owner": str(world.rep.pk)},
        headers={"HX-Request": "true", "HX-Target": "action-items"},
    )
    assert added.status_code == 200 and b"Prepare the QBR deck" in added.content
    item = ActionItem.objects.get(text="Prepare the QBR deck")
    done = client.post(
        f"/development/action-items/{item.pk}/status/",
        {"status": "done", "check_in": check_in.pk},
        headers={"HX-Request": "true"},
    )
    assert done.status_code == 200 and b"Reopen" in done.content
    notes = client.post(
        f"/development/check-ins/{check_in.pk}/notes/",
        {"notes": "Good progress"},
        headers={"HX-Request": "true"},
    )
    assert notes.status_code == 200 and b"Notes saved" in notes.content
    agenda = client.get(
        f"/development/check-ins/{check_in.pk}/",
        headers={"HX-Request": "true", "HX-Target": "agenda"},
    )
    assert agenda.status_code == 200 and b"<html" not in agenda.content


@pytest.mark.django_db
def test_a_failing_agenda_source_leaves_the_rest_of_the_agenda(world):
    def broken(*, actor, member, today):
        raise RuntimeError("down")

    register_agenda_source(AgendaSource(key="tests.broken", title="Broken", items=broken))
    try:
        check_in = check_in_schedule(actor=world.manager, member=world.rep, scheduled_for=TODAY)
        agenda = {
            s.key: s for s in check_in_agenda(actor=world.manager, check_in=check_in, today=TODAY)
        }
    finally:
        unregister("tests.broken")

    assert not agenda["tests.broken"].available
    assert "stalled" in agenda and "goals" in agenda
