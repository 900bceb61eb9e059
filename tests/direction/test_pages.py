"""The direction pages render what the services and selectors compute, for the right people."""

import datetime as dt
import re

import pytest
from django.urls import reverse

from saleshelm.direction import services
from saleshelm.direction.models import GoalLevel, GoalLink, KeyResultCheckIn
from tests.direction.factories import GoalFactory, KeyResultFactory, account, deal


@pytest.fixture
def tree(world):
    year = str(dt.date.today().year)
    services.vision_save(actor=world.director, statement="The trusted partner of SMB retail")
    root = GoalFactory(owner=world.director, title="Lead SMB retail", period=year)
    sales = GoalFactory(parent=root, level=GoalLevel.SALES, title="Open 40 stores", period=year)
    kr = KeyResultFactory(goal=sales, name="Stores opened", start_value=0, target_value=40)
    mine = GoalFactory(
        parent=sales, level=GoalLevel.MEMBER, owner=world.rep, title="An: 12 stores", period=year
    )
    own_kr = KeyResultFactory(goal=mine, name="My stores", start_value=0, target_value=12)
    return {"root": root, "sales": sales, "kr": kr, "mine": mine, "own_kr": own_kr}


def test_vision_page_shows_the_tree_with_progress(world, web_client, tree):
    r = web_client(world.viewer).get(reverse("direction:vision"))
    assert r.status_code == 200
    html = r.content.decode()
    assert "The trusted partner of SMB retail" in html
    assert (
        html.index("Lead SMB retail") < html.index("Open 40 stores") < html.index("An: 12 stores")
    )
    assert 'href="/direction/goals/new/"' not in html  # only editors get the button


def test_goal_page_and_htmx_check_in_by_the_goal_owner(world, web_client, tree):
    client = web_client(world.rep)
    url = reverse("direction:goal", args=[tree["mine"].pk])
    page = client.get(url).content.decode()
    assert "My stores" in page and 'name="value"' in page  # the owner may check in
    r = client.post(
        reverse("direction:check_in", args=[tree["own_kr"].pk]),
        {"value": "3", "note": "Hai Phong opened"},
        headers={"HX-Request": "true", "HX-Target": "key-results"},
    )
    assert r.status_code == 200
    html = r.content.decode()
    assert 'id="key-results"' in html and "25%" in html
    assert 'id="goal-progress" aria-labelledby="progress-heading" hx-swap-oob="true"' in html
    assert KeyResultCheckIn.objects.get(key_result=tree["own_kr"]).author == world.rep
    # on the Sales goal the rep reads but may not check in
    sales_page = client.get(reverse("direction:goal", args=[tree["sales"].pk])).content.decode()
    assert "Stores opened" in sales_page and 'name="value"' not in sales_page


def test_line_of_sight_links_a_deal_to_a_goal(world, web_client, tree):
    open_deal = deal(world.rep, "1500", close_date=dt.date.today() + dt.timedelta(days=10))
    client = web_client(world.rep)
    page = client.get(reverse("direction:line_of_sight")).content.decode()
    for text in ("The trusted partner", "Lead SMB retail", "Open 40 stores", "An: 12 stores"):
        assert text in page
    assert open_deal.name in page
    r = client.post(
        reverse("direction:deal_goal", args=[open_deal.pk]),
        {"goal": tree["mine"].pk},
        headers={"HX-Request": "true"},
    )
    assert r.status_code == 200 and "Saved" in r.content.decode()
    assert GoalLink.objects.get(opportunity=open_deal).goal == tree["mine"]
    # unlinking
    client.post(reverse("direction:deal_goal", args=[open_deal.pk]), {"goal": ""})
    assert not GoalLink.objects.filter(opportunity=open_deal).exists()


