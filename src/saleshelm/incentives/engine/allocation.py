"""Splitting one order line's amount among its credited members, exactly.

Largest-remainder method at a fixed number of places (the currency's minor unit for money,
4 places for quantities): every member gets the share rounded down, then the cents left
over go one by one to the largest remainders, ties to the lowest member id. The credits of
a line therefore always sum to the line, and the answer does not depend on the order the
splits are listed in.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

from saleshelm.incentives.engine.types import ZERO


def quantum(places: int) -> Decimal:
    return Decimal(1).scaleb(-places)


def allocate(
    total: Decimal, shares: Sequence[tuple[int, Decimal]], places: int
) -> dict[int, Decimal]:
    """``total`` (rounded half-up to ``places`` first) split by ``shares`` (member id, share).

    Shares are normalised by their sum, so they need not add up to exactly 1."""
    unit = quantum(places)
    amount = total.quantize(unit, rounding=ROUND_HALF_UP)
    if len(shares) == 1:
        return {shares[0][0]: amount}
    if not shares:
        return {}
    weight = sum((s for _, s in shares), ZERO)
    if weight <= 0:
        raise ValueError("split shares must be positive")
    sign = -1 if amount < 0 else 1
    magnitude = abs(amount)
    floors: dict[int, Decimal] = {}
    remainders: list[tuple[Decimal, int]] = []
    for member_id, share in shares:
        exact = magnitude * share / weight
        floor = exact.quantize(unit, rounding=ROUND_DOWN)
        floors[member_id] = floors.get(member_id, ZERO) + floor
        remainders.append((exact - floor, member_id))
    left = int((magnitude - sum(floors.values(), ZERO)) / unit)
    # Largest remainder first; on a tie the lowest member id.
    remainders.sort(key=lambda r: (-r[0], r[1]))
    for _, member_id in remainders[:left]:
        floors[member_id] += unit
    return {m: (v if sign > 0 else -v) for m, v in floors.items()}
