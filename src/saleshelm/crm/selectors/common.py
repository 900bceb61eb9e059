"""Whitelisted sorting and small filter helpers shared by the crm selectors."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from django.db.models import Q, QuerySet

from saleshelm.core.errors import ApplicationError


def sort_options(allowed: Mapping[str, Sequence[str]]) -> list[str]:
    """Every accepted value of a ``sort`` parameter: each field, ascending or descending."""
    return [opt for name in allowed for opt in (name, f"-{name}")]


def apply_sort(
    qs: QuerySet, sort: str | None, allowed: Mapping[str, Sequence[str]], default: str
) -> QuerySet:
    """Order by a whitelisted field; anything else is a 400 ``invalid_sort`` (never reaches SQL)."""
    sort = (sort or default).strip()
    descending = sort.startswith("-")
    name = sort[1:] if descending else sort
    if name not in allowed:
        raise ApplicationError(
            f"sort: {sort!r} is not one of {', '.join(sort_options(allowed))}",
            code="invalid_sort",
            field="sort",
        )
    # Descending flips each column, a tie-breaker written descending included
    # ("-owner" over ["owner__…", "-occurred_at"] orders by "occurred_at", not "--occurred_at").
    columns = [
        (c[1:] if c.startswith("-") else f"-{c}") if descending else c for c in allowed[name]
    ]
    return qs.order_by(*columns, "-pk" if descending else "pk")


def search_q(text: str | None, fields: Sequence[str]) -> Q:
    """Every word must match one of the fields (case-insensitive)."""
    q = Q()
    for word in (text or "").split()[:8]:
        word_q = Q()
        for f in fields:
            word_q |= Q(**{f"{f}__icontains": word})
        q &= word_q
    return q
