"""Recognition and competition (SPEC §7): kudos tied to a company value, badges (manual or
metric-based), contests with live standings, and the in-app notices that tell people about
them."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from saleshelm.core.models import OrgOwned
from saleshelm.incentives.models.plans import PeriodKind

MONEY: dict[str, Any] = {"max_digits": 20, "decimal_places": 4}
FIGURE: dict[str, Any] = {"max_digits": 24, "decimal_places": 4}


class Kudos(OrgOwned):
    """Thanks from one member to another, for living one of the company's values."""

    giver = models.ForeignKey(
        "tenancy.Membership", on_delete=models.CASCADE, related_name="kudos_given"
    )
    receiver = models.ForeignKey(
        "tenancy.Membership", on_delete=models.CASCADE, related_name="kudos_received"
    )
    # PROTECT: direction refuses to delete a value that recognition refers to.
    value = models.ForeignKey(
        "direction.CompanyValue", on_delete=models.PROTECT, related_name="kudos"
    )
    message = models.TextField(_("message"), max_length=1000)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("kudos")
        verbose_name_plural = _("kudos")
        constraints = [
            models.CheckConstraint(
                condition=~Q(giver=models.F("receiver")), name="incentives_kudos_not_self"
            ),
        ]
        indexes = [
            models.Index(fields=["organisation", "-created_at"], name="incentives_kudos_feed"),
            models.Index(fields=["organisation", "receiver"], name="incentives_kudos_receiver"),
            models.Index(fields=["organisation", "value"], name="incentives_kudos_value"),
        ]

    def __str__(self) -> str:
        return f"kudos {self.pk} {self.giver_id}->{self.receiver_id}"


class BadgeCriteria(models.TextChoices):
    MANUAL = "manual", _("Awarded by a leader")
    METRIC = "metric", _("Earned on a metric")


class BadgeSymbol(models.TextChoices):
    """Drawn as inline SVG icons (templates/incentives/motivation/_glyph.html): emoji fonts
    are not on every machine, and the pages load nothing from the network."""

    STAR = "star", _("Star")
    TROPHY = "trophy", _("Trophy")
    ROCKET = "rocket", _("Rocket")
    HANDSHAKE = "handshake", _("Team")
    TARGET = "target", _("Target")
    FLAME = "flame", _("Lightning")
    MEDAL = "medal", _("Medal")
    HEART = "heart", _("Heart")
    PHONE = "phone", _("Phone")
    SPARKLE = "sparkle", _("Sparkle")


