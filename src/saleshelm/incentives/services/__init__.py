"""Writes of the incentives app. Import from here: ``from saleshelm.incentives import services``."""

from saleshelm.incentives.services.disputes import dispute_create, dispute_resolve
from saleshelm.incentives.services.plans import plan_import
from saleshelm.incentives.services.runs import (
    commission_run_approve,
    commission_run_calculate,
    commission_run_create,
    commission_run_get_or_create,
    commission_run_lock,
    commission_run_payroll_exported,
    commission_run_unlock,
)

__all__ = [
    "commission_run_approve",
    "commission_run_calculate",
    "commission_run_create",
    "commission_run_get_or_create",
    "commission_run_lock",
    "commission_run_payroll_exported",
    "commission_run_unlock",
    "dispute_create",
    "dispute_resolve",
    "plan_import",
]
