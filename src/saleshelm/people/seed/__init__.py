"""Seeding of people: the sales organisation a real Vietnamese/SEA company would have.

Three team levels (the Sales division, its regions, teams of about ten reps such as
"Hà Nội SMB", "HCMC Enterprise", "Singapore Partners"), a territory tree (Vietnam -> North,
Central, South -> cities, and Southeast Asia -> cities), the five role profiles with their
key tasks, responsibilities and KPIs, and members with English and Vietnamese names: an
admin, a director, finance, a viewer, a manager per region and per team, and the reps.

Written in bulk: users, memberships, teams and profiles are ``bulk_create``d (2,000 reps in a
few seconds); seeded users have no usable password except the fixed demo logins.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password

from saleshelm.core.seeding import SeedContext
from saleshelm.people.models import MemberProfile, RoleProfile, Team, Territory
from saleshelm.people.seed.catalogue import (
    DIVISION,
    REGIONS,
    ROLE_MIX,
    ROLE_MIX_DEFAULT,
    ROLE_PROFILES,
    SEGMENTS,
    STRENGTHS,
    TITLES,
    VI_FAMILY,
    VI_GIVEN_FEMALE,
    VI_GIVEN_MALE,
    VI_MIDDLE_FEMALE,
    VI_MIDDLE_MALE,
    Region,
)
from saleshelm.tenancy.models import Membership, User
from saleshelm.tenancy.roles import Role

BATCH = 1000
TEAM_SIZE = 10
EMAIL_DOMAIN = "{slug}.saleshelm.test"  # .test is reserved: seeded mail never reaches anyone


@dataclass(frozen=True)
class Person:
    given: str
    family: str
    full_name: str


def _vietnamese(ctx: SeedContext) -> Person:
    rng = ctx.random
    family = rng.choices([f for f, _ in VI_FAMILY], weights=[w for _, w in VI_FAMILY])[0]
    if rng.random() < 0.5:
        middle, given = rng.choice(VI_MIDDLE_MALE), rng.choice(VI_GIVEN_MALE)
    else:
        middle, given = rng.choice(VI_MIDDLE_FEMALE), rng.choice(VI_GIVEN_FEMALE)
    return Person(given=given, family=family, full_name=f"{family} {middle} {given}")


def _english(ctx: SeedContext) -> Person:
    fake = ctx.fake_en
    given = fake.first_name_female() if ctx.random.random() < 0.5 else fake.first_name_male()
    family = fake.last_name()
    return Person(given=given, family=family, full_name=f"{given} {family}")


def _person(ctx: SeedContext, vietnamese_share: float) -> Person:
    return _vietnamese(ctx) if ctx.random.random() < vietnamese_share else _english(ctx)


def _ascii(text: str) -> str:
    text = text.replace("Đ", "D").replace("đ", "d")
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "", folded.lower())


class _Emails:
    """given.family@<slug>.saleshelm.test, numbered on collision; deterministic."""

    def __init__(self, slug: str) -> None:
        self.domain = EMAIL_DOMAIN.format(slug=slug)
        self.taken = set(
            User.objects.filter(email__endswith=f"@{self.domain}").values_list("email", flat=True)
        )

    def reserve(self, email: str) -> bool:
        if email in self.taken:
            return False
        self.taken.add(email)
        return True

    def for_person(self, person: Person) -> str:
        base = f"{_ascii(person.given) or 'member'}.{_ascii(person.family) or 'sales'}"
        n = 1
        while True:
            email = f"{base}{n if n > 1 else ''}@{self.domain}"
            if self.reserve(email):
                return email
            n += 1


# --- Structure ------------------------------------------------------------------------------


@dataclass(frozen=True)
class TeamPlan:
    name: str
    region: Region
    territory: str
    segment: int


def team_catalogue(locale: str):
    """Every (city, segment) team in a fixed order that spreads across regions first.

    The first four are "Hà Nội SMB", "HCMC Enterprise", "Singapore Partners" and
    "Đà Nẵng Mid-Market"; after all combinations the names repeat with a number.
    """
    depth = max(len(r.cities) for r in REGIONS)
    base = []
    for s in range(len(SEGMENTS)):
        for c in range(depth):
            for region in REGIONS:
                if c >= len(region.cities):
                    continue
                city = region.cities[c]
                segment = (s + c + region.segment_offset) % len(SEGMENTS)
                city_name = city[1] if locale == "vi" else city[0]
                base.append(
                    TeamPlan(f"{city_name} {SEGMENTS[segment][locale]}", region, city[2], segment)
                )
    round_ = 1
    while True:
        for plan in base:
            yield (
                plan
                if round_ == 1
                else TeamPlan(f"{plan.name} {round_}", plan.region, plan.territory, plan.segment)
            )
        round_ += 1


@dataclass
class _NewMember:
    person: Person
    email: str
    role: str
    title: str
    profile_key: str | None
    start_date: dt.date
    team_key: str | None = None  # "division" | region key | leaf team name
    territory: str | None = None
    strengths: tuple[str, ...] = ()
    membership: Membership | None = None


def _start_date(ctx: SeedContext, min_years: float, max_years: float) -> dt.date:
    # Tenure skews short, as in real sales teams: most joined in the last few years.
    span = max_years - min_years
    years = min_years + span * (ctx.random.random() ** 1.6)
    return ctx.today - dt.timedelta(days=int(years * 365.25))


def _split(ctx: SeedContext, total: int, parts: int) -> list[int]:
    """Split ``total`` reps into ``parts`` teams of roughly equal, slightly varied size."""
    if parts <= 0:
        return []
    weights = [ctx.random.uniform(0.75, 1.25) for _ in range(parts)]
    scale = total / sum(weights)
    sizes = [max(1, math.floor(w * scale)) for w in weights] if total >= parts else [0] * parts
    if total < parts:
        for i in range(total):
            sizes[i] = 1
    diff = total - sum(sizes)
    i = 0
    while diff != 0:
        j = i % parts
        if diff > 0:
            sizes[j] += 1
            diff -= 1
        elif sizes[j] > 1:
            sizes[j] -= 1
            diff += 1
        i += 1
    return sizes


def _tree_node(model, ctx: SeedContext, name: str, parent, **extra):
    """Get the node named ``name`` in the organisation, or create it under ``parent``."""
    node = model.objects.filter(organisation=ctx.organisation, name=name).first()
    if node is not None:
        return node, False
    node = model(organisation=ctx.organisation, name=name, parent=parent, path="/pending/", **extra)
    node.save()
    node.path = f"{parent.path if parent else '/'}{node.pk}/"
    node.depth = parent.depth + 1 if parent else 0
    node.save(update_fields=["path", "depth"])
    return node, True


def _territories(ctx: SeedContext, locale: str) -> dict[str, Territory]:
    by_name: dict[str, Territory] = {}
    created = 0
    for region in REGIONS:
        parent = None
        if region.country is not None:
            parent, new = _tree_node(Territory, ctx, region.country[locale], None)
            created += new
        region_node, new = _tree_node(Territory, ctx, region.territory[locale], parent)
        created += new
        by_name[region.key] = region_node
        for city in region.cities:
            node, new = _tree_node(Territory, ctx, city[2], region_node)
            created += new
            by_name[city[2]] = node
    ctx.counts["territories"] = ctx.counts.get("territories", 0) + created
    return by_name


def _role_profiles(ctx: SeedContext, locale: str) -> dict[str, RoleProfile]:
    out = {}
    for key, text in ROLE_PROFILES.items():
        t = text[locale]
        profile = RoleProfile.objects.filter(organisation=ctx.organisation, name=t["name"]).first()
        if profile is None:
            profile = RoleProfile.objects.create(
                organisation=ctx.organisation,
                name=t["name"],
                purpose=t["purpose"],
                key_tasks=list(t["key_tasks"]),
                responsibilities=list(t["responsibilities"]),
                kpis=[{"name": n, "metric": m, "measure": s} for n, m, s in t["kpis"]],
            )
            ctx.counts["role_profiles"] = ctx.counts.get("role_profiles", 0) + 1
        out[key] = profile
    return out


def seed(ctx: SeedContext) -> None:
    org = ctx.organisation
    locale = org.locale if org.locale in ("en", "vi") else "en"
    titles = TITLES[locale]
    emails = _Emails(org.slug)
    logins = dict(ctx.options.logins)

    territories = _territories(ctx, locale)
    role_profiles = _role_profiles(ctx, locale)

    def email_for(person: Person, role_key: str) -> str:
        fixed = logins.pop(role_key, None)
        if fixed and emails.reserve(fixed.lower()):
            return fixed.lower()
        return emails.for_person(person)

    plan: list[_NewMember] = []

    # Leadership: one of each organisation-wide role the organisation does not have yet.
    present = set(
        Membership.objects.filter(organisation=org, is_active=True).values_list("role", flat=True)
    )
    for role, profile_key, share in (
        (Role.ADMIN, None, 0.6),
        (Role.DIRECTOR, "sales_director", 0.6),
        (Role.FINANCE, None, 0.7),
        (Role.VIEWER, None, 0.5),
    ):
        if role in present:
            continue
        person = _person(ctx, share)
        plan.append(
            _NewMember(
                person, email_for(person, role), role, titles[role], profile_key,
                _start_date(ctx, 4, 12), team_key="division" if role == Role.DIRECTOR else None,
            )
        )  # fmt: skip

    # Teams for the new reps: the next names of the catalogue not used in the organisation.
    used = set(Team.objects.filter(organisation=org).values_list("name", flat=True))
    n_teams = math.ceil(ctx.options.reps / TEAM_SIZE) if ctx.options.reps else 0
    leaf_plans: list[TeamPlan] = []
    for team_plan in team_catalogue(locale):
        if len(leaf_plans) == n_teams:
            break
        if team_plan.name not in used:
            used.add(team_plan.name)
            leaf_plans.append(team_plan)
    region_names = {r.key: r.team[locale] for r in REGIONS}
    regions_needed = [r for r in REGIONS if any(p.region is r for p in leaf_plans)]
    existing_regions = set(
        Team.objects.filter(
            organisation=org, name__in=[r.team[locale] for r in regions_needed]
        ).values_list("name", flat=True)
    )
    for region in regions_needed:
        if region.team[locale] in existing_regions:
            continue
        person = _person(ctx, region.vietnamese_share)
        plan.append(
            _NewMember(
                person, email_for(person, "region_manager"), Role.MANAGER,
                titles["region_manager"], "sales_manager", _start_date(ctx, 3, 12),
                team_key=f"region:{region.key}", territory=region.key,
            )
        )  # fmt: skip

    sizes = _split(ctx, ctx.options.reps, len(leaf_plans))
    for team_plan, size in zip(leaf_plans, sizes, strict=True):
        person = _person(ctx, team_plan.region.vietnamese_share)
        plan.append(
            _NewMember(
                person, email_for(person, Role.MANAGER), Role.MANAGER, titles["manager"],
                "sales_manager", _start_date(ctx, 2, 10), team_key=team_plan.name,
                territory=team_plan.territory,
                strengths=tuple(ctx.random.sample(STRENGTHS[locale], 2)),
            )
        )  # fmt: skip
        segment = SEGMENTS[team_plan.segment]["en"]
        mix = ROLE_MIX.get(segment, ROLE_MIX_DEFAULT)
        for _ in range(size):
            person = _person(ctx, team_plan.region.vietnamese_share)
            key = ctx.random.choices(
                ("account_executive", "sdr", "key_account_manager"), weights=mix
            )[0]
            start = _start_date(ctx, 0.05, 8)
            options = titles[key]
            senior = len(options) > 1 and (ctx.today - start).days > 3 * 365
            plan.append(
                _NewMember(
                    person, email_for(person, Role.REP), Role.REP, options[1 if senior else 0],
                    key, start, team_key=team_plan.name, territory=team_plan.territory,
                    strengths=tuple(ctx.random.sample(STRENGTHS[locale], ctx.random.randint(1, 3))),
                )
            )  # fmt: skip

    unusable = make_password(None)  # one string for everyone: computed once, not per user
    login_hashes: dict[str, str] = {}
    for email in ctx.options.logins.values():
        login_hashes[email.lower()] = make_password(ctx.options.password)

    total = len(plan) * 3
    with ctx.progress.stage("people", total) as advance:
        users = [
            User(
                email=m.email,
                full_name=m.person.full_name,
                first_name=m.person.given[:150],
                last_name=m.person.family[:150],
                password=login_hashes.get(m.email, unusable),
            )
            for m in plan
        ]
        for i in range(0, len(users), BATCH):
            User.objects.bulk_create(users[i : i + BATCH])
            advance(len(users[i : i + BATCH]))
        memberships = [
            Membership(organisation=org, user=u, role=m.role)
            for u, m in zip(users, plan, strict=True)
        ]
        for i in range(0, len(memberships), BATCH):
            Membership.objects.bulk_create(memberships[i : i + BATCH])
            advance(len(memberships[i : i + BATCH]))
        for m, membership in zip(plan, memberships, strict=True):
            m.membership = membership

        # Team tree: the division (managed by the director), its regions, the new teams.
        director = next((m.membership for m in plan if m.role == Role.DIRECTOR), None)
        if director is None:
            director = (
                Membership.objects.filter(organisation=org, role=Role.DIRECTOR, is_active=True)
                .order_by("pk")
                .first()
            )
        teams: dict[str, Team] = {}
        division = None
        if leaf_plans or director is not None:
            division, _ = _tree_node(Team, ctx, DIVISION[locale], None, manager=director)
            teams["division"] = division
        region_managers = {
            m.team_key: m.membership
            for m in plan
            if m.team_key and m.team_key.startswith("region:")
        }
        for region in regions_needed:
            node, _ = _tree_node(
                Team, ctx, region_names[region.key], division,
                manager=region_managers.get(f"region:{region.key}"),
            )  # fmt: skip
            teams[f"region:{region.key}"] = node
        managers = {m.team_key: m.membership for m in plan if m.role == Role.MANAGER}
        leaf_parents = [teams[f"region:{p.region.key}"] for p in leaf_plans]
        leaf_teams = [
            Team(
                organisation=org,
                name=p.name,
                parent=leaf_parents[i],
                manager=managers[p.name],
                path="/pending/",
                depth=2,
            )
            for i, p in enumerate(leaf_plans)
        ]
        Team.objects.bulk_create(leaf_teams, batch_size=BATCH)
        for team, parent in zip(leaf_teams, leaf_parents, strict=True):
            team.path = f"{parent.path}{team.pk}/"
            team.depth = parent.depth + 1
            teams[team.name] = team
        Team.objects.bulk_update(leaf_teams, ["path", "depth"], batch_size=BATCH)
        ctx.counts["teams"] = ctx.counts.get("teams", 0) + len(leaf_teams)

        profiles = [
            MemberProfile(
                organisation=org,
                membership=m.membership,
                title=m.title,
                team=teams.get(m.team_key) if m.team_key else None,
                territory=territories.get(m.territory) if m.territory else None,
                role_profile=role_profiles.get(m.profile_key) if m.profile_key else None,
                start_date=m.start_date,
                strengths=list(m.strengths),
            )
            for m in plan
        ]
        for i in range(0, len(profiles), BATCH):
            MemberProfile.objects.bulk_create(profiles[i : i + BATCH])
            advance(len(profiles[i : i + BATCH]))

    new_reps = sum(1 for m in plan if m.role == Role.REP)
    ctx.counts["members"] = ctx.counts.get("members", 0) + len(plan)
    ctx.counts["reps"] = ctx.counts.get("reps", 0) + new_reps

    # What later seeders read: the whole organisation, not only what this run added.
    ctx.members = [m.membership for m in plan if m.membership is not None]
    everyone = Membership.objects.filter(organisation=org, is_active=True).select_related("user")
    ctx.reps = [m for m in everyone if m.role == Role.REP]
    ctx.managers = [m for m in everyone if m.role == Role.MANAGER]
    ctx.teams = list(Team.objects.filter(organisation=org))
    ctx.territories = list(Territory.objects.filter(organisation=org))
    ctx.role_profiles = role_profiles
    ctx.profiles = {p.pk: p for p in MemberProfile.objects.filter(organisation=org)}
    ctx.summary.append(
        f"{new_reps:,} reps in {len(leaf_teams):,} team{'' if len(leaf_teams) == 1 else 's'}"
        f" ({len(plan):,} members in all)"
    )
