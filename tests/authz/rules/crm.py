"""The sales core in the authorization matrix: API operations and pages of the crm app.

Records (accounts, contacts, leads, deals, orders, activities) follow the team tree; the
catalogue (pipelines, products) is the organisation's. Writers: admin, director, manager (their
team's records), rep (their own); finance and viewer read only.
"""

import datetime as dt
from decimal import Decimal

from tests.authz.framework import ALL, ORG, RECORDS, STRUCTURE, Rule
from tests.crm.factories import (
    AccountFactory,
    ActivityFactory,
    ContactFactory,
    LeadFactory,
    OpportunityFactory,
    OrderFactory,
    ProductFactory,
    default_pipeline,
)

WRITERS = frozenset({"admin", "director", "manager", "rep"})
_n = iter(range(10**9))


def _owners(w):
    return {
        "own": w.rep,
        "same_team": w.peer,
        "other_team": w.other_rep,
        "other_org": w.other_org_rep,
    }


def _per_owner(factory, **kwargs):
    def build(w):
        return {
            rel: factory(owner=m, organisation=m.organisation, **kwargs)
            for rel, m in _owners(w).items()
        }

    return build


def _contacts(w):
    return {
        rel: ContactFactory(
            owner=m,
            organisation=m.organisation,
            account=AccountFactory(owner=m, organisation=m.organisation),
        )
        for rel, m in _owners(w).items()
    }


def _pipelines(w):
    from saleshelm.crm.models import Pipeline, Stage

    def extra(org, name):
        p = Pipeline.objects.create(organisation=org, name=name)
        for i, (stage, kind) in enumerate((("Open", "open"), ("Won", "won"), ("Lost", "lost"))):
            Stage.objects.create(organisation=org, pipeline=p, name=stage, position=i, kind=kind)
        return p

    return {
        "own": default_pipeline(w.org),
        "same_team": extra(w.org, "Renewals"),
        "other_team": extra(w.org, "Partners"),
        "other_org": default_pipeline(w.other_org),
    }


def _products(w):
    return {
        "own": ProductFactory(organisation=w.org),
        "same_team": ProductFactory(organisation=w.org),
        "other_team": ProductFactory(organisation=w.org),
        "other_org": ProductFactory(organisation=w.other_org),
    }


def _price_lists(w):
    from saleshelm.crm.models import PriceList

    def price_list(org, name):
        ProductFactory(organisation=org, sku=f"PL-{org.pk}")
        return PriceList.objects.create(organisation=org, name=name, currency=org.currency)

    return {
        "own": price_list(w.org, "Distributors"),
        "same_team": PriceList.objects.create(organisation=w.org, name="Export", currency="USD"),
        "other_team": PriceList.objects.create(organisation=w.org, name="Retail", currency="USD"),
        "other_org": price_list(w.other_org, "Beta prices"),
    }


def _proposal(o):
    return o.pipeline.stages.get(name="Proposal").pk


OBJECTS = {
    "account": _per_owner(AccountFactory),
    "contact": _contacts,
    "lead": _per_owner(LeadFactory),
    "opportunity": _per_owner(OpportunityFactory),
    "order": _per_owner(OrderFactory),
    "activity": _per_owner(ActivityFactory),
    "pipeline": _pipelines,
    "product": _products,
    "price_list": _price_lists,
}

_LINE = {"sku": "XS-400", "quantity": "2", "unit_price": "125.50"}


def _api_collection(name, obj, create, patch, scope=RECORDS, writers=WRITERS):
    return [
        Rule(f"GET /api/v1/{name}", roles=ALL),
        Rule(f"GET /api/v1/{name}/{{id}}", obj=obj, scope=scope, roles=ALL),
        Rule(f"POST /api/v1/{name}", roles=writers, payload=create),
        Rule(f"PATCH /api/v1/{name}/{{id}}", obj=obj, scope=scope, roles=writers, payload=patch),
    ]


