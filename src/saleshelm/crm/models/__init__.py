"""Sales-operations core models (SPEC §3). Import from here: ``from saleshelm.crm.models import Order``."""

from saleshelm.crm.models.accounts import Account, Contact, Lead, LeadStatus
from saleshelm.crm.models.activities import Activity, ActivityType
from saleshelm.crm.models.opportunities import (
    ForecastCategory,
    Opportunity,
    OpportunitySplit,
    Pipeline,
    Stage,
    StageChange,
    StageKind,
)
from saleshelm.crm.models.orders import (
    Order,
    OrderCount,
    OrderLine,
    OrderLineSplit,
    OrderLineStatus,
)
from saleshelm.crm.models.products import PriceList, PriceListItem, Product, ProductCategory
from saleshelm.crm.models.rates import ExchangeRate

__all__ = [
    "Account",
    "Activity",
    "ActivityType",
    "Contact",
    "ExchangeRate",
    "ForecastCategory",
    "Lead",
    "LeadStatus",
    "Opportunity",
    "OpportunitySplit",
    "Order",
    "OrderCount",
    "OrderLine",
    "OrderLineSplit",
    "OrderLineStatus",
    "Pipeline",
    "PriceList",
    "PriceListItem",
    "Product",
    "ProductCategory",
    "Stage",
    "StageChange",
    "StageKind",
]
