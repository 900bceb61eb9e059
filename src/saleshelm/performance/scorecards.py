"""Scorecard sections contributed by other apps (SPEC §6: "with competency ratings (§8)").

The performance app builds the outcome and behaviour parts of a scorecard itself. Other apps
add sections without performance knowing them: the development app registers its
competency ratings here, for example::

    from saleshelm.performance.scorecards import ScorecardSection, register_section

    register_section(ScorecardSection(
        key="competencies",
        label=_("Competency ratings"),
        build=competency_ratings_for,  # (actor, member_ids, period) -> {member_id: data}
    ))

``build`` answers, for many members at once (one scorecard list = one call, not one call
per member), a JSON-ready value per member; members it leaves out get no section. A section
is registered once, at import time of the contributing app (its ``apps.ready``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from saleshelm.core.errors import ApplicationError


@dataclass(frozen=True)
class ScorecardSection:
    key: str
    label: Any
    build: Callable[..., dict[int, Any]]  # (*, actor, member_ids, period) -> {member: data}
    order: int = 100


_SECTIONS: dict[str, ScorecardSection] = {}


def register_section(section: ScorecardSection) -> ScorecardSection:
    existing = _SECTIONS.get(section.key)
    if existing is not None and existing.build is not section.build:
        raise ApplicationError(
            f"scorecard section {section.key!r} is already registered", code="exists"
        )
    _SECTIONS[section.key] = section
    return section


def unregister_section(key: str) -> None:
    _SECTIONS.pop(key, None)


def sections() -> list[ScorecardSection]:
    return sorted(_SECTIONS.values(), key=lambda s: (s.order, s.key))
