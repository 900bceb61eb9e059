"""API of the sales-operations core: accounts, contacts, leads, opportunities, pipelines,
products, orders and activities (SPEC §3, §9).

Endpoints only translate: they read through selectors (scoped by the caller) and write
through services (which check who may write). Money goes out as decimal strings next to
its currency; ``sort`` accepts only the listed fields.
"""

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any, Literal

from django.conf import settings
from django.db.models import Prefetch
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import BaseModel

from saleshelm.api.pagination import LimitOffsetPagination
from saleshelm.api.schemas import ERRORS, Ref
from saleshelm.crm import selectors, services
from saleshelm.crm.models import OpportunitySplit
from saleshelm.crm.selectors.common import sort_options
from saleshelm.people.selectors import access_member

router = Router()

Currency = Field(None, min_length=3, max_length=3, pattern=r"^[A-Za-z]{3}$")
# Ids are 64-bit: a larger number is a validation error, never a database overflow.
Id = Annotated[int, Field(ge=1, le=2**63 - 1)]
Text200 = Field("", max_length=200)


def _sort_type(allowed: dict) -> Any:
    return Literal[tuple(sort_options(allowed))]  # type: ignore[misc]


def _money(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


# --- shared output pieces ---------------------------------------------------------------------


class MemberRef(Schema):
    id: int
    name: str
    email: str

    @staticmethod
    def resolve_name(m) -> str:
        return m.user.get_full_name()

    @staticmethod
    def resolve_email(m) -> str:
        return m.user.email


class SplitOut(Schema):
    member: MemberRef
    share: str

    @staticmethod
    def resolve_share(s) -> str:
        return str(s.share)


class SplitIn(Schema):
    member_id: Id
    share: Decimal = Field(..., gt=0, le=1, max_digits=7, decimal_places=4)


def _member(actor, id_: int | None):
    return None if id_ is None else access_member(actor=actor, id=id_)


def _splits(actor, splits: list[SplitIn] | None):
    if splits is None:
        return None
    return [(access_member(actor=actor, id=s.member_id), s.share) for s in splits]


def _account(actor, id_: int | None):
    return None if id_ is None else selectors.access_account(actor=actor, id=id_)


def _patch(payload: Schema, mapping: dict[str, Any]) -> dict[str, Any]:
    """The fields the client sent, resolved (ids to objects) by ``mapping``."""
    out = {}
    for name in payload.model_fields_set:
        value = getattr(payload, name)
        if name in mapping:
            key, resolve = mapping[name]
            out[key] = resolve(value)
        else:
            out[name] = value
    return out


# --- accounts ---------------------------------------------------------------------------------

accounts = Router(tags=["accounts"])


class AccountOut(Schema):
    id: int
    external_id: str
    name: str
    owner: MemberRef | None
    industry: str
    employees: int | None
    region: str
    country: str
    website: str
    created_date: dt.date


class AccountIn(Schema):
    name: str = Field(..., min_length=1, max_length=200)
    external_id: str | None = Field(None, max_length=100)
    owner_id: Id | None = None
    industry: str = Field("", max_length=100)
    employees: int | None = Field(None, ge=0, le=10_000_000)
    region: str = Field("", max_length=100)
    country: str = Field("", max_length=100)
    website: str = Text200
    created_date: dt.date | None = None


class AccountPatch(Schema):
    name: str | None = Field(None, min_length=1, max_length=200)
    external_id: str | None = Field(None, min_length=1, max_length=100)
    owner_id: Id | None = None
    industry: str | None = Field(None, max_length=100)
    employees: int | None = Field(None, ge=0, le=10_000_000)
    region: str | None = Field(None, max_length=100)
    country: str | None = Field(None, max_length=100)
    website: str | None = Field(None, max_length=200)


class AccountFilters(Schema):
    search: str | None = Field(None, max_length=100)
    owner_id: Id | None = None
    industry: str | None = Field(None, max_length=100)
    region: str | None = Field(None, max_length=100)
    country: str | None = Field(None, max_length=100)
    sort: _sort_type(selectors.ACCOUNT_SORTS) | None = None  # type: ignore[valid-type]


@accounts.get("/accounts", response=list[AccountOut])
@paginate(LimitOffsetPagination)
def list_accounts(request, filters: Query[AccountFilters]):
    return selectors.account_list(actor=request.auth, **filters.dict())


@accounts.get("/accounts/{id}", response={200: AccountOut, **ERRORS})
def get_account(request, id: int):
    return selectors.access_account(actor=request.auth, id=id)


@accounts.post("/accounts", response={201: AccountOut, **ERRORS})
def create_account(request, payload: AccountIn):
    actor = request.auth
    data = payload.dict()
    data["owner"] = _member(actor, data.pop("owner_id"))
    account = services.account_create(actor=actor, **data)
    return Status(201, selectors.access_account(actor=actor, id=account.pk))


@accounts.patch("/accounts/{id}", response={200: AccountOut, **ERRORS})
def update_account(request, id: int, payload: AccountPatch):
    actor = request.auth
    account = selectors.access_account(actor=actor, id=id)
    changes = _patch(payload, {"owner_id": ("owner", lambda v: _member(actor, v))})
    services.account_update(actor=actor, account=account, **changes)
    return selectors.access_account(actor=actor, id=id)


# --- contacts ---------------------------------------------------------------------------------

contacts = Router(tags=["contacts"])


class ContactOut(Schema):
    id: int
    external_id: str
    name: str
    account: Ref | None
    email: str
    phone: str
    title: str
    owner: MemberRef | None


class ContactIn(Schema):
    name: str = Field(..., min_length=1, max_length=200)
    external_id: str | None = Field(None, max_length=100)
    account_id: Id | None = None
    owner_id: Id | None = None
    email: str = Field("", max_length=254)
    phone: str = Field("", max_length=50)
    title: str = Field("", max_length=120)


class ContactPatch(Schema):
    name: str | None = Field(None, min_length=1, max_length=200)
    external_id: str | None = Field(None, min_length=1, max_length=100)
    account_id: Id | None = None
    owner_id: Id | None = None
    email: str | None = Field(None, max_length=254)
    phone: str | None = Field(None, max_length=50)
    title: str | None = Field(None, max_length=120)


class ContactFilters(Schema):
    search: str | None = Field(None, max_length=100)
    account_id: Id | None = None
    owner_id: Id | None = None
    sort: _sort_type(selectors.CONTACT_SORTS) | None = None  # type: ignore[valid-type]


@contacts.get("/contacts", response=list[ContactOut])
@paginate(LimitOffsetPagination)
def list_contacts(request, filters: Query[ContactFilters]):
    return selectors.contact_list(actor=request.auth, **filters.dict())


@contacts.get("/contacts/{id}", response={200: ContactOut, **ERRORS})
def get_contact(request, id: int):
    return selectors.access_contact(actor=request.auth, id=id)


@contacts.post("/contacts", response={201: ContactOut, **ERRORS})
def create_contact(request, payload: ContactIn):
    actor = request.auth
    data = payload.dict()
    data["owner"] = _member(actor, data.pop("owner_id"))
    data["account"] = _account(actor, data.pop("account_id"))
    contact = services.contact_create(actor=actor, **data)
    return Status(201, selectors.access_contact(actor=actor, id=contact.pk))


@contacts.patch("/contacts/{id}", response={200: ContactOut, **ERRORS})
def update_contact(request, id: int, payload: ContactPatch):
    actor = request.auth
    contact = selectors.access_contact(actor=actor, id=id)
    changes = _patch(
        payload,
        {
            "owner_id": ("owner", lambda v: _member(actor, v)),
            "account_id": ("account", lambda v: _account(actor, v)),
        },
    )
    services.contact_update(actor=actor, contact=contact, **changes)
    return selectors.access_contact(actor=actor, id=id)


# --- leads ------------------------------------------------------------------------------------

leads = Router(tags=["leads"])
LeadStatusIn = Literal["new", "contacted", "qualified", "disqualified"]


class LeadOut(Schema):
    id: int
    external_id: str
    name: str
    company: str
    email: str
    phone: str
    source: str
    status: str
    owner: MemberRef | None
    converted_account_id: int | None
    converted_contact_id: int | None
    converted_opportunity_id: int | None
    converted_at: dt.datetime | None
    created_at: dt.datetime


class LeadIn(Schema):
    name: str = Field(..., min_length=1, max_length=200)
    external_id: str | None = Field(None, max_length=100)
    company: str = Text200
    email: str = Field("", max_length=254)
    phone: str = Field("", max_length=50)
    source: str = Field("", max_length=100)
    status: LeadStatusIn = "new"
    owner_id: Id | None = None


class LeadPatch(Schema):
    name: str | None = Field(None, min_length=1, max_length=200)
    external_id: str | None = Field(None, min_length=1, max_length=100)
    company: str | None = Field(None, max_length=200)
    email: str | None = Field(None, max_length=254)
    phone: str | None = Field(None, max_length=50)
    source: str | None = Field(None, max_length=100)
    status: LeadStatusIn | None = None
    owner_id: Id | None = None


class LeadFilters(Schema):
    search: str | None = Field(None, max_length=100)
    status: Literal["new", "contacted", "qualified", "disqualified", "converted"] | None = None
    source: str | None = Field(None, max_length=100)
    owner_id: Id | None = None
    sort: _sort_type(selectors.LEAD_SORTS) | None = None  # type: ignore[valid-type]


class LeadConvertIn(Schema):
    account_id: Id | None = None
    account_name: str | None = Field(None, max_length=200)
    create_opportunity: bool = True
    opportunity_name: str | None = Field(None, max_length=200)
    amount: Decimal = Field(Decimal(0), ge=0, lt=Decimal(10) ** 16, max_digits=20, decimal_places=4)
    currency: str | None = Currency
    close_date: dt.date | None = None
    pipeline_id: Id | None = None


class LeadConvertOut(Schema):
    lead: LeadOut
    account: Ref
    contact: Ref
    opportunity: Ref | None


@leads.get("/leads", response=list[LeadOut])
@paginate(LimitOffsetPagination)
def list_leads(request, filters: Query[LeadFilters]):
    return selectors.lead_list(actor=request.auth, **filters.dict())


@leads.get("/leads/{id}", response={200: LeadOut, **ERRORS})
def get_lead(request, id: int):
    return selectors.access_lead(actor=request.auth, id=id)


@leads.post("/leads", response={201: LeadOut, **ERRORS})
def create_lead(request, payload: LeadIn):
    actor = request.auth
    data = payload.dict()
    data["owner"] = _member(actor, data.pop("owner_id"))
    lead = services.lead_create(actor=actor, **data)
    return Status(201, selectors.access_lead(actor=actor, id=lead.pk))


@leads.patch("/leads/{id}", response={200: LeadOut, **ERRORS})
def update_lead(request, id: int, payload: LeadPatch):
    actor = request.auth
    lead = selectors.access_lead(actor=actor, id=id)
    changes = _patch(payload, {"owner_id": ("owner", lambda v: _member(actor, v))})
    services.lead_update(actor=actor, lead=lead, **changes)
    return selectors.access_lead(actor=actor, id=id)


@leads.post("/leads/{id}/convert", response={200: LeadConvertOut, **ERRORS})
def convert_lead(request, id: int, payload: LeadConvertIn):
    actor = request.auth
    lead = selectors.access_lead(actor=actor, id=id)
    account, contact, opp = services.lead_convert(
        actor=actor,
        lead=lead,
        account=_account(actor, payload.account_id),
        account_name=payload.account_name,
        create_opportunity=payload.create_opportunity,
        opportunity_name=payload.opportunity_name,
        amount=payload.amount,
        currency=payload.currency,
        close_date=payload.close_date,
        pipeline=None
        if payload.pipeline_id is None
        else selectors.access_pipeline(actor=actor, id=payload.pipeline_id),
    )
    return {
        "lead": selectors.access_lead(actor=actor, id=id),
        "account": account,
        "contact": contact,
        "opportunity": opp,
    }


# --- pipelines --------------------------------------------------------------------------------

pipelines = Router(tags=["pipelines"])
StageKindIn = Literal["open", "won", "lost"]


class StageOut(Schema):
    id: int
    name: str
    position: int
    probability: str
    kind: str
    forecast_category: str = Field(
        "", description="Category a deal takes in this stage; empty: from the probability."
    )

    @staticmethod
    def resolve_probability(s) -> str:
        return str(s.probability)


class PipelineOut(Schema):
    id: int
    name: str
    is_default: bool
    stages: list[StageOut]

    @staticmethod
    def resolve_stages(p) -> list:
        return list(p.stages.all())


class StageIn(Schema):
    id: Id | None = None
    name: str = Field(..., min_length=1, max_length=120)
    probability: Decimal | None = Field(None, ge=0, le=1, max_digits=5, decimal_places=4)
    kind: StageKindIn = "open"
    forecast_category: Literal["", "pipeline", "best_case", "commit"] = ""


class PipelineIn(Schema):
    name: str = Field(..., min_length=1, max_length=120)
    is_default: bool = False
    stages: list[StageIn] = Field(..., min_length=3, max_length=30)


class PipelinePatch(Schema):
    name: str | None = Field(None, min_length=1, max_length=120)
    is_default: bool | None = None
    stages: list[StageIn] | None = Field(None, min_length=3, max_length=30)


class StageTotalOut(Schema):
    stage: StageOut
    count: int
    amount: str
    weighted_amount: str
    currency: str

    @staticmethod
    def resolve_amount(t) -> str:
        return str(t.amount)

    @staticmethod
    def resolve_weighted_amount(t) -> str:
        return str(t.weighted)

    @staticmethod
    def resolve_currency(t, context) -> str:
        return context["request"].auth.organisation.currency


class ByStageFilters(Schema):
    owner_id: Id | None = None


@pipelines.get("/pipelines", response=list[PipelineOut])
@paginate(LimitOffsetPagination)
def list_pipelines(request):
    return selectors.pipeline_list(actor=request.auth)


@pipelines.get("/pipelines/{id}", response={200: PipelineOut, **ERRORS})
def get_pipeline(request, id: int):
    return selectors.access_pipeline(actor=request.auth, id=id)


@pipelines.get("/pipelines/{id}/by-stage", response={200: list[StageTotalOut], **ERRORS})
def pipeline_by_stage(request, id: int, filters: Query[ByStageFilters]):
    """Open and closed deals the caller sees, per stage: count, amount and weighted amount in
    the reporting currency."""
    pipeline = selectors.access_pipeline(actor=request.auth, id=id)
    return selectors.pipeline_by_stage(
        actor=request.auth, pipeline=pipeline, owner_id=filters.owner_id
    )


@pipelines.post("/pipelines", response={201: PipelineOut, **ERRORS})
def create_pipeline(request, payload: PipelineIn):
    actor = request.auth
    pipeline = services.pipeline_create(
        actor=actor,
        name=payload.name,
        is_default=payload.is_default,
        stages=[s.dict() for s in payload.stages],
    )
    return Status(201, selectors.access_pipeline(actor=actor, id=pipeline.pk))


@pipelines.patch("/pipelines/{id}", response={200: PipelineOut, **ERRORS})
def update_pipeline(request, id: int, payload: PipelinePatch):
    actor = request.auth
    pipeline = selectors.access_pipeline(actor=actor, id=id)
    fields = payload.model_fields_set
    services.pipeline_update(
        actor=actor,
        pipeline=pipeline,
        name=payload.name if "name" in fields else None,
        is_default=payload.is_default if "is_default" in fields else None,
        stages=[s.dict() for s in payload.stages] if payload.stages is not None else None,
    )
    return selectors.access_pipeline(actor=actor, id=id)


# --- opportunities ----------------------------------------------------------------------------

opportunities = Router(tags=["opportunities"])
ForecastIn = Literal["pipeline", "best_case", "commit", "closed"]
Money = Field(..., ge=0, lt=Decimal(10) ** 16, max_digits=20, decimal_places=4)


class OpportunityOut(Schema):
    id: int
    external_id: str
    name: str
    account: Ref | None
    owner: MemberRef
    pipeline: Ref
    stage: StageOut
    amount: str
    currency: str
    amount_reporting: str
    reporting_currency: str
    close_date: dt.date
    created_date: dt.date
    probability: str | None
    effective_probability: str
    forecast_category: str
    next_step: str
    next_step_date: dt.date | None
    lost_reason: str
    closed_at: dt.datetime | None
    stage_entered_at: dt.datetime
    version: int
    splits: list[SplitOut]

    @staticmethod
    def resolve_amount(o) -> str:
        return str(o.amount)

    @staticmethod
    def resolve_amount_reporting(o) -> str:
        return str(o.amount_reporting)

    @staticmethod
    def resolve_reporting_currency(o, context) -> str:
        return context["request"].auth.organisation.currency

    @staticmethod
    def resolve_probability(o) -> str | None:
        return _money(o.probability)

    @staticmethod
    def resolve_effective_probability(o) -> str:
        return str(o.effective_probability)

    @staticmethod
    def resolve_splits(o) -> list:
        return list(o.splits.all())


class OpportunityIn(Schema):
    name: str = Field(..., min_length=1, max_length=200)
    close_date: dt.date
    amount: Decimal = Money
    currency: str | None = Currency
    external_id: str | None = Field(None, max_length=100)
    account_id: Id | None = None
    owner_id: Id | None = None
    pipeline_id: Id | None = None
    stage_id: Id | None = None
    probability: Decimal | None = Field(None, ge=0, le=1, max_digits=5, decimal_places=4)
    forecast_category: ForecastIn | None = None
    next_step: str = Field("", max_length=255)
    next_step_date: dt.date | None = None
    created_date: dt.date | None = None
    splits: list[SplitIn] | None = Field(None, max_length=20)


class OpportunityPatch(Schema):
    version: int | None = Field(None, ge=1, description="The version you read; 409 if it changed.")
    name: str | None = Field(None, min_length=1, max_length=200)
    close_date: dt.date | None = None
    amount: Decimal | None = Field(
        None, ge=0, lt=Decimal(10) ** 16, max_digits=20, decimal_places=4
    )
    currency: str | None = Currency
    external_id: str | None = Field(None, min_length=1, max_length=100)
    account_id: Id | None = None
    owner_id: Id | None = None
    probability: Decimal | None = Field(None, ge=0, le=1, max_digits=5, decimal_places=4)
    forecast_category: ForecastIn | None = None
    next_step: str | None = Field(None, max_length=255)
    next_step_date: dt.date | None = None
    lost_reason: str | None = Field(None, max_length=255)
    splits: list[SplitIn] | None = Field(None, max_length=20)


class MoveIn(Schema):
    stage_id: Id
    version: int = Field(..., ge=1, description="The version you read; 409 if it changed.")
    lost_reason: str | None = Field(None, max_length=255)


class OpportunityFilters(Schema):
    search: str | None = Field(None, max_length=100)
    owner_id: Id | None = None
    account_id: Id | None = None
    pipeline_id: Id | None = None
    stage_id: Id | None = None
    state: Literal["open", "won", "lost", "closed"] | None = None
    forecast_category: ForecastIn | None = None
    close_from: dt.date | None = None
    close_to: dt.date | None = None
    sort: _sort_type(selectors.OPPORTUNITY_SORTS) | None = None  # type: ignore[valid-type]


def _opportunity(actor, id_: int):
    return selectors.access_opportunity(actor=actor, id=id_)


_SPLITS = Prefetch("splits", queryset=OpportunitySplit.objects.select_related("member__user"))


@opportunities.get("/opportunities", response=list[OpportunityOut])
@paginate(LimitOffsetPagination)
def list_opportunities(request, filters: Query[OpportunityFilters]):
    return selectors.opportunity_list(actor=request.auth, **filters.dict()).prefetch_related(
        _SPLITS
    )


@opportunities.get("/opportunities/{id}", response={200: OpportunityOut, **ERRORS})
def get_opportunity(request, id: int):
    return _opportunity(request.auth, id)


@opportunities.post("/opportunities", response={201: OpportunityOut, **ERRORS})
def create_opportunity(request, payload: OpportunityIn):
    actor = request.auth
    data = payload.dict()
    data["owner"] = _member(actor, data.pop("owner_id"))
    data["account"] = _account(actor, data.pop("account_id"))
    pipeline_id, stage_id = data.pop("pipeline_id"), data.pop("stage_id")
    data["pipeline"] = (
        None if pipeline_id is None else selectors.access_pipeline(actor=actor, id=pipeline_id)
    )
    data["stage"] = None if stage_id is None else selectors.access_stage(actor=actor, id=stage_id)
    data["splits"] = _splits(actor, payload.splits)
    opp = services.opportunity_create(actor=actor, **data)
    return Status(201, _opportunity(actor, opp.pk))


@opportunities.patch("/opportunities/{id}", response={200: OpportunityOut, **ERRORS})
def update_opportunity(request, id: int, payload: OpportunityPatch):
    actor = request.auth
    opp = _opportunity(actor, id)
    changes = _patch(
        payload,
        {
            "owner_id": ("owner", lambda v: _member(actor, v)),
            "account_id": ("account", lambda v: _account(actor, v)),
        },
    )
    version = changes.pop("version", None)
    splits = changes.pop("splits", None)
    if changes:
        opp = services.opportunity_update(actor=actor, opportunity=opp, version=version, **changes)
        version = opp.version if version is not None else None
    if splits is not None:
        services.opportunity_set_splits(
            actor=actor, opportunity=opp, version=version, splits=_splits(actor, payload.splits)
        )
    elif not changes and version is not None:
        # Nothing to change: still tell a stale client so.
        services.opportunity_update(actor=actor, opportunity=opp, version=version)
    return _opportunity(actor, id)


@opportunities.post("/opportunities/{id}/move", response={200: OpportunityOut, **ERRORS})
def move_opportunity(request, id: int, payload: MoveIn):
    """Move the deal to another stage of its pipeline; send the ``version`` you read."""
    actor = request.auth
    opp = _opportunity(actor, id)
    stage = selectors.access_stage(actor=actor, id=payload.stage_id)
    services.opportunity_move_stage(
        actor=actor,
        opportunity=opp,
        stage=stage,
        version=payload.version,
        lost_reason=payload.lost_reason,
    )
    return _opportunity(actor, id)


# --- products ---------------------------------------------------------------------------------

products = Router(tags=["products"])


class PriceOut(Schema):
    price_list: Ref
    unit_price: str

    @staticmethod
    def resolve_unit_price(i) -> str:
        return str(i.unit_price)


class ProductOut(Schema):
    id: int
    sku: str
    name: str
    category: Ref | None
    unit_price: str
    unit_cost: str | None
    currency: str
    is_active: bool

    @staticmethod
    def resolve_unit_price(p) -> str:
        return str(p.unit_price)

    @staticmethod
    def resolve_unit_cost(p) -> str | None:
        return _money(p.unit_cost)


class ProductDetailOut(ProductOut):
    prices: list[PriceOut]

    @staticmethod
    def resolve_prices(p) -> list:
        return list(p.price_list_items.all())


class ProductIn(Schema):
    sku: str = Field(..., min_length=1, max_length=64, pattern=r"^\S+$")
    name: str = Field(..., min_length=1, max_length=200)
    category_id: Id | None = None
    unit_price: Decimal = Money
    unit_cost: Decimal | None = Field(
        None, ge=0, lt=Decimal(10) ** 16, max_digits=20, decimal_places=4
    )
    currency: str | None = Currency
    is_active: bool = True


class ProductPatch(Schema):
    sku: str | None = Field(None, min_length=1, max_length=64, pattern=r"^\S+$")
    name: str | None = Field(None, min_length=1, max_length=200)
    category_id: Id | None = None
    unit_price: Decimal | None = Field(
        None, ge=0, lt=Decimal(10) ** 16, max_digits=20, decimal_places=4
    )
    unit_cost: Decimal | None = Field(
        None, ge=0, lt=Decimal(10) ** 16, max_digits=20, decimal_places=4
    )
    currency: str | None = Currency
    is_active: bool | None = None


class ProductFilters(Schema):
    search: str | None = Field(None, max_length=100)
    category_id: Id | None = None
    is_active: bool | None = None
    sort: _sort_type(selectors.PRODUCT_SORTS) | None = None  # type: ignore[valid-type]


def _category(actor, id_: int | None):
    return None if id_ is None else selectors.access_category(actor=actor, id=id_)


@products.get("/products", response=list[ProductOut])
@paginate(LimitOffsetPagination)
def list_products(request, filters: Query[ProductFilters]):
    return selectors.product_list(actor=request.auth, **filters.dict())


@products.get("/products/{id}", response={200: ProductDetailOut, **ERRORS})
def get_product(request, id: int):
    return selectors.access_product(actor=request.auth, id=id)


@products.post("/products", response={201: ProductDetailOut, **ERRORS})
def create_product(request, payload: ProductIn):
    actor = request.auth
    data = payload.dict()
    data["category"] = _category(actor, data.pop("category_id"))
    product = services.product_create(actor=actor, **data)
    return Status(201, selectors.access_product(actor=actor, id=product.pk))


@products.patch("/products/{id}", response={200: ProductDetailOut, **ERRORS})
def update_product(request, id: int, payload: ProductPatch):
    actor = request.auth
    product = selectors.access_product(actor=actor, id=id)
    changes = _patch(payload, {"category_id": ("category", lambda v: _category(actor, v))})
    if changes.get("is_active", True) is None:
        changes.pop("is_active")
    services.product_update(actor=actor, product=product, **changes)
    return selectors.access_product(actor=actor, id=id)


# --- orders -----------------------------------------------------------------------------------

orders = Router(tags=["orders"])


class OrderOut(Schema):
    id: int
    external_id: str
    order_date: dt.date
    owner: MemberRef
    account: Ref | None
    currency: str
    net_amount: str
    line_count: int

    @staticmethod
    def resolve_net_amount(o) -> str:
        return str(o.net_amount)


# The list answers ready-made rows (``selectors.order_page``): plain pydantic models validate
# them without ninja's per-attribute ORM getter, a third of the time of a page of 100.
class OrderOwner(BaseModel):
    id: int
    name: str
    email: str


class OrderAccount(BaseModel):
    id: int
    name: str


class OrderListItem(BaseModel):
    id: int
    external_id: str
    order_date: dt.date
    owner: OrderOwner
    account: OrderAccount | None
    currency: str
    net_amount: str
    line_count: int


class PagedOrderOut(Schema):
    items: list[OrderListItem]
    count: int


class PageIn(Schema):
    # Bounded so that offset + limit is always a 64-bit integer the database takes.
    limit: int = Field(settings.NINJA_PAGINATION_PER_PAGE, ge=1, le=10_000)
    offset: int = Field(0, ge=0, le=2**62)


class OrderLineOut(Schema):
    id: int
    line: int
    product_id: int | None
    sku: str
    product_category: Ref | None
    quantity: str
    unit_price: str
    discount: str
    unit_cost: str | None
    net_amount: str
    cost_amount: str | None
    margin: str | None
    currency: str
    net_amount_reporting: str | None
    status: str
    status_date: dt.date | None
    returns_line_id: int | None
    splits: list[SplitOut]

    @staticmethod
    def resolve_quantity(ln) -> str:
        return str(ln.quantity)

    @staticmethod
    def resolve_unit_price(ln) -> str:
        return str(ln.unit_price)

    @staticmethod
    def resolve_discount(ln) -> str:
        return str(ln.discount)

    @staticmethod
    def resolve_unit_cost(ln) -> str | None:
        return _money(ln.unit_cost)

    @staticmethod
    def resolve_net_amount(ln) -> str:
        return str(ln.net_amount)

    @staticmethod
    def resolve_cost_amount(ln) -> str | None:
        return _money(ln.cost_amount)

    @staticmethod
    def resolve_margin(ln) -> str | None:
        return _money(ln.margin)

    @staticmethod
    def resolve_net_amount_reporting(ln) -> str | None:
        return _money(ln.net_amount_reporting)

    @staticmethod
    def resolve_splits(ln) -> list:
        return list(ln.splits.all())


class OrderDetailOut(OrderOut):
    lines: list[OrderLineOut]

    @staticmethod
    def resolve_lines(o) -> list:
        return list(o.lines.all())


class OrderLineIn(Schema):
    line: int | None = Field(None, ge=1, le=100_000)
    product_id: Id | None = None
    sku: str | None = Field(None, max_length=64)
    quantity: Decimal = Field(
        ..., gt=-(Decimal(10) ** 14), lt=Decimal(10) ** 14, max_digits=18, decimal_places=4
    )
    unit_price: Decimal | None = Field(
        None, ge=0, lt=Decimal(10) ** 12, max_digits=16, decimal_places=4
    )
    discount: Decimal = Field(Decimal(0), ge=0, le=1, max_digits=7, decimal_places=6)
    unit_cost: Decimal | None = Field(
        None, ge=0, lt=Decimal(10) ** 12, max_digits=16, decimal_places=4
    )
    splits: list[SplitIn] | None = Field(None, max_length=20)


class OrderIn(Schema):
    order_date: dt.date
    external_id: str | None = Field(None, max_length=100)
    owner_id: Id | None = None
    account_id: Id | None = None
    currency: str | None = Currency
    lines: list[OrderLineIn] = Field(..., min_length=1, max_length=1000)


class OrderPatch(Schema):
    order_date: dt.date | None = None
    external_id: str | None = Field(None, min_length=1, max_length=100)
    owner_id: Id | None = None
    account_id: Id | None = None


class LineCancelIn(Schema):
    line: int = Field(..., ge=1, le=1_000_000)
    status_date: dt.date | None = None


class LineReturnIn(Schema):
    line: int = Field(..., ge=1, le=1_000_000)
    quantity: Decimal | None = Field(
        None, gt=0, lt=Decimal(10) ** 14, max_digits=18, decimal_places=4
    )
    return_date: dt.date | None = None


class LineSplitsIn(Schema):
    line: int = Field(..., ge=1, le=1_000_000)
    splits: list[SplitIn] = Field(..., max_length=20)


class OrderFilters(Schema):
    search: str | None = Field(None, max_length=100)
    owner_id: Id | None = None
    account_id: Id | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    status: Literal["confirmed", "cancelled", "returned"] | None = None
    sort: _sort_type(selectors.ORDER_SORTS) | None = None  # type: ignore[valid-type]


@orders.get("/orders", response=PagedOrderOut)
def list_orders(request, filters: Query[OrderFilters], page: Query[PageIn]):
    """Orders the caller sees, each with its owner, account and net total: a count and one
    statement for the page, whatever its size."""
    count, items = selectors.order_page(
        actor=request.auth, offset=page.offset, limit=page.limit, **filters.dict()
    )
    return {"count": count, "items": items}


@orders.get("/orders/{id}", response={200: OrderDetailOut, **ERRORS})
def get_order(request, id: int):
    return selectors.access_order(actor=request.auth, id=id)


@orders.post("/orders", response={201: OrderDetailOut, **ERRORS})
def create_order(request, payload: OrderIn):
    actor = request.auth
    lines = []
    for ln in payload.lines:
        spec = ln.dict()
        product_id = spec.pop("product_id")
        spec["product"] = (
            None if product_id is None else selectors.access_product(actor=actor, id=product_id)
        )
        spec["splits"] = _splits(actor, ln.splits)
        lines.append(spec)
    order = services.order_create(
        actor=actor,
        order_date=payload.order_date,
        external_id=payload.external_id,
        owner=_member(actor, payload.owner_id),
        account=_account(actor, payload.account_id),
        currency=payload.currency,
        lines=lines,
    )
    return Status(201, selectors.access_order(actor=actor, id=order.pk))


@orders.patch("/orders/{id}", response={200: OrderDetailOut, **ERRORS})
def update_order(request, id: int, payload: OrderPatch):
    actor = request.auth
    order = selectors.access_order(actor=actor, id=id)
    changes = _patch(
        payload,
        {
            "owner_id": ("owner", lambda v: _member(actor, v)),
            "account_id": ("account", lambda v: _account(actor, v)),
        },
    )
    services.order_update(actor=actor, order=order, **changes)
    return selectors.access_order(actor=actor, id=id)


@orders.post("/orders/{id}/cancel-line", response={200: OrderDetailOut, **ERRORS})
def cancel_order_line(request, id: int, payload: LineCancelIn):
    """Cancel a confirmed line; revenue is taken back in the period of ``status_date``."""
    actor = request.auth
    line = selectors.access_order_line(actor=actor, order_id=id, line=payload.line)
    services.order_line_cancel(actor=actor, line=line, status_date=payload.status_date)
    return selectors.access_order(actor=actor, id=id)


@orders.post("/orders/{id}/return-line", response={201: OrderDetailOut, **ERRORS})
def return_order_line(request, id: int, payload: LineReturnIn):
    """Return some or all of a line: answers the credit-note order with its negative line."""
    actor = request.auth
    line = selectors.access_order_line(actor=actor, order_id=id, line=payload.line)
    credit = services.order_line_return(
        actor=actor, line=line, quantity=payload.quantity, return_date=payload.return_date
    )
    return Status(201, selectors.access_order(actor=actor, id=credit.order_id))


@orders.post("/orders/{id}/line-splits", response={200: OrderDetailOut, **ERRORS})
def set_order_line_splits(request, id: int, payload: LineSplitsIn):
    """Replace the credit split of one line (shares sum to 1; empty: all to the owner)."""
    actor = request.auth
    line = selectors.access_order_line(actor=actor, order_id=id, line=payload.line)
    services.order_line_set_splits(actor=actor, line=line, splits=_splits(actor, payload.splits))
    return selectors.access_order(actor=actor, id=id)


# --- activities -------------------------------------------------------------------------------

activities = Router(tags=["activities"])
ActivityTypeIn = Literal["call", "meeting", "email", "demo", "task"]


class ActivityOut(Schema):
    id: int
    external_id: str
    type: str
    occurred_at: dt.datetime
    owner: MemberRef
    account: Ref | None
    contact: Ref | None
    opportunity: Ref | None
    subject: str
    outcome: str
    duration_minutes: int | None
    done: bool


class ActivityIn(Schema):
    type: ActivityTypeIn
    occurred_at: dt.datetime | None = None
    external_id: str | None = Field(None, max_length=100)
    owner_id: Id | None = None
    account_id: Id | None = None
    contact_id: Id | None = None
    opportunity_id: Id | None = None
    subject: str = Text200
    outcome: str = Field("", max_length=500)
    duration_minutes: int | None = Field(None, ge=0, le=1440)
    done: bool = True


class ActivityPatch(Schema):
    type: ActivityTypeIn | None = None
    occurred_at: dt.datetime | None = None
    external_id: str | None = Field(None, min_length=1, max_length=100)
    owner_id: Id | None = None
    account_id: Id | None = None
    contact_id: Id | None = None
    opportunity_id: Id | None = None
    subject: str | None = Field(None, max_length=200)
    outcome: str | None = Field(None, max_length=500)
    duration_minutes: int | None = Field(None, ge=0, le=1440)
    done: bool | None = None


class ActivityFilters(Schema):
    search: str | None = Field(None, max_length=100)
    type: ActivityTypeIn | None = None
    owner_id: Id | None = None
    account_id: Id | None = None
    contact_id: Id | None = None
    opportunity_id: Id | None = None
    done: bool | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    sort: _sort_type(selectors.ACTIVITY_SORTS) | None = None  # type: ignore[valid-type]


def _activity_links(actor) -> dict[str, Any]:
    return {
        "owner_id": ("owner", lambda v: _member(actor, v)),
        "account_id": ("account", lambda v: _account(actor, v)),
        "contact_id": (
            "contact",
            lambda v: None if v is None else selectors.access_contact(actor=actor, id=v),
        ),
        "opportunity_id": ("opportunity", lambda v: None if v is None else _opportunity(actor, v)),
    }


@activities.get("/activities", response=list[ActivityOut])
@paginate(LimitOffsetPagination)
def list_activities(request, filters: Query[ActivityFilters]):
    return selectors.activity_list(actor=request.auth, **filters.dict())


@activities.get("/activities/{id}", response={200: ActivityOut, **ERRORS})
def get_activity(request, id: int):
    return selectors.access_activity(actor=request.auth, id=id)


@activities.post("/activities", response={201: ActivityOut, **ERRORS})
def create_activity(request, payload: ActivityIn):
    actor = request.auth
    data = _patch(payload, _activity_links(actor))
    for key in ("owner", "account", "contact", "opportunity"):
        data.setdefault(key, None)
    data.setdefault("type", payload.type)
    activity = services.activity_create(actor=actor, **data)
    return Status(201, selectors.access_activity(actor=actor, id=activity.pk))


@activities.patch("/activities/{id}", response={200: ActivityOut, **ERRORS})
def update_activity(request, id: int, payload: ActivityPatch):
    actor = request.auth
    activity = selectors.access_activity(actor=actor, id=id)
    changes = _patch(payload, _activity_links(actor))
    for key in ("type", "done"):
        if key in changes and changes[key] is None:
            changes.pop(key)
    services.activity_update(actor=actor, activity=activity, **changes)
    return selectors.access_activity(actor=actor, id=id)


for _sub in (accounts, contacts, leads, opportunities, pipelines, products, orders, activities):
    router.add_router("", _sub)
