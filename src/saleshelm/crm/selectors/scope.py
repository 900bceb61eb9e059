"""Which sales records an actor sees (SPEC §2): the rule lives here, once.

- org-wide roles (admin, director, finance, viewer) and the system see every record;
- owned records (deals, orders, activities) follow the owner: a manager sees the records of
  the members of the teams they manage (and sub-teams) and their own, a rep their own;
  a deal or order also shows to the members credited in its split;
- accounts, contacts and leads with no owner are seen by org-wide roles and managers (they
  are the pool a manager hands out), not by reps;
- a rep also sees the accounts they have a deal on, and the contacts of the accounts they see.
"""

from __future__ import annotations

from django.db.models import Q

from saleshelm.people.permissions import sees_whole_organisation
from saleshelm.people.selectors import visible_members_q
from saleshelm.tenancy.actors import Actor, SystemActor
from saleshelm.tenancy.roles import Role


def sees_all(actor: Actor) -> bool:
    return isinstance(actor, SystemActor) or sees_whole_organisation(actor=actor)


def owner_q(actor: Actor, field: str = "owner") -> Q:
    if sees_all(actor):
        return Q()
    if actor.role == Role.REP:
        return Q(**{f"{field}_id": actor.pk})
    return Q(**{f"{field}_id__in": _team_member_ids(actor)})


def _team_member_ids(actor: Actor):
    """The members a manager sees, as a subquery; the managed team paths behind it are read
    once per actor object (one request), however many filters use them."""
    cached = actor.__dict__.get("_crm_team_member_ids")
    if cached is None:
        from saleshelm.tenancy.models import Membership

        cached = (
            Membership.objects.filter(organisation_id=actor.organisation_id)
            .filter(visible_members_q(actor=actor))
            .values("pk")
        )
        actor.__dict__["_crm_team_member_ids"] = cached
    return cached


def _unowned_pool(actor: Actor) -> Q:
    return Q(owner__isnull=True) if actor.role == Role.MANAGER else Q(pk__in=[])


def opportunity_q(actor: Actor) -> Q:
    if sees_all(actor):
        return Q()
    from saleshelm.crm.models import OpportunitySplit

    split = OpportunitySplit.objects.filter(organisation_id=actor.organisation_id).filter(
        owner_q(actor, "member")
    )
    return owner_q(actor) | Q(pk__in=split.values("opportunity_id"))


def order_q(actor: Actor) -> Q:
    if sees_all(actor):
        return Q()
    from saleshelm.crm.models import OrderLineSplit

    split = OrderLineSplit.objects.filter(organisation_id=actor.organisation_id).filter(
        owner_q(actor, "member")
    )
    return owner_q(actor) | Q(pk__in=split.values("line__order_id"))


def order_line_q(actor: Actor) -> Q:
    if sees_all(actor):
        return Q()
    from saleshelm.crm.models import OrderLineSplit

    split = OrderLineSplit.objects.filter(organisation_id=actor.organisation_id).filter(
        owner_q(actor, "member")
    )
    return owner_q(actor) | Q(pk__in=split.values("line_id"))


def activity_q(actor: Actor) -> Q:
    return owner_q(actor)


def account_q(actor: Actor) -> Q:
    if sees_all(actor):
        return Q()
    from saleshelm.crm.models import Opportunity

    deals = Opportunity.objects.filter(organisation_id=actor.organisation_id).filter(owner_q(actor))
    return owner_q(actor) | _unowned_pool(actor) | Q(pk__in=deals.values("account_id"))


def contact_q(actor: Actor) -> Q:
    if sees_all(actor):
        return Q()
    from saleshelm.crm.models import Account

    accounts = Account.objects.filter(organisation_id=actor.organisation_id).filter(
        account_q(actor)
    )
    return owner_q(actor) | _unowned_pool(actor) | Q(account_id__in=accounts.values("pk"))


def lead_q(actor: Actor) -> Q:
    if sees_all(actor):
        return Q()
    return owner_q(actor) | _unowned_pool(actor)
