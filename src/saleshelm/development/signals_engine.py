"""Early-signal rules, evaluated for a whole organisation at once (SPEC §8, §10).

Not Django signals: these are the business rules that warn a salesperson early. Every rule
is set-based — one SQL aggregate for the whole organisation, never a query per member — and
returns the *set* of keys ``(subject, object_type, object_id)`` for which its condition holds
now, with the figures behind each. ``evaluate`` then reconciles that set with the open
signals of the rule:

- a key that fires and has no open signal raises one (``bulk_create`` with
  ``ignore_conflicts``: the partial unique index "one open signal per rule, subject and
  object" turns a concurrent duplicate into a no-op);
- a key that fires and has an open signal keeps it (its figures refreshed): no duplicate;
- an open signal whose key no longer fires resolves itself (``resolution="cleared"``);
- a key dismissed by a person stays quiet while it keeps firing, and may fire again once it
  has cleared.

Then one ``UPDATE`` escalates every signal open for longer than the organisation's delay to
the subject's nearest manager. A rule whose data source is missing (no performance app yet,
no commitments source registered) is skipped: its open signals are left as they are.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import time
import zoneinfo
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, cast

from django.db import connection, transaction
from django.db.models import (
    Case,
    Count,
    ExpressionWrapper,
    F,
    Field,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.constants import OnConflict
from django.db.models.functions import Coalesce, NullIf
from django.utils import timezone

from saleshelm.crm.models import Activity, Opportunity, StageKind
from saleshelm.development import performance_link, providers
from saleshelm.development.models import Signal, SignalRule, SignalSettings, SignalStatus
from saleshelm.people.models import MemberProfile
from saleshelm.tenancy.models import Membership, Organisation

log = logging.getLogger("saleshelm.development")

Key = tuple[int, str, int]
Firing = dict[Key, dict[str, Any]]
BATCH = 500
BASIS_POINTS = 10_000
TRAILING_WEEKS = 4


@dataclass
class RuleContext:
    organisation: Organisation
    settings: SignalSettings
    today: dt.date
    now: dt.datetime
    tz: dt.tzinfo
    # Figures shared by rules within one run (the performance rows of the period).
    cache: dict[Any, Any] = field(default_factory=dict)

    def day_start(self, day: dt.date) -> dt.datetime:
        return dt.datetime.combine(day, dt.time.min, tzinfo=self.tz)


@dataclass
class RuleOutcome:
    rule: str
    evaluated: bool = True
    firing: int = 0
    raised: int = 0
    refreshed: int = 0
    resolved: int = 0
    reason: str = ""


@dataclass
class EvaluationResult:
    organisation_id: int
    today: dt.date
    rules: list[RuleOutcome] = field(default_factory=list)
    escalated: int = 0
    open_signals: int = 0
    elapsed: float = 0.0

    @property
    def raised(self) -> int:
        return sum(r.raised for r in self.rules)

    @property
    def resolved(self) -> int:
        return sum(r.resolved for r in self.rules)

    def as_dict(self) -> dict[str, Any]:
        return {
            "today": self.today.isoformat(),
            "raised": self.raised,
            "resolved": self.resolved,
            "escalated": self.escalated,
            "open": self.open_signals,
            "rules": {
                r.rule: {
                    "evaluated": r.evaluated,
                    "firing": r.firing,
                    "raised": r.raised,
                    "resolved": r.resolved,
                    "reason": r.reason,
                }
                for r in self.rules
            },
        }


def settings_for(organisation_id: int) -> SignalSettings:
    """The organisation's thresholds, or the defaults (unsaved) when none were set."""
    found = SignalSettings.objects.filter(organisation_id=organisation_id).first()
    return found or SignalSettings(organisation_id=organisation_id)


