"""Pay pages: a rep reads their statement (every line, the credit lines behind it, the
clawbacks and adjustments, the total); finance writes a plan in the form with its tiers and
sees the payout curve; the "this deal would earn you X" fragment on an opportunity."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from saleshelm.incentives.charts import curve, payout_at
from saleshelm.incentives.models import Plan, PlanVersion
from saleshelm.incentives.plans import engine_plan
from tests.crm.factories import OpportunityFactory
from tests.incentives.factories import D, component, import_plan, order, run, statement

pytestmark = pytest.mark.django_db

AE = {
    "measure": "quarter",
    "pay": "month",
    "components": [
        component(
            name="New revenue",
            tiers_on="attainment",
            quota="100000",
            tiers=[
                {"from": "0", "rate": "0"},
                {"from": "0.5", "rate": "0.10"},
                {"from": "1.0", "rate": "0.15"},
            ],
        )
    ],
}


# --- the statement page ---------------------------------------------------------------------


def _statement_with_a_clawback(world):
    import_plan(world.org, [world.rep], clawback_days=90)
    order(
        world.rep,
        "2026-06-10",
        {"amount": 500, "sku": "SW-9", "status": "cancelled", "status_date": "2026-07-03"},
        external_id="SO-CLAW",
    )
    run(world.org, "2026-06")
    order(world.rep, "2026-07-05", {"amount": 1000, "sku": "XS-400"}, external_id="SO-7001")
    order(
        world.rep,
        "2026-07-09",
        {"amount": 600, "splits": [(world.rep, "0.5"), (world.peer, "0.5")]},
        external_id="SO-7002",
    )
    run(world.org, "2026-07")
    return statement(world.rep, "2026-07")


def test_a_rep_reads_every_line_credit_and_clawback_of_their_statement(world, web_client):
    s = _statement_with_a_clawback(world)
    # 1,000 + 300 credited at 4% = 52; the June line cancelled in July claws back 20
    assert s.total == D("32.00")
    body = web_client(world.rep).get(reverse("motivation:statement", args=[s.pk])).content.decode()
    for text in ("SO-7001", "SO-7002", "SO-CLAW", "XS-400", "300.00", "52.00", "-$20.00", "32.00"):
        assert text in body, text
    assert "Clawbacks and adjustments" in body and "Credit lines" in body
    assert "pay.css" in body  # print styles


def test_statements_follow_the_team_tree_and_a_viewer_sees_no_pay(world, web_client):
    s = _statement_with_a_clawback(world)
    url = reverse("motivation:statement", args=[s.pk])
    assert web_client(world.manager).get(url).status_code == 200
    assert web_client(world.finance).get(url).status_code == 200
    assert web_client(world.peer).get(url).status_code == 404
    assert web_client(world.other_rep).get(url).status_code == 404
    assert web_client(world.other_org_admin).get(url).status_code == 404
    assert web_client(world.viewer).get(url).status_code == 403
    listing = web_client(world.rep).get(reverse("motivation:pay") + "?period=2026-07")
    assert listing.status_code == 200 and b"2026-07" in listing.content
    peer_listing = web_client(world.peer).get(reverse("motivation:pay") + "?period=2026-07")
    assert world.rep.name.encode() not in peer_listing.content


def test_the_statement_page_reads_a_fixed_number_of_queries(
    world, web_client, django_assert_max_num_queries
):
    s = _statement_with_a_clawback(world)
    client = web_client(world.rep)
    url = reverse("motivation:statement", args=[s.pk])
    client.get(url)
    with django_assert_max_num_queries(14):
        assert client.get(url).status_code == 200


# --- the plan form --------------------------------------------------------------------------


def _form(world, **changes):
    data = {
        "name": "AE 2026",
        "currency": "USD",
        "measure": "quarter",
        "pay": "month",
        "effective_from": "2026-01-01",
        "clawback_days": "90",
        "members": [str(world.rep.pk), str(world.peer.pk)],
        "component": "New revenue",
        "basis": "revenue",
        "tiers_on": "attainment",
        "quota_kind": "target",
        "mode": "marginal",
        "applies_to": "period",
        "tier-0-from": "0",
        "tier-0-rate": "0",
        "tier-1-from": "0.5",
        "tier-1-rate": "0.10",
        "tier-2-from": "1.0",
        "tier-2-rate": "0.15",
    }
    data.update(changes)
    return data


def test_finance_writes_a_plan_with_its_tiers_in_the_form(world, web_client):
    client = web_client(world.finance)
    assert client.get(reverse("motivation:plan_create")).status_code == 200
    r = client.post(reverse("motivation:plan_create"), _form(world, cap="50000"))
    assert r.status_code == 302
    version = PlanVersion.objects.get(plan__name="AE 2026")
    assert version.definition["components"][0]["tiers"] == [
        {"from": "0", "rate": "0"},
        {"from": "0.5", "rate": "0.10"},
        {"from": "1.0", "rate": "0.15"},
    ]
    assert version.definition["components"][0]["cap"] == "50000"
    assert set(version.assignments.values_list("member_id", flat=True)) == {
        world.rep.pk,
        world.peer.pk,
    }
    # the edit page shows the curve and the plan in words, and saving adds version 2
    page = client.get(reverse("motivation:plan_edit", args=[version.plan_id])).content.decode()
    assert "<svg" in page and "payout-curve" in page and "10%" in page
    r = client.post(
        reverse("motivation:plan_edit", args=[version.plan_id]),
        _form(world, **{"tier-2-rate": "0.2", "effective_from": "2026-07-01"}),
    )
    assert r.status_code == 302
    assert PlanVersion.objects.filter(plan=version.plan).count() == 2


def test_tiers_must_ascend_and_not_be_negative_and_nothing_is_saved(world, web_client):
    client = web_client(world.finance)
    r = client.post(reverse("motivation:plan_create"), _form(world, **{"tier-2-from": "0.4"}))
    assert r.status_code == 200 and b"tiers must ascend" in r.content
    assert b"Check the tiers" in r.content
    r = client.post(reverse("motivation:plan_create"), _form(world, **{"tier-1-rate": "-0.1"}))
    assert r.status_code == 200 and b"must not be negative" in r.content
    r = client.post(reverse("motivation:plan_create"), _form(world, **{"tier-1-rate": "ten"}))
    assert r.status_code == 200 and b"enter a number" in r.content
    assert not Plan.objects.filter(name="AE 2026").exists()


def test_the_preview_redraws_the_curve_without_saving(world, web_client):
    client = web_client(world.admin)
    r = client.post(
        reverse("motivation:plan_create"),
        {**_form(world), "preview": "1"},
        HTTP_HX_REQUEST="true",
        HTTP_HX_TARGET="plan-preview",
    )
    assert r.status_code == 200
    body = r.content.decode()
    assert body.lstrip().startswith('<section class="card" id="plan-preview"')
    assert "<svg" in body and "<script" not in body
    assert not Plan.objects.exists()


def test_only_finance_and_admins_write_plans(world, web_client):
    version = import_plan(world.org, [world.rep])
    for member in (world.rep, world.manager, world.director):
        assert web_client(member).get(reverse("motivation:plan_create")).status_code == 403
        r = web_client(member).post(reverse("motivation:plan_edit", args=[version.plan_id]))
        assert r.status_code == 403
    assert PlanVersion.objects.count() == 1


def test_the_curve_is_what_the_engine_pays():
    plan = engine_plan(
        {
            "name": "AE",
            "currency": "USD",
            "measure": "quarter",
            "pay": "quarter",
            "effective_from": "2026-01-01",
            "components": AE["components"],
        }
    )
    comp = plan.components[0]
    quota = D(100000)
    # SPEC §7 worked example: 120,000 credited, marginal: 0 + 5,000 + 3,000
    assert payout_at(comp, D(120000), quota) == D("8000")
    c = curve(comp)
    assert c.points[0] == (D(0), D(0))
    assert all(b[1] >= a[1] for a, b in zip(c.points, c.points[1:], strict=False))


# --- the deal-time fragment -----------------------------------------------------------------


def test_a_deal_shows_what_it_would_earn_the_rep(world, web_client):
    today = dt.date.today()
    import_plan(world.org, [world.rep], effective_from=f"{today.year - 1}-01-01", **AE)
    order(world.rep, today, {"amount": 40000})
    deal = OpportunityFactory(owner=world.rep, amount=D(30000), close_date=today)
    r = web_client(world.rep).get(reverse("motivation:deal_earnings", args=[deal.pk]))
    assert r.status_code == 200
    body = r.content.decode()
    # 70,000 of 100,000: the 20,000 above half the quota at 10 %
    assert "$2,000.00" in body and "40%" in body and "70%" in body
    assert "This deal would earn you" in body
    # the manager sees it for the rep; another rep does not see the deal; a viewer no pay
    url = reverse("motivation:deal_earnings", args=[deal.pk])
    seen = web_client(world.manager).get(url).content.decode()
    assert f"This deal would earn {world.rep.name} about" in seen and "$2,000.00" in seen
    assert web_client(world.other_rep).get(url).status_code == 404
    assert web_client(world.viewer).get(url).status_code == 403


def test_a_deal_of_a_member_without_a_plan_says_so(world, web_client):
    deal = OpportunityFactory(owner=world.rep, amount=D(30000))
    r = web_client(world.rep).get(reverse("motivation:deal_earnings", args=[deal.pk]))
    assert r.status_code == 200 and b"no commission plan" in r.content


def test_amounts_in_the_plan_form_are_read_in_the_writer_s_language(world, web_client):
    client = web_client(world.finance)
    tiers = {
        "tiers_on": "amount",
        "tier-0-from": "0",
        "tier-0-rate": "0.04",
        "tier-1-from": "150,000",
        "tier-1-rate": "0.06",
        "tier-2-from": "250,000.5",
        "tier-2-rate": "0.08",
        "cap": "1,000,000",
    }
    r = client.post(reverse("motivation:plan_create"), _form(world, **tiers))
    assert r.status_code == 302
    component = PlanVersion.objects.get(plan__name="AE 2026").definition["components"][0]
    assert [t["from"] for t in component["tiers"]] == ["0", "150000", "250000.5"]
    assert component["cap"] == "1000000"
    # the same plan typed in Vietnamese: "." groups, "," marks decimals
    vi = {
        **tiers,
        "tier-1-from": "150.000",
        "tier-2-from": "250.000,5",
        "tier-0-rate": "0,04",
        "cap": "1.000.000",
    }
    r = client.post(
        reverse("motivation:plan_create"),
        _form(world, name="AE 2026 vi", **vi),
        HTTP_ACCEPT_LANGUAGE="vi",
    )
    assert r.status_code == 302
    component = PlanVersion.objects.get(plan__name="AE 2026 vi").definition["components"][0]
    assert [t["from"] for t in component["tiers"]] == ["0", "150000", "250000.5"]
    assert component["tiers"][0]["rate"] == "0.04" and component["cap"] == "1000000"
