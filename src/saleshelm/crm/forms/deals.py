"""Forms for a deal's credit split and for booking an order with its lines."""

from __future__ import annotations

from decimal import Decimal
from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from saleshelm.core.errors import ApplicationError
from saleshelm.crm.forms import (
    DATE,
    AccountField,
    MemberChoiceField,
    OwnerMixin,
    ServiceForm,
    _currency_choices,
)
from saleshelm.crm.forms.catalogue import percent_to_fraction
from saleshelm.people.selectors import member_list
from saleshelm.tenancy.roles import Role

HUNDRED = Decimal(100)


# --- credit splits ----------------------------------------------------------------------------


class SplitForm(forms.Form):
    member = MemberChoiceField(label=_("Member"), queryset=None, required=False)
    share = forms.DecimalField(
        label=_("Share (%)"),
        min_value=Decimal("0.01"),
        max_value=HUNDRED,
        decimal_places=2,
        required=False,
    )

    def __init__(self, *args, members=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = members
        self.fields["member"].empty_label = _("— nobody —")

    def clean(self):
        data = super().clean()
        member, share = data.get("member"), data.get("share")
        if member is not None and share is None and "share" not in self.errors:
            self.add_error("share", _("Give this member a share."))
        if share is not None and member is None and "member" not in self.errors:
            self.add_error("member", _("Choose who gets this share."))
        return data


class BaseSplitFormSet(forms.BaseFormSet):
    """Rows of member and share in percent; empty rows are ignored; shares total 100 %."""

    def __init__(self, *args, actor, **kwargs):
        self.members = member_list(actor=actor)
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        return {"members": self.members}

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        seen = set()
        total = Decimal(0)
        for member, share in self._rows():
            if member.pk in seen:
                raise forms.ValidationError(
                    _("%(name)s appears twice.") % {"name": member.user.get_full_name()}
                )
            seen.add(member.pk)
            total += share
        if seen and total != HUNDRED:
            raise forms.ValidationError(
                _("Shares must total 100 %%; these total %(total)s %%.")
                % {"total": format(total.normalize(), "f")}
            )

    def _rows(self):
        for form in self.forms:
            data = getattr(form, "cleaned_data", None) or {}
            if data.get("member") is not None and data.get("share") is not None:
                yield data["member"], data["share"]

    def splits(self):
        """``[(member, fraction)]`` for ``opportunity_set_splits``; empty: all to the owner."""
        return [(m, percent_to_fraction(s)) for m, s in self._rows()]

    def add_application_error(self, exc: ApplicationError) -> None:
        self._non_form_errors = self.error_class([exc.message])


SplitFormSet = cast(
    type[BaseSplitFormSet],
    forms.formset_factory(
        SplitForm, formset=BaseSplitFormSet, extra=2, max_num=20, validate_max=True
    ),
)


def split_initial(splits) -> list[dict]:
    return [
        {"member": s.member_id, "share": (s.share * 100).quantize(Decimal("0.01"))} for s in splits
    ]


# --- orders -------------------------------------------------------------------------------------


class OrderForm(OwnerMixin, ServiceForm):
    order_date = forms.DateField(label=_("Order date"), **DATE)
    currency = forms.ChoiceField(label=_("Currency"))
    external_id = forms.CharField(
        label=_("Order number"),
        max_length=100,
        required=False,
        help_text=_("Empty: one is made up for you."),
    )

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["account"] = AccountField(actor=actor, label=_("Account"), required=False)
        self.fields["currency"].choices = _currency_choices()
        self.fields["currency"].initial = actor.organisation.currency
        self.add_owner_field(
            actor, required=True, initial=None if actor.role == Role.REP else actor.pk
        )
        self.order_fields(["order_date", "account", "owner", "currency", "external_id"])


class OrderLineForm(forms.Form):
    sku = forms.CharField(
        label=_("SKU"),
        max_length=64,
        required=False,
        widget=forms.TextInput(attrs={"list": "product-skus", "autocomplete": "off"}),
    )
    quantity = forms.DecimalField(
        label=_("Quantity"),
        max_digits=18,
        decimal_places=4,
        required=False,
        help_text=_("Negative: a return or credit note."),
    )
    unit_price = forms.DecimalField(
        label=_("Unit price"), min_value=0, max_digits=20, decimal_places=4, required=False
    )
    discount = forms.DecimalField(
        label=_("Discount (%)"), min_value=0, max_value=100, decimal_places=4, required=False
    )
    unit_cost = forms.DecimalField(
        label=_("Unit cost"), min_value=0, max_digits=20, decimal_places=4, required=False
    )

    def clean(self):
        data = super().clean()
        if not self.has_changed():
            return data
        if not (data.get("sku") or "").strip() and "sku" not in self.errors:
            self.add_error("sku", _("Enter the product's SKU."))
        if data.get("quantity") is None and "quantity" not in self.errors:
            self.add_error("quantity", _("Enter a quantity."))
        elif data.get("quantity") == 0:
            self.add_error("quantity", _("A line needs a quantity other than zero."))
        return data

    def line(self) -> dict:
        data = self.cleaned_data
        line = {"sku": data["sku"].strip(), "quantity": data["quantity"]}
        if data.get("unit_price") is not None:
            line["unit_price"] = data["unit_price"]
        if data.get("unit_cost") is not None:
            line["unit_cost"] = data["unit_cost"]
        if data.get("discount") is not None:
            line["discount"] = (data["discount"] / 100).quantize(Decimal("0.000001"))
        return line


class BaseOrderLineFormSet(forms.BaseFormSet):
    def filled(self) -> list[tuple[int, OrderLineForm]]:
        return [(i, f) for i, f in enumerate(self.forms) if f.has_changed()]

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        if not self.filled():
            raise forms.ValidationError(_("An order needs at least one line."))

    def lines(self) -> list[dict]:
        return [form.line() for _, form in self.filled()]

    def add_application_error(self, exc: ApplicationError) -> bool:
        """Put a service error about ``lines[N].field`` on that row; answer whether it did."""
        field = exc.field or ""
        if not field.startswith("lines["):
            return False
        number, _, name = field[len("lines[") :].partition("]")
        filled = self.filled()
        if not number.isdigit() or not 1 <= int(number) <= len(filled):
            self._non_form_errors = self.error_class([exc.message])
            return True
        form = filled[int(number) - 1][1]
        name = name.lstrip(".")
        form.add_error(name if name in form.fields else None, exc.message)
        return True


OrderLineFormSet = cast(
    type[BaseOrderLineFormSet],
    forms.formset_factory(
        OrderLineForm, formset=BaseOrderLineFormSet, extra=5, max_num=200, validate_max=True
    ),
)
