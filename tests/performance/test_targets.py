"""Target services: who may set what, validation, audit, allocation and its check."""

from decimal import Decimal

import pytest

from saleshelm.core.errors import ApplicationError, Conflict, PermissionDenied
from saleshelm.performance.models import Target
from saleshelm.performance.selectors.targets import access_target, target_list
from saleshelm.performance.services.targets import (
    allocation_check,
    even_split,
    target_allocate,
    target_create,
    target_delete,
    target_update,
)
from saleshelm.tenancy.models import AuditEntry
from tests.people.factories import TeamFactory
from tests.performance.factories import TargetFactory, category


def audits(action):
    return list(AuditEntry.objects.filter(action=action).order_by("pk"))


def test_a_director_sets_a_seasonal_quarter_target_and_it_is_audited(world):
    t = target_create(
        actor=world.director,
        metric="revenue",
        period="2026-Q3",
        value="90000",
        member=world.rep,
        distribution="pattern",
        weights=["20", "30", "50"],
    )
    assert (t.period_key, t.start.isoformat(), t.end.isoformat()) == (
        "2026-Q3",
        "2026-07-01",
        "2026-09-30",
    )
    assert t.weights == ["0.2", "0.3", "0.5"]
    assert t.assignee_key == f"member:{world.rep.pk}"
    (entry,) = audits("target.create")
    assert entry.after["value"] == "90000" and entry.actor == world.director


def test_one_target_per_metric_period_assignee_and_category(world):
    target_create(actor=world.admin, metric="revenue", period="2026-07", value=1, member=world.rep)
    with pytest.raises(Conflict):
        target_create(
            actor=world.admin, metric="revenue", period="2026-07", value=2, member=world.rep
        )
    # Narrowed to a category, it is another target.
    scanners = category(world.org)
    target_create(
        actor=world.admin,
        metric="revenue",
        period="2026-07",
        value=2,
        member=world.rep,
        product_category=scanners,
    )
    assert Target.objects.count() == 2


@pytest.mark.parametrize(
    ("kwargs", "code"),
    [
        ({"metric": "nope"}, "unknown_metric"),
        ({"period": "2026-13"}, "invalid_period"),
        ({"value": "-1"}, "negative"),
        ({"value": "1.00001"}, "invalid_number"),
        ({"distribution": "pattern", "weights": ["0.5", "0.4", "0.2"]}, "invalid_weights"),
        ({"distribution": "pattern", "weights": ["1"]}, "invalid_weights"),
        ({"metric": "win_rate", "product_category": "x"}, "invalid_category"),
    ],
)
def test_bad_targets_are_refused(world, kwargs, code):
    args = {"metric": "revenue", "period": "2026-Q3", "value": "10", "member": world.rep}
    args.update(kwargs)
    if args.get("product_category") == "x":
        args["product_category"] = category(world.org)
    with pytest.raises(ApplicationError) as err:
        target_create(actor=world.admin, **args)
    assert err.value.code == code
    assert not Target.objects.exists()


def test_exactly_one_assignee(world):
    with pytest.raises(ApplicationError) as err:
        target_create(
            actor=world.admin,
            metric="revenue",
            period="2026-Q3",
            value=1,
            member=world.rep,
            team=world.rep.profile.team,
        )
    assert err.value.code == "one_assignee"
    with pytest.raises(ApplicationError):
        target_create(actor=world.admin, metric="revenue", period="2026-Q3", value=1)


def test_who_may_set_targets(world):
    north = world.rep.profile.team
    sales = world.manager.profile.team
    south = world.other_rep.profile.team
    # The manager sets targets for their people and sub-teams...
    target_create(
        actor=world.manager, metric="revenue", period="2026-Q3", value=1, member=world.rep
    )
    target_create(actor=world.manager, metric="revenue", period="2026-Q3", value=1, team=north)
    # ...not for themselves, the team they manage, another team or its people.
    for kwargs in (
        {"member": world.manager},
        {"team": sales},
        {"team": south},
        {"member": world.other_rep},
        {"territory": world.rep.profile.territory},
    ):
        with pytest.raises(PermissionDenied):
            target_create(actor=world.manager, metric="units", period="2026-Q3", value=1, **kwargs)
    for role in ("rep", "finance", "viewer"):
        with pytest.raises(PermissionDenied):
            target_create(
                actor=world.by_role(role),
                metric="units",
                period="2026-Q3",
                value=1,
                member=world.rep,
            )
    assert Target.objects.count() == 2


