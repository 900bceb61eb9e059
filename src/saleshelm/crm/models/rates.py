"""Dated exchange rates into the organisation's reporting currency (SPEC §3)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from saleshelm.core.models import OrgOwned
from saleshelm.crm.models.common import currency_field


class ExchangeRate(OrgOwned):
    """1 unit of ``currency`` = ``rate`` units of the reporting currency, from ``rate_date`` on."""

    currency = currency_field()
    rate_date = models.DateField(_("date"))
    rate = models.DecimalField(_("rate"), max_digits=20, decimal_places=10)

    class Meta:
        ordering = ["currency", "-rate_date"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "currency", "rate_date"], name="crm_rate_unique"
            ),
            models.CheckConstraint(condition=models.Q(rate__gt=0), name="crm_rate_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.currency} {self.rate_date} {self.rate}"
