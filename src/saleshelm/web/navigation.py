"""The navigation registry: each app registers the pages it really has.

The menu is grouped by the six key tasks of sales management plus the sales core
(SPEC table). An app adds a page with one call, either from its ``AppConfig.ready()`` or
from a ``nav.py`` module at the root of the app (imported automatically, like
``admin.py``)::

    from django.utils.translation import gettext_lazy as _
    from saleshelm.web.navigation import register

    register(section="performance", key="performance.leaderboard", label=_("Leaderboard"),
             url_name="performance:leaderboard", roles={"admin", "director", "manager", "rep"})

An entry is shown only when its URL name resolves (so a half-built app shows nothing) and
the current member's role is allowed. Hiding a link is not access control: every view still
checks the role itself.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _

from saleshelm.tenancy.roles import Role

# Sections in menu order: home, the six key tasks, then the sales core.
SECTIONS: dict[str, Promise] = {
    "home": _("Home"),
    "vision": _("Vision"),
    "mission": _("Mission"),
    "people": _("People"),
    "performance": _("Performance"),
    "motivation": _("Motivation"),
    "development": _("Development"),
    "sales": _("Sales"),
}


@dataclass(frozen=True)
class NavEntry:
    key: str
    section: str
    label: str | Promise
    url_name: str
    roles: frozenset[str] | None = None  # None: every role
    order: int = 100
    # Other URL names under which this entry is shown as the current page
    # (e.g. a member's page highlights "Members").
    active_for: tuple[str, ...] = field(default_factory=tuple)

    def allows(self, role: str | None) -> bool:
        return self.roles is None or (role is not None and role in self.roles)


_entries: dict[str, NavEntry] = {}
_lock = threading.Lock()
_discovered = False


def register(
    *,
    key: str,
    section: str,
    label: str | Promise,
    url_name: str,
    roles: Iterable[str] | None = None,
    order: int = 100,
    active_for: Iterable[str] = (),
) -> NavEntry:
    """Add (or replace, by ``key``) one menu entry."""
    if section not in SECTIONS:
        raise ValueError(f"unknown navigation section {section!r}; one of {', '.join(SECTIONS)}")
    role_set = None if roles is None else frozenset(str(r) for r in roles)
    if role_set is not None and not role_set <= set(Role.values):
        raise ValueError(f"unknown roles in navigation entry {key!r}: {sorted(role_set)}")
    entry = NavEntry(
        key=key,
        section=section,
        label=label,
        url_name=url_name,
        roles=role_set,
        order=order,
        active_for=tuple(active_for),
    )
    with _lock:
        _entries[key] = entry
    return entry


def unregister(key: str) -> None:
    with _lock:
        _entries.pop(key, None)


def _discover() -> None:
    global _discovered
    if not _discovered:
        with _lock:
            if _discovered:
                return
            _discovered = True
        autodiscover_modules("nav")


def entries() -> list[NavEntry]:
    _discover()
    with _lock:
        return sorted(_entries.values(), key=lambda e: (list(SECTIONS).index(e.section), e.order))


@dataclass
class NavLink:
    label: str | Promise
    url: str
    current: bool


@dataclass
class NavSection:
    key: str
    label: str | Promise
    links: list[NavLink]


def build(*, role: str | None, current_url_name: str | None) -> list[NavSection]:
    """The menu for one member: sections with at least one page they may open."""
    sections: dict[str, NavSection] = {}
    for entry in entries():
        if not entry.allows(role):
            continue
        try:
            url = reverse(entry.url_name)
        except NoReverseMatch:
            continue
        current = current_url_name is not None and (
            current_url_name == entry.url_name or current_url_name in entry.active_for
        )
        section = sections.setdefault(
            entry.section, NavSection(entry.section, SECTIONS[entry.section], [])
        )
        section.links.append(NavLink(entry.label, url, current))
    return list(sections.values())
