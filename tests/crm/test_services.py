"""Services of the sales core: rules, arithmetic, history and who may write."""

import datetime as dt
from decimal import Decimal

import pytest

from saleshelm.core.errors import ApplicationError, Conflict, PermissionDenied
from saleshelm.crm import services
from saleshelm.crm.models import (
    Account,
    Contact,
    ForecastCategory,
    LeadStatus,
    Opportunity,
    Order,
    OrderLine,
    OrderLineStatus,
    StageChange,
)
from saleshelm.tenancy.actors import SystemActor
from saleshelm.tenancy.models import AuditEntry
from tests.crm.factories import (
    LeadFactory,
    OpportunityFactory,
    OrderFactory,
    ProductFactory,
    RateFactory,
    default_pipeline,
    stage,
)

D = Decimal
pytestmark = pytest.mark.django_db


# --- money ----------------------------------------------------------------------------------


def test_net_amount_is_quantity_times_price_times_one_minus_discount():
    net, cost = services.line_amounts(D("3"), D("19.99"), D("0.15"), D("7.5"))
    assert net == D("50.9745")  # 3 * 19.99 * 0.85 = 50.9745
    assert cost == D("22.5000")
    assert net - cost == D("28.4745")  # margin


def test_net_amount_rounds_half_up_to_four_places_and_keeps_the_sign_of_returns():
    net, cost = services.line_amounts(D("-1"), D("0.33335"), D("0"), None)
    assert net == D("-0.3334")
    assert cost is None
    sold, _ = services.line_amounts(D("1"), D("0.33335"), D("0"), None)
    assert sold + net == 0


def test_to_reporting_uses_the_latest_rate_on_or_before_the_day(world):
    # Given two VND rates for Acme (reporting currency USD)
    RateFactory(organisation=world.org, rate_date=dt.date(2026, 1, 1), rate=D("0.00004"))
    RateFactory(organisation=world.org, rate_date=dt.date(2026, 3, 1), rate=D("0.00005"))
    convert = lambda day: services.to_reporting(  # noqa: E731
        organisation=world.org, amount=D("1000000"), currency="VND", on_date=day
    )
    # Then each day takes the rate in force that day
    assert convert(dt.date(2026, 2, 28)) == D("40.0000")
    assert convert(dt.date(2026, 3, 1)) == D("50.0000")
    assert convert(dt.date(2027, 1, 1)) == D("50.0000")
    # And the reporting currency converts to itself
    assert services.to_reporting(
        organisation=world.org, amount=D("12.34"), currency="USD", on_date=dt.date(2020, 1, 1)
    ) == D("12.34")
    # And before the first rate there is none
    with pytest.raises(ApplicationError) as exc:
        convert(dt.date(2025, 12, 31))
    assert exc.value.code == "no_exchange_rate"


def test_rate_book_answers_what_to_reporting_answers(world):
    RateFactory(organisation=world.org, rate_date=dt.date(2026, 1, 1), rate=D("0.0000412345"))
    RateFactory(organisation=world.org, rate_date=dt.date(2026, 2, 1), rate=D("0.0000398765"))
    book = services.RateBook(world.org)
    for day in (
        dt.date(2026, 1, 1),
        dt.date(2026, 1, 31),
        dt.date(2026, 2, 1),
        dt.date(2026, 6, 1),
    ):
        amount = D("123456789.1234")
        assert book.convert(amount, "VND", day) == services.to_reporting(
            organisation=world.org, amount=amount, currency="VND", on_date=day
        )


def test_exchange_rates_are_set_by_admins_directors_and_finance_and_audited(world):
    rate = services.exchange_rate_set(
        actor=world.admin, currency="vnd", rate_date=dt.date(2026, 5, 1), rate=D("0.00004")
    )
    services.exchange_rate_set(
        actor=world.admin, currency="VND", rate_date=dt.date(2026, 5, 1), rate=D("0.000041")
    )
    rate.refresh_from_db()
    assert rate.currency == "VND" and rate.rate == D("0.000041")
    assert AuditEntry.objects.filter(action="exchange_rate.set").count() == 2
    services.exchange_rate_set(
        actor=world.finance, currency="VND", rate_date=dt.date(2026, 5, 2), rate=D("0.00004")
    )
    for role in ("manager", "rep", "viewer"):
        with pytest.raises(PermissionDenied):
            services.exchange_rate_set(
                actor=world.by_role(role),
                currency="VND",
                rate_date=dt.date(2026, 5, 3),
                rate=D("0.00004"),
            )
    assert AuditEntry.objects.filter(action="exchange_rate.set").count() == 3


