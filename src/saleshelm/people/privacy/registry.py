"""One registry of the apps that hold data about a person (SPEC §11.11).

The people app does not know every app that keeps something about a member: each app
contributes its part of the export, and its share of the erasure, through a small provider
registered in its ``AppConfig.ready()``::

    # crm/privacy.py
    from saleshelm.people.privacy import PrivacyProvider, register_privacy_provider

    def export_member(*, actor, member) -> dict:
        # What the organisation holds about ``member`` in this app, as the actor may read
        # it: ids and key fields, JSON-ready (Decimals and dates are encoded by the caller).
        return {"accounts": [...], "orders": [...]}

    def erase_member(*, actor, member) -> dict[str, int]:
        # Blank or delete the private free text about the member; never a financial record.
        # Runs inside the erasure's transaction; returns counts (no personal data).
        return {"notes_blanked": 3}

    def register_privacy() -> None:
        register_privacy_provider(PrivacyProvider(key="crm", export=export_member))

    # crm/apps.py
    def ready(self):
        from saleshelm.crm.privacy import register_privacy
        register_privacy()

``key`` names the app's section of the export document. Providers run in ``order`` (then
key), the same order every time, so two exports of unchanged data are equal.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class PrivacyProvider:
    key: str
    # export(*, actor, member) -> dict: the app's section, scoped by what the actor may read
    export: Callable[..., dict[str, Any]]
    # erase(*, actor, member) -> dict[str, int]: counts of what was blanked or deleted
    erase: Callable[..., dict[str, int]] | None = None
    order: int = 100


_providers: dict[str, PrivacyProvider] = {}
_lock = threading.Lock()


def register_privacy_provider(provider: PrivacyProvider) -> PrivacyProvider:
    with _lock:
        _providers[provider.key] = provider
    return provider


def unregister_privacy_provider(key: str) -> None:
    with _lock:
        _providers.pop(key, None)


def privacy_providers() -> list[PrivacyProvider]:
    with _lock:
        return sorted(_providers.values(), key=lambda p: (p.order, p.key))
