"""Seeding of development: the framework, assessments, feedback, check-ins with notes and
action items, coaching sessions, plans, stories — and a first run of the signal rules.

English or Vietnamese by the organisation's language. Written in bulk (``bulk_create``), for
the members this run created, so seeding an organisation again adds to it without touching
what is there. Deterministic: every choice comes from ``ctx.random``.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections import defaultdict
from typing import cast

from django.utils import timezone

from saleshelm.core.seeding import SeedContext
from saleshelm.development import seed_texts as T
from saleshelm.development import signals_engine
from saleshelm.development.frameworks import framework_load
from saleshelm.development.models import (
    ActionItem,
    ActionItemStatus,
    Assessment,
    AssessmentCycle,
    AssessmentRating,
    AssessmentStatus,
    CheckIn,
    CheckInCadence,
    CheckInStatus,
    CoachingSession,
    Competency,
    CycleStatus,
    DevelopmentGoal,
    DevelopmentPlan,
    Feedback,
    FeedbackRequest,
    ObservationType,
    Story,
)
from saleshelm.development.services.assessments import competencies_for_roles, nearest_managers
from saleshelm.tenancy.roles import Role

BATCH = 1000
PAST_CHECK_INS = 3
CADENCE_DAYS = 14


def _at(day: dt.date, hour: int, tz) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, 0), tzinfo=tz)


def _bulk(model, rows):
    for i in range(0, len(rows), BATCH):
        model.objects.bulk_create(rows[i : i + BATCH])
    return rows


def _backdate(model, rows, field="created_at"):
    for i in range(0, len(rows), BATCH):
        model.objects.bulk_update(rows[i : i + BATCH], [field])


def seed(ctx: SeedContext) -> None:
    org = ctx.organisation
    lang = "vi" if ctx.is_vietnamese else "en"
    today = ctx.today
    tz = zoneinfo.ZoneInfo(org.time_zone or "UTC")

    b2b = framework_load(
        actor=ctx.actor, framework="b2b", language=lang, role_profiles=dict(ctx.role_profiles)
    )
    retail = framework_load(actor=ctx.actor, framework="retail", language=lang)
    ctx.counts["competencies"] = ctx.counts.get("competencies", 0) + (
        b2b.competencies_created + retail.competencies_created
    )

    people = [m for m in ctx.members if m.role == Role.REP]
    managers = nearest_managers([m.pk for m in people], org.pk)
    people = [m for m in people if managers.get(m.pk)]
    if not people:
        ctx.summary.append("the competency framework")
        return
    by_role, active = competencies_for_roles(org.pk)
    b2b_ids = set(
        Competency.objects.filter(organisation=org, key__startswith="b2b-").values_list(
            "pk", flat=True
        )
    )
    names = dict(Competency.objects.filter(organisation=org).values_list("pk", "name"))
    teams: dict[int | None, list] = defaultdict(list)
    for m in people:
        teams[ctx.profiles[m.pk].team_id if m.pk in ctx.profiles else None].append(m)

    def competencies_of(m) -> list[tuple[int, int | None]]:
        profile = ctx.profiles.get(m.pk)
        expected = (
            by_role.get(profile.role_profile_id) if profile and profile.role_profile_id else None
        )
        return cast("list[tuple[int, int | None]]", expected) or [
            (cid, None) for cid in active if cid in b2b_ids
        ]

    with ctx.progress.stage("development", len(people) * 6) as advance:
        true_levels = _assessments(ctx, people, managers, competencies_of, tz)
        advance(len(people) * 2)
        _feedback(ctx, people, managers, teams, names, true_levels, lang, tz)
        advance(len(people))
        check_ins = _check_ins(ctx, people, managers, lang, tz)
        advance(len(people))
        _coaching(ctx, people, managers, true_levels, teams, lang, tz)
        _plans(ctx, people, managers, true_levels, names, lang)
        advance(len(people))
        _stories(ctx, people, true_levels, lang, tz)
        advance(len(people))

    # A first run of the signal rules, as if the daily job had run three days ago and today:
    # signals still open after the escalation delay have reached the managers.
    morning = _at(today, 6, tz)
    signals_engine.evaluate(
        organisation=org, today=today - dt.timedelta(days=3), now=morning - dt.timedelta(days=3)
    )
    result = signals_engine.evaluate(organisation=org, today=today, now=morning)
    ctx.counts["signals"] = result.open_signals
    ctx.summary.append(
        f"development for {len(people):,} reps ({check_ins:,} check-ins, "
        f"{result.open_signals:,} open signals)"
    )


def _assessments(ctx, people, managers, competencies_of, tz) -> dict[int, dict[int, int]]:
    """A completed cycle half a year ago and the current one, part-way through."""
    org, rng, today = ctx.organisation, ctx.random, ctx.today
    lang = "vi" if ctx.is_vietnamese else "en"
    past_open = today - dt.timedelta(days=150)
    past, _ = AssessmentCycle.objects.get_or_create(
        organisation=org,
        name=T.CYCLES[lang][0].format(year=past_open.year),
        defaults={
            "opens_on": past_open,
            "self_due": past_open + dt.timedelta(days=14),
            "manager_due": past_open + dt.timedelta(days=28),
            "status": CycleStatus.CLOSED,
        },
    )
    now_open = today - dt.timedelta(days=10)
    current, _ = AssessmentCycle.objects.get_or_create(
        organisation=org,
        name=T.CYCLES[lang][1].format(year=today.year),
        defaults={
            "opens_on": now_open,
            "self_due": today + dt.timedelta(days=4),
            "manager_due": today + dt.timedelta(days=18),
        },
    )
    true_levels: dict[int, dict[int, int]] = {}
    assessments, ratings = [], []
    for i, m in enumerate(people):
        comps = competencies_of(m)
        talent = rng.choice((-1, 0, 0, 0, 1))
        true_levels[m.pk] = {
            cid: max(1, min(5, (expected or 3) + talent + rng.choice((-1, 0, 0, 1))))
            for cid, expected in comps
        }
        overrates = rng.random() < 0.5
        for cycle, state in ((past, "completed"), (current, None)):
            if state is None:
                # the first rep (the demo login) still has to assess themself
                roll = 1.0 if i == 0 else rng.random()
                state = "self_pending" if roll > 0.55 else "completed" if roll < 0.2 else "manager"
            opened = cycle.opens_on
            a = Assessment(
                organisation=org,
                cycle=cycle,
                subject=m,
                assessor_id=managers[m.pk],
                status={
                    "completed": AssessmentStatus.COMPLETED,
                    "manager": AssessmentStatus.MANAGER_PENDING,
                    "self_pending": AssessmentStatus.SELF_PENDING,
                }[state],
                self_submitted_at=None
                if state == "self_pending"
                else _at(opened + dt.timedelta(days=rng.randint(2, 9)), 16, tz),
                manager_submitted_at=_at(opened + dt.timedelta(days=rng.randint(12, 20)), 11, tz)
                if state == "completed"
                else None,
            )
            assessments.append(a)
            for cid, expected in comps:
                level = true_levels[m.pk][cid]
                ratings.append(
                    AssessmentRating(
                        organisation=org,
                        assessment=a,
                        competency_id=cid,
                        expected_level=expected,
                        self_level=None
                        if state == "self_pending"
                        else max(1, min(5, level + (1 if overrates and rng.random() < 0.5 else 0))),
                        manager_level=level if state == "completed" else None,
                    )
                )
    _bulk(Assessment, assessments)
    _bulk(AssessmentRating, ratings)
    ctx.counts["assessments"] = ctx.counts.get("assessments", 0) + len(assessments)
    return true_levels


def _feedback(ctx, people, managers, teams, names, true_levels, lang, tz) -> None:
    org, rng, today = ctx.organisation, ctx.random, ctx.today
    rows: list[Feedback] = []
    stamps: list[dt.datetime] = []
    for i, m in enumerate(people):
        manager = managers[m.pk]
        weakest = min(true_levels[m.pk], key=true_levels[m.pk].get, default=None)
        for n in range(rng.randint(1, 3) if i else 3):
            praise = rng.random() < 0.6 or n == 0
            rows.append(
                Feedback(
                    organisation=org,
                    author_id=manager,
                    subject=m,
                    kind="praise" if praise else "improvement",
                    visibility="shared",
                    body=rng.choice(T.PRAISE[lang] if praise else T.IMPROVEMENT[lang]),
                    competency_id=None if praise else weakest,
                )
            )
            stamps.append(
                _at(today - dt.timedelta(days=rng.randint(0 if n == 0 else 1, 45)), 17, tz)
            )
        mates = [
            p
            for p in teams[ctx.profiles[m.pk].team_id if m.pk in ctx.profiles else None]
            if p.pk != m.pk
        ]
        if mates and rng.random() < 0.5:
            mate = rng.choice(mates)
            private = rng.random() < 0.4
            rows.append(
                Feedback(
                    organisation=org,
                    author=mate,
                    subject=m,
                    kind="improvement" if private else "praise",
                    visibility="private" if private else "shared",
                    body=rng.choice(T.IMPROVEMENT[lang] if private else T.PRAISE[lang]),
                )
            )
            stamps.append(_at(today - dt.timedelta(days=rng.randint(1, 30)), 12, tz))
    _bulk(Feedback, rows)
    for f, stamp in zip(rows, stamps, strict=True):
        f.created_at = stamp
    _backdate(Feedback, rows)
    requests = []
    for m in people:
        mates = [
            p
            for p in teams[ctx.profiles[m.pk].team_id if m.pk in ctx.profiles else None]
            if p.pk != m.pk
        ]
        if mates and rng.random() < 0.25:
            requests.append(
                FeedbackRequest(
                    organisation=org,
                    requester=m,
                    recipient=rng.choice(mates),
                    subject=m,
                    message=rng.choice(T.REQUESTS[lang]),
                    due_date=today + dt.timedelta(days=rng.randint(2, 10)),
                )
            )
    _bulk(FeedbackRequest, requests)
    ctx.counts["feedback"] = ctx.counts.get("feedback", 0) + len(rows)


def _check_ins(ctx, people, managers, lang, tz) -> int:
    """A fortnightly cadence per rep: three done check-ins with notes and action items, and
    the next one planned, with the open items carried into it."""
    org, rng, today = ctx.organisation, ctx.random, ctx.today
    cadences, check_ins, plan = [], [], []
    for m in people:
        next_on = today + dt.timedelta(days=rng.randint(0, CADENCE_DAYS - 4))
        cadences.append(
            CheckInCadence(
                organisation=org,
                manager_id=managers[m.pk],
                member=m,
                every_days=CADENCE_DAYS,
                next_on=next_on,
            )
        )
        pair = []
        for k in range(PAST_CHECK_INS, 0, -1):
            day = next_on - dt.timedelta(days=CADENCE_DAYS * k)
            pair.append(
                CheckIn(
                    organisation=org,
                    manager_id=managers[m.pk],
                    member=m,
                    scheduled_for=day,
                    status=CheckInStatus.DONE,
                    notes=rng.choice(T.CHECK_IN_NOTES[lang]),
                    completed_at=_at(day, 15, tz),
                )
            )
        pair.append(
            CheckIn(organisation=org, manager_id=managers[m.pk], member=m, scheduled_for=next_on)
        )
        check_ins.extend(pair)
        plan.append((m, pair))
    _bulk(CheckInCadence, cadences)
    _bulk(CheckIn, check_ins)
    items = []
    for m, pair in plan:
        planned = pair[-1]
        done = pair[:-1]
        for k, check_in in enumerate(done):
            last = k == len(done) - 1
            for text in rng.sample(T.ACTION_ITEMS[lang], 2):
                still_open = (last and rng.random() < 0.6) or (not last and rng.random() < 0.1)
                items.append(
                    ActionItem(
                        organisation=org,
                        raised_in=check_in,
                        carried_to=planned if still_open else None,
                        carry_count=(len(done) - k) if still_open else 0,
                        owner_id=m.pk if rng.random() < 0.8 else check_in.manager_id,
                        text=text,
                        due_date=check_in.scheduled_for + dt.timedelta(days=7),
                        status=ActionItemStatus.OPEN if still_open else ActionItemStatus.DONE,
                        closed_at=None
                        if still_open
                        else _at(check_in.scheduled_for + dt.timedelta(days=5), 10, tz),
                    )
                )
    _bulk(ActionItem, items)
    ctx.counts["check_ins"] = ctx.counts.get("check_ins", 0) + len(check_ins)
    return len(check_ins)


def _coaching(ctx, people, managers, true_levels, teams, lang, tz) -> None:
    org, rng, today = ctx.organisation, ctx.random, ctx.today
    team_names = {t.pk: t.name for t in ctx.teams}
    sessions = []
    for m in people:
        team_id = ctx.profiles[m.pk].team_id if m.pk in ctx.profiles else None
        retail = any(w in team_names.get(team_id, "") for w in ("Retail", "Bán lẻ"))
        levels = true_levels[m.pk]
        focus = sorted(levels, key=lambda c: (levels[c], c))[:2]
        for n in range(rng.randint(1, 2)):
            held = today - dt.timedelta(days=rng.randint(3, 80))
            follow = held + dt.timedelta(days=14)
            kind = (
                ObservationType.STORE_VISIT
                if retail
                else rng.choice(
                    (
                        ObservationType.CALL_REVIEW,
                        ObservationType.RIDE_ALONG,
                        ObservationType.DEAL_REVIEW,
                    )
                )
            )
            sessions.append(
                CoachingSession(
                    organisation=org,
                    coach_id=managers[m.pk],
                    member=m,
                    held_on=held,
                    observation_type=kind,
                    focus_competency_id=focus[n % len(focus)] if focus else None,
                    observations=rng.choice(T.OBSERVATIONS[lang]),
                    agreed_actions=[
                        {"text": t, "done": follow < today and rng.random() < 0.7}
                        for t in rng.sample(T.AGREED[lang], 2)
                    ],
                    follow_up_on=follow,
                    follow_up_done=follow < today - dt.timedelta(days=3) and rng.random() < 0.8,
                )
            )
    _bulk(CoachingSession, sessions)
    ctx.counts["coaching_sessions"] = ctx.counts.get("coaching_sessions", 0) + len(sessions)


def _plans(ctx, people, managers, true_levels, names, lang) -> None:
    org, rng, today = ctx.organisation, ctx.random, ctx.today
    plans, goals = [], []
    for i, m in enumerate(people):
        if i and rng.random() > 0.6:
            continue
        plan = DevelopmentPlan(
            organisation=org,
            member=m,
            title=rng.choice(T.PLAN_TITLES[lang]),
            created_by_id=managers[m.pk],
        )
        plans.append(plan)
        levels = true_levels[m.pk]
        for n, cid in enumerate(sorted(levels, key=lambda c: (levels[c], c))[:2]):
            target = min(5, levels[cid] + 1)
            goals.append(
                DevelopmentGoal(
                    organisation=org,
                    plan=plan,
                    title=T.GOAL_TEMPLATES[lang][n % 2].format(level=target, competency=names[cid]),
                    competency_id=cid,
                    target_level=target,
                    due_date=today + dt.timedelta(days=rng.randint(20, 120)),
                    progress=rng.choice((0, 10, 25, 40, 60, 80)),
                    actions=T.GOAL_ACTIONS[lang],
                )
            )
    _bulk(DevelopmentPlan, plans)
    _bulk(DevelopmentGoal, goals)


def _stories(ctx, people, true_levels, lang, tz) -> None:
    from saleshelm.crm.models import Opportunity, StageKind

    org, rng, today = ctx.organisation, ctx.random, ctx.today
    count = min(60, max(3, len(people) // 8))
    authors = rng.sample(people, min(count, len(people)))
    won = defaultdict(list)
    for owner_id, pk, name, industry in (
        Opportunity.objects.filter(organisation=org, owner__in=authors, stage__kind=StageKind.WON)
        .order_by("-close_date")
        .values_list("owner_id", "pk", "name", "account__industry")[: count * 4]
    ):
        won[owner_id].append((pk, name, industry or ""))
    stories, links, stamps = [], [], []
    for i, author in enumerate(authors):
        kind, title, body = T.STORIES[lang][i % len(T.STORIES[lang])]
        deal = won[author.pk][0] if kind == "win" and won[author.pk] else None
        if kind == "win" and deal is None:
            kind, title, body = T.STORIES[lang][2 + i % 3]
        stories.append(
            Story(
                organisation=org,
                author=author,
                kind=kind,
                title=title.format(deal=deal[1] if deal else ""),
                body=body,
                opportunity_id=deal[0] if deal else None,
                industry=deal[2] if deal else "",
            )
        )
        best = sorted(true_levels[author.pk], key=lambda c: -true_levels[author.pk][c])[:2]
        links.append(best)
        stamps.append(
            timezone.make_aware(
                dt.datetime.combine(today - dt.timedelta(days=rng.randint(1, 120)), dt.time(9)), tz
            )
        )
    _bulk(Story, stories)
    through = Story.competencies.through
    through.objects.bulk_create(
        [
            through(story_id=s.pk, competency_id=c)
            for s, cs in zip(stories, links, strict=True)
            for c in cs
        ]
    )
    for s, stamp in zip(stories, stamps, strict=True):
        s.created_at = stamp
    _backdate(Story, stories)
