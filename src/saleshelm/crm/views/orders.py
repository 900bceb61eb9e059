"""Pages of orders (lines, splits, cancellations and returns) and of the product catalogue."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from saleshelm.core.errors import ApplicationError
from saleshelm.crm import selectors, services
from saleshelm.crm.forms import (
    LineCancelForm,
    LineReturnForm,
    OrderFilterForm,
    ProductFilterForm,
    ProductForm,
)
from saleshelm.crm.forms.deals import OrderForm, OrderLineFormSet
from saleshelm.crm.permissions import can_edit_record, can_write_catalogue, can_write_records
from saleshelm.crm.views.common import (
    filters_kwargs,
    list_page,
    paginate,
    require_edit_page,
    require_writer_page,
)
from saleshelm.web.access import deny, member_required


@member_required
def order_list(request):
    actor = request.membership
    form = OrderFilterForm(request.GET or None, actor=actor)
    qs = selectors.order_list(
        actor=actor,
        **filters_kwargs(
            form,
            {
                "q": "search",
                "date_from": "date_from",
                "date_to": "date_to",
                "status": "status",
                "owner": "owner_id",
                "sort": "sort",
            },
        ),
    )
    page = paginate(request, qs)
    return list_page(
        request,
        template="crm/orders.html",
        partial="crm/_order_results.html",
        target="results",
        context={"filters": form, "page_obj": page, "can_create": can_write_records(actor=actor)},
    )


@member_required
def order_create(request):
    """Book an order with its lines; the service prices lines from the catalogue by SKU when no
    price is given, and nothing is written unless every line is right."""
    require_writer_page(request)
    actor = request.membership
    initial = {"order_date": timezone.localdate()}
    if (account_id := request.GET.get("account", "")).isdigit():
        initial["account"] = int(account_id)
    form = OrderForm(request.POST or None, actor=actor, initial=initial)
    lines = OrderLineFormSet(request.POST or None, prefix="lines")
    if request.method == "POST" and form.is_valid() and lines.is_valid():
        data = dict(form.cleaned_data)
        try:
            order = services.order_create(
                actor=actor,
                order_date=data["order_date"],
                owner=data.get("owner"),
                account=data["account"],
                currency=data["currency"],
                external_id=data["external_id"] or None,
                lines=lines.lines(),
            )
        except ApplicationError as exc:
            if not lines.add_application_error(exc):
                form.add_application_error(exc)
        else:
            messages.success(request, _("Order %(id)s booked.") % {"id": order.external_id})
            return redirect("crm:order", pk=order.pk)
    products = selectors.product_list(actor=actor, is_active=True).values_list(
        "sku", "name", "unit_price", "currency"
    )
    return render(
        request,
        "crm/order_form.html",
        {"form": form, "lines": lines, "products": list(products[:500])},
    )


@member_required
def order_detail(request, pk: int):
    actor = request.membership
    order = selectors.access_order(actor=actor, id=pk)
    lines = list(order.lines.all())
    cost_known = all(ln.cost_amount is not None for ln in lines)
    cost = sum((ln.cost_amount for ln in lines if ln.cost_amount is not None), 0)
    active_net = sum((ln.net_amount for ln in lines if ln.status != "cancelled"), 0)
    active_cost = sum((ln.cost_amount or 0 for ln in lines if ln.status != "cancelled"), 0)
    credit_orders = {ln.returns_line_id for ln in lines if ln.returns_line_id}
    return render(
        request,
        "crm/order.html",
        {
            "order": order,
            "lines": lines,
            "cost": cost if cost_known else None,
            "active_net": active_net,
            "active_margin": active_net - active_cost if cost_known else None,
            "is_credit_note": bool(credit_orders),
            "can_edit": can_edit_record(actor=actor, owner_id=order.owner_id),
        },
    )


@require_POST
@member_required
def order_line_cancel(request, pk: int):
    actor = request.membership
    order = selectors.access_order(actor=actor, id=pk)
    require_edit_page(request, order)
    form = LineCancelForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a valid line and date."))
        return redirect("crm:order", pk=order.pk)
    try:
        line = selectors.access_order_line(
            actor=actor, order_id=order.pk, line=form.cleaned_data["line"]
        )
        services.order_line_cancel(
            actor=actor, line=line, status_date=form.cleaned_data["status_date"]
        )
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Line %(line)s cancelled.") % {"line": line.line})
    return redirect("crm:order", pk=order.pk)


@require_POST
@member_required
def order_line_return(request, pk: int):
    actor = request.membership
    order = selectors.access_order(actor=actor, id=pk)
    require_edit_page(request, order)
    form = LineReturnForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Enter a positive quantity and a valid date."))
        return redirect("crm:order", pk=order.pk)
    try:
        line = selectors.access_order_line(
            actor=actor, order_id=order.pk, line=form.cleaned_data["line"]
        )
        credit = services.order_line_return(
            actor=actor,
            line=line,
            quantity=form.cleaned_data["quantity"],
            return_date=form.cleaned_data["return_date"],
        )
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("crm:order", pk=order.pk)
    messages.success(request, _("Credit note %(id)s booked.") % {"id": credit.order.external_id})
    return redirect("crm:order", pk=credit.order_id)


# --- products -------------------------------------------------------------------------------


@member_required
def product_list(request):
    actor = request.membership
    form = ProductFilterForm(request.GET or None, actor=actor)
    qs = selectors.product_list(
        actor=actor,
        **filters_kwargs(form, {"q": "search", "category": "category_id", "sort": "sort"}),
    )
    page = paginate(request, qs)
    return list_page(
        request,
        template="crm/products.html",
        partial="crm/_product_results.html",
        target="results",
        context={"filters": form, "page_obj": page, "can_create": can_write_catalogue(actor=actor)},
    )


@member_required
def product_detail(request, pk: int):
    actor = request.membership
    product = selectors.access_product(actor=actor, id=pk)
    margin = None
    if product.unit_cost is not None and product.unit_price:
        margin = (product.unit_price - product.unit_cost) / product.unit_price
    return render(
        request,
        "crm/product.html",
        {
            "product": product,
            "margin": margin,
            "prices": list(product.price_list_items.all()),
            "can_edit": can_write_catalogue(actor=actor),
        },
    )


def _product_form_save(request, form, product=None):
    actor = request.membership
    data = dict(form.cleaned_data)
    category_name = data.pop("category_name")
    category = (
        services.product_category_ensure(actor=actor, name=category_name) if category_name else None
    )
    if product is None:
        return services.product_create(actor=actor, category=category, **data)
    return services.product_update(actor=actor, product=product, category=category, **data)


@member_required
def product_create(request):
    actor = request.membership
    if not can_write_catalogue(actor=actor):
        deny(request, "role")
    form = ProductForm(request.POST or None, actor=actor)
    if request.method == "POST" and form.is_valid():
        try:
            product = _product_form_save(request, form)
        except ApplicationError as exc:
            form.add_application_error(exc)
        else:
            messages.success(request, _("Product %(sku)s created.") % {"sku": product.sku})
            return redirect("crm:product", pk=product.pk)
    return render(
        request,
        "crm/record_form.html",
        {
            "form": form,
            "title": _("New product"),
            "back": ("crm:products", None),
            "section": _("Products"),
        },
    )


@member_required
def product_edit(request, pk: int):
    actor = request.membership
    product = selectors.access_product(actor=actor, id=pk)
    if not can_write_catalogue(actor=actor):
        deny(request, "role")
    initial = {
        f: getattr(product, f)
        for f in ("sku", "name", "unit_price", "unit_cost", "currency", "is_active")
    }
    initial["category_name"] = product.category.name if product.category else ""
    form = ProductForm(request.POST or None, actor=actor, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            _product_form_save(request, form, product)
        except ApplicationError as exc:
            form.add_application_error(exc)
        else:
            messages.success(request, _("Product saved."))
            return redirect("crm:product", pk=product.pk)
    return render(
        request,
        "crm/record_form.html",
        {
            "form": form,
            "title": _("Edit %(sku)s") % {"sku": product.sku},
            "back": ("crm:product", product.pk),
            "section": _("Products"),
            "record": product,
        },
    )
