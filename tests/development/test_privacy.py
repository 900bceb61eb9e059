"""Private coaching text: seen by its author and its subject only — not by the subject's
manager, not by an admin; never in logs, audit rows, other people's exports or other roles'
pages (SPEC §2, §11.9)."""

from __future__ import annotations

import logging

import pytest

from saleshelm.development.models import Feedback
from saleshelm.development.selectors import member_development_export
from saleshelm.development.services import check_in_schedule, feedback_give
from saleshelm.tenancy.models import AuditEntry

SECRET = "Struggled with pricing objections; practise the value story before Friday."
SHARED = "Excellent discovery questions with the CFO."


@pytest.fixture
def notes(world):
    """The peer writes a private note to the rep; the other rep a shared one."""
    private = feedback_give(
        actor=world.peer, subject=world.rep, kind="improvement", body=SECRET, visibility="private"
    )
    shared = feedback_give(
        actor=world.other_rep, subject=world.rep, kind="praise", body=SHARED, visibility="shared"
    )
    return private, shared


@pytest.mark.django_db
def test_private_feedback_reaches_author_and_subject_through_the_api(world, notes, api_client):
    private, _ = notes
    for member in (world.rep, world.peer):
        client = api_client(member)
        assert client.get(f"/api/v1/feedback/{private.pk}").json()["body"] == SECRET
        listed = client.get("/api/v1/feedback").json()
        assert SECRET in [item["body"] for item in listed["items"]]


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["manager", "admin", "director", "finance", "viewer"])
def test_private_feedback_is_invisible_to_every_other_role_in_the_api(
    world, notes, api_client, role
):
    private, _shared = notes
    client = api_client(world.by_role(role))

    detail = client.get(f"/api/v1/feedback/{private.pk}")
    listed = (
        client.get("/api/v1/feedback").content
        + client.get(f"/api/v1/feedback?subject_id={world.rep.pk}").content
    )

    assert detail.status_code == 404
    assert SECRET.encode() not in detail.content + listed
    if role == "manager":  # Mai manages the rep's team: she sees the shared note only
        assert SHARED.encode() in listed
    else:
        assert SHARED.encode() not in listed


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["manager", "admin", "director"])
def test_private_feedback_is_invisible_on_every_page_of_other_roles(world, notes, web_client, role):
    private, _ = notes
    client = web_client(world.by_role(role))
    check_in = check_in_schedule(
        actor=world.manager, member=world.rep, scheduled_for=private.created_at.date()
    )
    pages = [
        "/development/",
        "/development/team/" if role != "rep" else "/development/",
        "/development/feedback/?tab=about_team",
        "/development/feedback/?tab=received",
        f"/development/check-ins/{check_in.pk}/",
        "/development/overview/",
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code in (200, 403), url
        assert SECRET.encode() not in response.content, url
    assert client.get(f"/development/feedback/{private.pk}/").status_code == 404


@pytest.mark.django_db
def test_the_subject_reads_private_feedback_on_their_pages(world, notes, web_client):
    private, _ = notes
    client = web_client(world.rep)

    assert SECRET.encode() in client.get("/development/").content
    page = client.get(f"/development/feedback/{private.pk}/")
    assert page.status_code == 200 and SECRET.encode() in page.content


@pytest.mark.django_db
def test_coaching_text_never_reaches_logs_or_audit_rows(world, api_client, web_client, caplog):
    caplog.set_level(logging.DEBUG)
    # through the API, including a refused read and a validation error
    rep_api = api_client(world.rep)
    created = rep_api.post(
        "/api/v1/feedback",
        data={"subject_id": world.peer.pk, "kind": "improvement", "body": SECRET,
              "visibility": "private"},
        content_type="application/json",
    )  # fmt: skip
    assert created.status_code == 201
    feedback_id = created.json()["id"]
    too_long = rep_api.post(
        "/api/v1/feedback",
        data={"subject_id": world.peer.pk, "kind": "praise", "body": SECRET * 200},
        content_type="application/json",
    )
    assert too_long.status_code == 422
    assert api_client(world.admin).get(f"/api/v1/feedback/{feedback_id}").status_code == 404
    # through the pages
    page = web_client(world.manager).post(
        "/development/feedback/give/",
        {"subject": world.rep.pk, "kind": "improvement", "body": SECRET, "visibility": "private"},
    )
    assert page.status_code == 302
    web_client(world.admin).get(f"/development/feedback/{feedback_id}/")
    web_client(world.peer).get("/development/")

    assert Feedback.objects.filter(body=SECRET).count() == 2
    assert SECRET not in caplog.text
    assert "pricing objections" not in caplog.text
    for entry in AuditEntry.objects.filter(action__startswith="feedback"):
        assert SECRET not in str(entry.after) + str(entry.before)


@pytest.mark.django_db
def test_exports_of_other_people_leave_private_feedback_out(world, notes):
    # the admin exporting the rep's data gets neither note (the admin manages nobody)
    by_admin = member_development_export(actor=world.admin, member=world.rep)
    assert SECRET not in str(by_admin) and SHARED not in str(by_admin)
    # the rep's manager gets the shared note only
    by_manager = member_development_export(actor=world.manager, member=world.rep)
    assert SHARED in str(by_manager) and SECRET not in str(by_manager)
    # the rep's own export has both
    own = member_development_export(actor=world.rep, member=world.rep)
    assert SECRET in str(own) and SHARED in str(own)


@pytest.mark.django_db
def test_the_check_in_agenda_shows_the_manager_shared_feedback_but_not_private(world, notes):
    from django.utils import timezone

    from saleshelm.development.selectors import check_in_agenda

    check_in = check_in_schedule(
        actor=world.manager, member=world.rep, scheduled_for=timezone.localdate()
    )
    agenda = check_in_agenda(actor=world.manager, check_in=check_in, today=timezone.localdate())
    feedback = next(s for s in agenda if s.key == "feedback")

    assert [e.data["feedback"].body for e in feedback.entries] == [SHARED]
