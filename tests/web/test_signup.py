"""Start your organisation (/signup/): the first run without the command line.

Open while the installation has no organisation, or when SALESHELM_SIGNUP=open (the
SIGNUP_OPEN setting); otherwise 404. A good submission creates the organisation, the
person's account and their admin membership, audited like ``org create --admin``, and signs
them in; a bad one changes nothing.
"""

from __future__ import annotations

import pytest
from django.contrib.auth import SESSION_KEY
from django.test import Client

from saleshelm.tenancy.middleware import SESSION_KEY as ORG_SESSION_KEY
from saleshelm.tenancy.models import AuditEntry, Membership, Organisation, User
from saleshelm.tenancy.services import organisation_create
from saleshelm.web.signup import suggest_slug
from tests.authz.framework import fingerprint

SIGNUP = "/signup/"
GOOD = {
    "organisation_name": "Công ty Đại Việt",
    "slug": "",
    "currency": "vnd",
    "language": "vi",
    "name": "Phạm Thị Lan",
    "email": "Lan.Pham@DaiViet.vn",
    "password1": "Biển-xanh-Hạ-Long-2026",
    "password2": "Biển-xanh-Hạ-Long-2026",
}

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _closed_by_default(settings):
    settings.SIGNUP_OPEN = False
    settings.LOGIN_THROTTLE_FAILURES = 5
    settings.LOGIN_THROTTLE_WINDOW_SECONDS = 900


def test_slug_is_suggested_from_a_vietnamese_name():
    assert suggest_slug("Công ty Đại Việt") == "cong-ty-dai-viet"
    assert suggest_slug("  Acme -- Vietnam!! ") == "acme-vietnam"
    assert suggest_slug("***") == ""


def test_first_run_creates_organisation_admin_and_signs_in():
    # Given an installation with no organisation
    client = Client()
    page = client.get(SIGNUP)
    assert page.status_code == 200
    assert b"Start your organisation" in page.content
    # the login page offers the way in
    assert b'href="/signup/"' in client.get("/login/").content

    # When the director submits the form
    r = client.post(SIGNUP, GOOD)

    # Then the organisation, the account and an admin membership exist
    assert r.status_code == 302 and r["Location"] == "/start/"
    org = Organisation.objects.get()
    assert (org.slug, org.name, org.currency, org.locale) == (
        "cong-ty-dai-viet",
        "Công ty Đại Việt",
        "VND",
        "vi",
    )
    membership = Membership.objects.select_related("user").get()
    assert membership.organisation == org and membership.role == "admin"
    user = membership.user
    assert (user.email, user.full_name) == ("lan.pham@daiviet.vn", "Phạm Thị Lan")
    assert user.check_password(GOOD["password1"])
    # signed in, in that organisation, and landing on Get started
    assert str(client.session[SESSION_KEY]) == str(user.pk)
    assert client.session[ORG_SESSION_KEY] == org.pk
    start = client.get("/start/")
    assert start.status_code == 200 and "Import your team" in start.content.decode()
    # audited like `org create --admin`, with where it came from
    actions = list(
        AuditEntry.objects.filter(organisation=org)
        .order_by("pk")
        .values_list("action", "actor_label")
    )
    assert actions == [("organisation.create", "signup"), ("membership.create", "signup")]
    # and now that one organisation exists, sign-up is closed
    assert Client().get(SIGNUP).status_code == 404
    assert b'href="/signup/"' not in Client().get("/login/").content


def test_closed_when_an_organisation_exists(world):
    client = Client()
    assert client.get(SIGNUP).status_code == 404
    before = fingerprint()
    assert client.post(SIGNUP, {**GOOD, "slug": "new-org"}).status_code == 404
    assert fingerprint() == before
    assert b"/signup/" not in client.get("/login/").content


def test_open_by_setting_with_organisations(world, settings):
    settings.SIGNUP_OPEN = True
    client = Client()
    assert b'href="/signup/"' in client.get("/login/").content
    r = client.post(SIGNUP, {**GOOD, "slug": "dai-viet"})
    assert r.status_code == 302
    org = Organisation.objects.get(slug="dai-viet")
    assert Membership.objects.get(organisation=org).role == "admin"


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"organisation_name": ""}, "organisation_name", "This field is required"),
        ({"currency": "VDN"}, "currency", "not an ISO 4217 currency code"),
        ({"currency": ""}, "currency", "This field is required"),
        ({"language": "fr"}, "language", "Select a valid choice"),
        ({"slug": "Bad Slug!"}, "slug", "lower-case letters"),
        ({"organisation_name": "***", "slug": ""}, "slug", "no letters or digits"),
        ({"email": "not-an-email"}, "email", "valid email"),
        ({"name": ""}, "name", "This field is required"),
        ({"password1": "12345678", "password2": "12345678"}, "password1", "too common"),
        ({"password1": "short", "password2": "short"}, "password1", "too short"),
        ({"password2": "something-else-42"}, "password2", "differ"),
    ],
)
def test_bad_input_changes_nothing(change, field, message):
    client = Client()
    before = fingerprint()
    r = client.post(SIGNUP, {**GOOD, **change})
    assert r.status_code == 200
    assert field in r.context["form"].errors
    assert message in " ".join(r.context["form"].errors[field])
    assert fingerprint() == before
    assert SESSION_KEY not in client.session
    assert not Organisation.objects.exists() and not User.objects.exists()


def test_taken_slug_and_existing_email_are_refused(settings):
    settings.SIGNUP_OPEN = True
    organisation_create(slug="acme", name="Acme", currency="USD", admin_email="boss@acme.test")
    client = Client()
    before = fingerprint()
    r = client.post(SIGNUP, {**GOOD, "slug": "acme"})
    assert "slug" in r.context["form"].errors
    r = client.post(SIGNUP, {**GOOD, "slug": "other", "email": "BOSS@acme.test"})
    assert "An account with this email exists" in " ".join(r.context["form"].errors["email"])
    assert fingerprint() == before
    # the existing person's account got no membership of a new organisation
    assert Membership.objects.filter(user__email="boss@acme.test").count() == 1


def test_submissions_are_throttled():
    client = Client()
    for _ in range(5):
        assert client.post(SIGNUP, {**GOOD, "currency": "XXX1"}).status_code == 200
    before = fingerprint()
    r = client.post(SIGNUP, GOOD)
    assert r.status_code == 429 and r["Retry-After"]
    assert "Too many attempts" in r.content.decode()
    assert fingerprint() == before


def test_a_signed_in_member_may_still_not_open_it_when_closed(world, web_client):
    assert web_client(world.admin).get(SIGNUP).status_code == 404