# --- leads ----------------------------------------------------------------------------------


def test_converting_a_lead_makes_an_account_a_contact_and_a_deal(world):
    # Given a qualified lead of the rep
    lead = LeadFactory(
        owner=world.rep,
        name="Phạm Minh Tuấn",
        company="Minh Phát JSC",
        email="tuan@minhphat.vn",
        status=LeadStatus.QUALIFIED,
    )
    # When the rep converts it
    account, contact, opp = services.lead_convert(
        actor=world.rep, lead=lead, amount=D("5000"), close_date=dt.date(2026, 12, 31)
    )
    # Then the three records exist, owned by the lead's owner, and the lead points at them
    assert account.name == "Minh Phát JSC" and account.owner == world.rep
    assert contact.account == account and contact.email == "tuan@minhphat.vn"
    assert opp.account == account and opp.owner == world.rep and opp.amount == D("5000")
    assert opp.stage.name == "Qualification"
    lead.refresh_from_db()
    assert lead.status == LeadStatus.CONVERTED and lead.converted_at is not None
    assert (lead.converted_account, lead.converted_contact, lead.converted_opportunity) == (
        account,
        contact,
        opp,
    )
    # And converting again is a conflict that creates nothing
    with pytest.raises(Conflict):
        services.lead_convert(actor=world.rep, lead=lead)
    assert Account.objects.count() == 1 and Contact.objects.count() == 1


def test_a_lead_can_be_converted_into_an_existing_account_without_a_deal(world):
    existing = services.account_create(actor=world.rep, name="Existing Co")
    lead = LeadFactory(owner=world.rep)
    account, contact, opp = services.lead_convert(
        actor=world.rep, lead=lead, account=existing, create_opportunity=False
    )
    assert account == existing and contact.account == existing and opp is None
    assert Opportunity.objects.count() == 0


def test_a_rep_cannot_convert_a_teammates_lead_and_nothing_changes(world):
    lead = LeadFactory(owner=world.peer)
    with pytest.raises(PermissionDenied):
        services.lead_convert(actor=world.rep, lead=lead)
    lead.refresh_from_db()
    assert lead.status == LeadStatus.NEW and Account.objects.count() == 0


def test_disqualified_leads_are_not_converted(world):
    lead = LeadFactory(owner=world.rep, status=LeadStatus.DISQUALIFIED)
    with pytest.raises(Conflict):
        services.lead_convert(actor=world.rep, lead=lead)


# --- opportunities --------------------------------------------------------------------------


def test_creating_a_deal_ensures_the_default_pipeline_and_starts_its_history(world):
    opp = services.opportunity_create(
        actor=world.rep, name="ERP rollout", amount=D("12000"), close_date=dt.date(2026, 9, 30)
    )
    assert opp.pipeline.is_default and opp.stage.name == "Qualification"
    assert opp.owner == world.rep and opp.currency == "USD" and opp.version == 1
    assert opp.forecast_category == ForecastCategory.PIPELINE
    history = list(opp.stage_changes.all())
    assert len(history) == 1 and history[0].from_stage is None and history[0].to_stage == opp.stage
    assert services.pipeline_ensure_default(actor=world.rep) == opp.pipeline  # idempotent


def test_deal_amount_in_another_currency_is_converted_at_the_close_date(world):
    RateFactory(organisation=world.org, rate_date=dt.date(2026, 1, 1), rate=D("0.00004"))
    opp = services.opportunity_create(
        actor=world.rep,
        name="VN deal",
        amount=D("250000000"),
        currency="VND",
        close_date=dt.date(2026, 9, 30),
    )
    assert opp.amount_reporting == D("10000.0000")
    with pytest.raises(ApplicationError) as exc:
        services.opportunity_create(
            actor=world.rep,
            name="EUR deal",
            amount=D("1"),
            currency="EUR",
            close_date=dt.date(2026, 9, 30),
        )
    assert exc.value.code == "no_exchange_rate"


