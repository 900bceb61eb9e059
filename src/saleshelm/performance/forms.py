"""Forms of the performance pages. They collect and shape input; services decide (STYLE.md).

Numbers are typed the reader's way (``localize``: ``1.500.000`` in Vietnamese, ``1,500,000``
in English). Seasonality patterns are typed as percentages, one per month of the period, and
must total exactly 100 %; the service receives them as exact fractions.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING, cast

from django import forms
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from saleshelm.core.errors import ApplicationError
from saleshelm.core.forms import LocalizedDecimalField
from saleshelm.core.periods import Period, parse_period, period_of
from saleshelm.performance.metrics import all_metrics
from saleshelm.performance.models import AssigneeType, Distribution

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

MAX_MONTHS = 12
HUNDRED = Decimal(100)


class ServiceForm(forms.Form):
    """A form whose data goes to a service; an ApplicationError becomes a form error."""

    def add_application_error(self, exc: ApplicationError) -> None:
        field = exc.field if exc.field in self.fields else None
        self.add_error(field, exc.message)


def _choice_field(form: forms.Form, name: str) -> forms.ChoiceField:
    """A field declared as a choice field, for setting its choices per request."""
    return cast(forms.ChoiceField, form.fields[name])


def _money_field(
    label, *, required: bool = True, help_text: StrOrPromise = ""
) -> forms.DecimalField:
    return LocalizedDecimalField(
        label=label,
        required=required,
        min_value=Decimal(0),
        max_digits=20,
        decimal_places=4,
        help_text=help_text,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )


# --- periods ----------------------------------------------------------------------------------


def month_label(day: dt.date) -> str:
    return date_format(day, "YEAR_MONTH_FORMAT")


def period_label(p: Period) -> str:
    """``July 2026``; ``2026-Q3 (Jul – Sep 2026)``; ``2026 (Jan – Dec 2026)``."""
    if p.kind == "month":
        return month_label(p.start)
    first = date_format(p.start, "M")
    last = date_format(p.end, "M Y")
    return f"{p.key} ({first} – {last})"


def shift(p: Period, steps: int, *, fiscal_start_month: int) -> Period:
    """The period ``steps`` periods of the same kind after ``p`` (before, when negative)."""
    if p.kind == "month":
        i = p.start.year * 12 + p.start.month - 1 + steps
        return parse_period(f"{i // 12:04d}-{i % 12 + 1:02d}")
    if p.kind == "quarter":
        year, q = int(p.key[:4]), int(p.key[-1])
        i = year * 4 + q - 1 + steps
        return parse_period(f"{i // 4:04d}-Q{i % 4 + 1}", fiscal_start_month=fiscal_start_month)
    return parse_period(f"{int(p.key) + steps:04d}", fiscal_start_month=fiscal_start_month)


def period_choices(
    today: dt.date, *, fiscal_start_month: int, selected: Period | None = None
) -> list[tuple[str, list[tuple[str, str]]]]:
    """Grouped choices for a period picker: fiscal years, quarters and months around today
    (newest first), plus the selected period when it lies further away."""
    fsm = fiscal_start_month
    year = period_of(today, "year", fiscal_start_month=fsm)
    quarter = period_of(today, "quarter", fiscal_start_month=fsm)
    month = period_of(today, "month")
    years = [shift(year, n, fiscal_start_month=fsm) for n in (1, 0, -1, -2)]
    quarters = [shift(quarter, n, fiscal_start_month=fsm) for n in range(2, -7, -1)]
    months = [shift(month, n, fiscal_start_month=fsm) for n in range(2, -16, -1)]
    groups = [
        (_("Quarters"), quarters),
        (_("Months"), months),
        (_("Fiscal years"), years),
    ]
    if selected is not None and not any(selected in ps for _label, ps in groups):
        kind_index = {"quarter": 0, "month": 1, "year": 2}[selected.kind]
        groups[kind_index][1].append(selected)
    return [(str(label), [(p.key, period_label(p)) for p in ps]) for label, ps in groups]


class PeriodField(forms.ChoiceField):
    def __init__(self, *, today: dt.date, fiscal_start_month: int, **kwargs):
        self.fiscal_start_month = fiscal_start_month
        kwargs.setdefault("label", _("Period"))
        super().__init__(
            choices=period_choices(today, fiscal_start_month=fiscal_start_month), **kwargs
        )

    def clean(self, value):
        value = super().clean(value)
        return parse_period(value, fiscal_start_month=self.fiscal_start_month) if value else None


# --- targets ----------------------------------------------------------------------------------


def metric_choices() -> list[tuple[str, str]]:
    return [(m.key, str(m.label)) for m in all_metrics()]


class WeightsMixin:
    """Twelve optional percentage inputs; the first N (months of the period) make a pattern."""

    fields: dict[str, forms.Field]  # provided by the form class this is mixed into

    def add_weight_fields(self, labels: list[str] | None = None) -> None:
        for i in range(MAX_MONTHS):
            label = labels[i] if labels and i < len(labels) else _("Month %(n)s") % {"n": i + 1}
            self.fields[f"w{i + 1}"] = LocalizedDecimalField(
                label=label,
                required=False,
                min_value=Decimal(0),
                max_value=HUNDRED,
                max_digits=9,
                decimal_places=4,
                widget=forms.TextInput(
                    attrs={"inputmode": "decimal", "autocomplete": "off", "class": "weight-input"}
                ),
            )

    def weight_fields(self):
        return [self[f"w{i + 1}"] for i in range(MAX_MONTHS) if f"w{i + 1}" in self.fields]

    def clean_weights(self, period: Period | None, dist: str | None) -> list[Decimal] | None:
        """The pattern as fractions summing to 1, or None for an even spread."""
        cleaned = self.cleaned_data  # type: ignore[attr-defined]
        if dist != Distribution.PATTERN or period is None:
            return None
        n = len(period.months)
        values = [cleaned.get(f"w{i + 1}") for i in range(MAX_MONTHS) if f"w{i + 1}" in self.fields]
        given, extra = values[:n], [v for v in values[n:] if v is not None]
        if extra:
            self.add_error(  # type: ignore[attr-defined]
                None,
                _("This period has %(n)s month(s): fill in only the first %(n)s month weights.")
                % {"n": n},
            )
            return None
        if any(v is None for v in given):
            self.add_error(  # type: ignore[attr-defined]
                None, _("Give a weight (in %%) for each of the %(n)s months.") % {"n": n}
            )
            return None
        total = sum(given, Decimal(0))
        if total != HUNDRED:
            from saleshelm.performance.charts import number

            self.add_error(  # type: ignore[attr-defined]
                None,
                _("The month weights add up to %(total)s %%; they must total exactly 100 %%.")
                % {"total": number(total, 2)},
            )
            return None
        return [v / HUNDRED for v in given]


class TargetForm(WeightsMixin, ServiceForm):
    """A new target: metric, period, assignee, value and its spread over the months."""

    metric = forms.ChoiceField(label=_("Metric"))
    assignee_type = forms.ChoiceField(
        label=_("Target for"), widget=forms.RadioSelect, initial=AssigneeType.MEMBER
    )
    member = forms.TypedChoiceField(label=_("Member"), required=False, coerce=int, empty_value=None)
    team = forms.TypedChoiceField(label=_("Team"), required=False, coerce=int, empty_value=None)
    territory = forms.TypedChoiceField(
        label=_("Territory"), required=False, coerce=int, empty_value=None
    )
    product_category = forms.TypedChoiceField(
        label=_("Product category"),
        required=False,
        coerce=int,
        empty_value=None,
        help_text=_(
            "With a member, team or territory: only their sales of this category count. "
            "As the assignee: the category's own target."
        ),
    )
    value = _money_field(_("Target value"))
    distribution = forms.ChoiceField(
        label=_("Spread over the months"),
        choices=Distribution.choices,
        widget=forms.RadioSelect,
        initial=Distribution.EVEN,
    )

    def __init__(
        self,
        *args,
        today: dt.date,
        fiscal_start_month: int,
        assignee_types: list[tuple[str, str]],
        members: list[tuple[int, str]],
        teams: list[tuple[int, str]],
        territories: list[tuple[int, str]],
        categories: list[tuple[int, str]],
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        _choice_field(self, "metric").choices = metric_choices()
        self.fields["period"] = PeriodField(today=today, fiscal_start_month=fiscal_start_month)
        self.order_fields(["metric", "period"])
        _choice_field(self, "assignee_type").choices = assignee_types
        none: list[tuple[int | str, str]] = [("", "—")]
        _choice_field(self, "member").choices = none + members
        _choice_field(self, "team").choices = none + teams
        _choice_field(self, "territory").choices = none + territories
        _choice_field(self, "product_category").choices = [("", _("All categories")), *categories]
        if not territories:
            del self.fields["territory"]
        if not categories:
            del self.fields["product_category"]
        self.fields["period"].initial = period_of(
            today, "quarter", fiscal_start_month=fiscal_start_month
        ).key
        self.add_weight_fields()

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("assignee_type")
        field = {
            AssigneeType.MEMBER: "member",
            AssigneeType.TEAM: "team",
            AssigneeType.TERRITORY: "territory",
            AssigneeType.PRODUCT_CATEGORY: "product_category",
        }.get(kind)
        if field and field in self.fields and not cleaned.get(field):
            self.add_error(field, _("Choose who the target is for."))
        cleaned["weights"] = self.clean_weights(cleaned.get("period"), cleaned.get("distribution"))
        return cleaned

    def service_kwargs(self, resolve) -> dict:
        """Keyword arguments of ``target_create``; ``resolve(kind, id)`` fetches the
        assignee through the access selectors (so an id from elsewhere is "not found")."""
        c = self.cleaned_data
        kind = c["assignee_type"]
        out = {
            "metric": c["metric"],
            "period": c["period"],
            "value": c["value"],
            "distribution": c["distribution"],
            "weights": c.get("weights"),
        }
        if kind != AssigneeType.PRODUCT_CATEGORY:
            out[kind] = resolve(kind, c[kind])
        if c.get("product_category"):
            out["product_category"] = resolve("product_category", c["product_category"])
        return out


class TargetEditForm(WeightsMixin, ServiceForm):
    """Change a target's value or spread; the metric, period and assignee stay."""

    value = _money_field(_("Target value"))
    distribution = forms.ChoiceField(
        label=_("Spread over the months"), choices=Distribution.choices, widget=forms.RadioSelect
    )
    reason = forms.CharField(
        label=_("Reason for the change"),
        required=False,
        max_length=500,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
        help_text=_("Kept in the audit log."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args, period: Period, **kwargs):
        self.period = period
        super().__init__(*args, **kwargs)
        labels = [month_label(m) for m in period.months]
        self.add_weight_fields(labels)
        for i in range(len(period.months), MAX_MONTHS):
            del self.fields[f"w{i + 1}"]

    def clean(self):
        cleaned = super().clean()
        cleaned["weights"] = self.clean_weights(self.period, cleaned.get("distribution"))
        return cleaned


def weight_initial(target) -> dict[str, Decimal]:
    """A pattern target's weights as percentages for the edit form."""
    out = {}
    for i, w in enumerate(target.weights or []):
        out[f"w{i + 1}"] = (Decimal(str(w)) * HUNDRED).normalize()
    return out


class TargetFilterForm(forms.Form):
    period = forms.ChoiceField(label=_("Period"), required=False)
    metric = forms.ChoiceField(label=_("Metric"), required=False)
    assignee_type = forms.ChoiceField(label=_("Target for"), required=False)
    team = forms.TypedChoiceField(label=_("Team"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args, today, fiscal_start_month, teams, **kwargs):
        super().__init__(*args, **kwargs)
        self.fiscal_start_month = fiscal_start_month
        _choice_field(self, "period").choices = [
            ("", _("Any period")),
            *period_choices(today, fiscal_start_month=fiscal_start_month),
        ]
        _choice_field(self, "metric").choices = [("", _("Any metric")), *metric_choices()]
        _choice_field(self, "assignee_type").choices = [("", _("Anyone")), *AssigneeType.choices]
        _choice_field(self, "team").choices = [("", _("Any team")), *teams]

    def selector_kwargs(self) -> dict:
        if not self.is_valid():
            return {}
        c = self.cleaned_data
        out: dict = {}
        if c.get("period"):
            out["period"] = parse_period(c["period"], fiscal_start_month=self.fiscal_start_month)
        if c.get("metric"):
            out["metric"] = c["metric"]
        if c.get("assignee_type"):
            out["assignee_type"] = c["assignee_type"]
        if c.get("team"):
            out["team_id"] = c["team"]
        return out


class AllocationForm(ServiceForm):
    """One value per member of the team's subtree; empty leaves the member out."""

    def __init__(self, *args, members: list[tuple[int, str]], initial_values: dict, **kwargs):
        super().__init__(*args, **kwargs)
        for member_id, name in members:
            self.fields[f"m{member_id}"] = _money_field(name, required=False)
            self.fields[f"m{member_id}"].widget.attrs["class"] = "alloc-input"
            if member_id in initial_values:
                self.fields[f"m{member_id}"].initial = initial_values[member_id]
        self.members = members

    def allocations(self) -> list[tuple[int, Decimal]]:
        return [
            (member_id, self.cleaned_data[f"m{member_id}"])
            for member_id, _name in self.members
            if self.cleaned_data.get(f"m{member_id}") is not None
        ]


# --- forecasts --------------------------------------------------------------------------------


class ForecastForm(ServiceForm):
    period = forms.CharField(widget=forms.HiddenInput, max_length=16)
    amount = _money_field(
        _("I expect to close"), help_text=_("Revenue you call for the period, all deals.")
    )
    commit = _money_field(_("Commit"), required=False)
    best_case = _money_field(_("Best case"), required=False)
    pipeline = _money_field(_("Pipeline"), required=False)
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What moved since your last call: deals won, slipped or added."),
    )

    def breakdown(self) -> dict[str, Decimal]:
        return {
            key: self.cleaned_data[key]
            for key in ("commit", "best_case", "pipeline")
            if self.cleaned_data.get(key) is not None
        }


class OverrideForm(ServiceForm):
    period = forms.CharField(widget=forms.HiddenInput, max_length=16)
    member = forms.IntegerField(widget=forms.HiddenInput, required=False)
    team = forms.IntegerField(widget=forms.HiddenInput, required=False)
    amount = _money_field(_("Your call"))
    reason = forms.CharField(
        label=_("Reason"),
        max_length=2000,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )

    def clean(self):
        cleaned = super().clean()
        if (cleaned.get("member") is None) == (cleaned.get("team") is None):
            raise forms.ValidationError(_("Override either a member's forecast or a team's."))
        return cleaned
