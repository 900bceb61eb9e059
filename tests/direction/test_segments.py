"""Target segments: priority matching, fit grades, reclassification when rules change."""

import datetime as dt
from decimal import Decimal

import pytest

from saleshelm.core.errors import ApplicationError, PermissionDenied
from saleshelm.core.periods import parse_period
from saleshelm.crm.models import StageKind
from saleshelm.direction import services
from saleshelm.direction.models import AccountSegmentFit, LeadSegmentFit
from saleshelm.direction.segments import compile_rules, grade_for_priorities
from saleshelm.direction.selectors.segments import segment_report
from saleshelm.tenancy.models import AuditEntry
from tests.direction.factories import SegmentFactory, account, activity, deal, lead


def fit(acc):
    row = AccountSegmentFit.objects.filter(account=acc).first()
    return (row.segment.name if row and row.segment else None, row.grade if row else None)


def test_grades_follow_the_distinct_priorities_in_use():
    assert grade_for_priorities([1, 1, 3, 7, 9]) == {1: "A", 3: "B", 7: "C", 9: "C"}


def test_best_match_is_the_highest_priority_segment(world):
    # given two segments both matching a 300-person retailer in the North
    org = world.org
    broad = SegmentFactory(organisation=org, name="Retail", priority=2, industries=["retail"])
    narrow = SegmentFactory(
        organisation=org,
        name="Mid-market retail North",
        priority=1,
        industries=["Retail"],
        employees_min=100,
        employees_max=500,
        regions=["North"],
    )
    rules = compile_rules([broad, narrow])
    assert [r.segment_id for r in rules] == [narrow.pk, broad.pk]
    big = account(org, industry="Retail", employees=300, region="north ")
    small = account(org, industry="retail", employees=20, region="North")
    unknown_size = account(org, industry="Retail", region="North")
    other = account(org, industry="Banking", employees=300, region="North")
    # when
    result = services.segments_reclassify(actor=world.director)
    # then: A for the top priority, B for the next, nothing for no match
    assert fit(big) == ("Mid-market retail North", "A")
    assert fit(small) == ("Retail", "B")
    assert fit(unknown_size) == ("Retail", "B")  # an unknown size fails a size condition
    assert fit(other) == (None, "")
    assert result.accounts == 4 and result.accounts_changed == 4


def test_country_and_custom_conditions(world):
    org = world.org
    SegmentFactory(
        organisation=org,
        name="Vietnam referrals",
        priority=1,
        countries=["VN", "Vietnam"],
        custom=[{"key": "website", "value": "shop.vn"}],
    )
    yes = account(org, country="vn", website="Shop.VN")
    no = account(org, country="VN", website="other.vn")
    services.segments_reclassify(actor=world.admin)
    assert fit(yes)[1] == "A"
    assert fit(no)[1] == ""


def test_leads_use_their_own_fields_and_once_converted_their_account(world):
    org = world.org
    services.segment_create(
        actor=world.director,
        name="Partners",
        priority=1,
        custom=[{"key": "source", "value": "Partner"}],
    )
    services.segment_create(actor=world.director, name="Banks", priority=2, industries=["Banking"])
    partner = lead(org, source="partner")
    web = lead(org, source="Website")
    bank = account(org, industry="Banking")
    converted = lead(org, source="Website", converted_account=bank)
    services.segments_reclassify(actor=world.director)
    grades = dict(LeadSegmentFit.objects.values_list("lead_id", "grade"))
    assert grades[partner.pk] == "A"
    assert grades[web.pk] == ""
    assert grades[converted.pk] == "B"


def test_changing_a_rule_reclassifies_in_the_same_transaction(world):
    # given a segment on Retail and classified accounts
    org = world.org
    seg = services.segment_create(
        actor=world.director, name="Retail", priority=1, industries=["Retail"]
    )
    shop = account(org, industry="Retail")
    bank = account(org, industry="Banking")
    services.segments_reclassify(actor=world.director)
    assert fit(shop) == ("Retail", "A") and fit(bank) == (None, "")
    # when the rule moves to Banking
    services.segment_update(actor=world.director, segment=seg, industries=["Banking"])
    # then the fits follow at once, and the change is audited
    assert fit(shop) == (None, "") and fit(bank) == ("Retail", "A")
    actions = list(AuditEntry.objects.filter(organisation=org).values_list("action", flat=True))
    assert "segment.update" in actions and actions.count("segments.reclassify") == 3
    # when a second, higher-priority segment appears, the first drops to B
    services.segment_create(actor=world.director, name="Banks", priority=1, industries=["Banking"])
    assert fit(bank) == ("Banks", "A")
    services.segment_update(actor=world.director, segment=seg, priority=5, industries=["Retail"])
    assert fit(shop) == ("Retail", "B")
    # when a segment is deleted, its accounts lose their fit
    services.segment_delete(actor=world.director, segment=seg)
    assert fit(shop) == (None, "")


