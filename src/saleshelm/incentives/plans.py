"""Commission plans as JSON (SPEC §7): parse, validate, normalise, and build the engine's plan.

A plan is stored as its *canonical* JSON: the same keys as written, numbers as decimal
strings exactly as given (``"0.10"`` stays ``"0.10"``; a JSON number ``0.1`` becomes
``"0.1"`` through ``str()``, never through float arithmetic), defaults filled in. Exporting
gives that JSON back, so ``import → export → import`` is a fixed point.

Every error names the JSON path of the offending value, e.g.
``components[0].tiers[2].from: tiers must ascend``; all errors are collected, the first one
is the message and the whole list is in ``errors``.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal, InvalidOperation
from typing import Any

from saleshelm.core.errors import ApplicationError
from saleshelm.core.money import is_currency
from saleshelm.incentives.engine import types as e

MAX_NUMBER = Decimal(10) ** 15
MAX_PLACES = 10
MAX_NAME = 120

TOP_KEYS = {
    "name",
    "currency",
    "measure",
    "pay",
    "effective_from",
    "effective_to",
    "clawback_days",
    "members",
    "components",
    "spiffs",
    "manager_override",
    "draw",
}
COMPONENT_KEYS = {
    "name",
    "basis",
    "filters",
    "tiers_on",
    "quota",
    "tiers",
    "mode",
    "applies_to",
    "cap",
    "threshold",
    "bonuses",
}
FILTER_KEYS = ("product_categories", "skus", "order_types", "segments")
SPIFF_KEYS = {"name", "skus", "categories", "min_quantity", "from", "to", "amount", "frequency"}


class _Errors:
    def __init__(self) -> None:
        self.items: list[dict[str, str]] = []

    def add(self, path: str, message: str) -> None:
        self.items.append({"field": path, "message": f"{path}: {message}" if path else message})

    def raise_if_any(self) -> None:
        if self.items:
            first = self.items[0]
            raise ApplicationError(
                first["message"],
                code="invalid_plan",
                field=first["field"] or None,
                extra={"errors": self.items},
            )


def loads(text: str | bytes) -> Any:
    """JSON with every non-integer number read as Decimal (never a float)."""
    try:
        return json.loads(text, parse_float=Decimal)
    except (ValueError, TypeError) as exc:
        raise ApplicationError(f"not valid JSON: {exc}", code="invalid_json") from None


def decimal_text(value: Decimal) -> str:
    """A Decimal as plain text, never in exponent form: ``Decimal("1E+3")`` -> ``"1000"``."""
    text = str(value)
    if "E" in text or "e" in text:
        text = format(value, "f")
    return text


class _Reader:
    def __init__(self, errors: _Errors) -> None:
        self.errors = errors

    def number(
        self,
        raw: Any,
        path: str,
        *,
        minimum: Decimal | None = Decimal(0),
        positive: bool = False,
        what: str = "value",
    ) -> tuple[Decimal, str] | None:
        if isinstance(raw, bool) or raw is None or isinstance(raw, (list, dict)):
            self.errors.add(path, 'must be a number (a string such as "0.10" or a number)')
            return None
        text = str(raw).strip()
        try:
            value = Decimal(text)
        except (InvalidOperation, ValueError):
            self.errors.add(path, f"{raw!r} is not a number")
            return None
        if not value.is_finite():
            self.errors.add(path, f"{raw!r} is not a number")
            return None
        # copy_abs, not abs(): abs() rounds in the context and overflows on 1e999999999.
        if value.copy_abs() >= MAX_NUMBER:
            self.errors.add(path, "is too large")
            return None
        exponent = value.as_tuple().exponent
        if isinstance(exponent, int) and -exponent > MAX_PLACES:
            self.errors.add(path, f"has more than {MAX_PLACES} decimal places")
            return None
        if positive and value <= 0:
            self.errors.add(path, f"{what} must be greater than 0")
            return None
        if minimum is not None and value < minimum:
            self.errors.add(path, f"{what} must not be negative")
            return None
        return value, decimal_text(value)

    def text(self, raw: Any, path: str, *, required: bool = True, limit: int = MAX_NAME) -> str:
        if raw is None and not required:
            return ""
        if not isinstance(raw, str) or not raw.strip():
            self.errors.add(path, "is required" if raw in (None, "") else "must be text")
            return ""
        value = raw.strip()
        if len(value) > limit:
            self.errors.add(path, f"at most {limit} characters")
        return value

    def choice(self, raw: Any, path: str, options: tuple[str, ...], default: str | None) -> str:
        if raw is None and default is not None:
            return default
        if raw not in options:
            self.errors.add(path, f"must be one of {', '.join(options)}")
            return options[0]
        return raw

    def date(self, raw: Any, path: str) -> dt.date | None:
        if not isinstance(raw, str):
            self.errors.add(path, "must be a date written 2026-07-01")
            return None
        try:
            return dt.date.fromisoformat(raw.strip())
        except ValueError:
            self.errors.add(path, f"{raw!r} is not a date (write 2026-07-01)")
            return None

    def strings(self, raw: Any, path: str) -> list[str]:
        if raw is None:
            return []
        if not isinstance(raw, list):
            self.errors.add(path, "must be a list of text")
            return []
        out: list[str] = []
        for i, item in enumerate(raw):
            if not isinstance(item, str) or not item.strip():
                self.errors.add(f"{path}[{i}]", "must be text")
                continue
            if len(item.strip()) > MAX_NAME:
                self.errors.add(f"{path}[{i}]", f"at most {MAX_NAME} characters")
                continue
            out.append(item.strip())
        return out

    def obj(self, raw: Any, path: str, keys: set[str] | tuple[str, ...]) -> dict | None:
        if not isinstance(raw, dict):
            self.errors.add(path, "must be an object")
            return None
        for key in raw:
            if key not in keys:
                self.errors.add(f"{path}.{key}" if path else str(key), "unknown field")
        return raw

    def integer(self, raw: Any, path: str, *, default: int, limit: int) -> int:
        if raw is None:
            return default
        if isinstance(raw, bool):
            self.errors.add(path, "must be a whole number")
            return default
        try:
            value = Decimal(str(raw).strip())
        except (InvalidOperation, ValueError):
            self.errors.add(path, "must be a whole number")
            return default
        if not value.is_finite() or value != value.to_integral_value():
            self.errors.add(path, "must be a whole number")
            return default
        if value < 0 or value > limit:
            self.errors.add(path, f"must be between 0 and {limit}")
            return default
        return int(value)


class ParsedPlan:
    """The outcome of parsing: the canonical JSON, the engine's plan, and the members."""

    def __init__(self, definition: dict, plan: e.Plan, members: list[str]) -> None:
        self.definition = definition
        self.plan = plan
        self.members = members

    @property
    def name(self) -> str:
        return self.definition["name"]

    @property
    def effective_from(self) -> dt.date:
        return dt.date.fromisoformat(self.definition["effective_from"])

    @property
    def effective_to(self) -> dt.date | None:
        raw = self.definition.get("effective_to")
        return dt.date.fromisoformat(raw) if raw else None


