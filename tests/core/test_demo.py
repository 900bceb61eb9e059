import pytest
from django.contrib.auth import authenticate

from saleshelm.tenancy.models import Membership, Organisation, User
from tests.core.helpers import one_line, run_cli

ROLES = ("admin", "director", "manager", "rep", "finance", "viewer")


@pytest.fixture
def demo_settings(settings, tmp_path):
    settings.DEBUG = True
    settings.STATIC_ROOT = tmp_path / "static"
    return settings


@pytest.mark.django_db
def test_demo_sets_up_once_and_prints_the_logins(demo_settings, capsys):
    # when the demo is set up twice
    code, out, err = run_cli(capsys, "demo", "--no-serve")
    assert code == 0, err
    users = User.objects.count()
    code2, out2, err2 = run_cli(capsys, "demo", "--no-serve")
    # then the second run adds nothing
    assert code2 == 0, err2
    assert Organisation.objects.filter(slug="demo").count() == 1
    assert User.objects.count() == users
    assert "already there" in out2
    # and the demo organisation is Helm Demo Co., in English and US dollars
    org = Organisation.objects.get(slug="demo")
    assert (org.name, org.currency, org.locale) == ("Helm Demo Co.", "USD", "en")
    assert Membership.objects.filter(organisation=org, role="rep").count() == 20
    # and each role has a fixed login that works with the demo password, as printed
    assert "http://127.0.0.1:8000/" in out2
    assert demo_settings.SALESHELM_DEMO_PASSWORD in out2
    for role in ROLES:
        email = f"{role}@demo.saleshelm.test"
        assert email in out and email in out2
        user = authenticate(email=email, password=demo_settings.SALESHELM_DEMO_PASSWORD)
        assert user is not None, role
        assert user.memberships.get(organisation=org).role == role
    # and the demo manager manages a team with reps, the demo rep is in it
    manager = Membership.objects.get(user__email="manager@demo.saleshelm.test")
    team = manager.managed_teams.get()
    rep = Membership.objects.get(user__email="rep@demo.saleshelm.test")
    assert rep.profile.team == team
    # and beside it a Vietnamese retail firm, in Vietnamese and đồng, with its own logins
    vi = Organisation.objects.get(slug="sao-mai")
    assert (vi.name, vi.currency, vi.locale) == ("Công ty TNHH Bán lẻ Sao Mai", "VND", "vi")
    assert Membership.objects.filter(organisation=vi, role="rep").count() == 8
    assert "Công ty TNHH Bán lẻ Sao Mai" in out2
    for role in ROLES:
        email = f"{role}@saomai.demo.saleshelm.test"
        assert email in out2
        user = authenticate(email=email, password=demo_settings.SALESHELM_DEMO_PASSWORD)
        assert user is not None and user.memberships.get(organisation=vi).role == role
    # and static files were collected
    assert any(demo_settings.STATIC_ROOT.iterdir())


@pytest.mark.django_db
def test_demo_refuses_to_run_without_debug(settings, capsys):
    settings.DEBUG = False
    code, _, err = run_cli(capsys, "demo", "--no-serve")
    assert code == 1
    assert "SALESHELM_DEBUG=1" in one_line(err)
    assert not Organisation.objects.filter(slug="demo").exists()


@pytest.mark.django_db
def test_demo_refuses_a_bad_bind_before_doing_anything(demo_settings, capsys):
    code, _, err = run_cli(capsys, "demo", "--bind", "localhost")
    assert code == 1
    assert "--bind must be HOST:PORT" in one_line(err)
    assert not Organisation.objects.filter(slug="demo").exists()
