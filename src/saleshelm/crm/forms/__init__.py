"""Forms of the sales pages. They collect and shape input; services decide (STYLE.md)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from saleshelm.core.errors import ApplicationError
from saleshelm.core.money import CURRENCIES
from saleshelm.crm import selectors
from saleshelm.crm.models import ActivityType, ForecastCategory, LeadStatus
from saleshelm.crm.permissions import ALL_RECORDS_WRITERS
from saleshelm.people.selectors import member_list, visible_members_q
from saleshelm.tenancy.roles import Role

DATE: dict[str, Any] = {
    "widget": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    "input_formats": ["%Y-%m-%d"],
}
# Above this many accounts a drop-down is useless; the field takes a name or external id.
ACCOUNT_SELECT_LIMIT = 300


class ServiceForm(forms.Form):
    """A form whose save calls a service; an ApplicationError becomes a form error."""

    def add_application_error(self, exc: ApplicationError) -> None:
        field = exc.field if exc.field in self.fields else None
        self.add_error(field, exc.message)


class MemberChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.user.get_full_name()


def assignable_members(actor):
    """Members the actor may give records to: everyone (admin, director), their team
    (manager), themselves (rep)."""
    qs = member_list(actor=actor)
    if actor.role in ALL_RECORDS_WRITERS:
        return qs
    return qs.filter(visible_members_q(actor=actor))


class AccountField(forms.Field):
    """An account the actor sees: a drop-down for small books, a name or external id otherwise."""

    def __init__(self, *, actor, **kwargs):
        self.actor = actor
        self.queryset = selectors.account_list(actor=actor, sort="name")
        self.small = self.queryset.count() <= ACCOUNT_SELECT_LIMIT
        if self.small:
            choices = [("", _("No account")), *((str(a.pk), a.name) for a in self.queryset)]
            kwargs["widget"] = forms.Select(choices=choices)
        else:
            kwargs["widget"] = forms.TextInput(
                attrs={"placeholder": _("Exact name or external id")}
            )
            kwargs.setdefault("help_text", _("Type the account's exact name or its external id."))
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if hasattr(value, "pk"):
            return str(value.pk) if self.small else value.name
        if value and not self.small and str(value).isdigit():
            account = self.queryset.filter(pk=int(value)).first()
            return account.name if account else value
        return value

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return None
        if self.small:
            account = self.queryset.filter(pk=int(value)).first() if str(value).isdigit() else None
        else:
            text = str(value).strip()
            account = (
                self.queryset.filter(external_id=text).first()
                or self.queryset.filter(name__iexact=text).first()
            )
        if account is None:
            raise forms.ValidationError(_("No such account among those you can see."))
        return account


class OwnerMixin:
    """Adds an owner field when the actor may choose one (a rep's records are their own)."""

    fields: dict[str, forms.Field]  # provided by the form class this is mixed into

    def add_owner_field(self, actor, *, required: bool, initial=None) -> None:
        if actor.role == Role.REP:
            return
        self.fields["owner"] = MemberChoiceField(
            label=_("Owner"),
            queryset=assignable_members(actor),
            required=required,
            empty_label=None if required else _("No owner"),
            initial=initial,
        )


def _currency_choices():
    return [(c, c) for c in CURRENCIES]


class ListFilterForm(forms.Form):
    """Search, filter and sort of a list page; invalid values are simply ignored."""

    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    sort = forms.ChoiceField(label=_("Sort by"), required=False)
    sort_labels: dict[str, object] = {}

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.actor = actor
        self.fields["sort"].choices = list(self.sort_labels.items())

    def value(self, name: str):
        if not self.is_bound:
            return self.fields[name].initial if name in self.fields else None
        self.is_valid()
        return self.cleaned_data.get(name) or None

    @property
    def filtered(self) -> bool:
        return any(self.value(n) for n in self.fields if n != "sort")


def _owner_filter(actor) -> forms.ChoiceField:
    members = member_list(actor=actor).filter(visible_members_q(actor=actor))
    return forms.ChoiceField(
        label=_("Owner"),
        required=False,
        choices=[
            ("", _("Everyone I see")),
            *((str(m.pk), m.user.get_full_name()) for m in members),
        ],
    )


class AccountFilterForm(ListFilterForm):
    industry = forms.ChoiceField(label=_("Industry"), required=False)
    region = forms.ChoiceField(label=_("Region"), required=False)
    sort_labels = {
        "name": _("Name"),
        "-created_date": _("Newest"),
        "-employees": _("Largest"),
        "industry": _("Industry"),
        "region": _("Region"),
    }

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, actor=actor, **kwargs)
        facets = selectors.account_facets(actor=actor)
        self.fields["industry"].choices = [
            ("", _("All industries")),
            *((i, i) for i in facets["industries"]),
        ]
        self.fields["region"].choices = [
            ("", _("All regions")),
            *((r, r) for r in facets["regions"]),
        ]
        if actor.role != Role.REP:
            self.fields["owner"] = _owner_filter(actor)


