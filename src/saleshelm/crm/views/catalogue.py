"""Set-up pages of the sales core: exchange rates, price lists, pipelines and their stages.

Exchange rates are the page of admins, directors and finance; pipelines that of admins and
directors; price lists are read by every member and shaped by admins and directors.
"""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from saleshelm.core.errors import ApplicationError
from saleshelm.crm import selectors, services
from saleshelm.crm.forms.catalogue import (
    ExchangeRateForm,
    PipelineForm,
    PriceListForm,
    PriceListPriceForm,
    StageFormSet,
    stage_initial,
)
from saleshelm.crm.permissions import can_keep_rates, can_write_catalogue
from saleshelm.crm.views.common import paginate
from saleshelm.web.access import deny, member_required

# --- exchange rates -------------------------------------------------------------------------


def _require_rate_keeper(request) -> None:
    if not can_keep_rates(actor=request.membership):
        deny(request, "role")


def _rates_page(request, form):
    actor = request.membership
    currency = request.GET.get("currency", "").upper()
    rates = selectors.exchange_rate_list(actor=actor, currency=currency or None)
    currencies = (
        selectors.exchange_rate_list(actor=actor)
        .order_by("currency")
        .values_list("currency", flat=True)
        .distinct()
    )
    return render(
        request,
        "crm/rates.html",
        {
            "form": form,
            "page_obj": paginate(request, rates, per_page=50),
            "currencies": list(currencies),
            "currency": currency,
            "reporting_currency": actor.organisation.currency,
        },
    )


@member_required
def rate_list(request):
    _require_rate_keeper(request)
    return _rates_page(request, ExchangeRateForm(actor=request.membership))


@require_POST
@member_required
def rate_add(request):
    """Add a rate, or correct the rate of that currency on that day."""
    _require_rate_keeper(request)
    actor = request.membership
    form = ExchangeRateForm(request.POST, actor=actor)
    if form.is_valid():
        try:
            rate = services.exchange_rate_set(actor=actor, **form.cleaned_data)
        except ApplicationError as exc:
            form.add_application_error(exc)
        else:
            messages.success(
                request,
                _("Rate of %(currency)s from %(date)s saved.")
                % {"currency": rate.currency, "date": rate.rate_date.isoformat()},
            )
            return redirect("crm:rates")
    return _rates_page(request, form)


# --- price lists ----------------------------------------------------------------------------


@member_required
def price_list_list(request):
    actor = request.membership
    return render(
        request,
        "crm/price_lists.html",
        {
            "price_lists": list(selectors.price_list_list(actor=actor)),
            "can_edit": can_write_catalogue(actor=actor),
        },
    )


@member_required
def price_list_create(request):
    actor = request.membership
    if not can_write_catalogue(actor=actor):
        deny(request, "role")
    form = PriceListForm(request.POST or None, actor=actor)
    if request.method == "POST" and form.is_valid():
        try:
            price_list = services.price_list_create(actor=actor, **form.cleaned_data)
        except ApplicationError as exc:
            form.add_application_error(exc)
        else:
            messages.success(
                request, _("Price list “%(name)s” created.") % {"name": price_list.name}
            )
            return redirect("crm:price_list", pk=price_list.pk)
    return render(
        request,
        "crm/record_form.html",
        {
            "form": form,
            "title": _("New price list"),
            "back": ("crm:price_lists", None),
            "section": _("Price lists"),
        },
    )


def _price_list_page(request, price_list, form):
    actor = request.membership
    can_edit = can_write_catalogue(actor=actor)
    items = selectors.price_list_items(actor=actor, price_list=price_list)
    products = []
    if can_edit:
        products = list(
            selectors.product_list(actor=actor, is_active=True).values_list("sku", "name")[:500]
        )
    return render(
        request,
        "crm/price_list.html",
        {
            "price_list": price_list,
            "page_obj": paginate(request, items, per_page=50),
            "form": form,
            "can_edit": can_edit,
            "products": products,
        },
    )


@member_required
def price_list_detail(request, pk: int):
    actor = request.membership
    price_list = selectors.access_price_list(actor=actor, id=pk)
    return _price_list_page(request, price_list, PriceListPriceForm(actor=actor))


