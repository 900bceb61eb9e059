"""Plans as JSON: validation with paths, canonical form, round trip, versions, audit (SPEC §7)."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from saleshelm.core.errors import ApplicationError, PermissionDenied
from saleshelm.incentives import services
from saleshelm.incentives.models import PlanAssignment
from saleshelm.incentives.plans import loads, parse_plan
from saleshelm.incentives.selectors.plans import plan_export
from saleshelm.tenancy.models import AuditEntry
from tests.incentives.factories import plan_data, system

SPEC_PLAN = """
{"name": "AE 2026", "currency": "USD", "measure": "quarter", "pay": "month",
 "effective_from": "2026-01-01", "clawback_days": 90,
 "members": ["rep@acme.test", "peer@acme.test"],
 "components": [
   {"name": "New revenue", "basis": "revenue",
    "filters": {"product_categories": ["Software"]},
    "tiers_on": "attainment", "quota": "target", "mode": "marginal",
    "applies_to": "period",
    "tiers": [{"from": "0", "rate": "0"}, {"from": "0.5", "rate": "0.10"},
              {"from": "1.0", "rate": "0.15"}],
    "cap": "50000", "bonuses": [{"at": "1.0", "amount": "1000"}]}],
 "spiffs": [{"name": "Scanner push", "skus": ["XS-400"], "min_quantity": 10,
             "from": "2026-07-01", "to": "2026-09-30", "amount": "250",
             "frequency": "every_time"}],
 "manager_override": {"rate": "0.02"},
 "draw": {"amount": "2000", "recoverable": true}}
