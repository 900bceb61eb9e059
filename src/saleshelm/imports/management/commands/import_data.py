"""``saleshelm import KIND FILE --org SLUG [--format native|hubspot|salesforce] [--dry-run]``."""

from __future__ import annotations

import sys
import time
from pathlib import Path

from django.core.management.base import CommandError

from saleshelm.core.management.base import SaleshelmCommand
from saleshelm.imports.kinds import all_kinds
from saleshelm.imports.models import JobStatus
from saleshelm.imports.services import import_file
from saleshelm.tenancy.actors import SystemActor

NOUNS = {"orders": "order lines"}


class ProgressBar:
    """A one-line progress bar on stderr, drawn only on a terminal and at most 10 times a second."""

    def __init__(self, stream, label: str, enabled: bool) -> None:
        self.stream = stream
        self.label = label
        self.enabled = enabled
        self.last = 0.0
        self.drawn = False

    def __call__(self, done: int, total: int) -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        if now - self.last < 0.1 and done < total:
            return
        self.last = now
        total = max(total, done, 1)
        width = 30
        filled = int(width * done / total)
        bar = "#" * filled + "-" * (width - filled)
        self.stream.write(f"\r{self.label} [{bar}] {done:,}/{total:,} rows")
        self.stream.flush()
        self.drawn = True

    def close(self) -> None:
        if self.drawn:
            self.stream.write("\n")
            self.stream.flush()


class Command(SaleshelmCommand):
    help = (
        "Import a CSV or XLSX file of one kind (members, accounts, orders…) into an organisation."
    )

    def add_arguments(self, parser):
        parser.add_argument("kind", help="one of: " + ", ".join(all_kinds()))
        parser.add_argument("file", help="CSV or XLSX file")
        parser.add_argument("--org", required=True, help="organisation slug")
        parser.add_argument(
            "--format",
            default="native",
            choices=["native", "hubspot", "salesforce"],
            help="column names: SalesHelm's own (native) or a HubSpot / Salesforce export",
        )
        parser.add_argument("--dry-run", action="store_true", help="check the file, write nothing")
        parser.add_argument(
            "--max-errors", type=int, default=50, help="errors printed (the total is always shown)"
        )
        parser.add_argument("--progress", action="store_true", help="always draw the progress bar")

    def run(self, *args, **options):
        org = self.organisation(options["org"])
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"no such file: {path}", returncode=1)
        kind = options["kind"]
        if kind not in all_kinds():
            raise CommandError(
                f"unknown kind {kind!r}; one of {', '.join(all_kinds())}", returncode=2
            )
        actor = SystemActor(org, label="cli")
        noun = NOUNS.get(kind, kind)
        bar = ProgressBar(
            sys.stderr,
            f"{'Checking' if options['dry_run'] else 'Importing'} {path.name}",
            enabled=options["progress"] or sys.stderr.isatty(),
        )
        with path.open("rb") as fh:
            try:
                job = import_file(
                    actor=actor,
                    file=fh,
                    filename=path.name,
                    kind=kind,
                    format=options["format"],
                    dry_run=options["dry_run"],
                    progress=bar,
                )
            finally:
                bar.close()
        seconds = job.duration_seconds or 0.0
        for warning in job.warnings:
            self.stderr.write(f"warning: {warning}")
        if job.message and job.status != JobStatus.FAILED:
            self.stderr.write(job.message)
        if job.status == JobStatus.FAILED:
            raise CommandError(job.message or "the import failed", returncode=1)
        if job.status == JobStatus.REJECTED:
            shown = job.errors[: max(options["max_errors"], 0)]
            for e in shown:
                self.stderr.write(
                    f"row {e['row']}, column {e['column']}, value {e['value']!r}: {e['reason']}"
                )
            hidden = job.error_count - len(shown)
            if hidden > 0:
                self.stderr.write(f"… and {hidden:,} more errors")
            rows_with_errors = len({e["row"] for e in job.errors})
            where = (
                ""
                if job.error_count > len(job.errors)
                else f" in {_counted(rows_with_errors, 'row')}"
            )
            raise CommandError(
                f"{path.name} rejected: {_counted(job.error_count, 'error')}{where}"
                "; nothing was written",
                returncode=1,
            )
        counts = f"{job.created:,} created, {job.updated:,} updated, {job.unchanged:,} unchanged"
        if job.dry_run:
            self.stdout.write(
                f"Dry run: {job.rows_processed:,} {noun} checked, no errors "
                f"({counts} if imported; nothing written) in {seconds:.1f} s"
            )
        else:
            self.stdout.write(
                f"Imported {job.rows_processed:,} {noun}: {counts} in {seconds:.1f} s"
            )


def _counted(n: int, noun: str) -> str:
    """``1 error``, ``61 errors``."""
    return f"{n:,} {noun}{'' if n == 1 else 's'}"
