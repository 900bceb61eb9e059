"""``saleshelm commissions plan import FILE --org SLUG`` (SPEC §7).

A new plan, or a new version of the plan with that name effective from its
``effective_from``. Errors name the JSON path (``components[0].tiers[2].from: ...``).
"""

from pathlib import Path

from saleshelm.core.errors import ApplicationError
from saleshelm.core.management.base import SaleshelmCommand
from saleshelm.incentives import services
from saleshelm.incentives.plans import loads
from saleshelm.tenancy.actors import SystemActor


class Command(SaleshelmCommand):
    help = "Create or update a commission plan from its JSON file."

    def add_arguments(self, parser):
        parser.add_argument("file", metavar="FILE")
        parser.add_argument("--org", required=True, metavar="SLUG")

    def run(self, *args, **opts):
        org = self.organisation(opts["org"])
        path = Path(opts["file"])
        try:
            text = path.read_text(encoding="utf-8-sig")
        except OSError as exc:
            raise ApplicationError(f"cannot read {path}: {exc.strerror or exc}") from None
        data = loads(text)
        version = services.plan_import(actor=SystemActor(org, label="cli"), data=data)
        members = version.assignments.count()
        self.stdout.write(
            f"plan {version.plan.name!r} version {version.version} effective from "
            f"{version.effective_from.isoformat()}: {members} members"
        )
