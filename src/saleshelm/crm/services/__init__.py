"""Writes of the sales-operations core. Import from here: ``from saleshelm.crm import services``."""

from saleshelm.crm.services.activities import activity_create, activity_update
from saleshelm.crm.services.common import new_external_id
from saleshelm.crm.services.opportunities import (
    default_forecast_category,
    opportunity_create,
    opportunity_move_stage,
    opportunity_set_splits,
    opportunity_update,
)
from saleshelm.crm.services.orders import (
    line_amounts,
    order_create,
    order_line_cancel,
    order_line_return,
    order_line_set_splits,
    order_update,
)
from saleshelm.crm.services.pipelines import (
    DEFAULT_STAGES,
    pipeline_create,
    pipeline_ensure_default,
    pipeline_update,
)
from saleshelm.crm.services.products import (
    price_list_create,
    price_list_set_price,
    product_category_ensure,
    product_create,
    product_update,
)
from saleshelm.crm.services.rates import RateBook, exchange_rate_set, rate_on, to_reporting
from saleshelm.crm.services.records import (
    account_create,
    account_update,
    contact_create,
    contact_update,
    lead_convert,
    lead_create,
    lead_update,
)

__all__ = [
    "DEFAULT_STAGES",
    "RateBook",
    "account_create",
    "account_update",
    "activity_create",
    "activity_update",
    "contact_create",
    "contact_update",
    "default_forecast_category",
    "exchange_rate_set",
    "lead_convert",
    "lead_create",
    "lead_update",
    "line_amounts",
    "new_external_id",
    "opportunity_create",
    "opportunity_move_stage",
    "opportunity_set_splits",
    "opportunity_update",
    "order_create",
    "order_line_cancel",
    "order_line_return",
    "order_line_set_splits",
    "order_update",
    "pipeline_create",
    "pipeline_ensure_default",
    "pipeline_update",
    "price_list_create",
    "price_list_set_price",
    "product_category_ensure",
    "product_create",
    "product_update",
    "rate_on",
    "to_reporting",
]
