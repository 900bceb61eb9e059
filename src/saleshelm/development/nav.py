"""Menu entries of the development pages (key task "Development")."""

from django.utils.translation import gettext_lazy as _

from saleshelm.web.navigation import register

COACHES = {"admin", "director", "manager"}
READERS = {"admin", "director", "manager", "rep"}

register(
    key="development.my",
    section="development",
    label=_("My development"),
    url_name="development:my",
    order=10,
)
register(
    key="development.team",
    section="development",
    label=_("My team's development"),
    url_name="development:team",
    roles=COACHES,
    order=20,
)
register(
    key="development.overview",
    section="development",
    label=_("Development overview"),
    url_name="development:overview",
    roles={"admin", "director"},
    order=30,
)
register(
    key="development.check_ins",
    section="development",
    label=_("Check-ins"),
    url_name="development:check_ins",
    roles=READERS,
    order=40,
    active_for=("development:check_in", "development:check_in_schedule"),
)
register(
    key="development.coaching",
    section="development",
    label=_("Coaching"),
    url_name="development:coaching_sessions",
    roles=READERS,
    order=45,
    active_for=(
        "development:coaching_session",
        "development:coaching_record",
        "development:plans",
        "development:plan",
        "development:plan_create",
    ),
)
register(
    key="development.feedback",
    section="development",
    label=_("Feedback"),
    url_name="development:feedback_list",
    order=50,
    active_for=("development:feedback", "development:feedback_give", "development:feedback_ask"),
)
register(
    key="development.signals",
    section="development",
    label=_("Signals"),
    url_name="development:signals",
    order=60,
    active_for=("development:signal", "development:signal_settings"),
)
register(
    key="development.assessments",
    section="development",
    label=_("Assessments"),
    url_name="development:assessments",
    roles=READERS,
    order=70,
    active_for=(
        "development:assessment",
        "development:assessment_self",
        "development:assessment_manager",
        "development:cycle_create",
    ),
)
register(
    key="development.competencies",
    section="development",
    label=_("Competencies"),
    url_name="development:competencies",
    order=80,
    active_for=("development:competency",),
)
register(
    key="development.stories",
    section="development",
    label=_("Stories and experts"),
    url_name="development:stories",
    order=90,
    active_for=("development:story", "development:story_create", "development:experts"),
)