class ContactFilterForm(ListFilterForm):
    sort_labels = {"name": _("Name"), "account": _("Account"), "-created_at": _("Newest")}


class LeadFilterForm(ListFilterForm):
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All statuses")), *LeadStatus.choices]
    )
    sort_labels = {
        "-created_at": _("Newest"),
        "name": _("Name"),
        "company": _("Company"),
        "status": _("Status"),
    }

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, actor=actor, **kwargs)
        if actor.role != Role.REP:
            self.fields["owner"] = _owner_filter(actor)


class OpportunityFilterForm(ListFilterForm):
    state = forms.ChoiceField(
        label=_("State"),
        required=False,
        choices=[
            ("", _("Open and closed")),
            ("open", _("Open")),
            ("won", _("Won")),
            ("lost", _("Lost")),
        ],
    )
    forecast_category = forms.ChoiceField(
        label=_("Forecast"),
        required=False,
        choices=[("", _("All categories")), *ForecastCategory.choices],
    )
    sort_labels = {
        "close_date": _("Closing soonest"),
        "-amount": _("Largest"),
        "name": _("Name"),
        "stage": _("Stage"),
        "-created_date": _("Newest"),
    }

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, actor=actor, **kwargs)
        if actor.role != Role.REP:
            self.fields["owner"] = _owner_filter(actor)


class ProductFilterForm(ListFilterForm):
    category = forms.ChoiceField(label=_("Category"), required=False)
    sort_labels = {
        "sku": _("SKU"),
        "name": _("Name"),
        "category": _("Category"),
        "-unit_price": _("Highest price"),
    }

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, actor=actor, **kwargs)
        self.fields["category"].choices = [
            ("", _("All categories")),
            *((str(c.pk), c.name) for c in selectors.category_list(actor=actor).order_by("name")),
        ]


class OrderFilterForm(ListFilterForm):
    date_from = forms.DateField(label=_("From"), required=False, **DATE)
    date_to = forms.DateField(label=_("To"), required=False, **DATE)
    status = forms.ChoiceField(
        label=_("Lines"),
        required=False,
        choices=[
            ("", _("Any")),
            ("cancelled", _("With cancellations")),
            ("returned", _("Credit notes")),
        ],
    )
    sort_labels = {
        "-order_date": _("Newest"),
        "order_date": _("Oldest"),
        "-net_amount": _("Largest"),
        "external_id": _("Order number"),
    }

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, actor=actor, **kwargs)
        if actor.role != Role.REP:
            self.fields["owner"] = _owner_filter(actor)


class ActivityFilterForm(ListFilterForm):
    type = forms.ChoiceField(
        label=_("Type"), required=False, choices=[("", _("All types")), *ActivityType.choices]
    )
    date_from = forms.DateField(label=_("From"), required=False, **DATE)
    date_to = forms.DateField(label=_("To"), required=False, **DATE)
    sort_labels = {"-occurred_at": _("Newest"), "occurred_at": _("Oldest"), "type": _("Type")}

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, actor=actor, **kwargs)
        if actor.role != Role.REP:
            self.fields["owner"] = _owner_filter(actor)


# --- record forms -----------------------------------------------------------------------------


class AccountForm(OwnerMixin, ServiceForm):
    name = forms.CharField(label=_("Name"), max_length=200)
    industry = forms.CharField(label=_("Industry"), max_length=100, required=False)
    employees = forms.IntegerField(
        label=_("Employees"), min_value=0, max_value=10_000_000, required=False
    )
    region = forms.CharField(label=_("Region"), max_length=100, required=False)
    country = forms.CharField(
        label=_("Country"), max_length=100, required=False, help_text=_("ISO code (VN) or name.")
    )
    website = forms.CharField(label=_("Website"), max_length=200, required=False)

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_owner_field(actor, required=False)


class ContactForm(OwnerMixin, ServiceForm):
    name = forms.CharField(label=_("Name"), max_length=200)
    title = forms.CharField(label=_("Job title"), max_length=120, required=False)
    email = forms.EmailField(label=_("Email"), required=False)
    phone = forms.CharField(label=_("Phone"), max_length=50, required=False)

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["account"] = AccountField(actor=actor, label=_("Account"), required=False)
        self.add_owner_field(actor, required=False)


class LeadForm(OwnerMixin, ServiceForm):
    name = forms.CharField(label=_("Name"), max_length=200)
    company = forms.CharField(label=_("Company"), max_length=200, required=False)
    email = forms.EmailField(label=_("Email"), required=False)
    phone = forms.CharField(label=_("Phone"), max_length=50, required=False)
    source = forms.CharField(
        label=_("Source"),
        max_length=100,
        required=False,
        help_text=_("Where the lead came from: website, referral, event…"),
    )
    status = forms.ChoiceField(
        label=_("Status"), choices=[c for c in LeadStatus.choices if c[0] != LeadStatus.CONVERTED]
    )

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_owner_field(actor, required=False)


