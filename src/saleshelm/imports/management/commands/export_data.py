"""``saleshelm export KIND --org SLUG [--format csv|xlsx] [-o FILE]``."""

from __future__ import annotations

import sys
import time
from pathlib import Path

from django.core.management.base import CommandError

from saleshelm.core.management.base import SaleshelmCommand
from saleshelm.imports.exporting import export_to
from saleshelm.imports.kinds import all_kinds
from saleshelm.tenancy.actors import SystemActor


class Command(SaleshelmCommand):
    help = "Export one kind of records in the native import columns (CSV or XLSX)."

    def add_arguments(self, parser):
        parser.add_argument("kind", help="one of: " + ", ".join(all_kinds()))
        parser.add_argument("--org", required=True, help="organisation slug")
        parser.add_argument("--format", default=None, choices=["csv", "xlsx"])
        parser.add_argument("-o", "--output", default="-", help="file to write (default: stdout)")

    def run(self, *args, **options):
        org = self.organisation(options["org"])
        kind = options["kind"]
        if kind not in all_kinds():
            raise CommandError(
                f"unknown kind {kind!r}; one of {', '.join(all_kinds())}", returncode=2
            )
        output = options["output"]
        fmt = options["format"] or ("xlsx" if output.lower().endswith(".xlsx") else "csv")
        actor = SystemActor(org, label="cli")
        started = time.monotonic()
        if output == "-":
            if fmt == "xlsx" and sys.stdout.isatty():
                raise CommandError("an XLSX export needs -o FILE", returncode=2)
            stream = getattr(self.stdout, "_out", sys.stdout)
            binary = getattr(stream, "buffer", None)
            if binary is None:
                raise CommandError(
                    "cannot write binary data to this output; use -o FILE", returncode=2
                )
            n = export_to(binary, actor=actor, kind=kind, format=fmt)
            binary.flush()
        else:
            path = Path(output)
            tmp = path.with_name(path.name + ".part")
            with tmp.open("wb") as fh:
                n = export_to(fh, actor=actor, kind=kind, format=fmt)
            tmp.replace(path)
        sys.stderr.write(
            f"Exported {n:,} {kind} to {output if output != '-' else 'stdout'} "
            f"({fmt}) in {time.monotonic() - started:.1f} s\n"
        )
