"""The direction API end to end: goals with key results and roll-up, mission and values,
segments with reclassification, and the refusals."""

import datetime as dt

from saleshelm.crm.models import StageKind
from saleshelm.direction.models import AccountSegmentFit
from saleshelm.tenancy.models import AuditEntry
from tests.direction.factories import GoalFactory, account, deal, link


def test_director_builds_goals_with_key_results_and_reads_roll_up(world, api_client):
    client = api_client(world.director)
    # when a director builds an organisation goal with a Sales goal below it
    root = client.post(
        "/api/v1/goals",
        {"title": "Lead SMB retail", "level": "organisation", "period": "2026"},
        content_type="application/json",
    )
    assert root.status_code == 201, root.content
    child = client.post(
        "/api/v1/goals",
        {
            "title": "Open 40 stores",
            "level": "sales",
            "period": "2026",
            "parent_id": root.json()["id"],
            "weight": "2",
        },
        content_type="application/json",
    )
    assert child.status_code == 201, child.content
    kr = client.post(
        f"/api/v1/goals/{child.json()['id']}/key-results",
        {"name": "Stores opened", "start_value": "0", "target_value": "40", "unit": "stores"},
        content_type="application/json",
    )
    assert kr.status_code == 201, kr.content
    check_in = client.post(
        f"/api/v1/key-results/{kr.json()['id']}/check-ins",
        {"value": "10", "note": "Hanoi done", "date": "2026-03-01"},
        content_type="application/json",
    )
    assert check_in.status_code == 201, check_in.content
    # then the roll-up shows in both goals
    got = client.get(f"/api/v1/goals/{root.json()['id']}").json()
    assert got["progress"] == "0.2500" and got["child_ids"] == [child.json()["id"]]
    listed = client.get("/api/v1/goals?level=sales").json()
    assert listed["count"] == 1
    assert listed["items"][0]["key_results"][0]["current_value"] == "10.0000"
    assert listed["items"][0]["key_results"][0]["progress"] == "0.2500"
    # and every write is audited
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"goal.create", "key_result.create", "key_result.check_in"} <= actions


def test_goal_rules_answer_400_with_a_code(world, api_client):
    client = api_client(world.director)
    r = client.post(
        "/api/v1/goals",
        {"title": "Mine", "level": "member", "period": "2026"},
        content_type="application/json",
    )
    assert r.status_code == 400 and r.json()["field"] == "owner"
    bad_period = client.post(
        "/api/v1/goals",
        {"title": "x", "level": "organisation", "period": "2026-Q9"},
        content_type="application/json",
    )
    assert bad_period.status_code == 400 and bad_period.json()["code"] == "invalid_period"
    team_goal = GoalFactory(owner=world.director, level="team", team=world.rep.profile.team)
    upward = client.post(
        "/api/v1/goals",
        {
            "title": "Org under team",
            "level": "organisation",
            "period": "2026",
            "parent_id": team_goal.pk,
        },
        content_type="application/json",
    )
    assert upward.status_code == 400 and upward.json()["code"] == "invalid_parent"


def test_a_goal_of_another_organisation_is_not_found(world, api_client):
    theirs = GoalFactory(owner=world.other_org_admin)
    for path in (f"/api/v1/goals/{theirs.pk}", f"/api/v1/goals/{theirs.pk}/contribution"):
        r = api_client(world.admin).get(path)
        assert r.status_code == 404 and r.json()["code"] == "not_found"


def test_mission_and_values(world, api_client):
    director, rep = api_client(world.director), api_client(world.rep)
    assert rep.get("/api/v1/mission").json() == {"statement": "", "culture": ""}
    r = director.put(
        "/api/v1/mission",
        {"statement": "Every shop sells more", "culture": "We say what we do."},
        content_type="application/json",
    )
    assert r.status_code == 200
    assert rep.get("/api/v1/mission").json()["statement"] == "Every shop sells more"
    v = director.post(
        "/api/v1/values",
        {
            "name": "Customer first",
            "behaviours": ["Calls back the same day", " ", "Calls back the same day"],
        },
        content_type="application/json",
    )
    assert v.status_code == 201 and v.json()["behaviours"] == ["Calls back the same day"]
    assert rep.get("/api/v1/values").json()["count"] == 1
    assert rep.delete(f"/api/v1/values/{v.json()['id']}").status_code == 403
    assert director.delete(f"/api/v1/values/{v.json()['id']}").status_code == 204
    assert rep.get("/api/v1/values").json()["count"] == 0


def test_segments_reclassify_through_the_api(world, api_client):
    director = api_client(world.director)
    shop = account(world.org, industry="Retail", employees=50)
    r = director.post(
        "/api/v1/segments",
        {"name": "Small retail", "industries": ["Retail"], "employees_max": 100},
        content_type="application/json",
    )
    assert r.status_code == 201, r.content
    assert r.json()["grade"] == "A" and r.json()["accounts"] == 1
    assert AccountSegmentFit.objects.get(account=shop).grade == "A"
    # a rule change moves the account out
    patched = director.patch(
        f"/api/v1/segments/{r.json()['id']}",
        {"employees_max": 10},
        content_type="application/json",
    )
    assert patched.status_code == 200 and patched.json()["accounts"] == 0
    assert AccountSegmentFit.objects.get(account=shop).grade == ""
    # an unknown custom field is a 422 from the schema
    bad = director.post(
        "/api/v1/segments",
        {"name": "Bad", "custom": [{"key": "password", "value": "x"}]},
        content_type="application/json",
    )
    assert bad.status_code == 422
    again = director.post("/api/v1/segments/reclassify").json()
    assert again == {"accounts": 1, "accounts_changed": 0, "leads": 0, "leads_changed": 0}
    report = director.get("/api/v1/segments/report?period=2026-Q3").json()
    assert [row["segment"] for row in report["rows"]][-1] is None


def test_line_of_sight_api(world, api_client):
    GoalFactory(owner=world.rep, level="member", period=str(dt.date.today().year), title="Mine")
    r = api_client(world.rep).get(f"/api/v1/line-of-sight/{world.rep.pk}")
    assert r.status_code == 200, r.content
    assert [s["why"] for s in r.json()["served"]] == ["own"]
    assert api_client(world.rep).get(f"/api/v1/line-of-sight/{world.peer.pk}").status_code == 404


def test_amounts_in_the_contribution_and_alignment_answers_are_rounded_to_cents(world, api_client):
    # given two won deals whose amounts carry four decimals, serving a goal of this year
    today = dt.date.today()
    goal = GoalFactory(owner=world.director, level="sales", period=str(today.year), title="Grow")
    for who, amount in ((world.rep, "1000.3333"), (world.peer, "2000.3333")):
        link(goal, deal(who, amount, kind=StageKind.WON, close_date=today))
    director = api_client(world.director)
    # when the director reads the goal's contribution and the alignment report
    c = director.get(f"/api/v1/goals/{goal.pk}/contribution").json()
    a = director.get(f"/api/v1/goal-alignment?period={today.year}").json()
    # then every amount is a decimal string in cents, rounded half-up
    assert c["total"] == "3000.67"
    assert sorted(m["amount"] for m in c["members"]) == ["1000.33", "2000.33"]
    assert a["aligned"]["revenue"] == "3000.67"
    assert a["overall"]["revenue"] == "3000.67"
