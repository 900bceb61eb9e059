"""Base for SalesHelm's commands: bad input gives one human-readable line and a non-zero exit."""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from saleshelm.core.errors import ApplicationError


class _OneLineParser(CommandParser):
    def error(self, message: str):  # type: ignore[override]
        command = self.prog.split()[-1].replace("_data", "").replace("_", " ")
        sys.stderr.write(f"saleshelm {command}: {message} (see --help)\n")
        raise SystemExit(2)


class SaleshelmCommand(BaseCommand):
    """Subclasses implement ``run``; ApplicationError becomes ``saleshelm: <message>``."""

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> CommandParser:
        kwargs.setdefault("formatter_class", None)
        kwargs.pop("formatter_class")
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        parser.__class__ = _OneLineParser
        return parser

    def handle(self, *args: Any, **options: Any) -> str | None:
        try:
            return self.run(*args, **options)
        except ApplicationError as exc:
            raise CommandError(exc.message, returncode=1) from None

    def run(self, *args: Any, **options: Any) -> str | None:  # pragma: no cover - abstract
        raise NotImplementedError

    def execute(self, *args: Any, **options: Any) -> str | None:
        try:
            return super().execute(*args, **options)
        except CommandError as exc:
            # Django prints "CommandError: ..."; we print one plain line people can read.
            sys.stderr.write(f"saleshelm: {exc}\n")
            raise SystemExit(exc.returncode) from None

    def organisation(self, slug: str):
        from saleshelm.tenancy.selectors import organisation_by_slug

        try:
            return organisation_by_slug(slug)
        except ApplicationError:
            raise CommandError(f"no organisation with slug {slug!r}", returncode=1) from None
