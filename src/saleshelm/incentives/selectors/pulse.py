"""Reads of pulse surveys (SPEC §7): the surveys, whether *I* answered, and anonymous
results.

Results are built so that no answer can be traced to a person:
- only after the survey closed (a result that moves while people answer tells who just
  answered what);
- only for groups of at least ``MIN_GROUP`` responses, and the groups never overlap. Each
  response belongs to the respondent's team; a team with fewer than ``MIN_GROUP`` responses
  passes them up to its parent team, and so on; what is still too small at the top is not
  shown (only its count is). With disjoint groups, subtracting one figure from another never
  isolates a smaller group. The overall figure is the sum of the groups shown.
- comments are shown with their group, sorted by text, never with a time or an order of
  answering.
No selector returns a response with anything that identifies its author, and none lists
who answered.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Aggregate, Count, Exists, OuterRef, Q, QuerySet, Sum

from saleshelm.core.errors import NotFound, PermissionDenied
from saleshelm.incentives.models.pulse import (
    MIN_GROUP,
    QUESTIONS,
    SCORES,
    PulseParticipation,
    PulseResponse,
    PulseSurvey,
)
from saleshelm.incentives.selectors.recognition import is_person
from saleshelm.people.models import Team
from saleshelm.people.selectors import managed_team_paths
from saleshelm.tenancy.actors import Actor
from saleshelm.tenancy.roles import Role

RESULT_LEADERS = frozenset({Role.ADMIN, Role.DIRECTOR})
RESULT_READERS = frozenset({Role.ADMIN, Role.DIRECTOR, Role.MANAGER})
SURVEY_WRITERS = RESULT_LEADERS


def can_read_results(*, actor: Actor) -> bool:
    return actor.role in RESULT_READERS


def can_run_surveys(*, actor: Actor) -> bool:
    return actor.role in SURVEY_WRITERS


def survey_phase(survey: PulseSurvey, today: dt.date) -> str:
    """``upcoming``, ``open`` or ``closed``."""
    if survey.closed_at is not None or today > survey.closes_on:
        return "closed"
    if today < survey.opens_on:
        return "upcoming"
    return "open"


def pulse_survey_list(*, actor: Actor) -> QuerySet[PulseSurvey]:
    """Every survey of the organisation, each with ``responded``: whether the actor answered."""
    qs = PulseSurvey.objects.filter(organisation_id=actor.organisation_id)
    mine = PulseParticipation.objects.filter(
        survey_id=OuterRef("pk"), member_id=actor.pk if is_person(actor) else -1
    )
    return qs.annotate(responded=Exists(mine)).order_by("-opens_on", "-pk")


def access_pulse_survey(*, actor: Actor, id: int) -> PulseSurvey:
    survey = pulse_survey_list(actor=actor).filter(pk=id).first()
    if survey is None:
        raise NotFound("Pulse survey")
    return survey


def has_responded(*, actor: Actor, survey: PulseSurvey) -> bool:
    if not is_person(actor):
        return False
    return PulseParticipation.objects.filter(survey=survey, member_id=actor.pk).exists()


@dataclass
class Scores:
    """Sums and the distribution of one group's answers (never the answers themselves)."""

    n: int = 0
    sums: dict[str, int] = field(default_factory=lambda: dict.fromkeys(QUESTIONS, 0))
    counts: dict[str, dict[int, int]] = field(
        default_factory=lambda: {q: dict.fromkeys(SCORES, 0) for q in QUESTIONS}
    )

    def add(self, other: Scores) -> None:
        self.n += other.n
        for q in QUESTIONS:
            self.sums[q] += other.sums[q]
            for s in SCORES:
                self.counts[q][s] += other.counts[q][s]

    def average(self, question: str) -> Decimal | None:
        if not self.n:
            return None
        return (Decimal(self.sums[question]) / Decimal(self.n)).quantize(
            Decimal("0.1"), rounding=ROUND_HALF_UP
        )

    @property
    def averages(self) -> dict[str, Decimal | None]:
        return {q: self.average(q) for q in QUESTIONS}


@dataclass
class Group:
    key: str  # "team:<id>" or "organisation"
    name: str
    scores: Scores
    teams: list[str] = field(default_factory=list)  # the teams pooled into this group
    comments: list[str] = field(default_factory=list)


@dataclass
class PulseResults:
    survey: PulseSurvey
    available: bool  # False: not closed yet, or fewer than MIN_GROUP responses in scope
    reason: str  # "open" | "too_few" | ""
    groups: list[Group]
    overall: Scores | None
    hidden: int  # responses in scope not shown: too few to stay anonymous
    min_group: int = MIN_GROUP


