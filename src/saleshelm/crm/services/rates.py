"""Exchange rates and conversion into the organisation's reporting currency (SPEC §3).

A rate says: 1 unit of ``currency`` = ``rate`` units of the reporting currency, from its
date until the next rate of that currency. Amounts are converted with the latest rate on or
before the day that matters (an order's date, a deal's expected close).
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction

from saleshelm.core.errors import ApplicationError
from saleshelm.crm.models import ExchangeRate
from saleshelm.crm.permissions import require_rate_keeper
from saleshelm.crm.services.common import FOUR_PLACES, clean_currency
from saleshelm.tenancy.actors import Actor
from saleshelm.tenancy.models import Organisation
from saleshelm.tenancy.services import audit_record


def _no_rate(currency: str, reporting: str, on_date: dt.date) -> ApplicationError:
    return ApplicationError(
        f"No exchange rate from {currency} to {reporting} on or before {on_date.isoformat()}.",
        code="no_exchange_rate",
        field="currency",
    )


def convert(amount: Decimal, rate: Decimal) -> Decimal:
    return (amount * rate).quantize(FOUR_PLACES, rounding=ROUND_HALF_UP)


def rate_on(*, organisation: Organisation, currency: str, on_date: dt.date) -> Decimal:
    if currency == organisation.currency:
        return Decimal(1)
    rate = (
        ExchangeRate.objects.filter(
            organisation=organisation, currency=currency, rate_date__lte=on_date
        )
        .order_by("-rate_date")
        .values_list("rate", flat=True)
        .first()
    )
    if rate is None:
        raise _no_rate(currency, organisation.currency, on_date)
    return rate


def to_reporting(
    *, organisation: Organisation, amount: Decimal, currency: str, on_date: dt.date
) -> Decimal:
    """``amount`` of ``currency`` in the reporting currency, quantised to 4 places."""
    if currency == organisation.currency:
        return amount
    return convert(amount, rate_on(organisation=organisation, currency=currency, on_date=on_date))


class RateBook:
    """All rates of some currencies in memory, for converting many rows without a query each
    (imports, seeding). ``convert`` answers exactly what ``to_reporting`` answers."""

    def __init__(self, organisation: Organisation, currencies: Iterable[str] | None = None):
        self.organisation = organisation
        self.reporting = organisation.currency
        qs = ExchangeRate.objects.filter(organisation=organisation)
        if currencies is not None:
            qs = qs.filter(currency__in=[c for c in set(currencies) if c != self.reporting])
        self._dates: dict[str, list[dt.date]] = defaultdict(list)
        self._rates: dict[str, list[Decimal]] = defaultdict(list)
        for currency, day, rate in qs.order_by("currency", "rate_date").values_list(
            "currency", "rate_date", "rate"
        ):
            self._dates[currency].append(day)
            self._rates[currency].append(rate)

    def rate(self, currency: str, on_date: dt.date) -> Decimal:
        if currency == self.reporting:
            return Decimal(1)
        dates = self._dates.get(currency)
        i = bisect.bisect_right(dates, on_date) if dates else 0
        if i == 0:
            raise _no_rate(currency, self.reporting, on_date)
        return self._rates[currency][i - 1]

    def convert(self, amount: Decimal, currency: str, on_date: dt.date) -> Decimal:
        if currency == self.reporting:
            return amount
        return convert(amount, self.rate(currency, on_date))


@transaction.atomic
def exchange_rate_set(
    *, actor: Actor, currency: str, rate_date: dt.date, rate: Decimal
) -> ExchangeRate:
    """Create or correct the rate of one currency on one day (admins, directors, finance)."""
    require_rate_keeper(actor)
    currency = clean_currency(currency, default="")
    org = Organisation.objects.get(pk=actor.organisation_id)
    if currency == org.currency:
        raise ApplicationError(
            "The reporting currency needs no rate.", field="currency", code="reporting_currency"
        )
    if not isinstance(rate, Decimal) or not rate.is_finite() or rate <= 0:
        raise ApplicationError("rate must be a positive number", field="rate", code="invalid_rate")
    if rate != rate.quantize(Decimal("1e-10")) or rate >= Decimal(10) ** 10:
        raise ApplicationError(
            "rate has at most 10 decimal places and 10 digits before the point",
            field="rate",
            code="invalid_rate",
        )
    existing = (
        ExchangeRate.objects.select_for_update()
        .filter(organisation_id=actor.organisation_id, currency=currency, rate_date=rate_date)
        .first()
    )
    before = None if existing is None else {"rate": str(existing.rate)}
    if existing is None:
        obj = ExchangeRate.objects.create(
            organisation_id=actor.organisation_id, currency=currency, rate_date=rate_date, rate=rate
        )
    else:
        existing.rate = rate
        existing.save(update_fields=["rate", "updated_at"])
        obj = existing
    audit_record(
        actor=actor,
        action="exchange_rate.set",
        obj=obj,
        before=before,
        after={"currency": currency, "rate_date": rate_date.isoformat(), "rate": str(rate)},
    )
    return obj