def test_an_unchanged_reclassification_writes_nothing(world):
    services.segment_create(actor=world.director, name="Retail", priority=1, industries=["Retail"])
    account(world.org, industry="Retail")
    services.segments_reclassify(actor=world.director)
    again = services.segments_reclassify(actor=world.director)
    assert again.accounts == 1 and again.accounts_changed == 0


def test_segment_rules_are_validated(world):
    with pytest.raises(ApplicationError) as exc:
        services.segment_create(actor=world.director, name="Empty")
    assert exc.value.code == "no_condition"
    with pytest.raises(ApplicationError):
        services.segment_create(
            actor=world.director, name="Bad", employees_min=500, employees_max=10
        )
    with pytest.raises(ApplicationError) as exc:
        services.segment_create(
            actor=world.director, name="Bad key", custom=[{"key": "password", "value": "x"}]
        )
    assert exc.value.code == "unknown_field"


@pytest.mark.parametrize("role", ["manager", "rep", "finance", "viewer"])
def test_only_admins_and_directors_shape_segments(world, role):
    with pytest.raises(PermissionDenied):
        services.segment_create(actor=world.by_role(role), name="Mine", industries=["Retail"])


def test_report_by_segment(world):
    # given one target segment and accounts inside and outside it
    org = world.org
    services.segment_create(actor=world.director, name="Retail", priority=1, industries=["Retail"])
    shop = account(org, industry="Retail")
    bank = account(org, industry="Banking")
    services.segments_reclassify(actor=world.director)
    day = dt.date(2026, 8, 10)
    deal(world.rep, "1000", close_date=day, account=shop)  # open
    deal(
        world.rep,
        "400",
        kind=StageKind.WON,
        close_date=day,
        account=shop,
        created_date=day - dt.timedelta(days=20),
    )
    deal(
        world.rep,
        "600",
        kind=StageKind.WON,
        close_date=day,
        account=shop,
        created_date=day - dt.timedelta(days=40),
    )
    deal(world.rep, "900", kind=StageKind.LOST, close_date=day, account=shop)
    deal(world.rep, "700", kind=StageKind.LOST, close_date=day, account=bank)
    deal(world.rep, "5000", close_date=day, account=bank)
    when = dt.datetime(2026, 8, 3, 9, tzinfo=dt.UTC)
    for _ in range(3):
        activity(world.rep, when, account=shop)
    activity(world.rep, when, account=bank)
    # when
    report = segment_report(actor=world.director, period=parse_period("2026-Q3"))
    # then
    retail, none = report.rows
    assert retail.segment.name == "Retail" and retail.grade == "A"
    assert (retail.pipeline, retail.pipeline_deals) == (Decimal("1000"), 1)
    assert (retail.won, retail.lost, retail.win_rate) == (2, 1, Decimal("0.6667"))
    assert retail.cycle_days == Decimal("30.0")  # (20 + 40) / 2
    assert none.segment is None and none.pipeline == Decimal("5000") and none.lost == 1
    assert (report.target_activities, report.other_activities) == (3, 1)
    assert report.target_share == Decimal("0.7500")
    # a rep sees the same report over their own records only
    peer_view = segment_report(actor=world.peer, period=parse_period("2026-Q3"))
    assert peer_view.rows[0].pipeline == 0 and peer_view.target_activities == 0


def test_nightly_pass_classifies_new_accounts(world):
    # given a rule, and an account created after it (an import, say)
    from saleshelm.direction.tasks import segments_reclassify_all

    services.segment_create(actor=world.director, name="Retail", priority=1, industries=["Retail"])
    late = account(world.org, industry="Retail")
    assert fit(late) == (None, None)
    # when the nightly job runs (twice: it is idempotent)
    changed = segments_reclassify_all.call()
    again = segments_reclassify_all.call()
    # then
    assert fit(late) == ("Retail", "A")
    assert (changed, again) == (1, 0)
