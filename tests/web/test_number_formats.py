"""Numbers in pages: ids stay plain wherever they land (element ids, form values, query
strings), while amounts a person reads are grouped in their language's way."""

import datetime as dt
from decimal import Decimal

from django.template import Context, Template
from django.urls import reverse
from django.utils import translation

from saleshelm.crm.templatetags.crm_tags import money
from tests.direction.factories import deal


def test_a_bare_number_is_never_grouped():
    for language in ("en", "vi"):
        with translation.override(language):
            assert Template("{{ n }}").render(Context({"n": 1537})) == "1537"


def test_money_is_grouped_in_english_and_in_vietnamese():
    with translation.override("en"):
        assert money(Decimal("1234567.5"), "USD") == "$1,234,567.50"
        assert money(Decimal("-20"), "USD") == "-$20.00"
        assert money(Decimal("1234567"), "VND") == "1,234,567\u00a0₫"
        assert money(Decimal("1234.5"), "SGD") == "1,234.50\u00a0SGD"
    with translation.override("vi"):
        assert money(Decimal("1234567"), "VND") == "1.234.567\u00a0₫"
        assert money(Decimal("1234567.5"), "USD") == "1.234.567,50\u00a0US$"


def test_an_htmx_fragment_for_a_deal_with_a_four_digit_id_keeps_its_id(world, web_client):
    open_deal = deal(world.rep, "1500", close_date=dt.date.today() + dt.timedelta(days=10))
    type(open_deal).objects.filter(pk=open_deal.pk).update(id=12345)
    r = web_client(world.rep).post(
        reverse("direction:deal_goal", args=[12345]),
        {"goal": ""},
        headers={"HX-Request": "true"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert r.status_code == 200
    html = r.content.decode()
    assert 'id="deal-goal-12345"' in html and 'for="goal-12345"' in html


def test_amounts_may_be_typed_grouped_in_either_language():
    from saleshelm.core.forms import LocalizedDecimalField

    field = LocalizedDecimalField(max_digits=20, decimal_places=4)
    with translation.override("en"):
        assert field.clean("90,000") == Decimal("90000")
        assert field.clean("1,234,567.5") == Decimal("1234567.5")
    with translation.override("vi"):
        assert field.clean("90.000") == Decimal("90000")
        assert field.clean("1.234.567,5") == Decimal("1234567.5")
        assert field.clean("12,5") == Decimal("12.5")