class LeadConvertForm(ServiceForm):
    account_name = forms.CharField(label=_("New account name"), max_length=200, required=False)
    create_opportunity = forms.BooleanField(
        label=_("Also create a deal"), required=False, initial=True
    )
    opportunity_name = forms.CharField(label=_("Deal name"), max_length=200, required=False)
    amount = forms.DecimalField(
        label=_("Amount"), min_value=0, max_digits=20, decimal_places=4, required=False
    )
    currency = forms.ChoiceField(label=_("Currency"))
    close_date = forms.DateField(label=_("Expected close"), required=False, **DATE)

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["account"] = AccountField(
            actor=actor,
            label=_("Existing account"),
            required=False,
            help_text=_("Leave empty to create a new account from the lead's company."),
        )
        self.fields["currency"].choices = _currency_choices()
        self.fields["currency"].initial = actor.organisation.currency
        self.order_fields(["account", "account_name"])


class OpportunityForm(OwnerMixin, ServiceForm):
    name = forms.CharField(label=_("Name"), max_length=200)
    amount = forms.DecimalField(label=_("Amount"), min_value=0, max_digits=20, decimal_places=4)
    currency = forms.ChoiceField(label=_("Currency"))
    close_date = forms.DateField(label=_("Expected close"), **DATE)
    probability = forms.DecimalField(
        label=_("Probability (%)"),
        min_value=0,
        max_value=100,
        decimal_places=2,
        required=False,
        help_text=_("Leave empty to use the stage's default."),
    )
    forecast_category = forms.ChoiceField(
        label=_("Forecast category"),
        required=False,
        choices=[
            ("", _("From the stage")),
            *(c for c in ForecastCategory.choices if c[0] != ForecastCategory.CLOSED),
        ],
    )
    next_step = forms.CharField(label=_("Next step"), max_length=255, required=False)
    next_step_date = forms.DateField(label=_("Next step date"), required=False, **DATE)

    def __init__(self, *args, actor, opportunity=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["account"] = AccountField(actor=actor, label=_("Account"), required=False)
        self.fields["currency"].choices = _currency_choices()
        self.fields["currency"].initial = actor.organisation.currency
        self.add_owner_field(
            actor, required=True, initial=None if actor.role == Role.REP else actor.pk
        )
        if opportunity is None:
            pipelines = list(selectors.pipeline_list(actor=actor))
            if len(pipelines) > 1:
                self.fields["pipeline"] = forms.ModelChoiceField(
                    label=_("Pipeline"),
                    queryset=selectors.pipeline_list(actor=actor),
                    empty_label=None,
                )
        elif opportunity.stage.kind != "open":
            self.fields["forecast_category"].choices = [("", _("Closed"))]
        self.order_fields(["name", "account", "owner", "pipeline", "amount", "currency"])

    def clean_probability(self):
        value = self.cleaned_data.get("probability")
        return None if value is None else (value / 100).quantize(Decimal("0.0001"))


class MoveForm(forms.Form):
    stage = forms.IntegerField()
    version = forms.IntegerField(min_value=1)
    lost_reason = forms.CharField(max_length=255, required=False)
    next = forms.CharField(max_length=500, required=False)


class ActivityForm(ServiceForm):
    type = forms.ChoiceField(label=_("Type"), choices=ActivityType.choices)
    subject = forms.CharField(label=_("Subject"), max_length=200, required=False)
    outcome = forms.CharField(label=_("Outcome"), max_length=500, required=False)
    occurred_at = forms.DateTimeField(
        label=_("When"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M"],
        help_text=_("Empty: now."),
    )
    duration_minutes = forms.IntegerField(
        label=_("Minutes"), min_value=0, max_value=1440, required=False
    )
    done = forms.BooleanField(label=_("Done"), required=False, initial=True)
    account = forms.IntegerField(required=False, widget=forms.HiddenInput)
    opportunity = forms.IntegerField(required=False, widget=forms.HiddenInput)
    contact = forms.IntegerField(required=False, widget=forms.HiddenInput)


class LineCancelForm(forms.Form):
    line = forms.IntegerField(min_value=1)
    status_date = forms.DateField(required=False, **DATE)


class LineReturnForm(forms.Form):
    line = forms.IntegerField(min_value=1)
    quantity = forms.DecimalField(
        min_value=Decimal("0.0001"), max_digits=18, decimal_places=4, required=False
    )
    return_date = forms.DateField(required=False, **DATE)


class ProductForm(ServiceForm):
    sku = forms.CharField(label=_("SKU"), max_length=64)
    name = forms.CharField(label=_("Name"), max_length=200)
    category_name = forms.CharField(
        label=_("Category"),
        max_length=120,
        required=False,
        help_text=_("An existing category, or a new one."),
    )
    unit_price = forms.DecimalField(
        label=_("Unit price"), min_value=0, max_digits=20, decimal_places=4
    )
    unit_cost = forms.DecimalField(
        label=_("Unit cost"), min_value=0, max_digits=20, decimal_places=4, required=False
    )
    currency = forms.ChoiceField(label=_("Currency"))
    is_active = forms.BooleanField(label=_("On sale"), required=False, initial=True)

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["currency"].choices = _currency_choices()
        self.fields["currency"].initial = actor.organisation.currency
