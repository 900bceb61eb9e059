"""Menu entries of the motivation pages (key task "Motivation"; see web.navigation)."""

from django.utils.translation import gettext_lazy as _

from saleshelm.web.navigation import register

LEADS = {"admin", "director", "manager", "finance", "viewer"}
PAY = {"admin", "director", "manager", "finance", "rep"}
PAY_DESK = {"admin", "director", "finance"}

register(
    key="motivation.pay",
    section="motivation",
    label=_("Pay statements"),
    url_name="motivation:pay",
    roles=PAY,
    order=5,
    active_for=("motivation:statement",),
)
register(
    key="motivation.plans",
    section="motivation",
    label=_("Commission plans"),
    url_name="motivation:plans",
    roles=PAY,
    order=6,
    active_for=("motivation:plan_create", "motivation:plan_edit"),
)
register(
    key="motivation.runs",
    section="motivation",
    label=_("Commission runs"),
    url_name="motivation:runs",
    roles=PAY_DESK,
    order=7,
    active_for=("motivation:run", "motivation:run_create"),
)
register(
    key="motivation.disputes",
    section="motivation",
    label=_("Disputes"),
    url_name="motivation:disputes",
    roles=PAY_DESK,
    order=8,
    active_for=("motivation:dispute",),
)

register(
    key="motivation.kudos",
    section="motivation",
    label=_("Kudos"),
    url_name="motivation:kudos",
    order=10,
    active_for=("motivation:kudos_give", "motivation:notices", "motivation:member"),
)
register(
    key="motivation.badges",
    section="motivation",
    label=_("Badges"),
    url_name="motivation:badges",
    order=20,
    active_for=(
        "motivation:badge",
        "motivation:badge_create",
        "motivation:badge_edit",
        "motivation:badge_award",
    ),
)
register(
    key="motivation.contests",
    section="motivation",
    label=_("Contests"),
    url_name="motivation:contests",
    order=30,
    active_for=("motivation:contest", "motivation:contest_create", "motivation:contest_edit"),
)
register(
    key="motivation.commitments",
    section="motivation",
    label=_("Our commitments"),
    url_name="motivation:commitments",
    order=40,
    active_for=(
        "motivation:commitment",
        "motivation:commitment_create",
        "motivation:commitment_edit",
        "motivation:commitment_renegotiate",
    ),
)
register(
    key="motivation.commitments_team",
    section="motivation",
    label=_("Team commitments"),
    url_name="motivation:commitments_team",
    roles=LEADS,
    order=45,
    active_for=("motivation:member_commitments",),
)
register(
    key="motivation.pulse",
    section="motivation",
    label=_("Pulse"),
    url_name="motivation:pulse",
    order=50,
    active_for=("motivation:pulse_answer", "motivation:pulse_results", "motivation:pulse_create"),
)
