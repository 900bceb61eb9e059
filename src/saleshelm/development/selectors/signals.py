"""Reads of early signals: the salesperson's first, their managers' once escalated."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from saleshelm.core.errors import ApplicationError, NotFound
from saleshelm.development.models import Signal, SignalRule, SignalSettings, SignalStatus
from saleshelm.development.permissions import require_settings_reader, signal_q
from saleshelm.development.signals_engine import settings_for
from saleshelm.tenancy.actors import Actor


def signal_qs(*, actor: Actor) -> QuerySet[Signal]:
    return (
        Signal.objects.filter(organisation_id=actor.organisation_id)
        .filter(signal_q(actor))
        .select_related("subject__user", "escalated_to__user", "subject__profile__team")
    )


def signal_list(
    *,
    actor: Actor,
    status: str | None = SignalStatus.OPEN,
    rule: str | None = None,
    subject_id: int | None = None,
    mine: bool | None = None,
    escalated: bool | None = None,
) -> QuerySet[Signal]:
    qs = signal_qs(actor=actor)
    if status:
        if status not in SignalStatus.values:
            raise ApplicationError("status must be open, resolved or dismissed", field="status")
        qs = qs.filter(status=status)
    if rule:
        if rule not in SignalRule.values:
            raise ApplicationError(
                f"rule must be one of {', '.join(SignalRule.values)}", field="rule"
            )
        qs = qs.filter(rule=rule)
    if subject_id is not None:
        qs = qs.filter(subject_id=subject_id)
    if mine is True:
        qs = qs.filter(subject_id=actor.pk)
    elif mine is False:
        qs = qs.exclude(subject_id=actor.pk)
    if escalated is not None:
        qs = qs.filter(escalated_at__isnull=not escalated)
    return qs.order_by("-raised_at", "-pk")


def access_signal(*, actor: Actor, id: int) -> Signal:
    obj = signal_qs(actor=actor).filter(pk=id).first()
    if obj is None:
        raise NotFound("Signal")
    return obj


def signal_settings(*, actor: Actor) -> SignalSettings:
    require_settings_reader(actor)
    return settings_for(actor.organisation_id)


def open_counts_by_rule(*, actor: Actor, mine: bool | None = None) -> dict[str, int]:
    qs = signal_list(actor=actor, mine=mine)
    counts = dict(qs.order_by().values_list("rule").annotate(n=Count("pk")))
    return {rule: counts.get(rule, 0) for rule in SignalRule.values}


def escalated_q() -> Q:
    return Q(escalated_at__isnull=False)