API_RULES = [
    *_api_collection(
        "accounts",
        "account",
        lambda w, o: {"name": f"Account {next(_n)}"},
        lambda w, o: {"name": f"Renamed {next(_n)}"},
    ),
    *_api_collection(
        "contacts",
        "contact",
        lambda w, o: {"name": f"Contact {next(_n)}"},
        lambda w, o: {"title": "CFO"},
    ),
    *_api_collection(
        "leads",
        "lead",
        lambda w, o: {"name": f"Lead {next(_n)}"},
        lambda w, o: {"status": "contacted"},
    ),
    Rule(
        "POST /api/v1/leads/{id}/convert",
        obj="lead",
        scope=RECORDS,
        roles=WRITERS,
        payload=lambda w, o: {"amount": "1000"},
    ),
    *_api_collection(
        "opportunities",
        "opportunity",
        lambda w, o: {"name": f"Deal {next(_n)}", "amount": "5000", "close_date": "2026-12-31"},
        lambda w, o: {"next_step": "Send proposal", "version": o.version},
    ),
    Rule(
        "POST /api/v1/opportunities/{id}/move",
        obj="opportunity",
        scope=RECORDS,
        roles=WRITERS,
        payload=lambda w, o: {"stage_id": _proposal(o), "version": o.version},
    ),
    *_api_collection(
        "pipelines",
        "pipeline",
        lambda w, o: {
            "name": f"Pipeline {next(_n)}",
            "stages": [
                {"name": "Open"},
                {"name": "Won", "kind": "won"},
                {"name": "Lost", "kind": "lost"},
            ],
        },
        lambda w, o: {"name": f"Pipeline {next(_n)}"},
        scope=ORG,
        writers=STRUCTURE,
    ),
    Rule("GET /api/v1/pipelines/{id}/by-stage", obj="pipeline", scope=ORG, roles=ALL),
    *_api_collection(
        "products",
        "product",
        lambda w, o: {"sku": f"NEW-{next(_n)}", "name": "New", "unit_price": "10"},
        lambda w, o: {"unit_price": "12.50"},
        scope=ORG,
        writers=STRUCTURE,
    ),
    *_api_collection(
        "orders",
        "order",
        lambda w, o: {"order_date": dt.date.today().isoformat(), "lines": [_LINE]},
        lambda w, o: {"external_id": f"SO-NEW-{next(_n)}"},
    ),
    Rule(
        "POST /api/v1/orders/{id}/cancel-line",
        obj="order",
        scope=RECORDS,
        roles=WRITERS,
        payload=lambda w, o: {"line": 1},
    ),
    Rule(
        "POST /api/v1/orders/{id}/return-line",
        obj="order",
        scope=RECORDS,
        roles=WRITERS,
        payload=lambda w, o: {"line": 1, "quantity": "1"},
    ),
    Rule(
        "POST /api/v1/orders/{id}/line-splits",
        obj="order",
        scope=RECORDS,
        roles=WRITERS,
        payload=lambda w, o: {
            "line": 1,
            "splits": [{"member_id": o.owner_id, "share": str(Decimal("1"))}],
        },
    ),
    *_api_collection(
        "activities",
        "activity",
        lambda w, o: {"type": "call", "subject": "Intro"},
        lambda w, o: {"outcome": "Interested"},
    ),
]


def _pk(o):
    return {"pk": o.pk}


_REDIRECT = (302,)
RATE_KEEPERS = frozenset({"admin", "director", "finance"})


def _stage_rows(rows, *, name, initial=False):
    data = {
        "name": name,
        "stages-TOTAL_FORMS": str(len(rows)),
        "stages-INITIAL_FORMS": str(len(rows) if initial else 0),
    }
    for i, row in enumerate(rows):
        data.update({f"stages-{i}-{k}": v for k, v in row.items()})
    return data


_LISTS = [
    "crm:board",
    "crm:opportunities",
    "crm:accounts",
    "crm:contacts",
    "crm:leads",
    "crm:orders",
    "crm:products",
    "crm:activities",
]
_RECORD_PAGES = {
    "account": "account",
    "contact": "contact",
    "lead": "lead",
    "opportunity": "opportunity",
    "order": "order",
    "activity": "activity",
}

