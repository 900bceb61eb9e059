"""Plug-in points for other apps: signal sources and check-in agenda sources.

The development app does not know every app that has something to say in a 1:1. Commitments
of the psychological contract live in the incentives app, for example; it plugs them in
without this app importing it::

    # incentives/development_sources.py (imported automatically), or AppConfig.ready()
    from saleshelm.development.providers import (
        AgendaItem, AgendaSource, SignalRow, SignalSource, register_agenda_source,
        register_signal_source,
    )

    def overdue_commitments(*, organisation, today, settings):
        # ONE query for the whole organisation, never one per member.
        for c in Commitment.objects.filter(organisation=organisation, status="open",
                                           due_date__lt=today, owner_side="member"):
            yield SignalRow(subject_id=c.member_id, object_type="commitment",
                            object_id=c.pk, detail={"title": c.title,
                                                    "due": c.due_date.isoformat()})

    register_signal_source(SignalSource(key="incentives.commitments",
                                        rule="commitment_overdue", rows=overdue_commitments))

    def commitments_for_check_in(*, actor, member, today):
        return [AgendaItem(title=c.title, url=..., due=c.due_date, overdue=c.due_date < today)
                for c in ...scoped by actor...]

    register_agenda_source(AgendaSource(key="incentives.commitments",
                                        title=_("Commitments"), items=commitments_for_check_in))

A signal source answers for a whole organisation at once (set-based); an agenda source for
one member, as seen by the actor (so it must scope what it returns by the actor itself).
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.utils.functional import Promise
from django.utils.module_loading import autodiscover_modules

from saleshelm.core.errors import ApplicationError

# Rules whose rows come from registered sources rather than from this app's own SQL.
SOURCE_RULES = frozenset({"commitment_overdue"})


@dataclass(frozen=True)
class SignalRow:
    subject_id: int
    object_type: str = ""
    object_id: int = 0
    detail: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class SignalSource:
    key: str
    rule: str
    # rows(*, organisation, today, settings) -> iterable of SignalRow
    rows: Callable[..., Iterable[SignalRow]]


@dataclass(frozen=True)
class AgendaItem:
    title: str
    url: str = ""
    detail: str = ""
    due: dt.date | None = None
    overdue: bool = False


@dataclass(frozen=True)
class AgendaSource:
    key: str
    title: str | Promise
    # items(*, actor, member, today) -> list of AgendaItem, scoped by the actor
    items: Callable[..., list[AgendaItem]]
    order: int = 100


_signal_sources: dict[str, SignalSource] = {}
_agenda_sources: dict[str, AgendaSource] = {}
_lock = threading.Lock()
_discovered = False


def register_signal_source(source: SignalSource) -> SignalSource:
    if source.rule not in SOURCE_RULES:
        raise ApplicationError(
            f"signal sources feed one of {', '.join(sorted(SOURCE_RULES))}, not {source.rule!r}",
            code="invalid_source",
        )
    with _lock:
        _signal_sources[source.key] = source
    return source


def register_agenda_source(source: AgendaSource) -> AgendaSource:
    with _lock:
        _agenda_sources[source.key] = source
    return source


def unregister(key: str) -> None:
    with _lock:
        _signal_sources.pop(key, None)
        _agenda_sources.pop(key, None)


def _discover() -> None:
    global _discovered
    if _discovered:
        return
    _discovered = True
    autodiscover_modules("development_sources")


def signal_sources(rule: str | None = None) -> list[SignalSource]:
    _discover()
    with _lock:
        sources = sorted(_signal_sources.values(), key=lambda s: s.key)
    return [s for s in sources if rule is None or s.rule == rule]


def agenda_sources() -> list[AgendaSource]:
    _discover()
    with _lock:
        return sorted(_agenda_sources.values(), key=lambda s: (s.order, s.key))
