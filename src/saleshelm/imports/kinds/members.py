"""members: people, their role, team, territory and title (SPEC §4).

Teams, parent teams and territories named in the file are created if absent (through the
people services, so each has its audit row); ``manages_team`` makes the member that team's
manager. New people and profile changes are written in bulk, with the same audit rows the
tenancy and people services write (``membership.create``, ``membership.role_change``,
``member_profile.update``).

Who may do what follows those services: admins and directors place people (team,
territory, title, start date, team manager); only an admin adds members or changes roles,
so a director's file that would do either gets a per-row error. A deactivated member is not
brought back by an import.
"""

from __future__ import annotations

import secrets
from typing import Any

from django.contrib.auth.hashers import make_password
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from saleshelm.imports.columns import Column
from saleshelm.imports.kinds.base import (
    ALL_ROLES,
    STRUCTURE_IMPORTERS,
    ImportContext,
    Kind,
    Row,
    register,
)
from saleshelm.tenancy.actors import Actor, SystemActor
from saleshelm.tenancy.roles import Role

ROLE_ALIASES = {
    "administrator": Role.ADMIN,
    "sales director": Role.DIRECTOR,
    "sales manager": Role.MANAGER,
    "sales rep": Role.REP,
    "salesperson": Role.REP,
    "representative": Role.REP,
    "read-only": Role.VIEWER,
}


def _profile_snapshot(title, team_id, territory_id, role_profile_id, start_date) -> dict:
    # The same shape as people.services writes for member_profile.update.
    return {
        "title": title or "",
        "team": team_id,
        "territory": territory_id,
        "role_profile": role_profile_id,
        "start_date": start_date.isoformat() if start_date else None,
    }


