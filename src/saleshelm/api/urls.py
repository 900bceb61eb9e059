"""Assembles the routers of every app under /api/v1/."""

from ninja import NinjaAPI

from saleshelm.api.auth import api_auth
from saleshelm.api.errors import install_error_handlers

api = NinjaAPI(
    title="SalesHelm API",
    version="1",
    description=(
        "Sales management API. Authenticate with `Authorization: Bearer <token>` "
        '(`saleshelm token create`). Lists answer `{"count": N, "items": [...]}` with '
        '`limit`/`offset`; errors answer `{"code": ..., "message": ...}`.'
    ),
    auth=api_auth,
    urls_namespace="api",
    docs_url="/docs",
    openapi_url="/openapi.json",
)
install_error_handlers(api)

# One line per app; the order is the order of the OpenAPI document.
ROUTERS = [
    ("saleshelm.tenancy.api", "router"),
    ("saleshelm.people.api", "router"),
    ("saleshelm.direction.api", "router"),
    ("saleshelm.crm.api", "router"),
    ("saleshelm.performance.api", "router"),
    ("saleshelm.tenancy.api", "audit_router"),
    ("saleshelm.incentives.api", "router"),
    ("saleshelm.incentives.api_motivation", "router"),
    ("saleshelm.development.api", "router"),
    ("saleshelm.imports.api", "router"),
]

for module_path, attr in ROUTERS:
    module = __import__(module_path, fromlist=[attr])
    api.add_router("/", getattr(module, attr))

urlpatterns = api.urls
