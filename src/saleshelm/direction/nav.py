"""Menu entries of the direction pages (see ``saleshelm.web.navigation``)."""

from django.utils.translation import gettext_lazy as _

from saleshelm.web.navigation import register

register(
    key="direction.vision",
    section="vision",
    label=_("Vision and goals"),
    url_name="direction:vision",
    order=10,
    active_for=(
        "direction:vision_edit",
        "direction:goal",
        "direction:goal_create",
        "direction:goal_edit",
        "direction:key_result_create",
        "direction:key_result_edit",
        "direction:check_in",
    ),
)
register(
    key="direction.line_of_sight",
    section="vision",
    label=_("My line of sight"),
    url_name="direction:line_of_sight",
    order=20,
    active_for=("direction:line_of_sight_member",),
)
register(
    key="direction.alignment",
    section="vision",
    label=_("Alignment"),
    url_name="direction:alignment",
    order=30,
)
register(
    key="direction.mission",
    section="mission",
    label=_("Mission and values"),
    url_name="direction:mission",
    order=10,
    active_for=("direction:mission_edit", "direction:value_create", "direction:value_edit"),
)
register(
    key="direction.strategy",
    section="mission",
    label=_("Sales strategy"),
    url_name="direction:strategy",
    order=20,
    active_for=(
        "direction:offering_create",
        "direction:offering_edit",
        "direction:competitor_create",
        "direction:competitor_edit",
    ),
)
register(
    key="direction.segments",
    section="mission",
    label=_("Target segments"),
    url_name="direction:segments",
    order=30,
    active_for=("direction:segment_create", "direction:segment_edit"),
)
