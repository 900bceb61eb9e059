"""The commission plan form: a plan's settings, its first component and that component's
tiers, written as the same JSON the import takes (SPEC §7). Saving imports a new version
through ``plan_import``, so the rules live once (saleshelm.incentives.plans); the form only
collects input and shows the import's errors next to the fields they name.

What the form does not show (further components, SPIFFs, manager override, draw) is kept as
it is in the plan's latest version.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from saleshelm.core.errors import ApplicationError
from saleshelm.core.forms import LocalizedDecimalField, delocalize_number
from saleshelm.incentives.engine import types as e
from saleshelm.incentives.forms_motivation import DATE, MembersField
from saleshelm.incentives.models.plans import PeriodKind
from saleshelm.incentives.plans import decimal_text, parse_plan
from saleshelm.people.selectors import member_list

TIER_ROWS = 6
BASIS_CHOICES = [
    ("revenue", _("Revenue")),
    ("gross_margin", _("Gross margin")),
    ("units", _("Units")),
]
TIERS_ON_CHOICES = [("attainment", _("Attainment of quota")), ("amount", _("Credited amount"))]
QUOTA_CHOICES = [("target", _("Each member's target")), ("fixed", _("A fixed quota"))]
MODE_CHOICES = [
    ("marginal", _("Marginal: each slice at its own tier's rate")),
    ("retroactive", _("Retroactive: everything at the rate of the tier reached")),
]
APPLIES_CHOICES = [("period", _("The period to date")), ("order", _("Each order on its own"))]
_TIER_PATH = re.compile(r"^components\[0\]\.tiers\[(\d+)\](?:\.(from|rate))?$")
_COMPONENT_PATH = re.compile(r"^components\[0\]\.(\w+)")
COMPONENT_FIELDS = {
    "name": "component",
    "basis": "basis",
    "tiers_on": "tiers_on",
    "quota": "quota_amount",
    "mode": "mode",
    "applies_to": "applies_to",
    "cap": "cap",
    "threshold": "threshold",
}


def _decimal(required: bool = False, **kw) -> forms.DecimalField:
    return LocalizedDecimalField(required=required, max_digits=25, decimal_places=10, **kw)


class PlanForm(forms.Form):
    name = forms.CharField(label=_("Plan name"), max_length=120)
    currency = forms.CharField(label=_("Currency"), max_length=3, min_length=3)
    measure = forms.ChoiceField(label=_("Measured per"), choices=PeriodKind.choices)
    pay = forms.ChoiceField(label=_("Paid per"), choices=PeriodKind.choices)
    effective_from = forms.DateField(
        label=_("In force from"),
        help_text=_("Saving adds a new version from this day; earlier periods keep theirs."),
        **DATE,
    )
    clawback_days = forms.IntegerField(
        label=_("Clawback window (days)"), min_value=0, max_value=3660, initial=90
    )
    members = MembersField(
        label=_("Members on the plan"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "check-list"}),
    )
    component = forms.CharField(label=_("Component name"), max_length=120, initial="Revenue")
    basis = forms.ChoiceField(label=_("Paid on"), choices=BASIS_CHOICES)
    tiers_on = forms.ChoiceField(
        label=_("Tiers measured on"), choices=TIERS_ON_CHOICES, widget=forms.RadioSelect
    )
    quota_kind = forms.ChoiceField(
        label=_("Quota"), choices=QUOTA_CHOICES, widget=forms.RadioSelect, initial="target"
    )
    quota_amount = _decimal(label=_("Fixed quota"), min_value=Decimal(0))
    mode = forms.ChoiceField(label=_("Tier mode"), choices=MODE_CHOICES, widget=forms.RadioSelect)
    applies_to = forms.ChoiceField(
        label=_("Tiers apply to"), choices=APPLIES_CHOICES, widget=forms.RadioSelect
    )
    threshold = _decimal(
        label=_("Threshold (attainment)"),
        min_value=Decimal(0),
        help_text=_("Nothing is paid below this attainment, bonuses included (e.g. 0.5)."),
    )
    cap = _decimal(
        label=_("Cap per period"),
        min_value=Decimal(0),
        help_text=_("The most the component pays in a period, bonuses included."),
    )

    def __init__(self, *args, actor, base: dict | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.actor = actor
        self.base = base or {}
        members = member_list(actor=actor).order_by("user__full_name")
        self.fields["members"].queryset = members  # type: ignore[attr-defined]
        self.tier_errors: dict[int, list[str]] = {}
        self.definition: dict[str, Any] | None = None
        if self.base.get("name"):
            # A new version of this plan: the name says which plan (import upserts by name).
            self.fields["name"].disabled = True
            self.initial["name"] = self.base["name"]

    # -- tiers: TIER_ROWS rows of (from, rate), blank rows ignored

    def tier_rows(self) -> list[dict[str, Any]]:
        source = self.data if self.is_bound else None
        rows = []
        for i in range(TIER_ROWS):
            if source is not None:
                start = (source.get(f"tier-{i}-from") or "").strip()
                rate = (source.get(f"tier-{i}-rate") or "").strip()
            else:
                tiers = self.initial.get("tiers", [])
                tier = tiers[i] if i < len(tiers) else {}
                start = tier.get("from", "")
                rate = tier.get("rate", "")
            rows.append(
                {
                    "index": str(i),
                    "from": start,
                    "rate": rate,
                    "errors": self.tier_errors.get(i, []),
                }
            )
        return rows

    def _tiers(self) -> list[dict[str, str]]:
        tiers: list[dict[str, str]] = []
        self._tier_index: list[int] = []
        for row in self.tier_rows():
            i = int(row["index"])
            if not row["from"] and not row["rate"]:
                continue
            problems = []
            for key in ("from", "rate"):
                try:
                    value = Decimal(delocalize_number(row[key]))
                    if not value.is_finite():
                        raise ValueError
                except Exception:
                    problems.append(_("%(what)s: enter a number") % {"what": key})
                    continue
                if value < 0:
                    problems.append(_("%(what)s must not be negative") % {"what": key})
            if problems:
                self.tier_errors[i] = [str(p) for p in problems]
                continue
            tiers.append(
                {"from": delocalize_number(row["from"]), "rate": delocalize_number(row["rate"])}
            )
            self._tier_index.append(i)
        if not tiers and not self.tier_errors:
            self.add_error(None, _("Give at least one tier."))
        return tiers

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        tiers = self._tiers()
        if self.errors or self.tier_errors:
            return data
        component: dict[str, Any] = {
            "name": data["component"],
            "basis": data["basis"],
            "tiers_on": data["tiers_on"],
            "mode": data["mode"],
            "applies_to": data["applies_to"],
            "tiers": tiers,
        }
        if data["quota_kind"] == "target":
            component["quota"] = "target"
        elif data.get("quota_amount") is not None:
            component["quota"] = decimal_text(data["quota_amount"])
        for key in ("threshold", "cap"):
            if data.get(key) is not None:
                component[key] = decimal_text(data[key])
        kept = (self.base.get("components") or [])[:1]
        if kept and kept[0].get("bonuses"):
            component["bonuses"] = kept[0]["bonuses"]
        if kept and kept[0].get("filters"):
            component["filters"] = kept[0]["filters"]
        definition: dict[str, Any] = {
            **{k: v for k, v in self.base.items() if k not in ("members", "effective_to")},
            "name": data["name"],
            "currency": data["currency"].upper(),
            "measure": data["measure"],
            "pay": data["pay"],
            "effective_from": data["effective_from"].isoformat(),
            "clawback_days": data["clawback_days"],
            "members": [m.user.email for m in data.get("members") or []],
            "components": [component, *(self.base.get("components") or [])[1:]],
        }
        try:
            self.parsed = parse_plan(definition)
        except ApplicationError as exc:
            self.add_application_error(exc)
            return data
        self.definition = definition
        return data

    def full_clean(self) -> None:
        super().full_clean()
        if self.is_bound and self.tier_errors and not self.non_field_errors():
            self.add_error(None, _("Check the tiers: each row's problem is shown beside it."))

    def add_application_error(self, exc: ApplicationError) -> None:
        items = (exc.extra or {}).get("errors") or [{"field": exc.field, "message": exc.message}]
        for item in items:
            path = item.get("field") or ""
            message = item["message"]
            tier = _TIER_PATH.match(path)
            if tier and int(tier.group(1)) < len(getattr(self, "_tier_index", [])):
                row = self._tier_index[int(tier.group(1))]
                self.tier_errors.setdefault(row, []).append(message.split(": ", 1)[-1])
                continue
            comp = _COMPONENT_PATH.match(path)
            field = COMPONENT_FIELDS.get(comp.group(1)) if comp else path.split("[")[0]
            if field == "members" or field not in self.fields:
                field = None
            self.add_error(field, message)

    def preview_component(self) -> e.Component | None:
        """The component as entered, for the curve (None until the tiers are valid)."""
        if self.is_bound:
            if not self.is_valid() or self.definition is None:
                return None
            return self.parsed.plan.components[0]
        try:
            return parse_plan(self.base).plan.components[0] if self.base else None
        except (ApplicationError, IndexError):
            return None


def initial_from(definition: dict, members: list) -> dict[str, Any]:
    comp = (definition.get("components") or [{}])[0]
    quota = comp.get("quota")
    return {
        "name": definition.get("name", ""),
        "currency": definition.get("currency", ""),
        "measure": definition.get("measure", "quarter"),
        "pay": definition.get("pay", "month"),
        "effective_from": definition.get("effective_from"),
        "clawback_days": definition.get("clawback_days", 0),
        "members": members,
        "component": comp.get("name", "Revenue"),
        "basis": comp.get("basis", "revenue"),
        "tiers_on": comp.get("tiers_on", "attainment"),
        "quota_kind": "target" if quota in (None, "target") else "fixed",
        "quota_amount": None if quota in (None, "target") else quota,
        "mode": comp.get("mode", "marginal"),
        "applies_to": comp.get("applies_to", "period"),
        "threshold": comp.get("threshold"),
        "cap": comp.get("cap"),
        "tiers": comp.get("tiers", []),
    }


NEW_PLAN_INITIAL: dict[str, Any] = {
    "measure": "quarter",
    "pay": "month",
    "clawback_days": 90,
    "component": "Revenue",
    "basis": "revenue",
    "tiers_on": "attainment",
    "quota_kind": "target",
    "mode": "marginal",
    "applies_to": "period",
    "tiers": [
        {"from": "0", "rate": "0.04"},
        {"from": "1.0", "rate": "0.06"},
        {"from": "1.5", "rate": "0.08"},
    ],
}


# --- pay desk: runs and disputes ----------------------------------------------------------


class _ServiceForm(forms.Form):
    def add_application_error(self, exc: ApplicationError) -> None:
        field = exc.field if exc.field in self.fields else None
        self.add_error(field, exc.message)


class RunCreateForm(_ServiceForm):
    """A run of one period (month, quarter or year) for one plan, or for all plans."""

    period = forms.CharField(
        label=_("Period"),
        max_length=16,
        help_text=_("A month (2026-07), a quarter (2026-Q3) or a year (2026)."),
    )
    plan = forms.ChoiceField(label=pgettext_lazy("commission plan", "Plan"), required=False)

    def __init__(self, *args, plans: list, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.plans = {str(p.pk): p for p in plans}
        field = self.fields["plan"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", _("All plans"))] + [(str(p.pk), p.name) for p in plans]

    def clean_period(self) -> str:
        return self.cleaned_data["period"].strip().upper()

    def clean_plan(self):
        raw = self.cleaned_data.get("plan") or ""
        return self.plans.get(raw)


class UnlockForm(_ServiceForm):
    reason = forms.CharField(
        label=_("Why unlock this run?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class DisputeForm(_ServiceForm):
    comment = forms.CharField(
        label=_("What is wrong with this line?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


RESOLVE_CHOICES = [
    ("adjust", _("Accept: pay an adjustment")),
    ("reject", _("Reject")),
]


class ResolveForm(_ServiceForm):
    """Accept with a (signed) adjustment paid in the next open period, or reject; a note
    either way. The rules (amount required to adjust, never zero) live in dispute_resolve."""

    action = forms.ChoiceField(
        label=_("Decision"), choices=RESOLVE_CHOICES, widget=forms.RadioSelect
    )
    amount = LocalizedDecimalField(
        label=_("Adjustment amount"),
        required=False,
        max_digits=19,
        decimal_places=4,
        help_text=_("Needed to accept. Paid in the next open period; negative to take money back."),
    )
    reason = forms.CharField(
        label=_("Note to the member"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean(self):
        data = super().clean()
        no_amount = data.get("action") == "adjust" and data.get("amount") is None
        if no_amount and "amount" not in self.errors:
            self.add_error("amount", _("Give the amount to pay."))
        return data