"""


def _error(data) -> ApplicationError:
    with pytest.raises(ApplicationError) as exc:
        parse_plan(data)
    return exc.value


def _base(**overrides) -> dict:
    data = json.loads(SPEC_PLAN)
    data.update(overrides)
    return data


# --- Parsing --------------------------------------------------------------------------------------


def test_numbers_are_read_as_decimals_never_floats():
    data = loads('{"a": 0.1, "b": 100, "c": "0.10"}')
    assert data == {"a": Decimal("0.1"), "b": 100, "c": "0.10"}
    assert isinstance(data["a"], Decimal)


def test_numbers_may_be_strings_or_numbers_and_keep_their_text():
    data = _base()
    data["components"][0]["tiers"] = [
        {"from": 0, "rate": 0},
        {"from": Decimal("0.5"), "rate": Decimal("0.10")},
        {"from": "1.0", "rate": 0.15},  # a float from another JSON reader: read through str()
    ]
    parsed = parse_plan(data)
    assert parsed.definition["components"][0]["tiers"] == [
        {"from": "0", "rate": "0"},
        {"from": "0.5", "rate": "0.10"},
        {"from": "1.0", "rate": "0.15"},
    ]
    assert parsed.plan.components[0].tiers[2].rate == Decimal("0.15")


def test_tiers_must_ascend_and_the_error_names_the_path():
    data = _base()
    data["components"][0]["tiers"][2]["from"] = "0.4"
    err = _error(data)
    assert err.message == "components[0].tiers[2].from: tiers must ascend"
    assert err.field == "components[0].tiers[2].from"
    assert err.code == "invalid_plan"


def test_every_error_is_listed_with_its_path():
    data = _base(measure="week", clawback_days=-1)
    data["components"][0]["tiers"][1]["rate"] = "-0.1"
    data["components"][0]["quota"] = None
    data["spiffs"][0]["to"] = "2026-06-01"
    data["draw"]["amount"] = "0"
    fields = [e["field"] for e in _error(data).extra["errors"]]
    assert fields == [
        "measure",
        "clawback_days",
        "components[0].tiers[1].rate",
        "components[0].quota",
        "spiffs[0].to",
        "draw.amount",
    ]


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        (lambda d: d.update(pay="year"), "pay", "cannot be longer than measure"),
        (lambda d: d.update(currency="dollars"), "currency", "ISO 4217"),
        (lambda d: d.update(effective_from="2026-13-01"), "effective_from", "is not a date"),
        (lambda d: d.update(effective_to="2025-12-31"), "effective_to", "must not be before"),
        (lambda d: d.update(colour="red"), "colour", "unknown field"),
        (lambda d: d["components"][0].update(basis="calls"), "components[0].basis", "one of"),
        (lambda d: d["components"][0].update(tiers=[]), "components[0].tiers", "at least one"),
        (
            lambda d: d["components"][0]["tiers"][0].update(amount="5"),
            "components[0].tiers[0]",
            'either "rate" or "amount"',
        ),
        (
            lambda d: d["components"][0]["tiers"][1].update(rate=True),
            "components[0].tiers[1].rate",
            "must be a number",
        ),
        (
            lambda d: d["components"][0]["tiers"][1].update(rate="ten"),
            "components[0].tiers[1].rate",
            "is not a number",
        ),
        (
            lambda d: d["components"][0].update(
                tiers=[{"from": "0", "rate": "0.1"}, {"from": "1", "amount": "5"}]
            ),
            "components[0].tiers",
            "all tiers of a component",
        ),
        (lambda d: d["components"][0].update(cap="-1"), "components[0].cap", "must not be"),
        (
            lambda d: d["components"][0]["filters"].update(skus="XS-400"),
            "components[0].filters.skus",
            "list of text",
        ),
        (
            lambda d: d["spiffs"][0].pop("skus"),
            "spiffs[0]",
            "name the skus or the categories",
        ),
        (
            lambda d: d["spiffs"][0].update(frequency="daily"),
            "spiffs[0].frequency",
            "one of",
        ),
        (lambda d: d["draw"].update(recoverable="yes"), "draw.recoverable", "true or false"),
        (lambda d: d.update(members=["rep@acme.test", "REP@acme.test"]), "members[1]", "twice"),
        (
            lambda d: d["spiffs"][0].update(name="New revenue"),
            "spiffs[0].name",
            "used twice",
        ),
    ],
)
def test_validation_names_the_json_path(change, field, message):
    data = _base()
    change(data)
    err = _error(data)
    assert err.field == field
    assert message in err.message
    assert err.message.startswith(f"{field}: ")


def test_attainment_tiers_need_a_quota():
    data = _base()
    del data["components"][0]["quota"]
    assert _error(data).message == ("components[0].quota: is required when tiers_on is attainment")


# --- Import, export, versions -----------------------------------------------------------------------


@pytest.mark.django_db
def test_spec_plan_round_trips_exactly(world):
    version = services.plan_import(actor=world.finance, data=loads(SPEC_PLAN))
    exported = plan_export(actor=world.finance, plan=version.plan)
    assert exported == json.loads(SPEC_PLAN)
    # importing the export gives the same export again
    again = services.plan_import(actor=world.finance, data=loads(json.dumps(exported)))
    assert again.version == 2
    assert plan_export(actor=world.finance, plan=again.plan) == exported


@pytest.mark.django_db
def test_defaults_are_filled_in_and_exported(world):
    data = {
        "name": "Minimal",
        "currency": "usd",
        "measure": "month",
        "pay": "month",
        "effective_from": "2026-01-01",
        "members": ["REP@acme.test"],
        "components": [{"name": "R", "tiers_on": "amount", "tiers": [{"from": 0, "rate": 0.05}]}],
    }
    version = services.plan_import(actor=world.admin, data=data)
    assert plan_export(actor=world.admin, plan=version.plan) == {
        "name": "Minimal",
        "currency": "USD",
        "measure": "month",
        "pay": "month",
        "effective_from": "2026-01-01",
        "clawback_days": 0,
        "members": ["rep@acme.test"],
        "components": [
            {
                "name": "R",
                "basis": "revenue",
                "tiers_on": "amount",
                "mode": "marginal",
                "applies_to": "period",
                "tiers": [{"from": "0", "rate": "0.05"}],
            }
        ],
    }


@pytest.mark.django_db
def test_reimporting_a_name_adds_a_version_and_assignments_are_audited(world):
    first = services.plan_import(actor=world.finance, data=plan_data([world.rep, world.peer]))
    second = services.plan_import(
        actor=world.finance,
        data=plan_data([world.rep], effective_from="2026-07-01", effective_to="2026-12-31"),
    )
    assert second.version == 2 and first.plan_id == second.plan_id
    assert list(
        PlanAssignment.objects.filter(version=second).values_list(
            "member_id", "effective_from", "effective_to"
        )
    ) == [(world.rep.pk, second.effective_from, second.effective_to)]
    assert AuditEntry.objects.filter(action="commission_plan.import").count() == 2
    assignment_rows = AuditEntry.objects.filter(action="commission_assignment.create")
    assert assignment_rows.count() == 3
    assert {r.after["member"] for r in assignment_rows} == {"rep@acme.test", "peer@acme.test"}
    # the first version is still exported on request
    assert plan_export(actor=world.finance, plan=first.plan, version=1)["members"] == [
        "rep@acme.test",
        "peer@acme.test",
    ]


@pytest.mark.django_db
def test_members_must_belong_to_the_organisation(world):
    data = plan_data([world.rep])
    data["members"] = ["rep@acme.test", "rep@beta.test"]
    with pytest.raises(ApplicationError) as exc:
        services.plan_import(actor=world.finance, data=data)
    assert exc.value.field == "members[1]"
    assert exc.value.message == "members[1]: no member rep@beta.test in this organisation"


@pytest.mark.django_db
def test_only_finance_and_admins_import_plans(world):
    for member in (world.rep, world.manager, world.director, world.viewer):
        with pytest.raises(PermissionDenied):
            services.plan_import(actor=member, data=plan_data([world.rep]))
    assert services.plan_import(actor=system(world.org), data=plan_data([])).version == 1
