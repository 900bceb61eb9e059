"""Presets for other tools' exports: ``hubspot`` and ``salesforce`` (SPEC §4)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from saleshelm.core.errors import ApplicationError
from saleshelm.imports.presets.base import Preset
from saleshelm.imports.presets.hubspot import HubSpot
from saleshelm.imports.presets.salesforce import Salesforce

PRESETS: dict[str, Preset] = {p.name: p for p in (HubSpot(), Salesforce())}


def get_preset(name: str) -> Preset:
    preset = PRESETS.get((name or "").lower())
    if preset is None:
        raise ApplicationError(
            _("unknown format %(f)r; one of native, %(presets)s")
            % {"f": name, "presets": ", ".join(PRESETS)},
            code="unknown_format",
            field="format",
        )
    return preset
