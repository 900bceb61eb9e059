"""Sales pages: each renders for every role, scoped to what the role sees; the board moves."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from saleshelm.crm.models import Activity, Opportunity, OrderLineStatus, StageChange
from tests.crm.factories import (
    AccountFactory,
    ActivityFactory,
    ContactFactory,
    LeadFactory,
    OpportunityFactory,
    OrderFactory,
    ProductFactory,
    stage,
)

pytestmark = pytest.mark.django_db
ROLES = ("admin", "director", "manager", "rep", "finance", "viewer")


@pytest.fixture
def book(world):
    """One of each record for the rep and for a rep of another team."""
    mine = AccountFactory(owner=world.rep, name="Sông Hồng Logistics")
    theirs = AccountFactory(owner=world.other_rep, name="Mekong Agri Export")
    return {
        "account": mine,
        "other_account": theirs,
        "contact": ContactFactory(owner=world.rep, account=mine, name="Đỗ Thu Hà"),
        "lead": LeadFactory(owner=world.rep, name="Vũ Quang Huy"),
        "opp": OpportunityFactory(owner=world.rep, account=mine, name="Fleet scanners XS-400"),
        "other_opp": OpportunityFactory(owner=world.other_rep, account=theirs, name="Rice dryers"),
        "order": OrderFactory(owner=world.rep, account=mine, external_id="SO-7781"),
        "product": ProductFactory(organisation=world.org, sku="XS-400", name="Handheld scanner"),
        "activity": ActivityFactory(owner=world.rep, account=mine, subject="Kick-off call"),
    }


LISTS = [
    "crm:accounts",
    "crm:contacts",
    "crm:leads",
    "crm:opportunities",
    "crm:orders",
    "crm:products",
    "crm:activities",
    "crm:board",
]


@pytest.mark.parametrize("role", ROLES)
def test_every_list_page_renders_for_every_role(world, book, web_client, role):
    client = web_client(world.by_role(role))
    for name in LISTS:
        r = client.get(reverse(name))
        assert r.status_code == 200, (name, r.status_code)
        assert (
            b"Mekong" in r.content
            or role in ("manager", "rep")
            or name in ("crm:products", "crm:contacts", "crm:leads", "crm:activities", "crm:orders")
        ), name


@pytest.mark.parametrize("role", ROLES)
def test_detail_pages_render_for_every_role(world, book, web_client, role):
    client = web_client(world.by_role(role))
    for name, obj in (
        ("crm:account", book["account"]),
        ("crm:contact", book["contact"]),
        ("crm:lead", book["lead"]),
        ("crm:opportunity", book["opp"]),
        ("crm:order", book["order"]),
        ("crm:product", book["product"]),
        ("crm:activity", book["activity"]),
    ):
        r = client.get(reverse(name, kwargs={"pk": obj.pk}))
        assert r.status_code == 200, (name, r.status_code)


def test_a_rep_sees_only_their_own_deals_on_lists_and_the_board(world, book, web_client):
    client = web_client(world.rep)
    r = client.get(reverse("crm:opportunities"))
    assert "Fleet scanners XS-400" in r.content.decode() and "Rice dryers" not in r.content.decode()
    r = client.get(reverse("crm:board"))
    assert "Fleet scanners XS-400" in r.content.decode() and "Rice dryers" not in r.content.decode()
    r = client.get(reverse("crm:opportunity", kwargs={"pk": book["other_opp"].pk}))
    assert r.status_code == 404


def test_list_search_answers_only_the_results_to_htmx(world, book, web_client):
    client = web_client(world.admin)
    r = client.get(
        reverse("crm:accounts") + "?q=mekong",
        headers={"HX-Request": "true", "HX-Target": "results"},
    )
    body = r.content.decode()
    assert r.status_code == 200 and "Mekong Agri Export" in body and "Sông Hồng" not in body
    assert "<html" not in body


def test_read_only_roles_get_403_on_forms(world, book, web_client):
    for role in ("finance", "viewer"):
        client = web_client(world.by_role(role))
        assert client.get(reverse("crm:account_new")).status_code == 403
        assert (
            client.get(reverse("crm:account_edit", kwargs={"pk": book["account"].pk})).status_code
            == 403
        )
    assert web_client(world.rep).get(reverse("crm:product_new")).status_code == 403


def test_the_board_shows_stage_totals(world, book, web_client):
    OpportunityFactory(owner=world.rep, amount=Decimal("2500"), amount_reporting=Decimal("2500"))
    body = web_client(world.rep).get(reverse("crm:board")).content.decode()
    assert "Qualification" in body and "$3.5K" in body  # 1,000 + 2,500 in Qualification
    assert 'draggable="true"' in body and "data-stage=" in body


def test_moving_a_card_on_the_board_goes_through_the_service(world, book, web_client):
    opp = book["opp"]
    proposal = stage(world.org, "Proposal")
    client = web_client(world.rep)
    board = reverse("crm:board")
    r = client.post(
        reverse("crm:opportunity_move", kwargs={"pk": opp.pk}),
        {"stage": proposal.pk, "version": 1, "next": board},
    )
    assert r.status_code == 302 and r["Location"] == board
    opp.refresh_from_db()
    assert opp.stage == proposal and opp.version == 2
    assert StageChange.objects.filter(opportunity=opp, to_stage=proposal).exists()
    # A second move with the stale version is refused with a message, nothing changes
    r = client.post(
        reverse("crm:opportunity_move", kwargs={"pk": opp.pk}),
        {"stage": stage(world.org, "Closed won").pk, "version": 1, "next": board},
        follow=True,
    )
    assert "changed by someone else" in r.content.decode()
    opp.refresh_from_db()
    assert opp.stage == proposal


def test_the_board_refuses_a_move_by_someone_who_may_not(world, book, web_client):
    opp = book["other_opp"]
    r = web_client(world.finance).post(
        reverse("crm:opportunity_move", kwargs={"pk": opp.pk}),
        {"stage": stage(world.org, "Proposal").pk, "version": 1},
    )
    assert r.status_code == 403
    r = web_client(world.manager).post(
        reverse("crm:opportunity_move", kwargs={"pk": opp.pk}),
        {"stage": stage(world.org, "Proposal").pk, "version": 1},
    )
    assert r.status_code == 404  # not in the manager's teams
    assert Opportunity.objects.get(pk=opp.pk).version == 1


def test_quick_add_of_an_activity_with_htmx_returns_the_timeline(world, book, web_client):
    client = web_client(world.rep)
    r = client.post(
        reverse("crm:activity_add"),
        {
            "type": "meeting",
            "subject": "Site visit Hải Phòng",
            "opportunity": book["opp"].pk,
            "duration_minutes": "90",
            "done": "on",
        },
        headers={"HX-Request": "true", "HX-Target": "activities"},
    )
    assert r.status_code == 200
    body = r.content.decode()
    assert 'id="activities"' in body and "Site visit Hải Phòng" in body
    activity = Activity.objects.get(subject="Site visit Hải Phòng")
    assert activity.opportunity == book["opp"] and activity.account == book["account"]
    assert activity.owner == world.rep and activity.duration_minutes == 90


def test_quick_add_without_javascript_redirects_back(world, book, web_client):
    page = reverse("crm:account", kwargs={"pk": book["account"].pk})
    r = web_client(world.rep).post(
        reverse("crm:activity_add"), {"type": "call", "account": book["account"].pk, "next": page}
    )
    assert r.status_code == 302 and r["Location"] == page
    assert Activity.objects.filter(account=book["account"], type="call").count() == 2  # + kick-off


def test_quick_add_on_an_account_the_rep_cannot_see_is_refused(world, book, web_client):
    r = web_client(world.rep).post(
        reverse("crm:activity_add"),
        {"type": "call", "account": book["other_account"].pk},
        headers={"HX-Request": "true"},
    )
    assert r.status_code == 200 and "does not exist" in r.content.decode()
    assert not Activity.objects.filter(account=book["other_account"]).exists()


def test_creating_an_account_and_a_deal_from_the_pages(world, web_client):
    client = web_client(world.rep)
    r = client.post(
        reverse("crm:account_new"), {"name": "Tân Cảng Trading", "industry": "Logistics"}
    )
    assert r.status_code == 302
    account_url = r["Location"]
    account_id = int(account_url.rstrip("/").split("/")[-1])
    r = client.post(
        reverse("crm:opportunity_new"),
        {
            "name": "Port scanners",
            "account": account_id,
            "amount": "12000",
            "currency": "USD",
            "close_date": "2026-12-15",
        },
    )
    assert r.status_code == 302, r.content.decode()[:2000]
    opp = Opportunity.objects.get(name="Port scanners")
    assert opp.owner == world.rep and opp.account_id == account_id


def test_converting_a_lead_from_its_page(world, book, web_client):
    client = web_client(world.rep)
    r = client.post(
        reverse("crm:lead_convert", kwargs={"pk": book["lead"].pk}),
        {
            "account_name": "Huy Phát Co",
            "create_opportunity": "on",
            "amount": "3000",
            "currency": "USD",
            "close_date": "2026-11-30",
        },
    )
    assert r.status_code == 302
    book["lead"].refresh_from_db()
    assert book["lead"].status == "converted"


def test_cancelling_and_returning_an_order_line_from_its_page(world, book, web_client):
    order = OrderFactory(
        owner=world.rep,
        lines=[{"quantity": Decimal(4)}, {"quantity": Decimal(1)}],
        order_date=dt.date.today() - dt.timedelta(days=5),
    )
    client = web_client(world.rep)
    r = client.post(reverse("crm:order_line_cancel", kwargs={"pk": order.pk}), {"line": 2})
    assert r.status_code == 302
    assert order.lines.get(line=2).status == OrderLineStatus.CANCELLED
    r = client.post(
        reverse("crm:order_line_return", kwargs={"pk": order.pk}), {"line": 1, "quantity": "1"}
    )
    assert r.status_code == 302
    credit = order.lines.get(line=1).credit_lines.get()
    assert credit.quantity == Decimal("-1") and r["Location"].endswith(f"/{credit.order_id}/")
    page = client.get(r["Location"]).content.decode()
    assert "Credit note" in page


def test_sales_menu_entries_appear_for_members(world, web_client):
    body = web_client(world.rep).get(reverse("crm:accounts")).content.decode()
    for label in ("Pipeline board", "Opportunities", "Accounts", "Orders", "Activities"):
        assert label in body


def test_sales_pages_speak_vietnamese(world, book, web_client):
    client = web_client(world.rep)
    body = client.get(reverse("crm:board"), headers={"Accept-Language": "vi"}).content.decode()
    assert "Bảng quy trình bán hàng" in body and "Chuyển sang" in body
    body = client.get(reverse("crm:accounts"), headers={"Accept-Language": "vi"}).content.decode()
    assert "Khách hàng mới" in body


def test_staff_see_sales_records_in_the_admin_read_only(world, book, client):
    from saleshelm.tenancy.models import User

    staff = User.objects.create_superuser("root@acme.test", "pw-correct-horse-42", full_name="Root")
    client.force_login(staff)
    for model in ("account", "opportunity", "order", "activity", "product", "pipeline"):
        assert client.get(f"/admin/crm/{model}/").status_code == 200, model
    r = client.get(f"/admin/crm/order/{book['order'].pk}/change/")
    assert r.status_code == 200 and b"SO-7781" in r.content
    assert client.get("/admin/crm/order/add/").status_code == 403


# --- create and edit pages of accounts, contacts and leads (one mechanism) --------------------


@pytest.mark.parametrize(
    "kind, data, check",
    [
        ("account", {"name": "Renamed Logistics", "industry": "Ports"}, "industry"),
        ("contact", {"name": "Đỗ Thu Hà", "title": "CFO"}, "title"),
        ("lead", {"name": "Vũ Quang Huy", "status": "contacted"}, "status"),
    ],
)
def test_editing_a_record_from_its_page_goes_through_its_service(
    world, book, web_client, kind, data, check
):
    record = book[kind]
    url = reverse(f"crm:{kind}_edit", kwargs={"pk": record.pk})
    client = web_client(world.rep)
    page = client.get(url).content.decode()
    assert f'value="{record.name}"' in page and "Save" in page
    r = client.post(url, data)
    assert r.status_code == 302 and r["Location"] == reverse(
        f"crm:{kind}", kwargs={"pk": record.pk}
    )
    record.refresh_from_db()
    assert getattr(record, check) == data[check] and record.owner == world.rep


@pytest.mark.parametrize("kind", ["account", "contact", "lead"])
def test_a_record_form_with_bad_input_shows_errors_and_changes_nothing(
    world, book, web_client, kind
):
    record = book[kind]
    model = type(record)
    count = model.objects.count()
    client = web_client(world.manager)
    r = client.post(reverse(f"crm:{kind}_new"), {"name": "   "})
    assert r.status_code == 200 and 'class="field-error"' in r.content.decode()
    r = client.post(reverse(f"crm:{kind}_edit", kwargs={"pk": record.pk}), {"name": ""})
    assert r.status_code == 200 and 'class="field-error"' in r.content.decode()
    record.refresh_from_db()
    assert model.objects.count() == count and record.name == book[kind].name


def test_a_manager_gives_a_new_record_to_a_team_member_but_not_to_another_team(world, web_client):
    client = web_client(world.manager)
    r = client.post(
        reverse("crm:lead_new"), {"name": "Phan Minh", "status": "new", "owner": world.peer.pk}
    )
    assert r.status_code == 302
    from saleshelm.crm.models import Lead

    assert Lead.objects.get(name="Phan Minh").owner == world.peer
    r = client.post(
        reverse("crm:lead_new"), {"name": "Trần Bảo", "status": "new", "owner": world.other_rep.pk}
    )
    assert r.status_code == 200 and not Lead.objects.filter(name="Trần Bảo").exists()


def test_a_contact_started_from_an_account_page_is_linked_to_it(world, book, web_client):
    client = web_client(world.rep)
    url = reverse("crm:contact_new") + f"?account={book['account'].pk}"
    assert f'value="{book["account"].pk}" selected' in client.get(url).content.decode()
    r = client.post(url, {"name": "Lê Thị Mai", "account": book["account"].pk})
    assert r.status_code == 302
    from saleshelm.crm.models import Contact

    assert Contact.objects.get(name="Lê Thị Mai").account == book["account"]


def test_a_rep_cannot_open_the_edit_page_of_a_record_of_another_team(world, book, web_client):
    r = web_client(world.rep).get(
        reverse("crm:account_edit", kwargs={"pk": book["other_account"].pk})
    )
    assert r.status_code == 404


def test_the_deal_page_asks_motivation_what_the_deal_earns_except_for_a_viewer(
    world, web_client, book
):
    url = reverse("crm:opportunity", args=[book["opp"].pk])
    earnings = reverse("motivation:deal_earnings", args=[book["opp"].pk])
    assert f'hx-get="{earnings}"' in web_client(world.rep).get(url).content.decode()
    viewer_page = web_client(world.viewer).get(url)
    assert viewer_page.status_code == 200 and earnings not in viewer_page.content.decode()


def test_times_are_shown_in_the_organisation_s_time_zone(world, web_client):
    # given a firm in Hà Nội and a call logged at 23:37 UTC, 06:37 the next morning there
    world.org.time_zone = "Asia/Ho_Chi_Minh"
    world.org.save(update_fields=["time_zone"])
    call = ActivityFactory(
        owner=world.rep,
        subject="Morning call",
        occurred_at=dt.datetime(2026, 11, 27, 23, 37, tzinfo=dt.UTC),
    )
    # when the rep opens it, then it reads as the morning of the 28th
    page = web_client(world.rep).get(reverse("crm:activity", args=[call.pk])).content.decode()
    assert "Nov. 28, 2026, 6:37 a.m." in page
    assert "Nov. 27, 2026" not in page