def test_moving_a_deal_records_history_bumps_the_version_and_closes_it_when_won(world):
    opp = OpportunityFactory(owner=world.rep)
    proposal = stage(world.org, "Proposal")
    # When the rep moves it to Proposal with the version they read
    opp = services.opportunity_move_stage(
        actor=world.rep, opportunity=opp, stage=proposal, version=1
    )
    # Then the stage, version and forecast category follow, and history has the move
    assert opp.stage == proposal and opp.version == 2 and opp.closed_at is None
    assert opp.forecast_category == ForecastCategory.BEST_CASE
    change = StageChange.objects.get(opportunity=opp)
    assert change.from_stage.name == "Qualification" and change.to_stage == proposal
    assert change.actor == world.rep
    # When it is won
    opp = services.opportunity_move_stage(
        actor=world.rep, opportunity=opp, stage=stage(world.org, "Closed won"), version=2
    )
    assert opp.closed_at is not None and opp.forecast_category == ForecastCategory.CLOSED
    assert opp.effective_probability == D("1")
    assert AuditEntry.objects.filter(action="opportunity.stage", object_id=str(opp.pk)).count() == 2


def test_a_stale_version_is_a_conflict_and_changes_nothing(world):
    opp = OpportunityFactory(owner=world.rep)
    services.opportunity_update(actor=world.manager, opportunity=opp, version=1, amount=D("2000"))
    # When the rep moves it with the version they read before the manager's change
    with pytest.raises(Conflict) as exc:
        services.opportunity_move_stage(
            actor=world.rep, opportunity=opp, stage=stage(world.org, "Proposal"), version=1
        )
    assert exc.value.code == "version_conflict" and exc.value.status == 409
    assert exc.value.extra == {"version": 2}
    opp.refresh_from_db()
    assert opp.stage.name == "Qualification" and opp.version == 2
    assert not StageChange.objects.filter(opportunity=opp).exists()


def test_a_lost_deal_keeps_its_reason_and_reopening_clears_it(world):
    opp = OpportunityFactory(owner=world.rep)
    opp = services.opportunity_move_stage(
        actor=world.rep,
        opportunity=opp,
        version=1,
        stage=stage(world.org, "Closed lost"),
        lost_reason="Price",
    )
    assert opp.lost_reason == "Price" and opp.closed_at is not None
    opp = services.opportunity_move_stage(
        actor=world.rep, opportunity=opp, version=2, stage=stage(world.org, "Negotiation")
    )
    assert opp.lost_reason == "" and opp.closed_at is None
    assert opp.forecast_category == ForecastCategory.COMMIT


def test_a_stage_of_another_pipeline_is_refused(world):
    opp = OpportunityFactory(owner=world.rep)
    other = services.pipeline_create(
        actor=world.admin,
        name="Renewals",
        stages=[
            {"name": "Open"},
            {"name": "Renewed", "kind": "won"},
            {"name": "Churned", "kind": "lost"},
        ],
    )
    with pytest.raises(ApplicationError):
        services.opportunity_move_stage(
            actor=world.rep, opportunity=opp, stage=other.stages.first(), version=1
        )


def test_amount_changes_are_audited_and_reconverted(world):
    opp = OpportunityFactory(owner=world.rep)
    services.opportunity_update(actor=world.rep, opportunity=opp, amount=D("1500.50"))
    opp.refresh_from_db()
    assert opp.amount == D("1500.50") and opp.amount_reporting == D("1500.50")
    entry = AuditEntry.objects.get(action="opportunity.update", object_id=str(opp.pk))
    assert entry.before["amount"] == "1000.0000" and entry.after["amount"] == "1500.50"


def test_splits_must_sum_to_one(world):
    opp = OpportunityFactory(owner=world.rep)
    with pytest.raises(ApplicationError) as exc:
        services.opportunity_set_splits(
            actor=world.manager,
            opportunity=opp,
            splits=[(world.rep, D("0.6")), (world.peer, D("0.3"))],
        )
    assert exc.value.code == "splits_sum"
    services.opportunity_set_splits(
        actor=world.manager, opportunity=opp, splits=[(world.rep, D("0.6")), (world.peer, D("0.4"))]
    )
    assert sorted(opp.splits.values_list("share", flat=True)) == [D("0.4"), D("0.6")]
    assert AuditEntry.objects.filter(action="opportunity.splits").count() == 1
    # A member of another organisation is not a valid split member
    with pytest.raises(ApplicationError):
        services.opportunity_set_splits(
            actor=world.admin, opportunity=opp, splits=[(world.other_org_rep, D("1"))]
        )


