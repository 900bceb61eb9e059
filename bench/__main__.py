"""``python -m bench [SIZE] [--db sqlite|postgres|both] [--only NAME ...]`` (``make bench``).

Builds the dataset of SIZE (XS, S, M or L — L is SPEC §10's reference dataset) with
``saleshelm seed`` if the bench database does not have it yet, then runs every benchmark
module beside its reference and prints the figures.
"""

from __future__ import annotations

import argparse
import importlib
import os
import pkgutil
import subprocess
import sys
import time

from bench.harness import BENCH_ORG, SIZES, Context, env_for, print_table

MODULES = [
    m.name
    for m in pkgutil.iter_modules([os.path.dirname(__file__)])
    if m.name not in {"harness", "__main__"} and not m.name.startswith("_")
]


def _ensure_postgres_database(url: str) -> None:
    import psycopg

    base, name = url.rsplit("/", 1)
    with psycopg.connect(base + "/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname=%s", (name,)).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def run_in_process(size: str, only: list[str]) -> int:
    """Runs inside a process whose environment names the bench database."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "saleshelm.config.settings")
    django.setup()
    from django.core.management import call_command

    from bench.harness import database_label
    from saleshelm.tenancy.models import Organisation

    call_command("migrate", verbosity=0)
    org = Organisation.objects.filter(slug=BENCH_ORG).first()
    if org is None:
        dims = SIZES[size]
        start = time.perf_counter()
        call_command("seed", org=BENCH_ORG, seed=7, **dims)
        print(f"seeded dataset {size} in {time.perf_counter() - start:.1f} s")
        org = Organisation.objects.get(slug=BENCH_ORG)
    ctx = Context(size=size, database=database_label(), organisation=org)
    results = []
    for name in MODULES:
        if only and name not in only:
            continue
        module = importlib.import_module(f"bench.{name}")
        if not hasattr(module, "run"):
            continue
        print(f"-- {name} …", flush=True)
        results.extend(module.run(ctx))
    print_table(results, title=f"dataset {size} on {ctx.database}")
    return 1 if any(r.ok is False for r in results) else 0


def main() -> int:
    parser = argparse.ArgumentParser(prog="bench")
    parser.add_argument("size", nargs="?", default="S", choices=sorted(SIZES))
    parser.add_argument("--db", default="both", choices=["sqlite", "postgres", "both"])
    parser.add_argument("--only", nargs="*", default=[], choices=MODULES)
    parser.add_argument("--in-process", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.in_process:
        return run_in_process(args.size, args.only)
    os.makedirs("var", exist_ok=True)
    status = 0
    for db in ["sqlite", "postgres"] if args.db == "both" else [args.db]:
        env = env_for(db, args.size)
        if db == "postgres":
            _ensure_postgres_database(env["SALESHELM_DATABASE_URL"])
        cmd = [sys.executable, "-m", "bench", args.size, "--in-process"]
        if args.only:
            cmd += ["--only", *args.only]
        status |= subprocess.call(cmd, env=env)
    return status


if __name__ == "__main__":
    raise SystemExit(main())
