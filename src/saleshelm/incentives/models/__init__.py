"""Motivation models (SPEC §7): commission plans, runs, statements and disputes.

Recognition, contests, commitments and pulse surveys add their own modules here.
"""

from saleshelm.incentives.models.disputes import Dispute, DisputeStatus
from saleshelm.incentives.models.plans import PeriodKind, Plan, PlanAssignment, PlanVersion
from saleshelm.incentives.models.runs import (
    CLOSED_STATUSES,
    OPEN_STATUSES,
    CommissionRun,
    CreditLine,
    LineKind,
    PayoutLine,
    RunStatus,
    Statement,
)

__all__ = [
    "CLOSED_STATUSES",
    "OPEN_STATUSES",
    "CommissionRun",
    "CreditLine",
    "Dispute",
    "DisputeStatus",
    "LineKind",
    "PayoutLine",
    "PeriodKind",
    "Plan",
    "PlanAssignment",
    "PlanVersion",
    "RunStatus",
    "Statement",
]
import saleshelm.incentives.models.contract  # psychological contract (motivation)
import saleshelm.incentives.models.pulse  # pulse surveys (motivation)
import saleshelm.incentives.models.recognition  # noqa: F401  kudos, badges, contests