def test_who_may_change_whose_deal(world):
    own, peers, others = (
        OpportunityFactory(owner=m) for m in (world.rep, world.peer, world.other_rep)
    )
    # A manager changes the deals of the team they manage, not another team's
    services.opportunity_update(actor=world.manager, opportunity=peers, next_step="Call CFO")
    with pytest.raises(PermissionDenied):
        services.opportunity_update(actor=world.manager, opportunity=others, next_step="x")
    # A rep changes their own only, and cannot hand a deal to a teammate
    services.opportunity_update(actor=world.rep, opportunity=own, next_step="Demo")
    with pytest.raises(PermissionDenied):
        services.opportunity_update(actor=world.rep, opportunity=peers, next_step="x")
    with pytest.raises(PermissionDenied):
        services.opportunity_update(actor=world.rep, opportunity=own, owner=world.peer)
    # Finance and viewers read only; a director changes anything
    for reader in (world.finance, world.viewer):
        with pytest.raises(PermissionDenied):
            services.opportunity_update(actor=reader, opportunity=own, next_step="x")
    services.opportunity_update(actor=world.director, opportunity=others, owner=world.rep)
    assert AuditEntry.objects.filter(action="opportunity.owner_change").count() == 1


def test_what_a_rep_creates_is_theirs_and_they_cannot_create_for_others(world):
    account = services.account_create(actor=world.rep, name="Sao Mai Trading")
    assert account.owner == world.rep and account.external_id.startswith("ACC-")
    with pytest.raises(PermissionDenied):
        services.account_create(actor=world.rep, name="X", owner=world.peer)
    with pytest.raises(PermissionDenied):
        services.account_create(actor=world.viewer, name="X")
    unowned = services.account_create(actor=world.manager, name="Pool account")
    assert unowned.owner is None


def test_a_duplicate_external_id_is_a_conflict(world):
    services.account_create(actor=world.admin, name="A", external_id="ACME-1")
    with pytest.raises(Conflict):
        services.account_create(actor=world.admin, name="B", external_id="ACME-1")
    # Another organisation may use the same id
    services.account_create(actor=world.other_org_admin, name="B", external_id="ACME-1")


def test_pipeline_stages_in_use_cannot_be_removed(world):
    pipeline = default_pipeline(world.org)
    OpportunityFactory(owner=world.rep)  # in Qualification
    specs = [
        {"id": s.pk, "name": s.name, "probability": s.probability, "kind": s.kind}
        for s in pipeline.stages.all()
        if s.name != "Qualification"
    ]
    with pytest.raises(ApplicationError) as exc:
        services.pipeline_update(actor=world.admin, pipeline=pipeline, stages=specs)
    assert exc.value.code == "stage_in_use"
    # Renaming and reordering is fine
    specs = [
        {"id": s.pk, "name": s.name.upper(), "probability": s.probability, "kind": s.kind}
        for s in reversed(list(pipeline.stages.all()))
    ]
    services.pipeline_update(actor=world.admin, pipeline=pipeline, stages=specs)
    assert pipeline.stages.order_by("position").first().name == "CLOSED LOST"
    with pytest.raises(PermissionDenied):
        services.pipeline_update(actor=world.manager, pipeline=pipeline, name="Mine")


# --- orders ---------------------------------------------------------------------------------


def _order(world, actor=None, **kwargs):
    product = ProductFactory(
        organisation=world.org, sku="XS-400", unit_price=D("250"), unit_cost=D("150")
    )
    lines = kwargs.pop("lines", None) or [
        {"sku": "xs-400", "quantity": D("4"), "discount": D("0.1")},
        {"sku": "SVC-INSTALL", "quantity": D("1"), "unit_price": D("99.99")},
    ]
    order = services.order_create(
        actor=actor or world.rep, order_date=dt.date(2026, 7, 15), lines=lines, **kwargs
    )
    return order, product


def test_an_order_books_lines_with_exact_net_cost_and_margin(world):
    order, product = _order(world)
    first, second = order.lines.order_by("line")
    # The product's price and cost apply when the line gives none; its category is copied
    assert first.product == product and first.product_category == product.category
    assert first.net_amount == D("900.0000")  # 4 x 250 x 0.9
    assert first.cost_amount == D("600.0000") and first.margin == D("300.0000")
    assert (
        second.product is None and second.net_amount == D("99.9900") and second.cost_amount is None
    )
    # Order date and owner are copied onto the lines
    assert {(ln.order_date, ln.owner_id) for ln in (first, second)} == {
        (order.order_date, world.rep.pk)
    }
    assert first.net_amount_reporting == first.net_amount
    assert AuditEntry.objects.get(action="order.create").after["net_amount"] == "999.9900"