def _tiers(r: _Reader, raw: Any, path: str) -> tuple[list[dict], list[e.Tier]]:
    errors = r.errors
    if not isinstance(raw, list) or not raw:
        errors.add(path, "at least one tier is required")
        return [], []
    canonical: list[dict] = []
    tiers: list[e.Tier] = []
    kinds: set[str] = set()
    previous: Decimal | None = None
    for i, item in enumerate(raw):
        tp = f"{path}[{i}]"
        obj = r.obj(item, tp, {"from", "rate", "amount"})
        if obj is None:
            continue
        start = r.number(obj.get("from"), f"{tp}.from", what="from")
        has_rate, has_amount = "rate" in obj, "amount" in obj
        if has_rate == has_amount:
            errors.add(tp, 'give either "rate" or "amount"')
            continue
        kind = "rate" if has_rate else "amount"
        kinds.add(kind)
        value = r.number(obj[kind], f"{tp}.{kind}", what=kind)
        if start is not None:
            if previous is not None and start[0] <= previous:
                errors.add(f"{tp}.from", "tiers must ascend")
            previous = start[0]
        if start is None or value is None:
            continue
        canonical.append({"from": start[1], kind: value[1]})
        tiers.append(
            e.Tier(
                start[0],
                rate=value[0] if kind == "rate" else None,
                amount=value[0] if kind == "amount" else None,
            )
        )
    if len(kinds) > 1:
        errors.add(path, "all tiers of a component give a rate, or all give an amount")
    return canonical, tiers


