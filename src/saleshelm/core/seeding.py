"""``saleshelm seed``: deterministic, realistic data at any scale, as a pipeline of seeders.

Each app that has data to seed exposes ``seed(ctx)`` in its ``seed`` module and adds the
module path to ``SEEDERS`` below, in data-flow order (people first, then what reads them).
A module that does not exist yet, or whose app is not installed, is skipped, so apps plug
in one at a time without touching this file's logic.

Determinism: every seeder gets its own ``random.Random`` and Faker instances seeded from
(seed, generation, module path), so the same seed gives the same data, and adding a seeder
does not change what the others produce. ``generation`` counts earlier seeds of the same
organisation, so seeding an existing organisation again adds new people instead of
colliding with the ones already there.

Seeders write in bulk (``bulk_create``), not through the per-object services: seeding is an
infrastructure load, like an import, and must handle millions of rows in minutes. The whole
run is one transaction and writes one audit row that summarises it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import importlib
import importlib.util
import random
import sys
import time
import zoneinfo
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TextIO

from django.apps import apps
from django.db import connection, transaction
from django.utils import timezone
from faker import Faker

from saleshelm.core.errors import ApplicationError

if TYPE_CHECKING:
    from saleshelm.people.models import MemberProfile, RoleProfile, Team, Territory
    from saleshelm.tenancy.actors import SystemActor
    from saleshelm.tenancy.models import Membership, Organisation

# In data-flow order (SPEC: crm -> performance -> incentives and development; direction and
# people are read by all). Later apps add their module here.
SEEDERS: list[str] = [
    "saleshelm.people.seed",
    "saleshelm.crm.seed",
    "saleshelm.performance.seed",
    "saleshelm.direction.seed",
    "saleshelm.incentives.seed",
    "saleshelm.incentives.seed_motivation",
    "saleshelm.development.seed",
]

CURRENCIES = ("USD", "VND")
LOCALES = ("en", "vi")
LIMITS = {
    "reps": 100_000,
    "months": 120,
    "orders": 50_000_000,
    "activities": 50_000_000,
}
SEEDED_TIME_ZONE = "Asia/Ho_Chi_Minh"  # the seeded teams sit in Vietnam and Southeast Asia


@dataclass(frozen=True)
class SeedOptions:
    org: str
    reps: int = 20
    months: int = 12
    orders: int = 0
    activities: int = 0
    seed: int = 1
    currency: str | None = None  # default: VND for a Vietnamese organisation, else USD
    locale: str = "en"
    name: str | None = None
    today: dt.date | None = None  # pins "today" so dates are reproducible across days
    # Fixed logins (role -> email) given to the first member seeded in each role, with
    # ``password`` hashed by the real hasher. Used by ``saleshelm demo``.
    logins: dict[str, str] = field(default_factory=dict)
    password: str | None = None

    def validate(self) -> None:
        """Refuse bad input before anything is written."""
        for name, limit in LIMITS.items():
            value = getattr(self, name)
            if not isinstance(value, int) or isinstance(value, bool):
                raise ApplicationError(f"--{name} must be a whole number", field=name)
            low = 1 if name == "months" else 0
            if not low <= value <= limit:
                raise ApplicationError(
                    f"--{name} must be between {low:,} and {limit:,}, not {value:,}", field=name
                )
        if self.currency is not None and self.currency not in CURRENCIES:
            raise ApplicationError(
                f"--currency must be one of {', '.join(CURRENCIES)}", field="currency"
            )
        if self.locale not in LOCALES:
            raise ApplicationError(f"--locale must be one of {', '.join(LOCALES)}", field="locale")
        if self.name is not None and not self.name.strip():
            raise ApplicationError("--name must not be empty", field="name")
        if self.logins and not self.password:
            raise ApplicationError("fixed logins need a password", field="password")

    @property
    def reporting_currency(self) -> str:
        return self.currency or ("VND" if self.locale == "vi" else "USD")


class Progress:
    """A progress bar on stderr: tqdm's when it is installed, else a small one of our own.

    Drawn only on a terminal, so logs and captured output stay clean.
    """

    def __init__(self, stream: TextIO | None = None, *, enabled: bool | None = None) -> None:
        self.stream = stream if stream is not None else sys.stderr
        if enabled is None:
            enabled = bool(getattr(self.stream, "isatty", lambda: False)())
        self.enabled = enabled

    @contextmanager
    def stage(self, label: str, total: int) -> Iterator[Callable[[int], None]]:
        if not self.enabled or total <= 0:
            yield _ignore
            return
        try:
            from tqdm import tqdm  # optional: never a dependency
        except ImportError:
            tqdm = None
        if tqdm is not None:
            bar = tqdm(total=total, desc=f"{label:<12}", file=self.stream, unit="row", leave=True)
            try:
                yield bar.update
            finally:
                bar.close()
            return
        yield from self._own_bar(label, total)

    def _own_bar(self, label: str, total: int) -> Iterator[Callable[[int], None]]:
        done = 0
        last_draw = 0.0

        def draw(final: bool = False) -> None:
            width = 30
            filled = int(width * done / total)
            bar = "#" * filled + "-" * (width - filled)
            end = "\n" if final else ""
            self.stream.write(
                f"\r{label:<12} [{bar}] {100 * done // total:3d}%  {done:,}/{total:,}{end}"
            )
            self.stream.flush()

        def advance(n: int = 1) -> None:
            nonlocal done, last_draw
            done = min(total, done + n)
            now = time.monotonic()
            if now - last_draw >= 0.1:
                last_draw = now
                draw()

        try:
            yield advance
        finally:
            draw(final=True)


def _ignore(n: int = 1) -> None:
    return None


def _derived_seed(*parts: object) -> int:
    digest = hashlib.sha256(":".join(str(p) for p in parts).encode()).digest()
    return int.from_bytes(digest[:8], "big")


@dataclass
class SeedContext:
    """What a seeder gets: the organisation, seeded randomness, the options, and what the
    seeders before it produced. Seeders add their own outputs as attributes or in
    ``shared`` (keyed "app.thing") and append a short phrase to ``summary``."""

    organisation: Organisation
    actor: SystemActor
    options: SeedOptions
    generation: int
    today: dt.date
    start: dt.date  # first day of the first of the ``months`` calendar months up to today
    progress: Progress
    random: random.Random = field(default_factory=random.Random)
    fake_en: Faker = field(default_factory=lambda: Faker("en_US"))
    fake_vi: Faker = field(default_factory=lambda: Faker("vi_VN"))
    # people.seed
    members: list[Membership] = field(default_factory=list)  # created by this run
    reps: list[Membership] = field(default_factory=list)  # every active rep of the org
    managers: list[Membership] = field(default_factory=list)  # every active manager
    teams: list[Team] = field(default_factory=list)  # every team of the org
    territories: list[Territory] = field(default_factory=list)
    role_profiles: dict[str, RoleProfile] = field(default_factory=dict)  # by stable key
    profiles: dict[int, MemberProfile] = field(default_factory=dict)  # by membership id
    # anything else, for the seeders that follow
    shared: dict[str, Any] = field(default_factory=dict)
    summary: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)

    def reseed(self, module: str) -> None:
        """Give ``module`` its own streams, independent of the seeders around it."""
        base = (self.options.seed, self.generation, module)
        self.random = random.Random(_derived_seed(*base, "random"))
        self.fake_en.seed_instance(_derived_seed(*base, "en"))
        self.fake_vi.seed_instance(_derived_seed(*base, "vi"))

    @property
    def is_vietnamese(self) -> bool:
        return self.organisation.locale == "vi"


@dataclass
class SeedReport:
    organisation: Organisation
    created: bool
    elapsed: float
    summary: list[str]
    counts: dict[str, int]
    ran: list[str]
    skipped: list[str]

    def line(self) -> str:
        what = ", ".join(self.summary) if self.summary else "nothing new"
        verb = "Seeded new organisation" if self.created else "Seeded"
        return f"{verb} {self.organisation.slug}: {what} in {self.elapsed:.1f} s"


def available_seeders(paths: Sequence[str]) -> tuple[list[tuple[str, Any]], list[str]]:
    """Import the seeders that exist and whose app is installed; name the others."""
    found: list[tuple[str, Any]] = []
    skipped: list[str] = []
    for path in paths:
        try:
            spec = importlib.util.find_spec(path)
        except ModuleNotFoundError:
            spec = None
        # A SalesHelm app that exists but is not installed has no tables: skip it too.
        uninstalled = path.startswith("saleshelm.") and apps.get_containing_app_config(path) is None
        if spec is None or uninstalled:
            skipped.append(path)
            continue
        module = importlib.import_module(path)
        if not callable(getattr(module, "seed", None)):
            raise ApplicationError(f"{path} has no seed(ctx) function", code="invalid_seeder")
        found.append((path, module))
    return found, skipped


def _months_back(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 - (months - 1)
    return dt.date(index // 12, index % 12 + 1, 1)


def _refresh_planner_statistics() -> None:
    """After a bulk load PostgreSQL plans with the statistics of the empty tables until
    autovacuum analyses them (minutes later, or never where it is turned off): a page of 100
    orders planned for 144 rows sorted all 90,000. ``ANALYZE`` now, as its manual advises."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def seed_organisation(
    options: SeedOptions,
    *,
    seeders: Sequence[str] | None = None,
    progress: Progress | None = None,
) -> SeedReport:
    """Run the pipeline for one organisation; nothing is written when anything fails."""
    from saleshelm.tenancy.actors import SystemActor
    from saleshelm.tenancy.models import AuditEntry, Organisation
    from saleshelm.tenancy.services import audit_record, organisation_create

    options.validate()
    started = time.perf_counter()
    modules, skipped = available_seeders(SEEDERS if seeders is None else seeders)
    with transaction.atomic():
        org = Organisation.objects.select_for_update().filter(slug=options.org).first()
        created = org is None
        if org is None:
            org, _, _ = organisation_create(
                slug=options.org,
                name=(options.name or options.org.replace("-", " ").title()).strip(),
                currency=options.reporting_currency,
                locale=options.locale,
                time_zone=SEEDED_TIME_ZONE,
            )
        elif options.currency and options.currency != org.currency:
            raise ApplicationError(
                f"organisation {org.slug} reports in {org.currency}, not {options.currency}",
                field="currency",
            )
        generation = AuditEntry.objects.filter(organisation=org, action="organisation.seed").count()
        today = (
            options.today
            or timezone.localtime(timezone.now(), zoneinfo.ZoneInfo(org.time_zone)).date()
        )
        actor = SystemActor(org, label="seed")
        ctx = SeedContext(
            organisation=org,
            actor=actor,
            options=options,
            generation=generation,
            today=today,
            start=_months_back(today, options.months),
            progress=progress or Progress(enabled=False),
        )
        ran = []
        for path, module in modules:
            ctx.reseed(path)
            module.seed(ctx)
            ran.append(path)
        audit_record(
            actor=actor,
            action="organisation.seed",
            obj=org,
            after={
                "reps": options.reps,
                "months": options.months,
                "orders": options.orders,
                "activities": options.activities,
                "seed": options.seed,
                "generation": generation,
                "today": today.isoformat(),
                "counts": ctx.counts,
                "seeders": ran,
                "skipped": skipped,
            },
        )
    _refresh_planner_statistics()
    return SeedReport(
        organisation=org,
        created=created,
        elapsed=time.perf_counter() - started,
        summary=ctx.summary,
        counts=ctx.counts,
        ran=ran,
        skipped=skipped,
    )
