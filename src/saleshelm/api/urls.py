"""Assembles the routers of every app under /api/v1/."""

from ninja import NinjaAPI

from saleshelm.api.auth import api_auth
from saleshelm.api.errors import install_error_handlers
from saleshelm.api.schemas import COMMON_ERRORS


class SalesHelmAPI(NinjaAPI):
    """Documents, on every operation, the errors the shared handlers answer with, so the
    schema tells a client (and schemathesis) every status it can receive."""

    def get_openapi_schema(self, *args, **kwargs):
        schema = super().get_openapi_schema(*args, **kwargs)
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        for _description, model in COMMON_ERRORS.values():
            definition = model.model_json_schema(ref_template="#/components/schemas/{model}")
            for name, nested in definition.pop("$defs", {}).items():
                components.setdefault(name, nested)
            components.setdefault(model.__name__, definition)
        for operations in schema["paths"].values():
            for operation in operations.values():
                responses = operation.setdefault("responses", {})
                for status, (description, model) in COMMON_ERRORS.items():
                    if status in responses or str(status) in responses:
                        continue
                    responses.setdefault(
                        status,
                        {
                            "description": description,
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": f"#/components/schemas/{model.__name__}"}
                                }
                            },
                        },
                    )
        return schema


api = SalesHelmAPI(
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