def _component(r: _Reader, raw: Any, path: str) -> tuple[dict, e.Component | None]:
    errors = r.errors
    obj = r.obj(raw, path, COMPONENT_KEYS)
    if obj is None:
        return {}, None
    out: dict[str, Any] = {}
    name = r.text(obj.get("name"), f"{path}.name")
    out["name"] = name
    basis = r.choice(obj.get("basis"), f"{path}.basis", e.BASES, "revenue")
    out["basis"] = basis
    filters_raw = obj.get("filters")
    filters: dict[str, list[str]] = {}
    if filters_raw is not None:
        f = r.obj(filters_raw, f"{path}.filters", FILTER_KEYS)
        if f is not None:
            for key in FILTER_KEYS:
                values = r.strings(f.get(key), f"{path}.filters.{key}")
                if key == "skus":
                    values = [v.upper() for v in values]
                if key == "order_types":
                    values = [v.lower() for v in values]
                    for i, v in enumerate(values):
                        if v not in e.ORDER_TYPES:
                            errors.add(
                                f"{path}.filters.order_types[{i}]",
                                f"{v!r} is not an order type: one of {', '.join(e.ORDER_TYPES)}",
                            )
                if values:
                    filters[key] = values
        out["filters"] = filters
    tiers_on = r.choice(obj.get("tiers_on"), f"{path}.tiers_on", e.TIERS_ON, None)
    out["tiers_on"] = tiers_on
    quota: Decimal | str | None = None
    if obj.get("quota") is not None:
        if obj["quota"] == "target":
            quota = "target"
            out["quota"] = "target"
        else:
            parsed = r.number(obj["quota"], f"{path}.quota", positive=True, what="quota")
            if parsed is not None:
                quota = parsed[0]
                out["quota"] = parsed[1]
    mode = r.choice(obj.get("mode"), f"{path}.mode", e.MODES, "marginal")
    applies_to = r.choice(obj.get("applies_to"), f"{path}.applies_to", e.APPLIES_TO, "period")
    out["mode"] = mode
    out["applies_to"] = applies_to
    canonical_tiers, tiers = _tiers(r, obj.get("tiers"), f"{path}.tiers")
    out["tiers"] = canonical_tiers
    cap = threshold = None
    if obj.get("cap") is not None:
        parsed = r.number(obj["cap"], f"{path}.cap", what="cap")
        if parsed is not None:
            cap = parsed[0]
            out["cap"] = parsed[1]
    if obj.get("threshold") is not None:
        parsed = r.number(obj["threshold"], f"{path}.threshold", what="threshold")
        if parsed is not None:
            threshold = parsed[0]
            out["threshold"] = parsed[1]
    bonuses: list[e.Bonus] = []
    if obj.get("bonuses") is not None:
        if not isinstance(obj["bonuses"], list):
            errors.add(f"{path}.bonuses", "must be a list")
        else:
            canonical_bonuses = []
            seen: set[Decimal] = set()
            for i, item in enumerate(obj["bonuses"]):
                bp = f"{path}.bonuses[{i}]"
                b = r.obj(item, bp, {"at", "amount"})
                if b is None:
                    continue
                at = r.number(b.get("at"), f"{bp}.at", what="at")
                amount = r.number(b.get("amount"), f"{bp}.amount", what="amount")
                if at is None or amount is None:
                    continue
                if at[0] in seen:
                    errors.add(f"{bp}.at", "two bonuses at the same attainment")
                seen.add(at[0])
                canonical_bonuses.append({"at": at[1], "amount": amount[1]})
                bonuses.append(e.Bonus(at[0], amount[0]))
            if canonical_bonuses:
                out["bonuses"] = canonical_bonuses
    needs_quota = tiers_on == "attainment" or threshold is not None or bonuses
    if needs_quota and quota is None and obj.get("quota") is None:
        reason = (
            "is required when tiers_on is attainment"
            if tiers_on == "attainment"
            else "is required for a threshold or bonuses (they are measured on attainment)"
        )
        errors.add(f"{path}.quota", reason)
    if not tiers or errors.items:
        return out, None
    return out, e.Component(
        name=name,
        tiers=tuple(tiers),
        basis=basis,
        filters=e.Filters.of(**filters),
        tiers_on=tiers_on,
        quota=quota,
        mode=mode,
        applies_to=applies_to,
        cap=cap,
        threshold=threshold,
        bonuses=tuple(bonuses),
    )


