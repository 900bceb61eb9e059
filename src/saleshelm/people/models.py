"""Involving people: teams, territories, role profiles and each member's place (SPEC §2)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from saleshelm.core.models import OrgOwned


class TreeNode(OrgOwned):
    """A node of an organisation's tree with a materialised path for subtree queries.

    ``path`` is the chain of ids from the root, e.g. ``/4/17/``; a subtree is one indexed
    ``path LIKE '/4/%'`` whatever its depth. Services keep it right on create and move.
    """

    name = models.CharField(_("name"), max_length=120)
    path = models.CharField(max_length=255, db_index=True, editable=False, default="")
    depth = models.PositiveSmallIntegerField(default=0, editable=False)

    class Meta:
        abstract = True
        ordering = ["path"]

    def __str__(self) -> str:
        return self.name


class Team(TreeNode):
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    manager = models.ForeignKey(
        "tenancy.Membership",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="managed_teams",
    )

    class Meta(TreeNode.Meta):
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="team_name_unique"),
        ]


class Territory(TreeNode):
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )

    class Meta(TreeNode.Meta):
        verbose_name_plural = "territories"
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="territory_name_unique"),
        ]


class RoleProfile(OrgOwned):
    """What is expected of a role: its key tasks, responsibilities and the KPIs that measure them."""

    name = models.CharField(_("name"), max_length=120)
    purpose = models.TextField(_("purpose"), blank=True)
    key_tasks = models.JSONField(_("key tasks"), default=list, blank=True)
    responsibilities = models.JSONField(_("responsibilities"), default=list, blank=True)
    kpis = models.JSONField(_("KPIs"), default=list, blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="role_profile_unique"),
        ]

    def __str__(self) -> str:
        return self.name


class MemberProfile(OrgOwned):
    """A member's place in the organisation: title, team, territory, role profile, strengths."""

    membership = models.OneToOneField(
        "tenancy.Membership", on_delete=models.CASCADE, primary_key=True, related_name="profile"
    )
    title = models.CharField(_("title"), max_length=120, blank=True)
    team = models.ForeignKey(
        Team, null=True, blank=True, on_delete=models.SET_NULL, related_name="members"
    )
    territory = models.ForeignKey(
        Territory, null=True, blank=True, on_delete=models.SET_NULL, related_name="members"
    )
    role_profile = models.ForeignKey(
        RoleProfile, null=True, blank=True, on_delete=models.SET_NULL, related_name="members"
    )
    start_date = models.DateField(_("start date"), null=True, blank=True)
    strengths = models.JSONField(_("strengths"), default=list, blank=True)
    bio = models.TextField(_("how I contribute"), blank=True)

    class Meta:
        indexes = [models.Index(fields=["organisation", "team"])]