class Badge(OrgOwned):
    """A badge and how it is earned: given by a leader with a reason (``manual``), or earned
    by reaching ``threshold`` on ``metric`` within a period of ``period_kind`` (``metric``;
    the daily evaluation awards it once per member and period)."""

    name = models.CharField(_("name"), max_length=80)
    description = models.TextField(_("description"), blank=True, max_length=1000)
    symbol = models.CharField(
        _("symbol"), max_length=12, choices=BadgeSymbol.choices, default=BadgeSymbol.STAR
    )
    criteria = models.CharField(_("criteria"), max_length=8, choices=BadgeCriteria.choices)
    metric = models.CharField(_("metric"), max_length=40, blank=True)
    threshold = models.DecimalField(_("threshold"), null=True, blank=True, **FIGURE)
    period_kind = models.CharField(
        _("period"), max_length=8, choices=PeriodKind.choices, blank=True
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(
        "tenancy.Membership", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="incentives_badge_name"),
            models.CheckConstraint(
                condition=Q(criteria="manual", metric="", threshold__isnull=True, period_kind="")
                | (
                    Q(criteria="metric", threshold__isnull=False, period_kind__in=PeriodKind.values)
                    & ~Q(metric="")
                ),
                name="incentives_badge_criteria",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class BadgeAward(OrgOwned):
    """A badge given to a member. Metric awards carry the period they were earned in (one per
    badge, member and period: the evaluation can run any number of times); manual awards carry
    the leader who gave them and why."""

    badge = models.ForeignKey(Badge, on_delete=models.CASCADE, related_name="awards")
    member = models.ForeignKey(
        "tenancy.Membership", on_delete=models.CASCADE, related_name="badge_awards"
    )
    awarded_by = models.ForeignKey(
        "tenancy.Membership", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.TextField(_("reason"), blank=True, max_length=1000)
    period = models.CharField(_("period"), max_length=16, blank=True)
    figure = models.DecimalField(_("figure reached"), null=True, blank=True, **FIGURE)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["badge", "member", "period"],
                condition=~Q(period=""),
                name="incentives_award_once_per_period",
            ),
        ]
        indexes = [
            models.Index(fields=["organisation", "member"], name="incentives_award_member"),
        ]

    def __str__(self) -> str:
        return f"{self.badge_id} to {self.member_id}"


class ParticipantKind(models.TextChoices):
    MEMBER = "member", _("Members")
    TEAM = "team", _("Teams")


class ContestStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    FINISHED = "finished", _("Finished")
    CANCELLED = "cancelled", _("Cancelled")


class Contest(OrgOwned):
    """A competition on one metric between members or teams over a span of days.

    ``team`` is the team a manager ran it for (its participants all sit in that subtree);
    directors and admins may leave it empty. While active the standings are live; after the
    last day the daily job freezes them into ``ContestResult`` rows (the winners)."""

    name = models.CharField(_("name"), max_length=120)
    description = models.TextField(_("description"), blank=True, max_length=2000)
    metric = models.CharField(_("metric"), max_length=40)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    participant_kind = models.CharField(
        _("participants"), max_length=8, choices=ParticipantKind.choices
    )
    team = models.ForeignKey(
        "people.Team", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    currency = models.CharField(_("currency"), max_length=3)
    status = models.CharField(
        _("status"), max_length=10, choices=ContestStatus.choices, default=ContestStatus.ACTIVE
    )
    finished_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        "tenancy.Membership", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-starts_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="incentives_contest_dates"
            ),
            models.CheckConstraint(
                condition=Q(status__in=ContestStatus.values), name="incentives_contest_status"
            ),
        ]
        indexes = [
            models.Index(
                fields=["organisation", "status", "ends_on"], name="incentives_contest_due"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class ContestParticipant(OrgOwned):
    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="participants")
    member = models.ForeignKey(
        "tenancy.Membership", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    team = models.ForeignKey(
        "people.Team", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(member__isnull=False, team__isnull=True)
                | Q(member__isnull=True, team__isnull=False),
                name="incentives_participant_one",
            ),
            models.UniqueConstraint(
                fields=["contest", "member"],
                condition=Q(member__isnull=False),
                name="incentives_participant_member",
            ),
            models.UniqueConstraint(
                fields=["contest", "team"],
                condition=Q(team__isnull=False),
                name="incentives_participant_team",
            ),
        ]


class ContestPrize(OrgOwned):
    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="prizes")
    rank = models.PositiveSmallIntegerField(_("rank"))
    description = models.CharField(_("prize"), max_length=200)
    amount = models.DecimalField(_("amount"), null=True, blank=True, **MONEY)

    class Meta:
        ordering = ["rank"]
        constraints = [
            models.UniqueConstraint(fields=["contest", "rank"], name="incentives_prize_rank"),
            models.CheckConstraint(condition=Q(rank__gte=1), name="incentives_prize_rank_min"),
        ]


class ContestResult(OrgOwned):
    """The final standings of a finished contest, frozen on the day after its end."""

    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="results")
    rank = models.PositiveIntegerField()
    member = models.ForeignKey(
        "tenancy.Membership", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    team = models.ForeignKey(
        "people.Team", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    figure = models.DecimalField(null=True, blank=True, **FIGURE)
    prize = models.ForeignKey(
        ContestPrize, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["rank", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["contest", "member"],
                condition=Q(member__isnull=False),
                name="incentives_result_member",
            ),
            models.UniqueConstraint(
                fields=["contest", "team"],
                condition=Q(team__isnull=False),
                name="incentives_result_team",
            ),
        ]


class NoticeKind(models.TextChoices):
    KUDOS = "kudos", _("Kudos")
    BADGE = "badge", _("Badge")
    CONTEST = "contest", _("Contest")


class Notice(OrgOwned):
    """An in-app notice for one member (kudos received, badge awarded, contest won). The
    text is written when shown, in the reader's language, from the object it points at."""

    recipient = models.ForeignKey(
        "tenancy.Membership", on_delete=models.CASCADE, related_name="motivation_notices"
    )
    kind = models.CharField(max_length=8, choices=NoticeKind.choices)
    kudos = models.ForeignKey(
        Kudos, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    award = models.ForeignKey(
        BadgeAward, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    result = models.ForeignKey(
        ContestResult, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(
                fields=["organisation", "recipient", "read_at"], name="incentives_notice_unread"
            ),
        ]
