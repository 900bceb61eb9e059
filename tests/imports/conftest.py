import pytest

from saleshelm.tenancy.actors import SystemActor


@pytest.fixture
def system(world):
    """The CLI's actor in organisation "acme"."""
    return SystemActor(world.org, label="cli")


@pytest.fixture
def usd_vnd_rate(world):
    import datetime as dt
    from decimal import Decimal

    from saleshelm.crm.models import ExchangeRate

    return ExchangeRate.objects.create(
        organisation=world.org,
        currency="VND",
        rate_date=dt.date(2020, 1, 1),
        rate=Decimal("0.00004"),
    )
