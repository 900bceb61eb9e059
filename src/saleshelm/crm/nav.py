"""Menu entries of the sales pages (see ``saleshelm.web.navigation``)."""

from django.utils.translation import gettext_lazy as _

from saleshelm.crm.permissions import CATALOGUE_WRITERS, RATE_KEEPERS
from saleshelm.web.navigation import register

register(
    key="crm.board", section="sales", label=_("Pipeline board"), url_name="crm:board", order=10
)
register(
    key="crm.opportunities",
    section="sales",
    label=_("Opportunities"),
    url_name="crm:opportunities",
    order=20,
    active_for=(
        "crm:opportunity",
        "crm:opportunity_new",
        "crm:opportunity_edit",
        "crm:opportunity_splits",
    ),
)
register(
    key="crm.accounts",
    section="sales",
    label=_("Accounts"),
    url_name="crm:accounts",
    order=30,
    active_for=("crm:account", "crm:account_new", "crm:account_edit"),
)
register(
    key="crm.contacts",
    section="sales",
    label=_("Contacts"),
    url_name="crm:contacts",
    order=40,
    active_for=("crm:contact", "crm:contact_new", "crm:contact_edit"),
)
register(
    key="crm.leads",
    section="sales",
    label=_("Leads"),
    url_name="crm:leads",
    order=50,
    active_for=("crm:lead", "crm:lead_new", "crm:lead_edit", "crm:lead_convert"),
)
register(
    key="crm.orders",
    section="sales",
    label=_("Orders"),
    url_name="crm:orders",
    order=60,
    active_for=("crm:order", "crm:order_new"),
)
register(
    key="crm.activities",
    section="sales",
    label=_("Activities"),
    url_name="crm:activities",
    order=70,
    active_for=("crm:activity",),
)
register(
    key="crm.products",
    section="sales",
    label=_("Products"),
    url_name="crm:products",
    order=80,
    active_for=("crm:product", "crm:product_new", "crm:product_edit"),
)
register(
    key="crm.price_lists",
    section="sales",
    label=_("Price lists"),
    url_name="crm:price_lists",
    order=90,
    active_for=("crm:price_list", "crm:price_list_new", "crm:price_list_set_price"),
)
register(
    key="crm.pipelines",
    section="sales",
    label=_("Pipelines"),
    url_name="crm:pipelines",
    roles=CATALOGUE_WRITERS,
    order=100,
    active_for=("crm:pipeline_new", "crm:pipeline_edit"),
)
register(
    key="crm.rates",
    section="sales",
    label=_("Exchange rates"),
    url_name="crm:rates",
    roles=RATE_KEEPERS,
    order=110,
    active_for=("crm:rate_add",),
)
