"""Reads of teams, territories, role profiles and members, scoped by the actor.

The organisation directory (who is who, which team, which role) is open to every member of
the organisation: it is how each person sees where they fit. Records that belong to a
person (deals, orders, figures) are scoped by ``visible_member_ids``.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from saleshelm.core.errors import NotFound
from saleshelm.people.models import MemberProfile, RoleProfile, Team, Territory
from saleshelm.people.permissions import sees_whole_organisation
from saleshelm.tenancy.actors import Actor, SystemActor
from saleshelm.tenancy.models import Membership
from saleshelm.tenancy.roles import Role


def managed_team_paths(*, actor: Actor) -> list[str]:
    if isinstance(actor, SystemActor):
        return []
    return list(
        Team.objects.filter(organisation_id=actor.organisation_id, manager_id=actor.pk).values_list(
            "path", flat=True
        )
    )


def visible_members_q(*, actor: Actor, prefix: str = "") -> Q:
    """A filter on Membership (or on a relation to it via ``prefix``) for the actor's scope:
    the whole organisation for org-wide roles, the managed subtrees for a manager, self for a rep."""
    if sees_whole_organisation(actor=actor):
        return Q()
    own = Q(**{f"{prefix}pk" if prefix else "pk": actor.pk})
    if actor.role == Role.MANAGER:
        q = own
        for path in managed_team_paths(actor=actor):
            q |= Q(**{f"{prefix}profile__team__path__startswith": path})
        return q
    return own


def visible_member_ids(*, actor: Actor) -> QuerySet[Membership, Any]:
    """Ids of the memberships whose records the actor may see (a subquery, not a list)."""
    return (
        Membership.objects.filter(organisation_id=actor.organisation_id)
        .filter(visible_members_q(actor=actor))
        .values("pk")
    )


def team_subtree_ids(*, team: Team) -> QuerySet[Team, Any]:
    return Team.objects.filter(
        organisation_id=team.organisation_id, path__startswith=team.path
    ).values("pk")


def member_list(
    *,
    actor: Actor,
    team_id: int | None = None,
    role: str | None = None,
    search: str | None = None,
    include_inactive: bool = False,
) -> QuerySet[Membership]:
    qs = Membership.objects.filter(organisation_id=actor.organisation_id).select_related(
        "user", "profile__team", "profile__territory", "profile__role_profile"
    )
    if not include_inactive:
        qs = qs.filter(is_active=True)
    if team_id is not None:
        qs = qs.filter(profile__team_id=team_id)
    if role:
        qs = qs.filter(role=role)
    if search:
        qs = qs.filter(Q(user__full_name__icontains=search) | Q(user__email__icontains=search))
    return qs.order_by("user__full_name", "pk")


def access_member(*, actor: Actor, id: int) -> Membership:
    m = member_list(actor=actor, include_inactive=True).filter(pk=id).first()
    if m is None:
        raise NotFound("Member")
    return m


def team_list(*, actor: Actor) -> QuerySet[Team]:
    return Team.objects.filter(organisation_id=actor.organisation_id).select_related(
        "manager__user", "parent"
    )


def access_team(*, actor: Actor, id: int, for_update: bool = False) -> Team:
    qs = team_list(actor=actor)
    if for_update:
        qs = qs.select_for_update(of=("self",))
    team = qs.filter(pk=id).first()
    if team is None:
        raise NotFound("Team")
    return team


def territory_list(*, actor: Actor) -> QuerySet[Territory]:
    return Territory.objects.filter(organisation_id=actor.organisation_id).select_related("parent")


def access_territory(*, actor: Actor, id: int) -> Territory:
    t = territory_list(actor=actor).filter(pk=id).first()
    if t is None:
        raise NotFound("Territory")
    return t


def role_profile_list(*, actor: Actor) -> QuerySet[RoleProfile]:
    return RoleProfile.objects.filter(organisation_id=actor.organisation_id)


def access_role_profile(*, actor: Actor, id: int) -> RoleProfile:
    rp = role_profile_list(actor=actor).filter(pk=id).first()
    if rp is None:
        raise NotFound("Role profile")
    return rp


def member_profile(*, membership: Membership) -> MemberProfile:
    return MemberProfile.objects.select_related("team", "territory", "role_profile").get(
        membership=membership
    )


def team_tree(*, actor: Actor) -> list[dict]:
    """The team tree as nested dicts with member counts, from two queries."""
    from django.db.models import Count

    teams = list(
        team_list(actor=actor).annotate(
            member_count=Count("members", filter=Q(members__membership__is_active=True))
        )
    )
    nodes: dict[int, dict[str, Any]] = {t.pk: {"team": t, "children": []} for t in teams}
    roots: list[dict[str, Any]] = []
    for t in sorted(teams, key=lambda t: (t.depth, t.name)):
        node = nodes[t.pk]
        if t.parent_id and t.parent_id in nodes:
            nodes[t.parent_id]["children"].append(node)
        else:
            roots.append(node)
    return roots


def managers_chain(*, membership: Membership) -> list[Membership]:
    """The managers above a member, nearest first (their team's manager, then up the tree)."""
    profile = member_profile(membership=membership)
    if profile.team is None:
        return []
    ids = [int(x) for x in profile.team.path.strip("/").split("/") if x]
    teams = {t.pk: t for t in Team.objects.filter(pk__in=ids).select_related("manager__user")}
    chain = []
    for tid in reversed(ids):
        mgr = teams[tid].manager if tid in teams else None
        if mgr and mgr.pk != membership.pk and mgr not in chain:
            chain.append(mgr)
    return chain