@require_POST
@member_required
def price_list_set_price(request, pk: int):
    actor = request.membership
    price_list = selectors.access_price_list(actor=actor, id=pk)
    if not can_write_catalogue(actor=actor):
        deny(request, "role")
    form = PriceListPriceForm(request.POST, actor=actor)
    if form.is_valid():
        try:
            item = services.price_list_set_price(
                actor=actor,
                price_list=price_list,
                product=form.cleaned_data["product"],
                unit_price=form.cleaned_data["unit_price"],
            )
        except ApplicationError as exc:
            form.add_application_error(exc)
        else:
            messages.success(request, _("Price of %(sku)s saved.") % {"sku": item.product.sku})
            return redirect("crm:price_list", pk=price_list.pk)
    return _price_list_page(request, price_list, form)


# --- pipelines and stages -------------------------------------------------------------------


def _require_pipeline_designer(request) -> None:
    if not can_write_catalogue(actor=request.membership):
        deny(request, "role")


@member_required
def pipeline_list(request):
    _require_pipeline_designer(request)
    return render(
        request,
        "crm/pipelines.html",
        {"pipelines": list(selectors.pipeline_list(actor=request.membership))},
    )


def _pipeline_form_page(request, *, form, stages, pipeline=None):
    return render(
        request,
        "crm/pipeline_form.html",
        {
            "form": form,
            "stages": stages,
            "pipeline": pipeline,
            "title": _("New pipeline")
            if pipeline is None
            else _("Edit %(name)s") % {"name": pipeline.name},
        },
    )


@member_required
def pipeline_create(request):
    _require_pipeline_designer(request)
    actor = request.membership
    if request.method != "POST":
        initial = [
            {"name": name, "kind": kind, "probability": probability * 100}
            for name, probability, kind in services.DEFAULT_STAGES
        ]
        form = PipelineForm()
        stages = StageFormSet(prefix="stages", initial=initial)
        return _pipeline_form_page(request, form=form, stages=stages)
    form = PipelineForm(request.POST)
    stages = StageFormSet(request.POST, prefix="stages")
    if form.is_valid() and stages.is_valid():
        try:
            pipeline = services.pipeline_create(
                actor=actor,
                name=form.cleaned_data["name"],
                is_default=form.cleaned_data["is_default"],
                stages=stages.stages(),
            )
        except ApplicationError as exc:
            if (exc.field or "").startswith("stages"):
                stages.add_error_message(exc.message)
            else:
                form.add_application_error(exc)
        else:
            messages.success(request, _("Pipeline “%(name)s” created.") % {"name": pipeline.name})
            return redirect("crm:pipelines")
    return _pipeline_form_page(request, form=form, stages=stages)


def _pipeline_form(pipeline, data=None) -> PipelineForm:
    form = PipelineForm(data, initial={"name": pipeline.name, "is_default": pipeline.is_default})
    if pipeline.is_default:
        # The default stays the default until another pipeline takes over.
        form.fields["is_default"].disabled = True
        form.fields["is_default"].help_text = _(
            "This is the default pipeline; make another one the default to change that."
        )
    return form


@member_required
def pipeline_edit(request, pk: int):
    actor = request.membership
    pipeline = selectors.access_pipeline(actor=actor, id=pk)
    _require_pipeline_designer(request)
    initial = stage_initial(pipeline)
    if request.method != "POST":
        form = _pipeline_form(pipeline)
        stages = StageFormSet(prefix="stages", initial=initial)
        return _pipeline_form_page(request, form=form, stages=stages, pipeline=pipeline)
    form = _pipeline_form(pipeline, request.POST)
    stages = StageFormSet(request.POST, prefix="stages", initial=initial)
    if form.is_valid() and stages.is_valid():
        try:
            services.pipeline_update(
                actor=actor,
                pipeline=pipeline,
                name=form.cleaned_data["name"],
                is_default=form.cleaned_data["is_default"] or None,
                stages=stages.stages(),
            )
        except ApplicationError as exc:
            if (exc.field or "").startswith("stages"):
                stages.add_error_message(exc.message)
            else:
                form.add_application_error(exc)
        else:
            messages.success(request, _("Pipeline saved."))
            return redirect("crm:pipelines")
    return _pipeline_form_page(request, form=form, stages=stages, pipeline=pipeline)
