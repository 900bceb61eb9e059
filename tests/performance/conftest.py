import pytest

from saleshelm.performance import rollups


@pytest.fixture
def no_overlap(monkeypatch):
    """Refresh exactly what changed since the watermark (no re-read window), so tests see
    the incremental path rather than a recompute of everything written in the last minutes."""
    monkeypatch.setattr(rollups, "OVERLAP", rollups.dt.timedelta(0))
