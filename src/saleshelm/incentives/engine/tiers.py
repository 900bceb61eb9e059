"""Tier ladders: which part of a measured value falls in which tier.

A tier runs from its ``from`` (inclusive) to the next tier's ``from`` (exclusive), so a value
exactly on a boundary belongs to the higher tier. The first tier also covers everything
below its ``from``, negative values included: a net negative basis after returns is paid
(negatively) at the first tier's rate.

Boundaries are given here already in basis units (for tiers on attainment the caller
multiplies each ``from`` by the quota), so slices are exact Decimal arithmetic with no
division.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from saleshelm.incentives.engine.types import ZERO


def tier_index(value: Decimal, bounds: Sequence[Decimal]) -> int:
    """The tier a value falls in: the last whose start is <= value; the first for less."""
    reached = 0
    for i, start in enumerate(bounds):
        if value >= start:
            reached = i
        else:
            break
    return reached


def slices(value: Decimal, bounds: Sequence[Decimal]) -> list[Decimal]:
    """The part of ``value`` inside each tier's range (marginal ladders).

    The first range is taken to start at 0 (and to extend below it), every other range at its
    own start; the parts of a non-negative value add up to the value."""
    parts: list[Decimal] = []
    n = len(bounds)
    for i in range(n):
        upper = bounds[i + 1] if i + 1 < n else None
        if i == 0:
            parts.append(value if upper is None else min(value, upper))
            continue
        lower = bounds[i]
        if value <= lower:
            parts.append(ZERO)
        else:
            parts.append((value if upper is None else min(value, upper)) - lower)
    return parts


def marginal_payout(value: Decimal, bounds: Sequence[Decimal], rates: Sequence[Decimal]) -> Decimal:
    return sum((p * r for p, r in zip(slices(value, bounds), rates, strict=True)), ZERO)


def retroactive_payout(
    value: Decimal, bounds: Sequence[Decimal], rates: Sequence[Decimal]
) -> Decimal:
    return value * rates[tier_index(value, bounds)]
