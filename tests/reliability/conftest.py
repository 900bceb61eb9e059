"""Fixtures of the reliability suite."""

from __future__ import annotations

import pytest
from django.core import signals
from django.db import close_old_connections

from saleshelm.tenancy.services import token_create
from tests.conftest import build_world


@pytest.fixture
def world_tokens(db):
    """Bearer tokens of a rep and an admin of an organisation that has a neighbour.

    As Django's test client does, requests through the plain WSGI handler must not close
    the test's database connection (and with it the test's transaction)."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    world = build_world()
    try:
        yield {
            role: token_create(membership=getattr(world, role), name="fuzz")
            for role in ("rep", "admin")
        }
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)