def _spiff(r: _Reader, raw: Any, path: str) -> tuple[dict, e.Spiff | None]:
    errors = r.errors
    obj = r.obj(raw, path, SPIFF_KEYS)
    if obj is None:
        return {}, None
    out: dict[str, Any] = {"name": r.text(obj.get("name"), f"{path}.name")}
    skus = [s.upper() for s in r.strings(obj.get("skus"), f"{path}.skus")]
    categories = r.strings(obj.get("categories"), f"{path}.categories")
    if not skus and not categories:
        errors.add(path, "name the skus or the categories that qualify")
    if skus:
        out["skus"] = skus
    if categories:
        out["categories"] = categories
    min_quantity = Decimal(1)
    if obj.get("min_quantity") is not None:
        parsed = r.number(obj["min_quantity"], f"{path}.min_quantity", what="min_quantity")
        if parsed is not None:
            min_quantity = parsed[0]
            integral = parsed[0] == parsed[0].to_integral_value()
            out["min_quantity"] = int(parsed[0]) if integral else parsed[1]
    else:
        out["min_quantity"] = 1
    start = r.date(obj.get("from"), f"{path}.from")
    end = r.date(obj.get("to"), f"{path}.to")
    if start and end and end < start:
        errors.add(f"{path}.to", "must not be before from")
    out["from"] = start.isoformat() if start else None
    out["to"] = end.isoformat() if end else None
    amount = r.number(obj.get("amount"), f"{path}.amount", what="amount")
    if amount is not None:
        out["amount"] = amount[1]
    frequency = r.choice(obj.get("frequency"), f"{path}.frequency", e.FREQUENCIES, "every_time")
    out["frequency"] = frequency
    if errors.items or amount is None or start is None or end is None:
        return out, None
    return out, e.Spiff(
        name=out["name"],
        amount=amount[0],
        start=start,
        end=end,
        skus=frozenset(s.casefold() for s in skus),
        categories=frozenset(c.casefold() for c in categories),
        min_quantity=min_quantity,
        frequency=frequency,
    )


