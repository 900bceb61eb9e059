"""Field helpers shared by the crm models, so money and external ids look the same everywhere."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

MONEY: dict[str, Any] = {"max_digits": 20, "decimal_places": 4}
SHARE: dict[str, Any] = {"max_digits": 7, "decimal_places": 4}
PROBABILITY: dict[str, Any] = {"max_digits": 5, "decimal_places": 4}


def money_field(verbose: Any, **kwargs: Any) -> models.DecimalField:
    return models.DecimalField(verbose, **MONEY, **kwargs)


def currency_field() -> models.CharField:
    return models.CharField(_("currency"), max_length=3)


def external_id_field() -> models.CharField:
    # Unique per organisation (a UniqueConstraint on each model): imports upsert by it.
    # Records created in the app get a generated one (services.common.new_external_id).
    return models.CharField(_("external id"), max_length=100)


def owner_field(related_name: str, *, null: bool, db_index: bool = True) -> models.ForeignKey:
    return models.ForeignKey(
        "tenancy.Membership",
        on_delete=models.PROTECT,
        null=null,
        blank=null,
        related_name=related_name,
        verbose_name=_("owner"),
        db_index=db_index,
    )


def organisation_without_index() -> models.ForeignKey:
    """``OrgOwned.organisation`` for the big tables, whose composite indexes all start with the
    organisation: a separate index on it would only slow down bulk loads."""
    return models.ForeignKey(
        "tenancy.Organisation", on_delete=models.CASCADE, related_name="+", db_index=False
    )


def unique_external_id(name: str) -> models.UniqueConstraint:
    return models.UniqueConstraint(fields=["organisation", "external_id"], name=name)
