"""Django admin for motivation: read-only (SPEC §11.4).

Plans are imported, runs calculated, approved and locked, disputes settled through the
services (CLI and API), which validate, keep statements immutable once locked and write the
audit log. Kudos, badges, contests, commitments and pulse surveys are likewise written through
their services (notices, audit rows, the anonymity of pulse answers). The admin only shows
them: no add, change or delete, for staff and superusers alike.
"""

from __future__ import annotations

from django.contrib import admin

from saleshelm.incentives.models import (
    CommissionRun,
    CreditLine,
    Dispute,
    PayoutLine,
    Plan,
    PlanAssignment,
    PlanVersion,
    Statement,
)
from saleshelm.incentives.models.contract import Commitment
from saleshelm.incentives.models.pulse import PulseSurvey
from saleshelm.incentives.models.recognition import (
    Badge,
    BadgeAward,
    Contest,
    ContestParticipant,
    ContestPrize,
    ContestResult,
    Kudos,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class VersionInline(ReadOnlyInline):
    model = PlanVersion
    fields = ["version", "effective_from", "effective_to", "currency", "measure", "pay"]


@admin.register(Plan)
class PlanAdmin(ReadOnlyAdmin):
    list_display = ["name", "organisation"]
    list_filter = ["organisation"]
    search_fields = ["name"]
    inlines = [VersionInline]


class AssignmentInline(ReadOnlyInline):
    model = PlanAssignment
    fields = ["member", "effective_from", "effective_to"]


@admin.register(PlanVersion)
class PlanVersionAdmin(ReadOnlyAdmin):
    list_display = ["plan", "version", "effective_from", "effective_to", "currency"]
    list_filter = ["organisation"]
    inlines = [AssignmentInline]


@admin.register(CommissionRun)
class RunAdmin(ReadOnlyAdmin):
    list_display = ["period", "plan", "status", "calculated_at", "organisation"]
    list_filter = ["status", "organisation"]


class PayoutLineInline(ReadOnlyInline):
    model = PayoutLine
    fk_name = "statement"
    fields = ["position", "kind", "component", "basis", "rate", "amount", "note"]


class CreditLineInline(ReadOnlyInline):
    model = CreditLine
    fields = ["order_ref", "line_no", "sku", "order_date", "credited", "share"]


@admin.register(Statement)
class StatementAdmin(ReadOnlyAdmin):
    list_display = ["member", "plan", "period", "status", "total", "currency"]
    list_filter = ["status", "organisation"]
    list_select_related = ["member__user", "plan"]
    inlines = [PayoutLineInline, CreditLineInline]


@admin.register(Dispute)
class DisputeAdmin(ReadOnlyAdmin):
    list_display = ["member", "plan", "period", "status", "created_at"]
    list_filter = ["status", "organisation"]


# --- recognition, contests, the psychological contract, pulse ------------------------------


@admin.register(Kudos)
class KudosAdmin(ReadOnlyAdmin):
    list_display = ["giver", "receiver", "value", "created_at", "organisation"]
    list_filter = ["organisation"]
    list_select_related = ["giver__user", "receiver__user", "value", "organisation"]
    search_fields = ["message"]


class BadgeAwardInline(ReadOnlyInline):
    model = BadgeAward
    fields = ["member", "period", "figure", "awarded_by", "reason"]


@admin.register(Badge)
class BadgeAdmin(ReadOnlyAdmin):
    list_display = ["name", "criteria", "organisation"]
    list_filter = ["criteria", "organisation"]
    search_fields = ["name"]
    inlines = [BadgeAwardInline]


class ContestParticipantInline(ReadOnlyInline):
    model = ContestParticipant
    fields = ["member", "team"]


class ContestPrizeInline(ReadOnlyInline):
    model = ContestPrize
    fields = ["rank", "description", "amount"]


class ContestResultInline(ReadOnlyInline):
    model = ContestResult
    fields = ["rank", "member", "team", "figure", "prize"]


@admin.register(Contest)
class ContestAdmin(ReadOnlyAdmin):
    list_display = ["name", "metric", "starts_on", "ends_on", "status", "organisation"]
    list_filter = ["status", "organisation"]
    search_fields = ["name"]
    inlines = [ContestParticipantInline, ContestPrizeInline, ContestResultInline]


@admin.register(Commitment)
class CommitmentAdmin(ReadOnlyAdmin):
    list_display = ["title", "member", "side", "kind", "owner", "due_date", "status"]
    list_filter = ["side", "status", "organisation"]
    list_select_related = ["member__user", "owner__user"]
    search_fields = ["title"]


@admin.register(PulseSurvey)
class PulseSurveyAdmin(ReadOnlyAdmin):
    """Surveys only: answers are shown nowhere but the group results page (5 or more)."""

    list_display = ["title", "opens_on", "closes_on", "repeat_days", "organisation"]
    list_filter = ["organisation"]