def test_targets_are_read_per_visibility(world):
    mine = TargetFactory(member=world.rep)
    peers = TargetFactory(member=world.peer)
    others = TargetFactory(member=world.other_rep)
    team = TargetFactory(team=world.rep.profile.team)
    south = TargetFactory(team=world.other_rep.profile.team)
    seen = lambda actor: set(target_list(actor=actor).values_list("pk", flat=True))  # noqa: E731
    assert seen(world.rep) == {mine.pk, team.pk}  # their own and their team's
    assert seen(world.manager) == {mine.pk, peers.pk, team.pk}
    assert seen(world.viewer) == {mine.pk, peers.pk, others.pk, team.pk, south.pk}
    with pytest.raises(ApplicationError):
        access_target(actor=world.rep, id=peers.pk)
    assert seen(world.other_org_admin) == set()


def test_update_checks_the_version_and_audits_before_and_after(world):
    t = TargetFactory(member=world.rep, value=Decimal("100"))
    t = target_update(actor=world.manager, target=t, value="150", version=1)
    assert (t.value, t.version) == (Decimal("150"), 2)
    with pytest.raises(Conflict):
        target_update(actor=world.manager, target=t, value="175", version=1)
    (entry,) = audits("target.update")
    assert (entry.before["value"], entry.after["value"]) == ("100.0000", "150")
    # Switching to a pattern and back to even.
    t = target_update(actor=world.manager, target=t, distribution="pattern", weights=[1, 0, 0])
    assert t.weights == ["1", "0", "0"]
    t = target_update(actor=world.manager, target=t, distribution="even")
    assert t.weights == []


def test_delete_is_audited(world):
    t = TargetFactory(member=world.rep)
    target_delete(actor=world.director, target=t)
    assert not Target.objects.exists()
    (entry,) = audits("target.delete")
    assert entry.object_id == str(t.pk) and entry.before["assignee"] == f"member:{world.rep.pk}"


def test_even_split_adds_up_to_the_cent():
    # 100.00 in 3: 33.34 + 33.33 + 33.33 = 100.00.
    assert even_split(Decimal("100"), 3, 2) == [
        Decimal("33.34"),
        Decimal("33.33"),
        Decimal("33.33"),
    ]
    assert sum(even_split(Decimal("1000.01"), 7, 2)) == Decimal("1000.01")
    assert even_split(Decimal("10"), 4, 0) == [3, 3, 2, 2]


def test_allocate_a_team_target_evenly_to_its_reps(world):
    # North has two reps (An and Bình): 90,000.01 -> 45,000.01 and 45,000.00 (first by name).
    north = world.rep.profile.team
    team_target = TargetFactory(team=north, value=Decimal("90000.01"))
    check = target_allocate(actor=world.manager, target=team_target)
    values = dict(Target.objects.filter(assignee_type="member").values_list("member_id", "value"))
    assert values == {world.rep.pk: Decimal("45000.01"), world.peer.pk: Decimal("45000.00")}
    assert (check.allocated, check.status) == (Decimal("90000.01"), "exact")
    assert Target.objects.filter(allocated_from=team_target).count() == 2
    assert len(audits("target.create")) == 2 and len(audits("target.allocate")) == 1


def test_allocation_check_reports_over_and_under(world):
    north = world.rep.profile.team
    team_target = TargetFactory(team=north, value=Decimal("1000"))
    check = target_allocate(
        actor=world.admin,
        target=team_target,
        allocations=[(world.rep, Decimal("700")), (world.peer, Decimal("400"))],
    )
    # 700 + 400 = 1,100 against 1,000: over by 100.
    assert (check.allocated, check.difference, check.status) == (
        Decimal("1100"),
        Decimal("100"),
        "over",
    )
    target_update(actor=world.admin, target=Target.objects.get(member=world.peer), value="200")
    check = allocation_check(target=team_target)
    # 700 + 200 = 900: under by 100.
    assert (check.difference, check.status) == (Decimal("-100"), "under")


def test_allocation_refuses_people_outside_the_team(world):
    team_target = TargetFactory(team=world.rep.profile.team, value=Decimal("1000"))
    with pytest.raises(ApplicationError) as err:
        target_allocate(
            actor=world.admin, target=team_target, allocations=[(world.other_rep, Decimal("1"))]
        )
    assert err.value.code == "not_in_team"
    member_target = TargetFactory(member=world.rep)
    with pytest.raises(ApplicationError) as err:
        target_allocate(actor=world.admin, target=member_target)
    assert err.value.code == "not_team_target"


def test_a_ratio_target_is_copied_not_divided(world):
    team = TeamFactory(organisation=world.org, name="Ratio team")
    for m in (world.rep, world.peer):
        m.profile.team = team
        m.profile.save()
    team_target = TargetFactory(team=team, metric="win_rate", value=Decimal("0.3"))
    check = target_allocate(actor=world.admin, target=team_target)
    assert set(Target.objects.filter(assignee_type="member").values_list("value", flat=True)) == {
        Decimal("0.3")
    }
    assert check.status == "not_additive"