def parse_plan(raw: Any) -> ParsedPlan:
    """Validate a plan written as JSON (already loaded) and normalise it."""
    errors = _Errors()
    r = _Reader(errors)
    obj = r.obj(raw, "", TOP_KEYS)
    if obj is None:
        errors.raise_if_any()
        raise AssertionError("unreachable")
    d: dict[str, Any] = {}
    d["name"] = r.text(obj.get("name"), "name")
    currency = obj.get("currency")
    if not isinstance(currency, str) or not is_currency(currency.strip().upper()):
        errors.add("currency", "must be an ISO 4217 code such as USD or VND")
        currency = "USD"
    d["currency"] = currency.strip().upper()
    d["measure"] = r.choice(obj.get("measure"), "measure", e.PERIOD_KINDS, None)
    d["pay"] = r.choice(obj.get("pay"), "pay", e.PERIOD_KINDS, None)
    if (
        d["measure"] in e.PERIOD_MONTHS
        and d["pay"] in e.PERIOD_MONTHS
        and e.PERIOD_MONTHS[d["pay"]] > e.PERIOD_MONTHS[d["measure"]]
    ):
        errors.add(
            "pay", "cannot be longer than measure (pay each measurement period or more often)"
        )
    start = r.date(obj.get("effective_from"), "effective_from")
    d["effective_from"] = start.isoformat() if start else None
    if obj.get("effective_to") is not None:
        end = r.date(obj.get("effective_to"), "effective_to")
        if start and end and end < start:
            errors.add("effective_to", "must not be before effective_from")
        d["effective_to"] = end.isoformat() if end else None
    d["clawback_days"] = r.integer(obj.get("clawback_days"), "clawback_days", default=0, limit=3660)
    members = r.strings(obj.get("members"), "members")
    lowered = [m.lower() for m in members]
    for i, email in enumerate(lowered):
        if "@" not in email:
            errors.add(f"members[{i}]", f"{email!r} is not an email address")
        elif email in lowered[:i]:
            errors.add(f"members[{i}]", f"{email} is listed twice")
    d["members"] = lowered
    components: list[e.Component] = []
    d["components"] = []
    raw_components = obj.get("components", [])
    if not isinstance(raw_components, list):
        errors.add("components", "must be a list")
        raw_components = []
    names: set[str] = set()
    for i, item in enumerate(raw_components):
        path = f"components[{i}]"
        canonical, component = _component(r, item, path)
        d["components"].append(canonical)
        name = canonical.get("name")
        if name:
            if name.casefold() in names:
                errors.add(f"{path}.name", f"{name!r} is used twice")
            names.add(name.casefold())
        if component is not None:
            components.append(component)
    spiffs: list[e.Spiff] = []
    if obj.get("spiffs") is not None:
        if not isinstance(obj["spiffs"], list):
            errors.add("spiffs", "must be a list")
        else:
            d["spiffs"] = []
            for i, item in enumerate(obj["spiffs"]):
                path = f"spiffs[{i}]"
                canonical, spiff = _spiff(r, item, path)
                d["spiffs"].append(canonical)
                name = canonical.get("name")
                if name:
                    if name.casefold() in names:
                        errors.add(f"{path}.name", f"{name!r} is used twice")
                    names.add(name.casefold())
                if spiff is not None:
                    spiffs.append(spiff)
    override_rate = None
    if obj.get("manager_override") is not None:
        mo = r.obj(obj["manager_override"], "manager_override", {"rate"})
        if mo is not None:
            parsed = r.number(mo.get("rate"), "manager_override.rate", what="rate")
            if parsed is not None:
                override_rate = parsed[0]
                d["manager_override"] = {"rate": parsed[1]}
    draw = None
    if obj.get("draw") is not None:
        dr = r.obj(obj["draw"], "draw", {"amount", "recoverable"})
        if dr is not None:
            parsed = r.number(dr.get("amount"), "draw.amount", positive=True, what="amount")
            recoverable = dr.get("recoverable", False)
            if not isinstance(recoverable, bool):
                errors.add("draw.recoverable", "must be true or false")
                recoverable = False
            if parsed is not None:
                draw = e.Draw(parsed[0], recoverable)
                d["draw"] = {"amount": parsed[1], "recoverable": recoverable}
    if not raw_components and not spiffs and override_rate is None and draw is None:
        errors.add("components", "a plan needs at least one component, SPIFF, override or draw")
    errors.raise_if_any()
    d = {k: v for k, v in d.items() if v is not None}
    plan = e.Plan(
        name=d["name"],
        currency=d["currency"],
        measure=d["measure"],
        pay=d["pay"],
        clawback_days=d["clawback_days"],
        components=tuple(components),
        spiffs=tuple(spiffs),
        override_rate=override_rate,
        draw=draw,
    )
    return ParsedPlan(d, plan, lowered)


def engine_plan(definition: dict) -> e.Plan:
    """The engine's plan from a stored canonical definition."""
    return parse_plan(definition).plan


def export_definition(definition: dict, members: list[str]) -> dict:
    """The plan's JSON as it is imported: the canonical definition with its members."""
    out = dict(definition)
    out["members"] = list(members)
    order = [
        "name",
        "currency",
        "measure",
        "pay",
        "effective_from",
        "effective_to",
        "clawback_days",
        "members",
        "components",
        "spiffs",
        "manager_override",
        "draw",
    ]
    return {k: out[k] for k in order if k in out}
