"""Shared fixtures: a small organisation with every role and a second organisation.

``world`` is the cast of the authorization matrix (SPEC §11.1):
- org A "Acme": admin, director, finance, viewer; manager Mai manages "Sales" which contains
  "North" (rep Rep-Own and rep Rep-Peer) ; "South" (rep Rep-Other) is a sibling team that
  Mai does not manage... it sits under its own manager.
- org B "Beta": an admin and a rep, whose records must never be visible from A.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation

from saleshelm.tenancy.models import Membership, Organisation
from saleshelm.tenancy.roles import Role
from saleshelm.tenancy.services import token_create
from tests.people.factories import TeamFactory, TerritoryFactory
from tests.tenancy.factories import MembershipFactory, OrganisationFactory, UserFactory

PASSWORD = "pw-correct-horse-42"
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def _redis_up() -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(settings.REDIS_URL, socket_timeout=1).ping())
    except redis.RedisError:
        return False


def pytest_collection_modifyitems(config, items):
    """Service-bound tests skip with a visible reason on a bare machine; in CI nothing skips
    for a missing service (a missing service fails there instead)."""
    on_postgres = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")
    checks = {
        "postgres": (on_postgres, "needs PostgreSQL: set SALESHELM_DATABASE_URL (CI runs it)"),
        "redis": (None, "needs Redis at SALESHELM_REDIS_URL"),
        "e2e": (os.path.exists("/usr/bin/chromium"), "needs Debian chromium at /usr/bin/chromium"),
    }
    redis_state: list[bool] = []
    for item in items:
        for marker, (available, reason) in checks.items():
            if marker not in item.keywords:
                continue
            if marker == "redis":
                if not redis_state:
                    redis_state.append(_redis_up())
                available = redis_state[0]
            if available:
                continue
            if marker == "postgres" or not IN_CI:
                item.add_marker(pytest.mark.skip(reason=reason))


@dataclass
class World:
    org: Organisation
    other_org: Organisation
    admin: Membership
    director: Membership
    finance: Membership
    viewer: Membership
    manager: Membership
    other_manager: Membership
    rep: Membership  # "own": the rep under test
    peer: Membership  # same team as rep
    other_rep: Membership  # another team, not under manager
    other_org_admin: Membership
    other_org_rep: Membership

    def by_role(self, role: str) -> Membership:
        return {
            "admin": self.admin,
            "director": self.director,
            "finance": self.finance,
            "viewer": self.viewer,
            "manager": self.manager,
            "rep": self.rep,
        }[role]


def _member(org, role, email, name, team=None, territory=None) -> Membership:
    m = MembershipFactory(
        organisation=org, role=role, user=UserFactory(email=email, full_name=name)
    )
    if team or territory:
        m.profile.team = team
        m.profile.territory = territory
        m.profile.save()
    return m


def build_world() -> World:
    org = OrganisationFactory(slug="acme", name="Acme", currency="USD")
    other = OrganisationFactory(slug="beta", name="Beta", currency="VND")
    north_t = TerritoryFactory(organisation=org, name="North VN")
    sales = TeamFactory(organisation=org, name="Sales")
    north = TeamFactory(organisation=org, name="North", parent=sales)
    south_root = TeamFactory(organisation=org, name="Key Accounts")
    south = TeamFactory(organisation=org, name="South", parent=south_root)
    admin = _member(org, Role.ADMIN, "admin@acme.test", "Ada Admin")
    director = _member(org, Role.DIRECTOR, "director@acme.test", "Dung Director")
    finance = _member(org, Role.FINANCE, "finance@acme.test", "Phuong Finance")
    viewer = _member(org, Role.VIEWER, "viewer@acme.test", "Vy Viewer")
    manager = _member(org, Role.MANAGER, "manager@acme.test", "Mai Manager", team=sales)
    other_manager = _member(
        org, Role.MANAGER, "manager2@acme.test", "Minh Manager", team=south_root
    )
    sales.manager = manager
    sales.save()
    south_root.manager = other_manager
    south_root.save()
    rep = _member(org, Role.REP, "rep@acme.test", "Nguyễn Văn An", team=north, territory=north_t)
    peer = _member(org, Role.REP, "peer@acme.test", "Trần Thị Bình", team=north)
    other_rep = _member(org, Role.REP, "other@acme.test", "Lê Văn Cường", team=south)
    b_admin = _member(other, Role.ADMIN, "admin@beta.test", "Beta Admin")
    b_team = TeamFactory(organisation=other, name="Beta Team")
    b_rep = _member(other, Role.REP, "rep@beta.test", "Beta Rep", team=b_team)
    return World(
        org,
        other,
        admin,
        director,
        finance,
        viewer,
        manager,
        other_manager,
        rep,
        peer,
        other_rep,
        b_admin,
        b_rep,
    )


@pytest.fixture(autouse=True)
def _language_of_each_test_is_its_own():
    """A request in Vietnamese leaves Vietnamese active in the thread (LocaleMiddleware
    activates and nothing resets it); the next test of the same worker starts in English."""
    yield
    translation.deactivate()


@pytest.fixture
def world(db) -> World:
    return build_world()


def api_client_for(membership: Membership) -> Client:
    """A client that calls the API with the membership's personal bearer token."""
    token = token_create(membership=membership, name="test")
    return Client(headers={"Authorization": f"Bearer {token}"})


def web_client_for(membership: Membership) -> Client:
    client = Client()
    client.force_login(membership.user)
    session = client.session
    session["saleshelm_org"] = membership.organisation_id
    session.save()
    return client


@pytest.fixture
def api_client():
    return api_client_for


@pytest.fixture
def web_client():
    return web_client_for
