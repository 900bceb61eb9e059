"""``saleshelm manage development_load_framework --org SLUG --framework b2b|retail``."""

from __future__ import annotations

from saleshelm.core.management.base import SaleshelmCommand
from saleshelm.development.frameworks import FRAMEWORKS, LANGUAGES, framework_load
from saleshelm.tenancy.actors import SystemActor


class Command(SaleshelmCommand):
    help = "Load a starter competency framework (B2B or retail/field sales) into an organisation."

    def add_arguments(self, parser):
        parser.add_argument("--org", required=True, help="organisation slug")
        parser.add_argument("--framework", required=True, choices=sorted(FRAMEWORKS))
        parser.add_argument(
            "--language", choices=LANGUAGES, help="default: the organisation's language"
        )

    def run(self, *args, **options):
        org = self.organisation(options["org"])
        language = options["language"] or (org.locale if org.locale in LANGUAGES else "en")
        result = framework_load(
            actor=SystemActor(org, label="cli"),
            framework=options["framework"],
            language=language,
        )
        self.stdout.write(f"{org.slug}: {result.line()}")