def _tz(organisation: Organisation) -> dt.tzinfo:
    try:
        return zoneinfo.ZoneInfo(organisation.time_zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo("UTC")


def _bp(fraction: Decimal) -> int:
    """A fraction as whole basis points, so SQL compares integers (no float anywhere)."""
    return int((Decimal(fraction) * BASIS_POINTS).to_integral_value())


# --- the rules: each one SQL aggregate for the whole organisation -----------------------


def rule_activity_drop(ctx: RuleContext) -> Firing | None:
    """Activities of the last 7 days against the weekly average of the 4 weeks before:
    down by more than X % (and the trailing average high enough to mean something)."""
    s = ctx.settings
    recent_start = ctx.day_start(ctx.today - dt.timedelta(days=6))
    trailing_start = recent_start - dt.timedelta(weeks=TRAILING_WEEKS)
    end = ctx.day_start(ctx.today + dt.timedelta(days=1))
    keep_bp = BASIS_POINTS - _bp(s.activity_drop_by)
    rows = (
        Activity.objects.filter(
            organisation_id=ctx.organisation.pk,
            owner__is_active=True,
            done=True,
            occurred_at__gte=trailing_start,
            occurred_at__lt=end,
        )
        .values("owner_id")
        .annotate(
            recent=Count("pk", filter=Q(occurred_at__gte=recent_start)),
            trailing=Count("pk", filter=Q(occurred_at__lt=recent_start)),
        )
        .annotate(
            # recent < trailing / 4 * (1 - X), in integers: recent * 4 * 10000 < trailing * keep
            lhs=ExpressionWrapper(
                F("recent") * Value(TRAILING_WEEKS * BASIS_POINTS), output_field=IntegerField()
            ),
            rhs=ExpressionWrapper(F("trailing") * Value(keep_bp), output_field=IntegerField()),
        )
        .filter(trailing__gte=TRAILING_WEEKS * s.activity_min_weekly, lhs__lt=F("rhs"))
        .values_list("owner_id", "recent", "trailing")
    )
    out: Firing = {}
    for owner_id, recent, trailing in rows:
        average = Decimal(trailing) / TRAILING_WEEKS
        drop = (Decimal(1) - Decimal(recent) / average) if average else Decimal(0)
        out[(owner_id, "", 0)] = {
            "recent": recent,
            "weekly_average": str(average.quantize(Decimal("0.1"))),
            "drop": str(drop.quantize(Decimal("0.01"))),
            "threshold": str(s.activity_drop_by),
        }
    return out


def _active_only(ctx: RuleContext, firing: Firing) -> Firing:
    """Keep the keys whose subject is an active member (one query, cached for the run)."""
    if not firing:
        return firing
    active = ctx.cache.get("active")
    if active is None:
        active = set(
            Membership.objects.filter(
                organisation_id=ctx.organisation.pk, is_active=True
            ).values_list("pk", flat=True)
        )
        ctx.cache["active"] = active
    return {k: v for k, v in firing.items() if k[0] in active}


def _open_deals(ctx: RuleContext):
    return Opportunity.objects.filter(
        organisation_id=ctx.organisation.pk, stage__kind=StageKind.OPEN, owner__is_active=True
    )


class LazyFiring(dict):
    """Key -> version (a short text that changes when the figures behind it change), with
    ``fetch(keys)`` loading the full details of only the keys that need them: new signals
    and changed ones. On an ordinary morning that is a handful, so a rule over a hundred
    thousand open deals reads integers, not rows of text and dates."""

    def __init__(self, versions: dict[Key, str], fetch: Callable[[list[Key]], Firing]):
        super().__init__(versions)
        self.fetch = fetch


def _deal_details(ctx: RuleContext, qs, keys: list[Key], build) -> Firing:
    """Details of the deals behind ``keys``: by primary key when few, else in one pass."""
    if not keys:
        return {}
    wanted = set(keys)
    if len(keys) <= BATCH:
        qs = qs.filter(pk__in=[k[2] for k in keys])
    out: Firing = {}
    for row in qs:
        key = (row[0], "opportunity", row[1])
        if key in wanted:
            out[key] = build(row)
    return out


def rule_stalled_deal(ctx: RuleContext) -> Firing | None:
    """Open deals in the same stage for longer than N days."""
    cutoff = ctx.now - dt.timedelta(days=ctx.settings.stalled_days)
    deals = _open_deals(ctx).filter(stage_entered_at__lt=cutoff)
    versions = {
        (owner_id, "opportunity", pk): f"stage:{stage_id}"
        for owner_id, pk, stage_id in deals.values_list("owner_id", "pk", "stage_id")
    }

    def fetch(keys: list[Key]) -> Firing:
        rows = deals.values_list("owner_id", "pk", "name", "stage__name", "stage_entered_at")
        return _deal_details(
            ctx,
            rows,
            keys,
            lambda r: {
                "name": r[2],
                "stage": r[3],
                "since": timezone.localtime(r[4], ctx.tz).date().isoformat(),
            },
        )

    return LazyFiring(versions, fetch)


def rule_no_next_step(ctx: RuleContext) -> Firing | None:
    """Open deals with no next step, or whose next step date has passed (after a grace
    period for deals just created)."""
    grace = ctx.today - dt.timedelta(days=ctx.settings.no_next_step_grace_days)
    deals = (
        _open_deals(ctx)
        .filter(created_date__lte=grace)
        .filter(Q(next_step="") | Q(next_step_date__lt=ctx.today))
        .annotate(reason=Case(When(next_step="", then=Value("missing")), default=Value("overdue")))
    )
    versions = {
        (owner_id, "opportunity", pk): reason
        for owner_id, pk, reason in deals.values_list("owner_id", "pk", "reason")
    }

    def fetch(keys: list[Key]) -> Firing:
        rows = deals.values_list(
            "owner_id", "pk", "name", "stage__name", "reason", "next_step_date"
        )
        return _deal_details(
            ctx,
            rows,
            keys,
            lambda r: {
                "name": r[2],
                "stage": r[3],
                "reason": r[4],
                "next_step_date": r[5].isoformat() if r[5] else None,
            },
        )

    return LazyFiring(versions, fetch)


def rule_behind_pace(ctx: RuleContext) -> Firing | None:
    """Pacing (actual / expected to date) below 1 - X from day Y of the period."""
    s = ctx.settings
    rows = performance_link.pacing_by_member(
        organisation=ctx.organisation,
        kind=s.pace_period,
        metric=s.pace_metric,
        today=ctx.today,
        cache=ctx.cache,
    )
    if rows is None:
        return None
    floor = Decimal(1) - Decimal(s.behind_pace_by)
    out: Firing = {}
    for row in rows:
        if row.day_of_period < s.behind_pace_from_day or row.pacing is None:
            continue
        if row.pacing < floor:
            out[(row.member_id, "", 0)] = {
                "period": row.period,
                "metric": s.pace_metric,
                "pacing": str(row.pacing),
                "actual": str(row.actual),
                "expected_to_date": str(row.expected_to_date),
                "target": str(row.target),
                "day": row.day_of_period,
                "threshold": str(s.behind_pace_by),
            }
    return _active_only(ctx, out)


def rule_low_coverage(ctx: RuleContext) -> Firing | None:
    """Open pipeline closing in the rest of the period below N × the remaining target."""
    s = ctx.settings
    rows = performance_link.coverage_by_member(
        organisation=ctx.organisation, kind=s.pace_period, today=ctx.today, cache=ctx.cache
    )
    if rows is None:
        return None
    out: Firing = {}
    for row in rows:
        if row.remaining_target <= 0 or row.coverage is None:
            continue
        if row.coverage < s.coverage_below:
            out[(row.member_id, "", 0)] = {
                "period": row.period,
                "coverage": str(row.coverage),
                "pipeline": str(row.pipeline),
                "remaining_target": str(row.remaining_target),
                "threshold": str(s.coverage_below),
            }
    return _active_only(ctx, out)


def rule_commitment_overdue(ctx: RuleContext) -> Firing | None:
    """Overdue commitments, from the registered sources (the incentives app)."""
    sources = providers.signal_sources(SignalRule.COMMITMENT_OVERDUE)
    if not sources:
        return None
    out: Firing = {}
    for source in sources:
        for row in source.rows(
            organisation=ctx.organisation, today=ctx.today, settings=ctx.settings
        ):
            out[(row.subject_id, row.object_type, row.object_id)] = dict(row.detail)
    return _active_only(ctx, out)


RULES: dict[str, tuple[str, Callable[[RuleContext], Firing | None]]] = {
    SignalRule.BEHIND_PACE: ("behind_pace_enabled", rule_behind_pace),
    SignalRule.LOW_COVERAGE: ("low_coverage_enabled", rule_low_coverage),
    SignalRule.ACTIVITY_DROP: ("activity_drop_enabled", rule_activity_drop),
    SignalRule.STALLED_DEAL: ("stalled_enabled", rule_stalled_deal),
    SignalRule.NO_NEXT_STEP: ("no_next_step_enabled", rule_no_next_step),
    SignalRule.COMMITMENT_OVERDUE: ("commitments_enabled", rule_commitment_overdue),
}


# --- reconciling a rule's firing set with its open signals ------------------------------


def _chunks(items: list, size: int = BATCH):
    for i in range(0, len(items), size):
        yield items[i : i + size]


def version_of(detail: dict[str, Any]) -> str:
    text = json.dumps(detail, sort_keys=True, default=str)
    return hashlib.blake2s(text.encode(), digest_size=8).hexdigest()


def _sync(ctx: RuleContext, rule: str, firing: Firing) -> RuleOutcome:
    org_id = ctx.organisation.pk
    if isinstance(firing, LazyFiring):
        versions, fetch = dict(firing), firing.fetch
    else:
        versions = {key: version_of(detail) for key, detail in firing.items()}

        def fetch(keys: list[Key]) -> Firing:
            return {k: firing[k] for k in keys}

    outcome = RuleOutcome(rule=rule, firing=len(versions))
    open_rows = {
        (subject_id, object_type, object_id): (pk, version)
        for pk, subject_id, object_type, object_id, version in Signal.objects.filter(
            organisation_id=org_id, rule=rule, status=SignalStatus.OPEN
        ).values_list("pk", "subject_id", "object_type", "object_id", "version")
    }
    suppressing = {
        (subject_id, object_type, object_id): pk
        for pk, subject_id, object_type, object_id in Signal.objects.filter(
            organisation_id=org_id,
            rule=rule,
            status=SignalStatus.DISMISSED,
            resolution="dismissed",
        ).values_list("pk", "subject_id", "object_type", "object_id")
    }
    # Cleared: open signals whose condition no longer holds.
    cleared = [pk for key, (pk, _) in open_rows.items() if key not in versions]
    for ids in _chunks(cleared):
        Signal.objects.filter(pk__in=ids, status=SignalStatus.OPEN).update(
            status=SignalStatus.RESOLVED,
            resolved_at=ctx.now,
            resolution="cleared",
            updated_at=ctx.now,
        )
    outcome.resolved = len(cleared)
    # Dismissals end when their condition clears, so the next occurrence is a new signal.
    ended = [pk for key, pk in suppressing.items() if key not in versions]
    for ids in _chunks(ended):
        Signal.objects.filter(pk__in=ids).update(resolution="dismissed_ended", updated_at=ctx.now)
    # Still firing: refresh the figures where they changed, and when they were last seen.
    changed = [k for k, v in versions.items() if k in open_rows and open_rows[k][1] != v]
    new_keys = [k for k in versions if k not in open_rows and k not in suppressing]
    details = fetch(changed + new_keys)
    updates = [
        Signal(pk=open_rows[k][0], detail=details[k], version=versions[k], updated_at=ctx.now)
        for k in changed
        if k in details
    ]
    if updates:
        Signal.objects.bulk_update(updates, ["detail", "version", "updated_at"], batch_size=BATCH)
    outcome.refreshed = len(updates)
    Signal.objects.filter(organisation_id=org_id, rule=rule, status=SignalStatus.OPEN).update(
        last_seen_at=ctx.now
    )
    # New: firing, not open, not quietened by a dismissal.
    _insert_open_signals(ctx, rule, new_keys, details, versions)
    outcome.raised = len(new_keys)
    return outcome


def _insert_open_signals(
    ctx: RuleContext, rule: str, keys: list[Key], details: Firing, versions: dict[Key, str]
) -> None:
    """One prepared INSERT for every new signal (``executemany``), duplicates ignored.

    The ORM's ``bulk_create`` prepares every field of every row in Python; on a first run
    raising tens of thousands of signals that is most of the time. The values here are the
    same for every row but four, so they are adapted once. The partial unique index "one open
    signal per rule, subject and object" makes a concurrent duplicate a no-op (``ON CONFLICT
    DO NOTHING`` / ``INSERT OR IGNORE``)."""
    if not keys:
        return
    meta = Signal._meta
    columns = [
        "organisation",
        "created_at",
        "updated_at",
        "rule",
        "subject",
        "object_type",
        "object_id",
        "status",
        "detail",
        "version",
        "raised_at",
        "last_seen_at",
        "resolution",
    ]
    names = ", ".join(
        connection.ops.quote_name(cast(Field, meta.get_field(c)).column)  # concrete fields
        for c in columns
    )
    marks = ", ".join(["%s"] * len(columns))
    insert = connection.ops.insert_statement(on_conflict=OnConflict.IGNORE)
    suffix = connection.ops.on_conflict_suffix_sql(
        fields=[], on_conflict=OnConflict.IGNORE, update_fields=[], unique_fields=[]
    )
    sql = f"{insert} {connection.ops.quote_name(meta.db_table)} ({names}) VALUES ({marks}) {suffix}"
    now = connection.ops.adapt_datetimefield_value(ctx.now)
    detail_field = meta.get_field("detail")
    org_id = ctx.organisation.pk
    status = SignalStatus.OPEN.value
    rows = []
    for key in keys:
        detail = detail_field.get_db_prep_save(details.get(key, {}), connection)
        rows.append((org_id, now, now, rule, *key, status, detail, versions[key], now, now, ""))
    with connection.cursor() as cursor:
        for i in range(0, len(rows), BATCH * 10):
            cursor.executemany(sql, rows[i : i + BATCH * 10])


def _resolve_all(ctx: RuleContext, rule: str, resolution: str) -> int:
    return Signal.objects.filter(
        organisation_id=ctx.organisation.pk, rule=rule, status=SignalStatus.OPEN
    ).update(status=SignalStatus.RESOLVED, resolved_at=ctx.now, resolution=resolution)


def nearest_manager_expression():
    """SQL for a subject's nearest manager: their team's manager, or the parent team's
    (or grandparent's) when they manage their own team or it has no manager."""
    profile = MemberProfile.objects.filter(membership_id=OuterRef("subject_id"))
    team = Subquery(profile.values("team__manager_id")[:1])
    parent = Subquery(profile.values("team__parent__manager_id")[:1])
    grandparent = Subquery(profile.values("team__parent__parent__manager_id")[:1])
    return Coalesce(
        NullIf(team, F("subject_id")),
        NullIf(parent, F("subject_id")),
        NullIf(grandparent, F("subject_id")),
    )


def escalate(ctx: RuleContext) -> int:
    """One UPDATE: signals open longer than the delay go to the subject's manager."""
    cutoff = ctx.now - dt.timedelta(days=ctx.settings.escalate_after_days)
    return Signal.objects.filter(
        organisation_id=ctx.organisation.pk,
        status=SignalStatus.OPEN,
        escalated_at__isnull=True,
        raised_at__lte=cutoff,
    ).update(escalated_at=ctx.now, escalated_to_id=nearest_manager_expression())


def evaluate(
    *,
    organisation: Organisation,
    today: dt.date | None = None,
    now: dt.datetime | None = None,
    rules: list[str] | None = None,
) -> EvaluationResult:
    """Run the rules for one organisation; idempotent (a second run changes nothing)."""
    started = time.perf_counter()
    tz = _tz(organisation)
    now = now or timezone.now()
    today = today or timezone.localtime(now, tz).date()
    ctx = RuleContext(
        organisation=organisation,
        settings=settings_for(organisation.pk),
        today=today,
        now=now,
        tz=tz,
    )
    result = EvaluationResult(organisation_id=organisation.pk, today=today)
    with transaction.atomic():
        for rule, (flag, fn) in RULES.items():
            if rules is not None and rule not in rules:
                continue
            if not getattr(ctx.settings, flag):
                resolved = _resolve_all(ctx, rule, "disabled")
                result.rules.append(
                    RuleOutcome(rule=rule, evaluated=False, resolved=resolved, reason="disabled")
                )
                continue
            try:
                # A savepoint per rule: one failing rule (a plugged-in source that breaks)
                # leaves the others running and its own open signals untouched.
                with transaction.atomic():
                    firing = fn(ctx)
                    if firing is None:
                        outcome = RuleOutcome(rule=rule, evaluated=False, reason="no source")
                    else:
                        outcome = _sync(ctx, rule, firing)
            except Exception:
                log.exception("signal rule %s failed for organisation %s", rule, organisation.pk)
                outcome = RuleOutcome(rule=rule, evaluated=False, reason="error")
            result.rules.append(outcome)
        result.escalated = escalate(ctx)
    result.open_signals = Signal.objects.filter(
        organisation_id=organisation.pk, status=SignalStatus.OPEN
    ).count()
    result.elapsed = time.perf_counter() - started
    return result
