"""Segment matching and bulk reclassification of accounts and leads.

Matching is plain Python over pre-normalised rules: one pass reads the fields of every
account with ``values_list`` (no model instances), finds its best segment, and the fits that
changed are written with one bulk upsert per batch. 50,000 accounts take about a second on
SQLite (``bench/segments.py``), so reclassifying on every rule change is affordable.

Fields a rule can look at:
- industry (in a list), employees (min/max), region (in a list), country (in a list);
- custom key/value conditions over the other fields listed in ``CUSTOM_KEYS``. A lead is
  judged on its own fields and, once converted, on its account's fields too.
Text comparisons ignore case and surrounding spaces. An empty condition is not checked; a
condition on a field the record does not have (an unknown employee count, an unconverted
lead's industry) does not hold.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from saleshelm.direction.models import AccountSegmentFit, Grade, LeadSegmentFit, Segment

# key -> where it is read from: for accounts, for leads.
CUSTOM_KEYS: dict[str, str] = {
    "name": "account name",
    "website": "account website",
    "owner_team": "team of the account's owner",
    "source": "lead source",
    "company": "lead company",
    "email_domain": "domain of the lead's email",
    "status": "lead status",
}
GRADES = (Grade.A, Grade.B, Grade.C)
BATCH = 2000


def norm(value: Any) -> str:
    return str(value or "").strip().casefold()


@dataclass(frozen=True)
class Rule:
    """A segment's conditions, normalised once for fast matching."""

    segment_id: int
    priority: int
    grade: str
    industries: frozenset[str]
    regions: frozenset[str]
    countries: frozenset[str]
    employees_min: int | None
    employees_max: int | None
    custom: tuple[tuple[str, str], ...]

    def matches(self, rec: dict[str, Any]) -> bool:
        if self.industries and rec.get("industry") not in self.industries:
            return False
        if self.regions and rec.get("region") not in self.regions:
            return False
        if self.countries and rec.get("country") not in self.countries:
            return False
        if self.employees_min is not None or self.employees_max is not None:
            n = rec.get("employees")
            if n is None:
                return False
            if self.employees_min is not None and n < self.employees_min:
                return False
            if self.employees_max is not None and n > self.employees_max:
                return False
        return all(rec.get(key) == value for key, value in self.custom)


def grade_for_priorities(priorities: Iterable[int]) -> dict[int, str]:
    """The grade of each priority: the best priority in use is A, the next B, the rest C."""
    distinct = sorted(set(priorities))
    return {p: GRADES[min(i, len(GRADES) - 1)] for i, p in enumerate(distinct)}


def compile_rules(segments: Iterable[Segment]) -> list[Rule]:
    """Active segments in matching order (priority, then name, then id)."""
    active = sorted(
        (s for s in segments if s.is_active), key=lambda s: (s.priority, s.name.casefold(), s.pk)
    )
    grades = grade_for_priorities(s.priority for s in active)
    return [
        Rule(
            segment_id=s.pk,
            priority=s.priority,
            grade=grades[s.priority],
            industries=frozenset(norm(v) for v in s.industries if norm(v)),
            regions=frozenset(norm(v) for v in s.regions if norm(v)),
            countries=frozenset(norm(v) for v in s.countries if norm(v)),
            employees_min=s.employees_min,
            employees_max=s.employees_max,
            custom=tuple(
                (norm(c.get("key")), norm(c.get("value"))) for c in s.custom if norm(c.get("key"))
            ),
        )
        for s in active
    ]


def best_match(rules: list[Rule], rec: dict[str, Any]) -> Rule | None:
    for rule in rules:
        if rule.matches(rec):
            return rule
    return None


# -- reading records ----------------------------------------------------------------------

ACCOUNT_FIELDS = (
    "pk",
    "industry",
    "employees",
    "region",
    "country",
    "name",
    "website",
    "owner__profile__team__name",
)


def _account_record(row: tuple) -> dict[str, Any]:
    _, industry, employees, region, country, name, website, team = row
    return {
        "industry": norm(industry),
        "employees": employees,
        "region": norm(region),
        "country": norm(country),
        "name": norm(name),
        "website": norm(website),
        "owner_team": norm(team),
    }


LEAD_FIELDS = (
    "pk",
    "source",
    "company",
    "email",
    "status",
    *(f"converted_account__{f}" for f in ACCOUNT_FIELDS[1:]),
)


def _lead_record(row: tuple) -> dict[str, Any]:
    _, source, company, email, status, *account = row
    rec: dict[str, Any] = {}
    if any(v not in (None, "") for v in account):
        rec = _account_record((None, *account))
    rec.update(
        {
            "source": norm(source),
            "company": norm(company),
            "email_domain": norm(email.rsplit("@", 1)[1]) if email and "@" in email else "",
            "status": norm(status),
        }
    )
    return rec


