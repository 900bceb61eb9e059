"""The three development dashboards: my development, my team's, the director's overview."""

from __future__ import annotations

from django.shortcuts import render
from django.utils.translation import gettext as _

from saleshelm.development import selectors
from saleshelm.development.charts import gap_chart
from saleshelm.development.models import SignalRule
from saleshelm.development.permissions import can_read_coaching
from saleshelm.development.views.common import COACH_ROLES, LEADER_ROLES, page, today_for


@page
def my_development(request):
    """The salesperson's own page: signals first, then feedback, assessment, plan, 1:1."""
    actor = request.membership
    context = {"today": today_for(request), "coached": can_read_coaching(actor=actor)}
    if context["coached"]:
        mine = selectors.my_development(actor=actor)
        context["my"] = mine
        if any(r.self_level or r.manager_level for r in mine.rows):
            context["chart"] = gap_chart(
                mine.rows,
                title=_("Competencies: expected level, self-assessment and manager"),
            )
    else:
        context["signals"] = list(selectors.signal_list(actor=actor, mine=True)[:20])
        context["feedback"] = list(selectors.feedback_list(actor=actor, direction="received")[:6])
    return render(request, "development/my.html", context)


@page(roles=COACH_ROLES)
def team_development(request):
    """The coaching queue: the members most in need of attention first."""
    actor = request.membership
    today = today_for(request)
    queue = selectors.coaching_queue(actor=actor, today=today)
    escalated = list(
        selectors.signal_list(actor=actor, mine=False, escalated=True).select_related(
            "subject__user"
        )[:12]
    )
    return render(
        request,
        "development/team.html",
        {
            "queue": queue,
            "today": today,
            "escalated": escalated,
            "counts": selectors.open_counts_by_rule(actor=actor, mine=False),
            "rules": SignalRule.choices,
            "waiting": list(
                selectors.assessment_list(actor=actor, status="manager_pending").filter(
                    subject__in=[m.pk for m in queue]
                )[:10]
            ),
        },
    )


@page(roles=LEADER_ROLES)
def overview(request):
    actor = request.membership
    today = today_for(request)
    data = selectors.director_overview(actor=actor, today=today)
    return render(
        request,
        "development/overview.html",
        {**data, "today": today, "rules": SignalRule.choices},
    )