def test_director_edits_through_forms(world, web_client):
    client = web_client(world.director)
    r = client.post(
        reverse("direction:goal_create"),
        {
            "title": "Grow",
            "level": "organisation",
            "period": "2026",
            "weight": "1",
            "status": "active",
        },
    )
    assert r.status_code == 302, r.content.decode()[:2000]
    r = client.post(
        reverse("direction:segment_create"),
        {"name": "Retail", "priority": "1", "is_active": "on", "industries": "Retail, Food"},
    )
    assert r.status_code == 302
    bad = client.post(
        reverse("direction:segment_create"),
        {"name": "Bad", "priority": "1", "custom": "no equals sign"},
    )
    assert bad.status_code == 200 and "key = value" in bad.content.decode()
    r = client.post(
        reverse("direction:value_create"),
        {"name": "Customer first", "behaviours": "Calls back the same day\nKeeps promises"},
    )
    assert r.status_code == 302
    mission = client.get(reverse("direction:mission")).content.decode()
    assert "Keeps promises" in mission


def test_report_pages_render(world, web_client, tree):
    account(world.org, industry="Retail")
    services.segment_create(actor=world.director, name="Retail", priority=1, industries=["Retail"])
    for name in ("direction:alignment", "direction:segments", "direction:strategy"):
        r = web_client(world.rep).get(reverse(name))
        assert r.status_code == 200, name
    seg = web_client(world.director).get(reverse("direction:segments")).content.decode()
    assert re.search(r"badge-grade-A", seg)


def test_a_rep_gets_403_on_editor_pages_by_direct_url(world, web_client, tree):
    client = web_client(world.rep)
    for url in (
        reverse("direction:goal_create"),
        reverse("direction:goal_edit", args=[tree["root"].pk]),
        reverse("direction:segment_create"),
        reverse("direction:mission_edit"),
    ):
        assert client.get(url).status_code == 403, url


@pytest.fixture
def targets(world):
    """Targets of this year: the rep's (the manager may set it) and the manager's own (only
    directors and admins may set it); and one of another organisation."""
    from tests.performance.factories import TargetFactory

    year = str(dt.date.today().year)
    return {
        "rep": TargetFactory(member=world.rep, period=year, value="120000"),
        "manager": TargetFactory(member=world.manager, period=year, value="300000"),
        "last_year": TargetFactory(member=world.rep, period=str(int(year) - 1)),
        "other_org": TargetFactory(member=world.other_org_rep, period=year),
    }


def test_director_links_and_unlinks_a_target_on_the_goal_page(world, web_client, tree, targets):
    client = web_client(world.director)
    goal_url = reverse("direction:goal", args=[tree["sales"].pk])
    page = client.get(goal_url).content.decode()
    link_url = reverse("direction:goal_target_link", args=[tree["sales"].pk])
    assert f'action="{link_url}"' in page
    options = re.findall(r'<option value="(\d+)">', page)
    # this year's targets the director may set; not last year's, not another organisation's
    assert {int(pk) for pk in options} == {targets["rep"].pk, targets["manager"].pk}
    assert "Revenue · Nguyễn Văn An · 120,000" in page

    # htmx: the card in place, the alignment figures out of band
    r = client.post(link_url, {"target": targets["rep"].pk}, headers={"HX-Request": "true"})
    assert r.status_code == 200
    html = r.content.decode()
    assert 'id="goal-targets"' in html and "The target now serves this goal." in html
    assert 'id="goal-aligned" aria-labelledby="aligned-heading" hx-swap-oob="true"' in html
    link = GoalLink.objects.get(target=targets["rep"])
    assert link.goal == tree["sales"] and link.linked_by == world.director
    assert f'<option value="{targets["rep"].pk}">' not in html  # linked: no longer offered
    unlink_url = reverse("direction:target_link_delete", args=[link.pk])
    assert f'action="{unlink_url}"' in html

    # the rep's line of sight says which goal their target serves
    sight = web_client(world.rep).get(reverse("direction:line_of_sight")).content.decode()
    assert "serves Open 40 stores" in sight

    # without JS: linking moves the target to another goal, back to the goal page
    r = client.post(
        reverse("direction:goal_target_link", args=[tree["mine"].pk]),
        {"target": targets["rep"].pk},
    )
    assert r.status_code == 302 and r["Location"] == reverse(
        "direction:goal", args=[tree["mine"].pk]
    )
    assert GoalLink.objects.get(target=targets["rep"]).goal == tree["mine"]

    # a target of another organisation, or none: a message, nothing linked
    r = client.post(link_url, {"target": targets["other_org"].pk}, headers={"HX-Request": "true"})
    assert r.status_code == 200 and "Choose a target of this goal" in r.content.decode()
    r = client.post(link_url, {"target": "x"})
    assert r.status_code == 302
    assert not GoalLink.objects.filter(target=targets["other_org"]).exists()

    # unlinking
    link = GoalLink.objects.get(target=targets["rep"])
    r = client.post(reverse("direction:target_link_delete", args=[link.pk]))
    assert r.status_code == 302 and r["Location"] == reverse(
        "direction:goal", args=[tree["mine"].pk]
    )
    assert not GoalLink.objects.filter(target=targets["rep"]).exists()


