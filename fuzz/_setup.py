"""Django set up for the fuzz targets: settings loaded, no database touched (the targets
call only parsing code). The SQLite file named here is never opened."""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def django_setup() -> None:
    sys.path.insert(0, str(ROOT / "src"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "saleshelm.config.settings")
    os.environ.setdefault("SALESHELM_DATABASE_URL", "sqlite:////nonexistent/fuzz.sqlite3")
    os.environ.setdefault("SALESHELM_DEBUG", "1")
    import django

    django.setup()