class MembersKind(Kind):
    name = "members"
    label = gettext_lazy("Members")
    description = gettext_lazy(
        "People of the organisation: role, team, territory, title, start date."
    )
    key = ("email",)
    import_roles = STRUCTURE_IMPORTERS
    export_roles = ALL_ROLES
    batch_size = 100_000  # a members file is small: everything is checked together
    columns = (
        Column(
            "email",
            "email",
            required=True,
            help=gettext_lazy("The person's sign-in email; identifies the row."),
            example="an.nguyen@example.com",
        ),
        Column(
            "name",
            "text",
            required=True,
            max_length=200,
            help=gettext_lazy("Full name."),
            example="Nguyễn Văn An",
        ),
        Column(
            "role",
            "choice",
            required=True,
            choices=tuple(Role.values),
            extra={"choice_aliases": ROLE_ALIASES},
            help=gettext_lazy("admin, director, manager, rep, finance or viewer."),
            example="rep",
        ),
        Column(
            "team",
            "text",
            max_length=120,
            help=gettext_lazy(
                "Team name; created if absent. The column is required; the cell may be "
                "empty only for admins, directors, finance and viewers."
            ),
            example="Hanoi SMB",
        ),
        Column(
            "parent_team",
            "text",
            max_length=120,
            help=gettext_lazy("The team's parent team; created if absent. Moves an existing team."),
            example="North",
        ),
        Column(
            "manages_team",
            "bool",
            help=gettext_lazy("yes: the member becomes the team's manager; no: stops being it."),
            example="no",
        ),
        Column(
            "territory",
            "text",
            max_length=120,
            help=gettext_lazy("Territory name; created if absent."),
            example="Hanoi",
        ),
        Column(
            "title",
            "text",
            max_length=120,
            help=gettext_lazy("Job title."),
            example="Account Executive",
        ),
        Column(
            "start_date",
            "date",
            help=gettext_lazy("First day in the organisation."),
            example="2024-03-01",
        ),
    )

    def required_columns(self) -> list[str]:
        return ["email", "name", "role", "team"]

    def begin(self, ctx: ImportContext) -> None:
        ctx.state["rows"] = []

    def check(self, ctx: ImportContext, rows: list[Row]) -> None:
        ctx.state["rows"].extend(rows)

    def write(self, ctx: ImportContext, rows: list[Row]) -> None:
        """Everything is written in ``finish`` once the whole file is known to be good."""

    # --- the whole file at once -------------------------------------------------------
    def finish(self, ctx: ImportContext) -> None:
        from saleshelm.people.models import Team, Territory
        from saleshelm.tenancy.models import Membership, User

        rows: list[Row] = ctx.state["rows"]
        org_id = ctx.organisation_id
        i_email, i_name, i_role, i_team, i_parent, i_manages, i_territory, i_title, i_start = (
            self.index[c]
            for c in (
                "email",
                "name",
                "role",
                "team",
                "parent_team",
                "manages_team",
                "territory",
                "title",
                "start_date",
            )
        )
        is_admin = ctx.actor.role == Role.ADMIN

        teams = {t.name.casefold(): t for t in Team.objects.filter(organisation_id=org_id)}
        territories = {
            t.name.casefold(): t for t in Territory.objects.filter(organisation_id=org_id)
        }
        emails = [r.values[i_email] for r in rows if r.values[i_email]]
        existing: dict[str, Membership] = {
            m.user.email.lower(): m
            for m in Membership.objects.filter(
                organisation_id=org_id, user__email__in=emails
            ).select_related("user", "profile")
        }
        users = {u.email.lower(): u for u in User.objects.filter(email__in=emails)}
        shared_users = set(
            Membership.objects.filter(user__email__in=emails)
            .exclude(organisation_id=org_id)
            .values_list("user__email", flat=True)
        )

        # 1. Rows against each other: duplicates, team parents, managers.
        first_row: dict[str, int] = {}
        parent_of: dict[str, tuple[str, int]] = {}  # team key -> (parent name, row)
        manager_row: dict[str, int] = {}
        for row in rows:
            v = row.values
            email = v[i_email]
            if email:
                if email in first_row:
                    ctx.error(
                        row, "email", email, _("duplicate of row %(n)s") % {"n": first_row[email]}
                    )
                else:
                    first_row[email] = row.number
            team, parent = v[i_team], v[i_parent]
            if team is None and v[i_role] in (Role.MANAGER, Role.REP):
                ctx.error(row, "team", "", _("required for managers and reps"))
            if team is None and (parent is not None or v[i_manages] is not None):
                ctx.error(
                    row, "team", "", _("give the team that parent_team or manages_team is about")
                )
            if team and parent is not None:
                if parent.casefold() == team.casefold():
                    ctx.error(row, "parent_team", parent, _("a team cannot be its own parent"))
                else:
                    seen = parent_of.get(team.casefold())
                    if seen and (seen[0] or "").casefold() != parent.casefold():
                        ctx.error(
                            row,
                            "parent_team",
                            parent,
                            _("row %(n)s gives team %(team)s the parent %(other)s")
                            % {"n": seen[1], "team": team, "other": seen[0]},
                        )
                    elif not seen:
                        parent_of[team.casefold()] = (parent, row.number)
            if team and v[i_manages]:
                key = team.casefold()
                if key in manager_row:
                    ctx.error(
                        row,
                        "manages_team",
                        "yes",
                        _("row %(n)s already makes someone the manager of %(team)s")
                        % {"n": manager_row[key], "team": team},
                    )
                else:
                    manager_row[key] = row.number

        # 2. The team tree after the import must have no cycle.
        final_parent: dict[str, str | None] = {}
        by_id = {t.pk: t for t in teams.values()}
        for key, t in teams.items():
            final_parent[key] = by_id[t.parent_id].name.casefold() if t.parent_id in by_id else None
        for key, (parent, _row) in parent_of.items():
            final_parent[key] = parent.casefold()
        for key, (parent, number) in parent_of.items():
            seen_keys = {key}
            cursor: str | None = parent.casefold()
            depth = 0
            while cursor is not None:
                if cursor in seen_keys:
                    ctx.error(
                        number, "parent_team", parent, _("this would make a loop in the team tree")
                    )
                    break
                seen_keys.add(cursor)
                cursor = final_parent.get(cursor)
                depth += 1
            if depth >= 8:
                ctx.error(
                    number, "parent_team", parent, _("the team tree would be deeper than 8 levels")
                )

        # 3. Each row against the database: who is new, what changes, who may change it.
        plans: list[dict[str, Any]] = []
        admins_after = set(
            Membership.objects.filter(
                organisation_id=org_id, role=Role.ADMIN, is_active=True
            ).values_list("pk", flat=True)
        )
        for row in rows:
            if row.bad:
                continue
            v = row.values
            email, role = v[i_email], v[i_role]
            member = existing.get(email)
            if member is not None and not member.is_active:
                ctx.error(
                    row,
                    "email",
                    email,
                    _("this member is deactivated; reactivate them before importing"),
                )
                continue
            if member is None and not is_admin:
                ctx.error(row, "email", email, _("only an admin may add members"))
                continue
            if member is not None and member.role != role:
                if not is_admin:
                    ctx.error(row, "role", role, _("only an admin may change a member's role"))
                    continue
                if member.role == Role.ADMIN:
                    admins_after.discard(member.pk)
                elif role == Role.ADMIN:
                    admins_after.add(member.pk)
            plans.append({"row": row, "member": member})
        if not admins_after and any(p["member"] is not None for p in plans):
            last = next(
                p["row"]
                for p in plans
                if p["member"] is not None and p["member"].role == Role.ADMIN
            )
            ctx.error(
                last,
                "role",
                last.values[i_role],
                _("an organisation keeps at least one active admin"),
            )

        # 4. Count what would change.
        for p in plans:
            row, member = p["row"], p["member"]
            v = row.values
            if member is None:
                ctx.created += 1
                continue
            profile = member.profile
            team = teams.get(v[i_team].casefold()) if v[i_team] else None
            changed = (
                member.role != v[i_role]
                or (v[i_name] != member.user.full_name and member.user.email not in shared_users)
                or (v[i_team] is not None and (team is None or profile.team_id != team.pk))
                or (v[i_title] is not None and v[i_title] != profile.title)
                or (v[i_start] is not None and v[i_start] != profile.start_date)
            )
            if not changed and v[i_territory] is not None:
                territory = territories.get(v[i_territory].casefold())
                changed = territory is None or profile.territory_id != territory.pk
            if not changed and v[i_parent] is not None:
                parent = teams.get(v[i_parent].casefold())
                changed = parent is None or team is None or team.parent_id != parent.pk
            if not changed and v[i_manages] is not None and team is not None:
                changed = (team.manager_id == member.pk) != v[i_manages]
            if changed:
                ctx.updated += 1
            else:
                ctx.unchanged += 1
        if ctx.error_count or ctx.dry_run:
            return
        self._write(ctx, plans, teams, territories, users, shared_users, parent_of)

    # --- writing ----------------------------------------------------------------------
    def _write(self, ctx, plans, teams, territories, users, shared_users, parent_of) -> None:
        from saleshelm.people import services as people
        from saleshelm.people.models import MemberProfile
        from saleshelm.tenancy.models import AuditEntry, Membership, User

        actor: Actor = ctx.actor
        org_id = ctx.organisation_id
        idx = self.index
        i_email, i_name, i_role, i_team, i_parent, i_manages, i_territory, i_title, i_start = (
            idx[c]
            for c in (
                "email",
                "name",
                "role",
                "team",
                "parent_team",
                "manages_team",
                "territory",
                "title",
                "start_date",
            )
        )

        # Teams: parents first, through the people services (one audit row each).
        def ensure_team(name: str):
            key = name.casefold()
            team = teams.get(key)
            wanted = parent_of.get(key)
            parent = ensure_team(wanted[0]) if wanted else None
            if team is None:
                team = people.team_create(actor=actor, name=name, parent=parent)
                teams[key] = team
            elif parent is not None and team.parent_id != parent.pk:
                team = people.team_update(actor=actor, team=team, parent=parent)
                teams[key] = team
            return team

        for p in plans:
            v = p["row"].values
            if v[i_team]:
                ensure_team(v[i_team])
            if v[i_parent]:
                ensure_team(v[i_parent])
            if v[i_territory] and v[i_territory].casefold() not in territories:
                territories[v[i_territory].casefold()] = people.territory_create(
                    actor=actor, name=v[i_territory]
                )

        audit: list[AuditEntry] = []
        actor_fk = None if isinstance(actor, SystemActor) else actor
        label = actor.email

        def entry(action, object_id, before, after):
            audit.append(
                AuditEntry(
                    organisation_id=org_id,
                    actor=actor_fk,
                    actor_label=label,
                    action=action,
                    object_type="membership",
                    object_id=str(object_id),
                    before=before,
                    after=after,
                )
            )

        # New people: users (unless they exist in another organisation), memberships, profiles.
        new_plans = [p for p in plans if p["member"] is None]
        new_users = []
        for p in new_plans:
            v = p["row"].values
            if v[i_email] not in users:
                user = User(
                    email=v[i_email],
                    full_name=v[i_name],
                    password=make_password(None, secrets.token_urlsafe(8)),
                )
                users[v[i_email]] = user
                new_users.append(user)
        if new_users:
            User.objects.bulk_create(new_users)
            missing = [u.email for u in new_users if u.pk is None]
            if missing:  # databases that do not return ids from a bulk insert
                for u in User.objects.filter(email__in=missing):
                    users[u.email] = u
        memberships = [
            Membership(
                organisation_id=org_id,
                user=users[p["row"].values[i_email]],
                role=p["row"].values[i_role],
            )
            for p in new_plans
        ]
        if memberships:
            Membership.objects.bulk_create(memberships)
            if any(m.pk is None for m in memberships):
                ids = dict(
                    Membership.objects.filter(
                        organisation_id=org_id, user__in=[m.user for m in memberships]
                    ).values_list("user_id", "pk")
                )
                for m in memberships:
                    m.pk = m.id = ids[m.user_id]
        profiles = []
        for p, m in zip(new_plans, memberships, strict=True):
            v = p["row"].values
            p["member"] = m
            team = teams[v[i_team].casefold()] if v[i_team] else None
            territory = territories.get(v[i_territory].casefold()) if v[i_territory] else None
            profiles.append(
                MemberProfile(
                    membership=m,
                    organisation_id=org_id,
                    team=team,
                    territory=territory,
                    title=v[i_title] or "",
                    start_date=v[i_start],
                )
            )
            entry(
                "membership.create",
                m.pk,
                None,
                {"email": v[i_email], "role": m.role, "is_active": True},
            )
            entry(
                "member_profile.update",
                m.pk,
                _profile_snapshot("", None, None, None, None),
                _profile_snapshot(
                    v[i_title],
                    team.pk if team else None,
                    territory.pk if territory else None,
                    None,
                    v[i_start],
                ),
            )
        if profiles:
            MemberProfile.objects.bulk_create(profiles)

        # Existing people: role, name, profile.
        role_changes, name_changes, profile_changes = [], [], []
        for p in plans:
            if p in new_plans:
                continue
            v, member = p["row"].values, p["member"]
            profile = member.profile
            if member.role != v[i_role]:
                before = {
                    "email": member.user.email,
                    "role": member.role,
                    "is_active": member.is_active,
                }
                member.role = v[i_role]
                role_changes.append(member)
                entry(
                    "membership.role_change",
                    member.pk,
                    before,
                    {
                        "email": member.user.email,
                        "role": member.role,
                        "is_active": member.is_active,
                    },
                )
            if v[i_name] != member.user.full_name and member.user.email not in shared_users:
                member.user.full_name = v[i_name]
                name_changes.append(member.user)
            before = _profile_snapshot(
                profile.title,
                profile.team_id,
                profile.territory_id,
                profile.role_profile_id,
                profile.start_date,
            )
            if v[i_team] is not None:
                profile.team = teams[v[i_team].casefold()]
            if v[i_territory] is not None:
                profile.territory = territories[v[i_territory].casefold()]
            if v[i_title] is not None:
                profile.title = v[i_title]
            if v[i_start] is not None:
                profile.start_date = v[i_start]
            after = _profile_snapshot(
                profile.title,
                profile.team_id,
                profile.territory_id,
                profile.role_profile_id,
                profile.start_date,
            )
            if after != before:
                profile_changes.append(profile)
                entry("member_profile.update", member.pk, before, after)
        if role_changes:
            Membership.objects.bulk_update(role_changes, ["role", "updated_at"])
        if name_changes:
            User.objects.bulk_update(name_changes, ["full_name"])
        if profile_changes:
            MemberProfile.objects.bulk_update(
                profile_changes, ["team", "territory", "title", "start_date", "updated_at"]
            )
        if audit:
            AuditEntry.objects.bulk_create(audit)

        # Team managers, through the people service (audited as team.update).
        for p in plans:
            v, member = p["row"].values, p["member"]
            if v[i_manages] is None or v[i_team] is None:
                continue
            team = teams[v[i_team].casefold()]
            if v[i_manages] and team.manager_id != member.pk:
                teams[v[i_team].casefold()] = people.team_update(
                    actor=actor, team=team, manager=member
                )
            elif not v[i_manages] and team.manager_id == member.pk:
                teams[v[i_team].casefold()] = people.team_update(
                    actor=actor, team=team, manager=None
                )

    # --- export -------------------------------------------------------------------------
    def export_rows(self, actor: Actor):
        from saleshelm.people.models import Team
        from saleshelm.tenancy.models import Membership

        parents = dict(
            Team.objects.filter(organisation_id=actor.organisation_id).values_list("pk", "name")
        )
        qs = (
            Membership.objects.filter(organisation_id=actor.organisation_id, is_active=True)
            .order_by("user__email")
            .values_list(
                "pk",
                "user__email",
                "user__full_name",
                "role",
                "profile__team__name",
                "profile__team__parent_id",
                "profile__team__manager_id",
                "profile__territory__name",
                "profile__title",
                "profile__start_date",
            )
        )
        for (
            pk,
            email,
            name,
            role,
            team,
            parent_id,
            manager_id,
            territory,
            title,
            start,
        ) in qs.iterator(chunk_size=2000):
            yield [
                email,
                name,
                role,
                team or "",
                parents.get(parent_id, "") if parent_id else "",
                ("yes" if manager_id == pk else "no") if team else "",
                territory or "",
                title or "",
                start,
            ]


register(MembersKind())
