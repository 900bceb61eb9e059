"""The kinds of import (SPEC §4). Each module of this package registers one kind; a new kind
(``targets`` from the performance app, say) is one new module here and nothing else."""

from __future__ import annotations

import importlib
import pkgutil
import threading

from django.utils.translation import gettext as _

from saleshelm.core.errors import ApplicationError
from saleshelm.imports.kinds.base import Kind, registry

ORDER = (
    "members",
    "accounts",
    "contacts",
    "leads",
    "opportunities",
    "orders",
    "activities",
    "targets",
)
_lock = threading.Lock()
_loaded = False


def _load() -> None:
    global _loaded
    if _loaded:
        return
    with _lock:
        if _loaded:
            return
        for module in pkgutil.iter_modules(__path__):
            if module.name != "base" and not module.name.startswith("_"):
                importlib.import_module(f"{__name__}.{module.name}")
        _loaded = True


def all_kinds() -> dict[str, Kind]:
    _load()
    found = registry()
    rank = {name: i for i, name in enumerate(ORDER)}
    return {name: found[name] for name in sorted(found, key=lambda n: (rank.get(n, 99), n))}


def get_kind(name: str) -> Kind:
    kinds = all_kinds()
    kind = kinds.get((name or "").strip().lower())
    if kind is None:
        raise ApplicationError(
            _("unknown kind %(kind)r; one of %(kinds)s")
            % {"kind": name, "kinds": ", ".join(kinds)},
            code="unknown_kind",
            field="kind",
        )
    return kind
