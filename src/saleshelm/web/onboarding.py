"""Get started: the first-run checklist of an organisation, for its admins and directors.

Six steps that turn an empty organisation into one a sales director can lead from: the team,
the deals, the targets, the direction (vision, goals, mission and values), a commission plan,
and the invitations. Whether a step is done is read from the real data, through the
selectors of the app that owns it (STYLE: apps talk through selectors), so the list never
says "done" for something that is not there.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.shortcuts import render
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from saleshelm.crm.selectors.deals import opportunity_qs
from saleshelm.direction.selectors.strategy import mission_get, value_list
from saleshelm.direction.selectors.vision import goal_list, vision_get
from saleshelm.incentives.permissions import can_manage_commissions
from saleshelm.incentives.selectors.plans import plan_list
from saleshelm.people.selectors import member_list
from saleshelm.performance.selectors.targets import target_list
from saleshelm.tenancy.actors import Actor
from saleshelm.tenancy.roles import Role
from saleshelm.tenancy.selectors import invitation_pending_list
from saleshelm.web.access import role_required

ONBOARDING_ROLES = frozenset({Role.ADMIN, Role.DIRECTOR})


@dataclass
class Action:
    label: str | Promise
    url: str
    primary: bool = False


@dataclass
class Step:
    key: str
    title: str | Promise
    why: str | Promise
    done: bool
    status: str | Promise  # what is there now, in a few words
    actions: list[Action] = field(default_factory=list)
    parts: list[tuple[str | Promise, bool]] = field(default_factory=list)
    note: str | Promise | None = None


def _upload(kind: str) -> str:
    return f"{reverse('imports:upload')}?{urlencode({'kind': kind})}"


def _team_step(members: int) -> Step:
    others = max(0, members - 1)
    return Step(
        key="team",
        title=_("Import your team"),
        why=_(
            "Members, their teams and managers and territories: one row per person in a "
            "members file. Teams named in the file are created for you."
        ),
        done=others > 0,
        status=ngettext("%(count)s member besides you", "%(count)s members besides you", others)
        % {"count": others},
        actions=[
            Action(_("Import the members file"), _upload("members"), primary=True),
            Action(
                _("Download the members template"), reverse("imports:template", args=["members"])
            ),
            Action(_("See the team tree"), reverse("people:teams")),
        ],
    )


def _deals_step(actor: Actor) -> Step:
    deals = opportunity_qs(actor=actor).count()
    return Step(
        key="deals",
        title=_("Import your deals"),
        why=_(
            "A deals export from HubSpot or an opportunities report from Salesforce, as it "
            "comes, or a file in SalesHelm's own columns. Owners are matched to your members "
            "by email or by full name. Import the companies (accounts) first when the deals "
            "name them."
        ),
        done=deals > 0,
        status=ngettext("%(count)s deal", "%(count)s deals", deals) % {"count": deals},
        actions=[
            Action(_("Import companies"), _upload("accounts")),
            Action(_("Import deals"), _upload("opportunities"), primary=True),
            Action(_("See the deals"), reverse("crm:opportunities")),
        ],
    )


def _targets_step(actor: Actor) -> Step:
    targets = target_list(actor=actor).count()
    return Step(
        key="targets",
        title=_("Set targets"),
        why=_(
            "Targets per metric and period for members, teams or territories: attainment, "
            "pacing and commission quotas are measured against them."
        ),
        done=targets > 0,
        status=ngettext("%(count)s target", "%(count)s targets", targets) % {"count": targets},
        actions=[
            Action(_("Import targets"), _upload("targets"), primary=True),
            Action(_("Add a target"), reverse("performance:target_new")),
            Action(_("See the targets"), reverse("performance:targets")),
        ],
    )


def _direction_step(actor: Actor) -> Step:
    vision = vision_get(actor=actor)
    mission = mission_get(actor=actor)
    has_vision = bool(vision and vision.statement.strip())
    goals = goal_list(actor=actor).count()
    has_mission = bool(mission and mission.statement.strip())
    values = value_list(actor=actor).count()
    parts: list[tuple[str | Promise, bool]] = [
        (_("Vision statement"), has_vision),
        (ngettext("%(count)s goal", "%(count)s goals", goals) % {"count": goals}, goals > 0),
        (_("Mission statement"), has_mission),
        (ngettext("%(count)s value", "%(count)s values", values) % {"count": values}, values > 0),
    ]
    done_parts = sum(1 for _label, ok in parts if ok)
    return Step(
        key="direction",
        title=_("Vision, goals and values"),
        why=_(
            "Where the organisation is going and what it believes in: every target and deal "
            "can then be traced to a goal, and kudos name a company value."
        ),
        done=done_parts == len(parts),
        status=_("%(done)s of %(total)s in place") % {"done": done_parts, "total": len(parts)},
        parts=parts,
        actions=[
            Action(
                _("Write the vision"),
                reverse("direction:vision_edit"),
                primary=not has_vision,
            ),
            Action(_("Add a goal"), reverse("direction:goal_create"), primary=has_vision),
            Action(_("Write the mission"), reverse("direction:mission_edit")),
            Action(_("Add a value"), reverse("direction:value_create")),
        ],
    )


def _plan_step(actor: Actor) -> Step:
    plans = plan_list(actor=actor).count()
    return Step(
        key="plan",
        title=_("Build a commission plan"),
        why=_(
            "Tiers, quotas, bonuses and caps, assigned to the people it pays: each person "
            "sees what a deal earns them before they close it."
        ),
        done=plans > 0,
        status=ngettext("%(count)s plan", "%(count)s plans", plans) % {"count": plans},
        # Plans are written by admins and finance; a director sees them and asks.
        actions=(
            [Action(_("Create a plan"), reverse("motivation:plan_create"), primary=True)]
            if can_manage_commissions(actor=actor)
            else []
        )
        + [Action(_("See the plans"), reverse("motivation:plans"))],
        note=None
        if can_manage_commissions(actor=actor)
        else _("Admins and finance write commission plans: ask one of them."),
    )


def _invite_step(actor: Actor, members: int) -> Step:
    # Members who never signed in, annotated with when they were last invited (if ever).
    pending = invitation_pending_list(actor=actor)
    never_invited = pending.filter(last_invited_at__isnull=True).count()  # type: ignore[misc]
    return Step(
        key="invite",
        title=_("Invite people"),
        why=_(
            "Each member gets an email with a link to choose a password. Until then they "
            "cannot sign in."
        ),
        done=members > 1 and never_invited == 0,
        status=(
            ngettext(
                "%(count)s member not invited yet",
                "%(count)s members not invited yet",
                never_invited,
            )
            % {"count": never_invited}
            if members > 1
            else _("Import your team first")
        ),
        actions=[Action(_("Open invitations"), reverse("web:invitations"), primary=members > 1)],
    )


def onboarding_steps(*, actor: Actor) -> list[Step]:
    """The six steps for the actor's organisation, each done or not from the data."""
    members = member_list(actor=actor).count()
    return [
        _team_step(members),
        _deals_step(actor),
        _targets_step(actor),
        _direction_step(actor),
        _plan_step(actor),
        _invite_step(actor, members),
    ]


def steps_remaining(*, actor: Actor) -> int | None:
    """How many steps are not done, for the home page's reminder; None for roles that do not
    see the checklist (no query is made for them)."""
    if actor.role not in ONBOARDING_ROLES:
        return None
    return sum(1 for step in onboarding_steps(actor=actor) if not step.done)


@role_required(ONBOARDING_ROLES)
def onboarding(request):
    actor = request.membership
    steps = onboarding_steps(actor=actor)
    done = sum(1 for s in steps if s.done)
    if request.GET.get("part") == "reminder":  # the home page's card, fetched after the page
        return render(
            request, "web/_onboarding_reminder.html", {"onboarding_remaining": len(steps) - done}
        )
    next_step = next((s for s in steps if not s.done), None)
    return render(
        request,
        "web/onboarding.html",
        {
            "steps": steps,
            "done_count": done,
            "total": len(steps),
            "next_step": next_step,
            "percent": round(100 * done / len(steps)),
        },
    )