PAGE_RULES: list[Rule] = [
    *(Rule(name, roles=ALL) for name in _LISTS),
    *(
        Rule(f"crm:{page}", obj=obj, scope=RECORDS, roles=ALL, kwargs=_pk)
        for page, obj in _RECORD_PAGES.items()
    ),
    Rule("crm:product", obj="product", scope=ORG, roles=ALL, kwargs=_pk),
    *(
        Rule(f"crm:{what}_new", roles=WRITERS)
        for what in ("account", "contact", "lead", "opportunity")
    ),
    Rule("crm:product_new", roles=STRUCTURE),
    *(
        Rule(f"crm:{what}_edit", obj=what, scope=RECORDS, roles=WRITERS, kwargs=_pk)
        for what in ("account", "contact", "lead", "opportunity")
    ),
    Rule("crm:product_edit", obj="product", scope=ORG, roles=STRUCTURE, kwargs=_pk),
    Rule("crm:lead_convert", obj="lead", scope=RECORDS, roles=WRITERS, kwargs=_pk),
    Rule(
        "crm:opportunity_move",
        obj="opportunity",
        scope=RECORDS,
        roles=WRITERS,
        kwargs=_pk,
        method="POST",
        ok=_REDIRECT,
        payload=lambda w, o: {"stage": _proposal(o), "version": o.version},
    ),
    Rule(
        "crm:order_line_cancel",
        obj="order",
        scope=RECORDS,
        roles=WRITERS,
        kwargs=_pk,
        method="POST",
        ok=_REDIRECT,
        payload=lambda w, o: {"line": 1},
    ),
    Rule(
        "crm:order_line_return",
        obj="order",
        scope=RECORDS,
        roles=WRITERS,
        kwargs=_pk,
        method="POST",
        ok=_REDIRECT,
        payload=lambda w, o: {"line": 1, "quantity": "1"},
    ),
    Rule(
        "crm:activity_add",
        roles=WRITERS,
        method="POST",
        ok=_REDIRECT,
        payload=lambda w, o: {"type": "call", "subject": "Logged from a page"},
    ),
    Rule("crm:pipeline_setup", roles=STRUCTURE, method="POST", ok=_REDIRECT),
    # Exchange rates: admins, directors and finance only (reading included).
    Rule("crm:rates", roles=RATE_KEEPERS),
    Rule(
        "crm:rate_add",
        roles=RATE_KEEPERS,
        method="POST",
        ok=_REDIRECT,
        payload=lambda w, o: {"currency": "VND", "rate_date": "2026-05-01", "rate": "0.00004"},
    ),
    # Price lists: read by every member, shaped by admins and directors.
    Rule("crm:price_lists", roles=ALL),
    Rule("crm:price_list_new", roles=STRUCTURE),
    Rule(
        "crm:price_list_new",
        roles=STRUCTURE,
        method="POST",
        ok=_REDIRECT,
        payload=lambda w, o: {"name": f"List {next(_n)}", "currency": "USD"},
    ),
    Rule("crm:price_list", obj="price_list", scope=ORG, roles=ALL, kwargs=_pk),
    Rule(
        "crm:price_list_set_price",
        obj="price_list",
        scope=ORG,
        roles=STRUCTURE,
        kwargs=_pk,
        method="POST",
        ok=_REDIRECT,
        payload=lambda w, o: {"sku": f"PL-{w.org.pk}", "unit_price": "42.50"},
    ),
    # Pipelines and their stages: admins and directors.
    Rule("crm:pipelines", roles=STRUCTURE),
    Rule("crm:pipeline_new", roles=STRUCTURE),
    Rule(
        "crm:pipeline_new",
        roles=STRUCTURE,
        method="POST",
        ok=_REDIRECT,
        payload=lambda w, o: _stage_rows(
            [
                {"name": "Open", "kind": "open"},
                {"name": "Won", "kind": "won"},
                {"name": "Lost", "kind": "lost"},
            ],
            name=f"Pipeline {next(_n)}",
        ),
    ),
    Rule("crm:pipeline_edit", obj="pipeline", scope=ORG, roles=STRUCTURE, kwargs=_pk),
    Rule(
        "crm:pipeline_edit",
        obj="pipeline",
        scope=ORG,
        roles=STRUCTURE,
        kwargs=_pk,
        method="POST",
        ok=_REDIRECT,
        payload=lambda w, o: _stage_rows(
            [
                {"id": s.pk, "name": f"{s.name} (renamed)", "kind": s.kind}
                for s in o.stages.order_by("position")
            ],
            initial=True,
            name=o.name,
        ),
    ),
    # A deal's credit split, from its page: whoever may edit the deal.
    Rule(
        "crm:opportunity_splits",
        obj="opportunity",
        scope=RECORDS,
        roles=WRITERS,
        kwargs=_pk,
        method="POST",
        ok=_REDIRECT,
        payload=lambda w, o: {
            "version": o.version,
            "splits-TOTAL_FORMS": "2",
            "splits-INITIAL_FORMS": "0",
            "splits-0-member": o.owner_id,
            "splits-0-share": "60",
            "splits-1-member": w.peer.pk if o.owner_id != w.peer.pk else w.rep.pk,
            "splits-1-share": "40",
        },
    ),
    # Booking an order with lines: record writers; a rep's order is their own.
    Rule("crm:order_new", roles=WRITERS),
    Rule(
        "crm:order_new",
        roles=WRITERS,
        method="POST",
        ok=_REDIRECT,
        payload=lambda w, o: {
            "order_date": dt.date.today().isoformat(),
            "currency": "USD",
            "owner": w.rep.pk,
            "lines-TOTAL_FORMS": "1",
            "lines-INITIAL_FORMS": "0",
            "lines-0-sku": "XS-400",
            "lines-0-quantity": "2",
            "lines-0-unit_price": "125.50",
        },
    ),
]

RULES = [*API_RULES, *PAGE_RULES]
