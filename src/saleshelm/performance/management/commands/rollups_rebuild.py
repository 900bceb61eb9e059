"""``saleshelm rollups rebuild [--org SLUG]``: rebuild the revenue rollup from the raw lines."""

from __future__ import annotations

import time

from saleshelm.core.management.base import SaleshelmCommand


class Command(SaleshelmCommand):
    help = "Rebuild the performance rollup (revenue, margin, units per member and month) from the order lines."

    def add_arguments(self, parser):
        parser.add_argument("--org", metavar="SLUG", help="only this organisation (default: all)")

    def run(self, *args, **options):
        from saleshelm.performance.models import MemberMonthFact
        from saleshelm.performance.rollups import rollups_rebuild
        from saleshelm.tenancy.models import Organisation

        if options.get("org"):
            organisations = [self.organisation(options["org"])]
        else:
            organisations = list(Organisation.objects.order_by("slug"))
        started = time.perf_counter()
        for org in organisations:
            rollups_rebuild(org.pk)
        facts = MemberMonthFact.objects.filter(organisation__in=organisations).count()
        elapsed = time.perf_counter() - started
        noun = "organisation" if len(organisations) == 1 else "organisations"
        self.stdout.write(
            f"Rebuilt the rollup of {len(organisations)} {noun}: {facts:,} member-month rows "
            f"in {elapsed:.2f} s"
        )
