"""``saleshelm seed``: deterministic realistic data (see saleshelm.core.seeding)."""

from __future__ import annotations

import datetime as dt

from django.core.management.base import CommandError

from saleshelm.core.management.base import SaleshelmCommand
from saleshelm.core.seeding import CURRENCIES, LOCALES, Progress, SeedOptions, seed_organisation


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"--today must be a date YYYY-MM-DD, not {text!r}") from None


class Command(SaleshelmCommand):
    help = (
        "Seed an organisation with deterministic, realistic data (same --seed, same data). "
        "Creates the organisation if absent, else adds to it."
    )

    def add_arguments(self, parser):
        parser.add_argument("--org", required=True, metavar="SLUG")
        parser.add_argument("--reps", type=int, default=20, metavar="N", help="sales reps to add")
        parser.add_argument("--months", type=int, default=12, metavar="M",
                            help="data spans the M months up to today")  # fmt: skip
        parser.add_argument("--orders", type=int, default=0, metavar="N", help="order lines")
        parser.add_argument("--activities", type=int, default=0, metavar="N")
        parser.add_argument("--seed", type=int, default=1, metavar="S")
        parser.add_argument("--currency", choices=CURRENCIES, default=None,
                            help="reporting currency of a new organisation (default USD; VND for --locale vi)")  # fmt: skip
        parser.add_argument("--locale", choices=LOCALES, default="en")
        parser.add_argument("--name", default=None, help="name of a new organisation")
        parser.add_argument("--today", default=None, metavar="YYYY-MM-DD",
                            help="pin today's date, for data reproducible on any day")  # fmt: skip

    def run(self, *args, **opts):
        options = SeedOptions(
            org=opts["org"].strip(),
            reps=opts["reps"],
            months=opts["months"],
            orders=opts["orders"],
            activities=opts["activities"],
            seed=opts["seed"],
            currency=opts["currency"],
            locale=opts["locale"],
            name=opts["name"],
            today=_date(opts["today"]) if opts["today"] else None,
        )
        report = seed_organisation(options, progress=Progress(self.stderr._out))
        if report.skipped and opts["verbosity"] >= 1:
            names = ", ".join(p.split(".")[1] for p in report.skipped)
            self.stderr.write(f"Not seeded yet (no seeder installed): {names}")
        self.stdout.write(report.line())