def _aggregate_by_team(survey: PulseSurvey) -> dict[int | None, Scores]:
    annotations: dict[str, Aggregate] = {"n": Count("pk")}
    for q in QUESTIONS:
        annotations[f"{q}_sum"] = Sum(q)
        for s in SCORES:
            annotations[f"{q}_{s}"] = Count("pk", filter=Q(**{q: s}))
    rows = (
        PulseResponse.objects.filter(survey=survey)
        .order_by()
        .values("team_id")
        .annotate(**annotations)
    )
    out: dict[int | None, Scores] = {}
    for row in rows:
        scores = Scores(n=row["n"])
        for q in QUESTIONS:
            scores.sums[q] = row[f"{q}_sum"] or 0
            for s in SCORES:
                scores.counts[q][s] = row[f"{q}_{s}"]
        out[row["team_id"]] = scores
    return out


def _parent_of(path: str) -> int | None:
    ids = [int(p) for p in path.strip("/").split("/") if p]
    return ids[-2] if len(ids) > 1 else None


def pulse_results(*, actor: Actor, survey: PulseSurvey, today: dt.date) -> PulseResults:
    """Anonymous results for the actor's scope: a manager their team subtrees, a director or
    an admin the organisation. Two aggregate queries and one for the teams; comments only
    for the groups shown."""
    if survey.organisation_id != actor.organisation_id:
        raise NotFound("Pulse survey")
    if not can_read_results(actor=actor):
        raise PermissionDenied("Pulse results are for managers, directors and admins.")
    if survey_phase(survey, today) != "closed":
        return PulseResults(survey, False, "open", [], None, 0)
    teams = {
        t[0]: t
        for t in Team.objects.filter(organisation_id=actor.organisation_id).values_list(
            "pk", "name", "path", "depth"
        )
    }
    whole = actor.role in RESULT_LEADERS
    roots = [] if whole else managed_team_paths(actor=actor)

    def in_scope(team_id: int | None) -> bool:
        if whole:
            return True
        if team_id is None or team_id not in teams:
            return False
        return any(teams[team_id][2].startswith(p) for p in roots)

    by_team = {t: s for t, s in _aggregate_by_team(survey).items() if in_scope(t)}
    in_scope_total = sum(s.n for s in by_team.values())
    # Pool bottom-up: deepest teams first; a team too small hands its pool to its parent
    # (when the parent is in scope), else to what is left over at the top.
    pools: dict[int, Scores] = {}
    pooled_names: dict[int, list[str]] = {}
    leftover = Scores()
    if None in by_team:
        leftover.add(by_team.pop(None))
    for team_id, scores in by_team.items():
        if team_id not in teams:  # a team deleted since: its answers count at the top
            leftover.add(scores)
            continue
        pools.setdefault(team_id, Scores()).add(scores)
        pooled_names.setdefault(team_id, [])
    groups: list[Group] = []
    # Visit every team that has a pool, deepest first; parents gain pools as we go.
    pending = sorted(pools, key=lambda t: -teams[t][3])
    while pending:
        team_id = pending.pop(0)
        pool = pools.pop(team_id)
        _pk, name, path, _depth = teams[team_id]
        if pool.n >= MIN_GROUP:
            groups.append(Group(f"team:{team_id}", name, pool, pooled_names.pop(team_id, [])))
            continue
        parent = _parent_of(path)
        if parent is not None and parent in teams and in_scope(parent):
            if parent not in pools:
                pools[parent] = Scores()
                pooled_names[parent] = []
                pending.append(parent)
                pending.sort(key=lambda t: -teams[t][3])
            pools[parent].add(pool)
            pooled_names[parent].extend([name, *pooled_names.pop(team_id, [])])
        else:
            leftover.add(pool)
            pooled_names.pop(team_id, None)
    if whole and leftover.n >= MIN_GROUP:
        groups.append(Group("organisation", "", leftover, ["*"]))
        leftover = Scores()
    groups.sort(key=lambda g: (g.name.casefold() if g.name else "\uffff", g.key))
    if not groups:
        return PulseResults(survey, False, "too_few", [], None, in_scope_total)
    _attach_comments(survey, groups, teams, whole)
    overall = Scores()
    for g in groups:
        overall.add(g.scores)
    return PulseResults(survey, True, "", groups, overall, leftover.n)


def _attach_comments(survey: PulseSurvey, groups: list[Group], teams: dict, whole: bool) -> None:
    """Comments of the groups shown, each group's sorted by text (one query)."""
    owner: dict[int | None, Group] = {}
    team_names = {t[1]: t[0] for t in teams.values()}
    for g in groups:
        if g.key == "organisation":
            continue
        own_id = int(g.key.split(":", 1)[1])
        owner[own_id] = g
        for name in g.teams:
            if name in team_names:
                owner[team_names[name]] = g
    rest = next((g for g in groups if g.key == "organisation"), None)
    rows = (
        PulseResponse.objects.filter(survey=survey)
        .exclude(comment="")
        .order_by()
        .values_list("team_id", "comment")
    )
    for team_id, comment in rows:
        group = owner.get(team_id)
        if group is None and rest is not None:
            group = rest
        if group is not None:
            group.comments.append(comment)
    for g in groups:
        g.comments.sort(key=str.casefold)


def response_count(*, survey: PulseSurvey) -> int:
    return PulseResponse.objects.filter(survey=survey).count()
