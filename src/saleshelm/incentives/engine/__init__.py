"""The commission engine: pure Decimal calculation, dataclasses in and out, no ORM."""

from saleshelm.incentives.engine.allocation import allocate
from saleshelm.incentives.engine.calculate import calculate, is_clawback
from saleshelm.incentives.engine.types import (
    Bonus,
    Component,
    Credit,
    CreditRow,
    Draw,
    Filters,
    Line,
    Plan,
    Spiff,
    StatementInput,
    StatementResult,
    Tier,
    Window,
)

__all__ = [
    "Bonus",
    "Component",
    "Credit",
    "CreditRow",
    "Draw",
    "Filters",
    "Line",
    "Plan",
    "Spiff",
    "StatementInput",
    "StatementResult",
    "Tier",
    "Window",
    "allocate",
    "calculate",
    "is_clawback",
]
