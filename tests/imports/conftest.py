import pytest

from saleshelm.tenancy.actors import SystemActor


@pytest.fixture
def system(world):
    """The CLI's actor in organisation "acme"."""
    return SystemActor(world.org, label="cli")
