"""Django admin for the sales core: a staff tool for looking, not for changing.

Records (accounts to orders) change through the services, which check who may write and keep
the audit log and the deal history; the admin therefore shows them read-only. The catalogue
(pipelines, products, price lists) has no audited invariants beyond its unique names and may
be edited here too.
"""

from __future__ import annotations

from django.contrib import admin

from saleshelm.crm import models


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(models.Account)
class AccountAdmin(ReadOnlyAdmin):
    list_display = ("name", "external_id", "organisation", "owner", "industry", "region")
    list_filter = ("organisation", "industry")
    search_fields = ("name", "external_id")
    list_select_related = ("organisation", "owner__user")
    raw_id_fields = ("owner",)


@admin.register(models.Contact)
class ContactAdmin(ReadOnlyAdmin):
    list_display = ("name", "external_id", "organisation", "account", "email")
    search_fields = ("name", "email", "external_id")
    list_select_related = ("organisation", "account")
    raw_id_fields = ("owner", "account")


@admin.register(models.Lead)
class LeadAdmin(ReadOnlyAdmin):
    list_display = ("name", "company", "organisation", "status", "owner")
    list_filter = ("organisation", "status")
    search_fields = ("name", "company", "email", "external_id")
    list_select_related = ("organisation", "owner__user")


class StageChangeInline(admin.TabularInline):
    model = models.StageChange
    fk_name = "opportunity"
    fields = ("from_stage", "to_stage", "changed_at", "actor")
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(models.Opportunity)
class OpportunityAdmin(ReadOnlyAdmin):
    list_display = (
        "name",
        "external_id",
        "organisation",
        "owner",
        "stage",
        "amount",
        "currency",
        "close_date",
    )
    list_filter = ("organisation", "forecast_category")
    search_fields = ("name", "external_id")
    list_select_related = ("organisation", "owner__user", "stage")
    inlines = [StageChangeInline]


class OrderLineInline(admin.TabularInline):
    model = models.OrderLine
    fk_name = "order"
    fields = (
        "line",
        "sku",
        "quantity",
        "unit_price",
        "discount",
        "net_amount",
        "status",
        "status_date",
    )
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(models.Order)
class OrderAdmin(ReadOnlyAdmin):
    list_display = ("external_id", "organisation", "order_date", "owner", "account", "currency")
    list_filter = ("organisation",)
    search_fields = ("external_id",)
    list_select_related = ("organisation", "owner__user", "account")
    date_hierarchy = "order_date"
    inlines = [OrderLineInline]


@admin.register(models.Activity)
class ActivityAdmin(ReadOnlyAdmin):
    list_display = ("occurred_at", "type", "subject", "organisation", "owner")
    list_filter = ("organisation", "type")
    search_fields = ("subject", "external_id")
    list_select_related = ("organisation", "owner__user")


@admin.register(models.ExchangeRate)
class ExchangeRateAdmin(ReadOnlyAdmin):
    list_display = ("currency", "rate_date", "rate", "organisation")
    list_filter = ("organisation", "currency")


class StageInline(admin.TabularInline):
    model = models.Stage
    fields = ("name", "position", "probability", "kind", "organisation")
    extra = 0


@admin.register(models.Pipeline)
class PipelineAdmin(admin.ModelAdmin):
    list_display = ("name", "organisation", "is_default")
    list_filter = ("organisation",)
    inlines = [StageInline]


@admin.register(models.ProductCategory)
class ProductCategoryAdmin(admin.ModelAdmin):
    list_display = ("name", "parent", "organisation")
    list_filter = ("organisation",)


@admin.register(models.Product)
class ProductAdmin(admin.ModelAdmin):
    list_display = (
        "sku",
        "name",
        "category",
        "unit_price",
        "unit_cost",
        "currency",
        "is_active",
        "organisation",
    )
    list_filter = ("organisation", "is_active")
    search_fields = ("sku", "name")
    list_select_related = ("category", "organisation")


class PriceListItemInline(admin.TabularInline):
    model = models.PriceListItem
    fields = ("product", "unit_price", "organisation")
    raw_id_fields = ("product",)
    extra = 0


@admin.register(models.PriceList)
class PriceListAdmin(admin.ModelAdmin):
    list_display = ("name", "currency", "is_default", "organisation")
    list_filter = ("organisation",)
    inlines = [PriceListItemInline]
