"""Assembles the routers of every app under /api/v1/."""

import json
from decimal import Decimal
from typing import Any

from ninja import NinjaAPI
from ninja.parser import Parser

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


# A JSON number beyond this power of ten is refused (400) before any field sees it: as a
# float it was infinity or zero, as a Decimal an exponent of a billion would make an integer
# field build a billion-digit number.
MAX_JSON_EXPONENT = 1000


def _json_decimal(text: str) -> Decimal:
    value = Decimal(text)
    if abs(value.adjusted()) > MAX_JSON_EXPONENT:
        raise ValueError("a number out of range")
    return value


class DecimalJSONParser(Parser):
    """Request bodies with every JSON number that has a fraction or an exponent read as a
    ``Decimal``: ``1234567890123.4567`` sent as a number arrives digit for digit (through a
    float it would be ``…4568``). Integers stay integers (SPEC §11.3)."""

    def parse_body(self, request) -> dict[str, Any]:
        return json.loads(request.body, parse_float=_json_decimal)


api = SalesHelmAPI(
    title="SalesHelm API",
    version="1",
    description=(
        "Sales management API. Authenticate with `Authorization: Bearer <token>` "
        '(`saleshelm token create`). Lists answer `{"count": N, "items": [...]}` with '
        '`limit`/`offset`; errors answer `{"code": ..., "message": ...}`.'
    ),
    auth=api_auth,
    parser=DecimalJSONParser(),
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
