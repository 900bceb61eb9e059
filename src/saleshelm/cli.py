"""The ``saleshelm`` command (SPEC §1).

Top-level commands map onto Django management commands owned by the apps (``org create``
runs ``org_create`` from tenancy, ``commissions run`` runs ``commissions_run`` from incentives),
so each rule lives once and ``saleshelm manage …`` reaches every other Django command.
"""

from __future__ import annotations

import os
import sys

# Two-word commands: ``saleshelm org create`` -> management command ``org_create``.
GROUPS = {
    "org": {"create": "org_create"},
    "token": {"create": "token_create"},
    "rollups": {"rebuild": "rollups_rebuild"},
    "commissions": {
        "run": "commissions_run",
        "statements": "commissions_statements",
        "plan": {"import": "commissions_plan_import"},
    },
}
SINGLE = {"demo", "serve", "worker", "seed", "import", "export", "scheduler"}
USAGE = (
    "usage: saleshelm {demo,serve,worker,scheduler,seed,import,export,org create,token create,"
    "rollups rebuild,commissions run|statements|plan import,manage} ..."
)


def _resolve(argv: list[str]) -> tuple[str, list[str]] | None:
    if not argv:
        return None
    head, rest = argv[0], argv[1:]
    if head in SINGLE:
        return (
            "import_data" if head == "import" else "export_data" if head == "export" else head
        ), rest
    node = GROUPS.get(head)
    while isinstance(node, dict):
        if not rest or rest[0] not in node:
            return None
        node, rest = node[rest[0]], rest[1:]
    if isinstance(node, str):
        return node, rest
    return None


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv[1:] if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "saleshelm.config.settings")
    if argv and argv[0] in {"-h", "--help", "help"}:
        print(USAGE)
        print(__doc__.strip().splitlines()[0])
        return
    if argv and argv[0] in {"--version", "version"}:
        from saleshelm import __version__

        print(f"saleshelm {__version__}")
        return
    if argv[:1] == ["demo"]:
        # The demo is a local trial: debug mode unless the environment says otherwise.
        os.environ.setdefault("SALESHELM_DEBUG", "1")
    if argv and argv[0] == "manage":
        command, rest = (argv[1] if len(argv) > 1 else "help"), argv[2:]
    else:
        resolved = _resolve(argv)
        if resolved is None:
            shown = " ".join(argv) or "(nothing)"
            print(f"saleshelm: unknown command {shown!r}; {USAGE}", file=sys.stderr)
            raise SystemExit(2)
        command, rest = resolved
    try:
        from django.core.management import execute_from_command_line
    except ImportError as exc:  # pragma: no cover - installation problem
        print(f"saleshelm: Django is not installed ({exc})", file=sys.stderr)
        raise SystemExit(1) from exc
    from django.core.exceptions import ImproperlyConfigured

    try:
        execute_from_command_line(["saleshelm", command, *rest])
    except ImproperlyConfigured as exc:
        print(f"saleshelm: configuration error: {exc}", file=sys.stderr)
        raise SystemExit(1) from None
