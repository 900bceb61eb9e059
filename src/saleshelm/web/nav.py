"""Menu entries of the pages that exist today (see ``saleshelm.web.navigation``).

The People entries sit here until the people app carries its own ``people/nav.py``; moving
them is a cut and paste, the registry imports every app's ``nav`` module.
"""

from django.utils.translation import gettext_lazy as _

from saleshelm.web.navigation import register

register(key="web.home", section="home", label=_("Home"), url_name="web:home", order=0)
register(
    key="people.teams",
    section="people",
    label=_("Team tree"),
    url_name="people:teams",
    order=10,
    active_for=("people:team", "people:team_create", "people:team_edit"),
)
register(
    key="people.members",
    section="people",
    label=_("Members"),
    url_name="people:members",
    order=20,
    active_for=("people:member", "people:member_edit", "people:member_about"),
)
register(
    key="people.my_role",
    section="people",
    label=_("My role"),
    url_name="people:my_role",
    order=30,
)
register(
    key="people.invitations",
    section="people",
    label=_("Invitations"),
    url_name="web:invitations",
    roles={"admin", "director", "manager"},
    order=25,
)