def test_an_order_in_vnd_is_converted_at_the_order_date(world):
    RateFactory(organisation=world.org, rate_date=dt.date(2026, 7, 1), rate=D("0.00004"))
    order = services.order_create(
        actor=world.rep,
        order_date=dt.date(2026, 7, 15),
        currency="VND",
        lines=[
            {
                "sku": "XS-400",
                "quantity": D("2"),
                "unit_price": D("12500000"),
                "unit_cost": D("9000000"),
            }
        ],
    )
    line = order.lines.get()
    assert line.net_amount == D("25000000.0000") and line.net_amount_reporting == D("1000.0000")
    assert line.cost_amount_reporting == D("720.0000")


def test_order_line_splits_must_sum_to_one_and_nothing_is_half_written(world):
    with pytest.raises(ApplicationError):
        services.order_create(
            actor=world.manager,
            order_date=dt.date(2026, 7, 1),
            owner=world.rep,
            lines=[
                {
                    "sku": "A-1",
                    "quantity": D("1"),
                    "unit_price": D("10"),
                    "splits": [(world.rep, D("0.5")), (world.peer, D("0.49"))],
                }
            ],
        )
    assert Order.objects.count() == 0 and OrderLine.objects.count() == 0
    order = services.order_create(
        actor=world.manager,
        order_date=dt.date(2026, 7, 1),
        owner=world.rep,
        lines=[
            {
                "sku": "A-1",
                "quantity": D("1"),
                "unit_price": D("10"),
                "splits": [(world.rep, D("0.5")), (world.peer, D("0.5"))],
            }
        ],
    )
    assert order.lines.get().splits.count() == 2


def test_cancelling_a_line_sets_its_status_date_and_is_audited(world):
    order, _ = _order(world)
    line = order.lines.get(line=1)
    line = services.order_line_cancel(actor=world.rep, line=line, status_date=dt.date(2026, 8, 2))
    line.refresh_from_db()
    assert line.status == OrderLineStatus.CANCELLED and line.status_date == dt.date(2026, 8, 2)
    assert AuditEntry.objects.filter(action="order_line.status", object_id=str(line.pk)).exists()
    with pytest.raises(Conflict):
        services.order_line_cancel(actor=world.rep, line=line)
    other = order.lines.get(line=2)
    with pytest.raises(ApplicationError):
        services.order_line_cancel(actor=world.rep, line=other, status_date=dt.date(2026, 7, 1))


def test_a_return_is_a_negative_line_on_a_credit_note_in_its_own_period(world):
    order, _ = _order(world)
    sold = order.lines.get(line=1)
    services.order_line_set_splits(
        actor=world.manager, line=sold, splits=[(world.rep, D("0.7")), (world.peer, D("0.3"))]
    )
    # When one of the four is returned in September
    credit = services.order_line_return(
        actor=world.rep, line=sold, quantity=D("1"), return_date=dt.date(2026, 9, 3)
    )
    # Then a credit-note order dated the return carries a negative line with the same price
    assert credit.order.external_id == f"{order.external_id}-R1"
    assert credit.order_date == dt.date(2026, 9, 3) and credit.owner == world.rep
    assert credit.quantity == D("-1") and credit.net_amount == D("-225.0000")
    assert credit.cost_amount == D("-150.0000") and credit.status == OrderLineStatus.RETURNED
    assert credit.returns_line == sold and credit.product_category_id == sold.product_category_id
    assert sorted(credit.splits.values_list("share", flat=True)) == [D("0.3"), D("0.7")]
    # The sold line stays confirmed; the net of both is what the customer kept
    sold.refresh_from_db()
    assert sold.status == OrderLineStatus.CONFIRMED
    assert sold.net_amount + credit.net_amount == D("675.0000")
    # Only three are left to return
    with pytest.raises(ApplicationError) as exc:
        services.order_line_return(actor=world.rep, line=sold, quantity=D("4"))
    assert exc.value.code == "too_many"
    rest = services.order_line_return(actor=world.rep, line=sold, return_date=dt.date(2026, 9, 4))
    assert rest.quantity == D("-3") and rest.order.external_id == f"{order.external_id}-R2"


