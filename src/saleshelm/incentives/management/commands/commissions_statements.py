"""``saleshelm commissions statements --org SLUG --period P [--format json|csv]`` (SPEC §7).

JSON is exactly the API's ``GET /api/v1/commission-statements?period=P``; CSV has one row per
payout line (no cell runs as a formula).
"""

import json

from saleshelm.core.errors import ApplicationError
from saleshelm.core.management.base import SaleshelmCommand
from saleshelm.core.periods import parse_period
from saleshelm.incentives.selectors import payroll
from saleshelm.incentives.selectors.statements import statement_list, statements_document
from saleshelm.tenancy.actors import SystemActor


class Command(SaleshelmCommand):
    help = "Print the commission statements of a pay period."

    def add_arguments(self, parser):
        parser.add_argument("--org", required=True, metavar="SLUG")
        parser.add_argument("--period", required=True, metavar="PERIOD")
        parser.add_argument("--plan", metavar="NAME")
        parser.add_argument("--format", choices=["json", "csv"], default="json")

    def run(self, *args, **opts):
        org = self.organisation(opts["org"])
        actor = SystemActor(org, label="cli")
        try:
            period = parse_period(
                opts["period"], fiscal_start_month=org.fiscal_year_start_month
            ).key
        except (ValueError, OverflowError):
            raise ApplicationError(f"{opts['period']!r} is out of range") from None
        statements = list(statement_list(actor=actor, period=period, plan=opts.get("plan")))
        if opts["format"] == "csv":
            self.stdout.write(
                payroll.to_csv(payroll.STATEMENT_COLUMNS, payroll.statement_rows(statements)),
                ending="",
            )
            return
        self.stdout.write(
            json.dumps(statements_document(period, statements), ensure_ascii=False, indent=2)
        )
