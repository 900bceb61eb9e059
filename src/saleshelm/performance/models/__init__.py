"""Performance models (SPEC §6). Import from here: ``from saleshelm.performance.models import Target``."""

from saleshelm.performance.models.facts import UNITS_PER_ONE, MemberMonthFact, RollupState
from saleshelm.performance.models.forecasts import ForecastOverride, ForecastSubmission
from saleshelm.performance.models.targets import (
    AssigneeType,
    Distribution,
    Target,
    assignee_key,
)

__all__ = [
    "UNITS_PER_ONE",
    "AssigneeType",
    "Distribution",
    "ForecastOverride",
    "ForecastSubmission",
    "MemberMonthFact",
    "RollupState",
    "Target",
    "assignee_key",
]
