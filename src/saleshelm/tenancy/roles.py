"""The six roles of SPEC §2 and what each may broadly do. Object rules live in permissions."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ADMIN = "admin", _("Admin")
    DIRECTOR = "director", _("Director")
    MANAGER = "manager", _("Manager")
    REP = "rep", _("Sales rep")
    FINANCE = "finance", _("Finance")
    VIEWER = "viewer", _("Viewer")


# Roles that see every member's records of the organisation (not coaching notes).
ORG_WIDE_ROLES = frozenset({Role.ADMIN, Role.DIRECTOR, Role.FINANCE, Role.VIEWER})
# Roles that may change the organisation's structure (teams, territories, memberships).
STRUCTURE_ROLES = frozenset({Role.ADMIN, Role.DIRECTOR})
# Roles that may (and, if their organisation requires it, must) sign in with a second factor:
# those who change memberships and roles, and those who see and approve pay.
SECOND_FACTOR_ROLES = frozenset({Role.ADMIN, Role.FINANCE})
