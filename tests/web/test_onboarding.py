"""Get started (/start/): the first-run checklist for admins and directors, each step done or
not from the organisation's real data; everyone else gets 403."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from saleshelm.direction.services.mission import mission_save, value_create
from saleshelm.direction.services.vision import vision_save
from saleshelm.tenancy.services import audit_record, organisation_create
from saleshelm.web.onboarding import onboarding_steps, steps_remaining
from tests.authz.framework import fingerprint
from tests.crm.factories import OpportunityFactory
from tests.direction.factories import GoalFactory
from tests.incentives.factories import import_plan
from tests.performance.factories import TargetFactory

START = "/start/"
pytestmark = pytest.mark.django_db


def _done(actor) -> dict[str, bool]:
    return {step.key: step.done for step in onboarding_steps(actor=actor)}


def _page_done(client) -> dict[str, str]:
    html = client.get(START).content.decode()
    return dict(re.findall(r'data-step="(\w+)" data-done="(\w+)"', html))


def test_a_new_organisation_has_every_step_to_do(web_client):
    _org, admin, _pw = organisation_create(
        slug="new", name="New Co", currency="USD", admin_email="boss@new.test"
    )
    r = web_client(admin).get(START)
    assert r.status_code == 200
    html = r.content.decode()
    assert "0 of 6 steps done" in html
    assert _page_done(web_client(admin)) == {
        "team": "false",
        "deals": "false",
        "targets": "false",
        "direction": "false",
        "plan": "false",
        "invite": "false",
    }
    # what to do next: the upload page with the kind chosen, and the template
    assert 'href="/imports/new/?kind=members"' in html
    assert 'href="/imports/templates/members.csv"' in html
    assert 'href="/imports/new/?kind=opportunities"' in html
    assert 'href="/imports/new/?kind=targets"' in html
    assert 'href="/motivation/pay/plans/new/"' in html
    assert 'href="/people/invitations/"' in html
    assert "Next: Import your team" in html
    # the home page reminds the admin while steps remain
    # (fetched by htmx after the page, so the home page costs no query for it)
    home = web_client(admin).get("/").content.decode()
    assert 'hx-get="/start/?part=reminder"' in home
    card = web_client(admin).get("/start/?part=reminder").content.decode()
    assert 'href="/start/"' in card and "6 steps of the first-run checklist remain" in card


def test_steps_follow_the_data(world, web_client):
    org = world.org
    # The world has members, none of them signed in or invited yet.
    assert _done(world.director) == {
        "team": True,
        "deals": False,
        "targets": False,
        "direction": False,
        "plan": False,
        "invite": False,
    }
    OpportunityFactory(owner=world.rep)
    TargetFactory(member=world.rep)
    vision_save(actor=world.director, statement="The first choice of every shop in Vietnam")
    GoalFactory(owner=world.director)
    mission_save(actor=world.director, statement="Make selling simple")
    steps = {s.key: s for s in onboarding_steps(actor=world.director)}
    # three of the four parts of direction: not done until the values are there
    assert not steps["direction"].done and steps["direction"].status == "3 of 4 in place"
    value_create(actor=world.director, name="Customer first")
    import_plan(org, [world.rep])
    done = _done(world.director)
    assert done == {**done, "deals": True, "targets": True, "direction": True, "plan": True}
    assert done["invite"] is False
    assert steps_remaining(actor=world.director) == 1
    # Everyone who never signed in has been invited: the last step is done.
    for m in org.memberships.filter(user__last_login__isnull=True):
        audit_record(actor=world.admin, action="member.invite", obj=m)
    assert all(_done(world.admin).values())
    assert steps_remaining(actor=world.admin) == 0
    page = web_client(world.admin).get(START).content.decode()
    assert "6 of 6 steps done" in page and "Everything is in place." in page
    card = web_client(world.admin).get("/start/?part=reminder").content.decode()
    assert 'href="/start/"' not in card and "first-run checklist" not in card


def test_counts_are_of_the_own_organisation_only(world, web_client):
    OpportunityFactory(owner=world.other_org_rep)
    TargetFactory(member=world.other_org_rep)
    page = web_client(world.director).get(START).content.decode()
    assert "0 deals" in page and "0 targets" in page
    assert _page_done(web_client(world.director))["deals"] == "false"


@pytest.mark.parametrize("role", ["manager", "rep", "finance", "viewer"])
def test_other_roles_get_403_and_no_reminder(world, web_client, role):
    member = getattr(world, role)
    before = fingerprint()
    assert web_client(member).get(START).status_code == 403
    assert fingerprint() == before
    assert steps_remaining(actor=member) is None
    assert "part=reminder" not in web_client(member).get("/").content.decode()
    assert web_client(member).get(START + "?part=reminder").status_code == 403
    assert 'href="/start/"' not in web_client(member).get("/").content.decode()


def test_anonymous_goes_to_sign_in(client):
    r = client.get(START)
    assert r.status_code == 302 and r["Location"].startswith("/login/")


def test_upload_page_takes_its_kind_from_the_address(world, web_client):
    html = web_client(world.admin).get("/imports/new/?kind=targets").content.decode()
    assert re.search(r'<option value="targets" selected>', html)
    # an unknown kind preselects nothing and does not fail
    html = web_client(world.admin).get("/imports/new/?kind=nope").content.decode()
    assert "selected>" not in html.split('name="kind"')[1].split("</select>")[0]


def test_a_director_is_not_sent_to_a_plan_form_they_may_not_use(world, web_client):
    html = web_client(world.director).get(START).content.decode()
    assert 'href="/motivation/pay/plans/new/"' not in html
    assert "Admins and finance write commission plans" in html
    assert (
        'href="/motivation/pay/plans/new/"' in web_client(world.admin).get(START).content.decode()
    )


def test_in_vietnamese(world, web_client, settings):
    html = web_client(world.admin).get(START, HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    assert "Bắt đầu" in html and "Nhập đội ngũ của bạn" in html
    assert "Đã xong 1 / 6 bước" in html
    settings.SIGNUP_OPEN = True
    signup = Client().get("/signup/", HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    assert "Khởi tạo tổ chức của bạn" in signup and "Tiền tệ báo cáo" in signup
