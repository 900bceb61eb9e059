"""Forms of the set-up pages: exchange rates, price lists, pipelines and their stages."""

from __future__ import annotations

from decimal import Decimal
from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from saleshelm.core.money import CURRENCIES
from saleshelm.crm import selectors
from saleshelm.crm.forms import DATE, ServiceForm
from saleshelm.crm.models import ForecastCategory, StageKind

PERCENT_STEP = Decimal("0.01")


def percent_to_fraction(value: Decimal | None) -> Decimal | None:
    """A percentage typed by a person (2 places) as the fraction the services keep."""
    return None if value is None else (value / 100).quantize(Decimal("0.0001"))


class ExchangeRateForm(ServiceForm):
    currency = forms.ChoiceField(label=_("Currency"))
    rate_date = forms.DateField(label=_("From"), **DATE)
    rate = forms.DecimalField(
        label=_("Rate"),
        min_value=Decimal("0.0000000001"),
        max_digits=20,
        decimal_places=10,
        widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}),
    )

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        reporting = actor.organisation.currency
        self.fields["currency"].choices = [(c, c) for c in CURRENCIES if c != reporting]
        self.fields["rate"].help_text = _(
            "Units of %(reporting)s for one unit of the currency, from that day on."
        ) % {"reporting": reporting}


class PriceListForm(ServiceForm):
    name = forms.CharField(label=_("Name"), max_length=120)
    currency = forms.ChoiceField(label=_("Currency"))
    is_default = forms.BooleanField(label=_("Default price list"), required=False)

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["currency"].choices = [(c, c) for c in CURRENCIES]
        self.fields["currency"].initial = actor.organisation.currency


class PriceListPriceForm(ServiceForm):
    """Set (add or change) the price of one product on a price list."""

    sku = forms.CharField(
        label=_("Product SKU"),
        max_length=64,
        widget=forms.TextInput(attrs={"list": "product-skus", "autocomplete": "off"}),
    )
    unit_price = forms.DecimalField(label=_("Price"), min_value=0, max_digits=20, decimal_places=4)

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.actor = actor

    def clean_sku(self):
        product = selectors.product_by_sku(actor=self.actor, sku=self.cleaned_data["sku"])
        if product is None:
            raise forms.ValidationError(_("No product with this SKU."))
        self.cleaned_data["product"] = product
        return product.sku


class PipelineForm(ServiceForm):
    name = forms.CharField(label=_("Name"), max_length=120)
    is_default = forms.BooleanField(
        label=_("Default pipeline"),
        required=False,
        help_text=_("New deals go into the default pipeline unless another is chosen."),
    )


OPEN_FORECASTS = [c for c in ForecastCategory.choices if c[0] != ForecastCategory.CLOSED]


class StageForm(forms.Form):
    id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    name = forms.CharField(label=_("Stage"), max_length=120)
    kind = forms.ChoiceField(label=_("Kind"), choices=StageKind.choices, initial=StageKind.OPEN)
    probability = forms.DecimalField(
        label=_("Probability (%)"),
        min_value=0,
        max_value=100,
        decimal_places=2,
        required=False,
        help_text=_("Empty: 100 for won stages, 0 for open and lost ones."),
    )
    forecast_category = forms.ChoiceField(
        label=_("Forecast category"),
        required=False,
        choices=[("", _("From the probability")), *OPEN_FORECASTS],
    )

    def clean(self):
        data = super().clean()
        if data.get("kind") and data["kind"] != StageKind.OPEN and data.get("forecast_category"):
            self.add_error("forecast_category", _("Won and lost stages are always in “Closed”."))
        return data


class BaseStageFormSet(forms.BaseFormSet):
    def clean(self):
        super().clean()
        if any(self.errors):
            return
        names = set()
        kinds = set()
        for form in self._kept():
            name = form.cleaned_data["name"].strip().lower()
            if name in names:
                raise forms.ValidationError(
                    _("Stage “%(name)s” appears twice.") % {"name": form.cleaned_data["name"]}
                )
            names.add(name)
            kinds.add(form.cleaned_data["kind"])
        if kinds != {StageKind.OPEN, StageKind.WON, StageKind.LOST}:
            raise forms.ValidationError(
                _("A pipeline needs at least one open, one won and one lost stage.")
            )

    def _kept(self):
        """Existing stages not marked for deletion, and the new rows someone filled in."""
        for i, form in enumerate(self.forms):
            if self._should_delete_form(form):
                continue
            if i < self.initial_form_count() or form.has_changed():
                yield form

    def add_error_message(self, message: str) -> None:
        self._non_form_errors = self.error_class([message])

    def stages(self) -> list[dict]:
        """The kept stages in order, shaped for ``pipeline_create`` and ``pipeline_update``."""
        out = []
        for form in self._kept():
            data = form.cleaned_data
            out.append(
                {
                    "id": data.get("id"),
                    "name": data["name"],
                    "kind": data["kind"],
                    "probability": percent_to_fraction(data.get("probability")),
                    "forecast_category": data.get("forecast_category") or "",
                }
            )
        return out


StageFormSet = cast(
    type[BaseStageFormSet],
    forms.formset_factory(
        StageForm, formset=BaseStageFormSet, extra=2, can_delete=True, max_num=30, validate_max=True
    ),
)


def stage_initial(pipeline) -> list[dict]:
    return [
        {
            "id": s.pk,
            "name": s.name,
            "kind": s.kind,
            "probability": (s.probability * 100).quantize(PERCENT_STEP),
            "forecast_category": s.forecast_category,
        }
        for s in pipeline.stages.all()
    ]
