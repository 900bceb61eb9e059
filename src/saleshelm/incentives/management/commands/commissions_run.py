"""``saleshelm commissions run --org SLUG --period 2026-Q3 [--plan NAME]`` (SPEC §1, §7).

Creates the run of that period (and plan) if absent and calculates it. A period longer than
a plan's pay period calculates each pay period inside it, in order: a quarter run of a
monthly-paid plan writes its three monthly statements.
"""

from saleshelm.core.errors import ApplicationError
from saleshelm.core.management.base import SaleshelmCommand
from saleshelm.incentives import services
from saleshelm.incentives.selectors.plans import plan_by_name
from saleshelm.tenancy.actors import SystemActor


class Command(SaleshelmCommand):
    help = "Calculate the commission statements of a period (for one plan or all)."

    def add_arguments(self, parser):
        parser.add_argument("--org", required=True, metavar="SLUG")
        parser.add_argument(
            "--period", required=True, metavar="PERIOD", help="2026-07, 2026-Q3 or 2026"
        )
        parser.add_argument("--plan", metavar="NAME", help="only this plan (default: every plan)")

    def run(self, *args, **opts):
        org = self.organisation(opts["org"])
        actor = SystemActor(org, label="cli")
        plan = None
        if opts.get("plan"):
            try:
                plan = plan_by_name(actor=actor, name=opts["plan"])
            except ApplicationError:
                raise ApplicationError(f"no plan named {opts['plan']!r} in {org.slug}") from None
        run = services.commission_run_get_or_create(actor=actor, period=opts["period"], plan=plan)
        run = services.commission_run_calculate(actor=actor, run=run)
        summary = run.summary
        totals = ", ".join(f"{cur} {amount}" for cur, amount in summary.get("totals", {}).items())
        for warning in summary.get("warnings", [])[:20]:
            self.stderr.write(f"warning: {warning}")
        self.stdout.write(
            f"run #{run.pk} {run.period}{' ' + plan.name if plan else ''}: "
            f"{summary.get('statements', 0)} statements calculated"
            + (f", total {totals}" if totals else "")
        )
