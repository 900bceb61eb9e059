"""``saleshelm demo``: everything a first look needs, in one command (SPEC §1).

Migrates the database, seeds the two demo organisations once (later runs keep them as they
are): "Helm Demo Co." in English and US dollars, and "Công ty TNHH Bán lẻ Sao Mai", a
Vietnamese retail firm working in Vietnamese and đồng. Collects static files, prints where to
log in and with which accounts, then serves on 127.0.0.1:8000 with gunicorn. ``--no-serve``
stops after the set-up.
"""

from __future__ import annotations

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from saleshelm.core.management.base import SaleshelmCommand
from saleshelm.core.management.commands.serve import (
    check_free,
    check_workers,
    parse_bind,
    run_gunicorn,
)
from saleshelm.core.seeding import Progress, SeedOptions, seed_organisation

DEMO_SLUG = "demo"
DEMO_NAME = "Helm Demo Co."
DEMO_ROLES = ("admin", "director", "manager", "rep", "finance", "viewer")
DEMO_LOGINS = {role: f"{role}@demo.saleshelm.test" for role in DEMO_ROLES}
VI_DEMO_SLUG = "sao-mai"
VI_DEMO_NAME = "Công ty TNHH Bán lẻ Sao Mai"
VI_DEMO_LOGINS = {role: f"{role}@saomai.demo.saleshelm.test" for role in DEMO_ROLES}


def demo_options() -> SeedOptions:
    return SeedOptions(
        org=DEMO_SLUG,
        name=DEMO_NAME,
        currency="USD",
        locale="en",
        logins=dict(DEMO_LOGINS),
        password=settings.SALESHELM_DEMO_PASSWORD,
        reps=20,
        months=12,
        orders=6_000,
        activities=12_000,
        seed=42,
    )


def vi_demo_options() -> SeedOptions:
    """A smaller Vietnamese retail firm (SPEC §9: Vietnamese throughout, VND)."""
    return SeedOptions(
        org=VI_DEMO_SLUG,
        name=VI_DEMO_NAME,
        currency="VND",
        locale="vi",
        logins=dict(VI_DEMO_LOGINS),
        password=settings.SALESHELM_DEMO_PASSWORD,
        reps=8,
        months=12,
        orders=2_400,
        activities=4_000,
        seed=84,
    )


DEMOS = ((DEMO_NAME, demo_options, DEMO_LOGINS), (VI_DEMO_NAME, vi_demo_options, VI_DEMO_LOGINS))


class Command(SaleshelmCommand):
    help = "Set up the demo organisation and serve SalesHelm on 127.0.0.1:8000."

    def add_arguments(self, parser):
        parser.add_argument("--bind", default="127.0.0.1:8000", metavar="HOST:PORT")
        parser.add_argument("--workers", type=int, default=2, metavar="N")
        parser.add_argument("--no-serve", action="store_true",
                            help="only set up (migrate, seed, collect static files)")  # fmt: skip

    def run(self, *args, **opts):
        if not settings.DEBUG:
            raise CommandError(
                "the demo serves plain http on this machine and needs SALESHELM_DEBUG=1 "
                "(run `make demo`, or set SALESHELM_DEBUG=1)"
            )
        host, port = parse_bind(opts["bind"])
        workers = check_workers(opts["workers"])
        serve = not opts["no_serve"]
        if serve:
            check_free(host, port)  # before the set-up, so a busy port fails at once

        self.stdout.write("Preparing the database...")
        self.stdout.flush()
        call_command("migrate", interactive=False, verbosity=0)

        from saleshelm.tenancy.models import Membership, Organisation

        for name, options, _logins in DEMOS:
            slug = options().org
            if Organisation.objects.filter(slug=slug).exists():
                self.stdout.write(f'Demo organisation "{name}" is already there; kept as it is.')
                continue
            self.stdout.write(f'Creating the demo organisation "{name}"...')
            self.stdout.flush()
            report = seed_organisation(options(), progress=Progress(self.stderr._out))
            self.stdout.write(report.line())

        call_command("collectstatic", interactive=False, verbosity=0)

        shown = "127.0.0.1" if host in {"0.0.0.0", "[::]"} else host  # noqa: S104
        url = f"http://{shown}:{port}/"
        lines = ["", "SalesHelm demo is ready.", f"  Log in at   {url}"]
        lines.append(f"  Password    {settings.SALESHELM_DEMO_PASSWORD}  (every account below)")
        for name, options, demo_logins in DEMOS:
            present = dict(
                Membership.objects.filter(
                    organisation__slug=options().org, user__email__in=demo_logins.values()
                ).values_list("user__email", "role")
            )
            lines.append(f"  {name}")
            if not present:
                lines.append("    (this organisation has none of the demo accounts)")
            for role in DEMO_ROLES:
                if demo_logins[role] in present:
                    lines.append(f"    {role:<9} {demo_logins[role]}")
        lines.append("")
        self.stdout.write("\n".join(lines))
        if not serve:
            return
        self.stdout.write(f"Serving on {url} with {workers} workers; press Ctrl+C to stop.")
        self.stdout.flush()
        run_gunicorn(host=host, port=port, workers=workers)