def test_a_manager_links_only_the_targets_they_may_set(world, web_client, tree, targets):
    client = web_client(world.manager)
    page = client.get(reverse("direction:goal", args=[tree["sales"].pk])).content.decode()
    options = {int(pk) for pk in re.findall(r'<option value="(\d+)">', page)}
    assert targets["rep"].pk in options
    assert targets["manager"].pk not in options  # a manager does not set their own target
    link_url = reverse("direction:goal_target_link", args=[tree["sales"].pk])
    r = client.post(link_url, {"target": targets["manager"].pk}, headers={"HX-Request": "true"})
    assert r.status_code == 200 and "Choose a target of this goal" in r.content.decode()
    assert not GoalLink.objects.filter(target=targets["manager"]).exists()
    # a link of a target the manager may not set: no unlink button, and 403 by URL
    mine = services.goal_link_target(
        actor=world.director, goal=tree["sales"], target=targets["manager"]
    )
    page = client.get(reverse("direction:goal", args=[tree["sales"].pk])).content.decode()
    assert reverse("direction:target_link_delete", args=[mine.pk]) not in page
    r = client.post(reverse("direction:target_link_delete", args=[mine.pk]))
    assert r.status_code == 403
    assert GoalLink.objects.filter(pk=mine.pk).exists()


def test_a_rep_may_not_link_targets(world, web_client, tree, targets):
    link = services.goal_link_target(
        actor=world.director, goal=tree["sales"], target=targets["rep"]
    )
    client = web_client(world.rep)
    page = client.get(reverse("direction:goal", args=[tree["sales"].pk])).content.decode()
    assert "Targets serving this goal" in page  # they read what serves the goal
    assert reverse("direction:goal_target_link", args=[tree["sales"].pk]) not in page
    assert reverse("direction:target_link_delete", args=[link.pk]) not in page
    r = client.post(
        reverse("direction:goal_target_link", args=[tree["mine"].pk]),
        {"target": targets["rep"].pk},
    )
    assert r.status_code == 403
    r = client.post(reverse("direction:target_link_delete", args=[link.pk]))
    assert r.status_code == 403
    assert GoalLink.objects.get(target=targets["rep"]).goal == tree["sales"]
    # without any link, a rep does not see the card at all
    services.goal_link_delete(actor=world.director, link=link)
    page = client.get(reverse("direction:goal", args=[tree["sales"].pk])).content.decode()
    assert "Targets serving this goal" not in page


def test_target_links_of_another_organisation_answer_404(world, web_client, tree, targets):
    theirs = GoalFactory(owner=world.other_org_admin, title="Their goal")
    their_link = GoalLink.objects.create(
        organisation=world.other_org, goal=theirs, target=targets["other_org"]
    )
    client = web_client(world.director)
    r = client.post(
        reverse("direction:goal_target_link", args=[theirs.pk]), {"target": targets["rep"].pk}
    )
    assert r.status_code == 404
    r = client.post(reverse("direction:target_link_delete", args=[their_link.pk]))
    assert r.status_code == 404
    assert GoalLink.objects.filter(pk=their_link.pk).exists()
    assert not GoalLink.objects.filter(target=targets["rep"]).exists()
    # a deal's link is not a target link: 404 there too
    deal_link = GoalLink.objects.create(
        organisation=world.org,
        goal=tree["sales"],
        opportunity=deal(world.rep, "100", close_date=dt.date.today()),
    )
    r = client.post(reverse("direction:target_link_delete", args=[deal_link.pk]))
    assert r.status_code == 404
    # only POST
    r = client.get(reverse("direction:goal_target_link", args=[tree["sales"].pk]))
    assert r.status_code == 405