def _batches(rows: Iterator[Any], size: int = BATCH) -> Iterator[list[Any]]:
    batch: list[Any] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


@dataclass
class ClassifyResult:
    accounts: int = 0
    accounts_changed: int = 0
    leads: int = 0
    leads_changed: int = 0

    def as_dict(self) -> dict[str, int]:
        return {
            "accounts": self.accounts,
            "accounts_changed": self.accounts_changed,
            "leads": self.leads,
            "leads_changed": self.leads_changed,
        }


@contextmanager
def _roomy_page_cache(cursor) -> Iterator[None]:
    """On SQLite, a page cache big enough for the fits of 50,000 records while they are
    rewritten: the default 2 MB spills the half-written indexes to disk page by page."""
    from django.db import connection

    if connection.vendor != "sqlite":
        yield
        return
    cursor.execute("PRAGMA cache_size")
    previous = cursor.fetchone()[0]
    cursor.execute("PRAGMA cache_size = -65536")  # 64 MB, for this connection only
    try:
        yield
    finally:
        cursor.execute(f"PRAGMA cache_size = {int(previous)}")


def _upsert_sql(fit_model, fk: str) -> str:
    """INSERT ... ON CONFLICT (record) DO UPDATE: the same statement on SQLite and PostgreSQL."""
    from django.db import connection

    q = connection.ops.quote_name
    meta = fit_model._meta
    columns = [
        meta.get_field(name).column
        for name in ("organisation", fk, "segment", "grade", "created_at", "updated_at")
    ]
    record = meta.get_field(fk).column
    changed = [meta.get_field(n).column for n in ("segment", "grade", "updated_at")]
    # Only quoted names from the model's own metadata go into the text; values are parameters.
    return (
        f"INSERT INTO {q(meta.db_table)} ({', '.join(q(c) for c in columns)}) "  # noqa: S608
        f"VALUES ({', '.join(['%s'] * len(columns))}) "
        f"ON CONFLICT ({q(record)}) DO UPDATE SET "
        + ", ".join(f"{q(c)} = EXCLUDED.{q(c)}" for c in changed)
    )


def _classify(
    *,
    organisation_id: int,
    rules: list[Rule],
    source_qs,
    fields: tuple[str, ...],
    to_record,
    fit_model,
    fk: str,
) -> tuple[int, int]:
    """One pass over the records: read, match, upsert only the fits that changed.

    The writes go through one prepared statement per batch (``executemany``), not through
    model instances: building 50,000 instances and preparing their values costs more than
    the whole read-and-match pass."""
    from django.db import connection

    existing = {
        obj_id: (segment_id, grade)
        for obj_id, segment_id, grade in fit_model.objects.filter(
            organisation_id=organisation_id
        ).values_list(f"{fk}_id", "segment_id", "grade")
    }
    stamp = connection.ops.adapt_datetimefield_value(timezone.now())
    sql = _upsert_sql(fit_model, fk)
    seen = changed = 0
    rows = source_qs.order_by().values_list(*fields).iterator(chunk_size=BATCH)
    with connection.cursor() as cursor, _roomy_page_cache(cursor):
        for batch in _batches(rows):
            out = []
            for row in batch:
                seen += 1
                rule = best_match(rules, to_record(row))
                fit = (rule.segment_id, rule.grade) if rule else (None, "")
                if existing.get(row[0]) == fit:
                    continue
                out.append((organisation_id, row[0], fit[0], fit[1], stamp, stamp))
            if out:
                changed += len(out)
                cursor.executemany(sql, out)
    return seen, changed


def classify_organisation(*, actor, accounts: bool = True, leads: bool = True) -> ClassifyResult:
    """Recompute the fit of every account and lead of the actor's organisation.

    No permission check here: the callers are the services (which check that the actor
    shapes the strategy, so sees every record) and the scheduler (a system actor)."""
    from saleshelm.crm.selectors.records import account_qs, lead_qs

    organisation_id = actor.organisation_id
    rules = compile_rules(Segment.objects.filter(organisation_id=organisation_id))
    result = ClassifyResult()
    if accounts:
        result.accounts, result.accounts_changed = _classify(
            organisation_id=organisation_id,
            rules=rules,
            source_qs=account_qs(actor=actor),
            fields=ACCOUNT_FIELDS,
            to_record=_account_record,
            fit_model=AccountSegmentFit,
            fk="account",
        )
    if leads:
        result.leads, result.leads_changed = _classify(
            organisation_id=organisation_id,
            rules=rules,
            source_qs=lead_qs(actor=actor),
            fields=LEAD_FIELDS,
            to_record=_lead_record,
            fit_model=LeadSegmentFit,
            fk="lead",
        )
    return result