def test_changing_an_orders_owner_moves_its_lines(world):
    order = OrderFactory(owner=world.rep, lines=[{}, {}])
    services.order_update(actor=world.manager, order=order, owner=world.peer)
    assert set(order.lines.values_list("owner_id", flat=True)) == {world.peer.pk}
    assert AuditEntry.objects.filter(action="order.owner_change").count() == 1
    with pytest.raises(PermissionDenied):
        services.order_update(actor=world.manager, order=order, owner=world.other_rep)


def test_finance_cannot_book_orders(world):
    with pytest.raises(PermissionDenied):
        services.order_create(
            actor=world.finance,
            order_date=dt.date(2026, 7, 1),
            owner=world.rep,
            lines=[{"sku": "A", "quantity": D("1"), "unit_price": D("1")}],
        )
    assert Order.objects.count() == 0


def test_the_system_books_for_a_named_owner(world):
    system = SystemActor(world.org, label="import")
    order = services.order_create(
        actor=system,
        order_date=dt.date(2026, 7, 1),
        owner=world.other_rep,
        lines=[{"sku": "A", "quantity": D("1"), "unit_price": D("1")}],
    )
    assert order.owner == world.other_rep
    with pytest.raises(ApplicationError):
        services.order_create(
            actor=system,
            order_date=dt.date(2026, 7, 1),
            lines=[{"sku": "A", "quantity": D("1"), "unit_price": D("1")}],
        )


# --- activities -----------------------------------------------------------------------------


def test_an_activity_on_a_deal_also_counts_for_its_account(world):
    account = services.account_create(actor=world.rep, name="Hoa Binh Steel")
    opp = OpportunityFactory(owner=world.rep, account=account)
    act = services.activity_create(
        actor=world.rep, type="demo", opportunity=opp, subject="Demo XS-400", duration_minutes=45
    )
    assert act.account == account and act.owner == world.rep and act.done
    with pytest.raises(ApplicationError):
        services.activity_create(actor=world.rep, type="lunch")
    services.activity_update(actor=world.rep, activity=act, outcome="Asked for a quote")
    act.refresh_from_db()
    assert act.outcome == "Asked for a quote"


# --- freshness stamps (the revenue rollup reads MAX(updated_at)) ------------------------------

LONG_AGO = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)


def test_changing_an_orders_owner_or_date_stamps_its_lines(world):
    # Given an order whose lines were last touched long ago
    order = OrderFactory(owner=world.rep, lines=[{}, {}])
    OrderLine.objects.filter(order=order).update(updated_at=LONG_AGO)
    # When its owner changes
    services.order_update(actor=world.manager, order=order, owner=world.peer)
    # Then every line carries a fresh stamp
    stamps = list(order.lines.values_list("updated_at", flat=True))
    assert len(stamps) == 2 and all(s > LONG_AGO for s in stamps)
    # And so does a change of date alone
    OrderLine.objects.filter(order=order).update(updated_at=LONG_AGO)
    services.order_update(
        actor=world.manager, order=order, order_date=order.order_date - dt.timedelta(days=1)
    )
    assert all(s > LONG_AGO for s in order.lines.values_list("updated_at", flat=True))


def test_setting_or_clearing_a_lines_split_stamps_the_line(world):
    order = OrderFactory(owner=world.rep, lines=[{}])
    line = order.lines.get()
    OrderLine.objects.filter(pk=line.pk).update(updated_at=LONG_AGO)
    services.order_line_set_splits(
        actor=world.manager, line=line, splits=[(world.rep, D("0.6")), (world.peer, D("0.4"))]
    )
    line.refresh_from_db()
    assert line.updated_at > LONG_AGO
    # Clearing the split deletes rows: only the line's stamp can tell the rollup
    OrderLine.objects.filter(pk=line.pk).update(updated_at=LONG_AGO)
    services.order_line_set_splits(actor=world.manager, line=line, splits=[])
    line.refresh_from_db()
    assert line.updated_at > LONG_AGO and line.splits.count() == 0
    # The same split again changes nothing, stamp included
    OrderLine.objects.filter(pk=line.pk).update(updated_at=LONG_AGO)
    services.order_line_set_splits(actor=world.manager, line=line, splits=[])
    line.refresh_from_db()
    assert line.updated_at == LONG_AGO
