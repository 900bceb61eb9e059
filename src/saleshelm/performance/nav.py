"""Menu entries of the performance pages (see ``saleshelm.web.navigation``)."""

from django.utils.translation import gettext_lazy as _

from saleshelm.web.navigation import register

SELLERS = {"admin", "director", "manager", "rep"}
TEAM_READERS = {"admin", "director", "manager", "finance", "viewer"}
ORG_WIDE = {"admin", "director", "finance", "viewer"}

register(
    key="performance.my_period",
    section="performance",
    label=_("My period"),
    url_name="performance:my_period",
    roles=SELLERS,
    order=10,
)
register(
    key="performance.team",
    section="performance",
    label=_("Team dashboard"),
    url_name="performance:team",
    roles=TEAM_READERS,
    order=20,
    active_for=("performance:team_of",),
)
register(
    key="performance.organisation",
    section="performance",
    label=_("Organisation"),
    url_name="performance:organisation",
    roles=ORG_WIDE,
    order=30,
)
register(
    key="performance.leaderboard",
    section="performance",
    label=_("Leaderboard"),
    url_name="performance:leaderboard",
    order=40,
)
register(
    key="performance.targets",
    section="performance",
    label=_("Targets"),
    url_name="performance:targets",
    order=50,
    active_for=(
        "performance:target",
        "performance:target_new",
        "performance:target_edit",
        "performance:target_allocate",
    ),
)
register(
    key="performance.forecast",
    section="performance",
    label=_("Forecast"),
    url_name="performance:forecast",
    order=60,
)
register(
    key="performance.scorecards",
    section="performance",
    label=_("Scorecards"),
    url_name="performance:scorecards",
    order=70,
    active_for=("performance:scorecard",),
)
