import pytest

from saleshelm.core.errors import ApplicationError, Conflict, PermissionDenied
from saleshelm.tenancy.models import ApiToken, AuditEntry, Membership, Organisation
from saleshelm.tenancy.services import (
    membership_create,
    membership_update,
    organisation_create,
    token_authenticate,
    token_create,
)

pytestmark = pytest.mark.django_db


def test_organisation_create_makes_an_admin_with_a_one_time_password():
    org, admin, password = organisation_create(
        slug="hanoi-trading", name="Hà Nội Trading", currency="vnd", admin_email="An@HN.vn"
    )
    assert org.currency == "VND"
    assert admin.role == "admin" and admin.user.email == "an@hn.vn"
    assert admin.user.check_password(password)
    assert AuditEntry.objects.filter(organisation=org, action="membership.create").count() == 1


@pytest.mark.parametrize(
    "kwargs",
    [
        {"slug": "A B", "name": "x", "currency": "USD"},
        {"slug": "ok-slug", "name": "", "currency": "USD"},
        {"slug": "ok-slug", "name": "x", "currency": "US"},
        {"slug": "ok-slug", "name": "x", "currency": "XXQ"},  # three letters, not ISO 4217
        {"slug": "ok-slug", "name": "x", "currency": "USD", "time_zone": "Mars/Base"},
    ],
)
def test_organisation_create_rejects_bad_input_and_writes_nothing(kwargs):
    with pytest.raises(ApplicationError):
        organisation_create(**kwargs)
    assert Organisation.objects.count() == 0
    assert AuditEntry.objects.count() == 0


def test_duplicate_slug_is_a_conflict(world):
    with pytest.raises(Conflict):
        organisation_create(slug="acme", name="Again", currency="USD")


def test_only_admins_add_members_and_every_role_change_is_audited(world):
    with pytest.raises(PermissionDenied):
        membership_create(actor=world.director, email="x@acme.test", name="X", role="rep")
    m = membership_create(actor=world.admin, email="x@acme.test", name="X", role="rep")
    membership_update(actor=world.admin, membership=m, role="manager")
    rows = list(
        AuditEntry.objects.filter(object_type="membership", object_id=str(m.pk)).order_by("id")
    )
    assert [r.action for r in rows] == ["membership.create", "membership.role_change"]
    assert rows[1].before["role"] == "rep" and rows[1].after["role"] == "manager"
    assert rows[1].actor_id == world.admin.pk


def test_an_organisation_keeps_one_admin(world):
    with pytest.raises(ApplicationError) as exc:
        membership_update(actor=world.admin, membership=world.admin, role="rep")
    assert exc.value.code == "last_admin"
    world.admin.refresh_from_db()
    assert world.admin.role == "admin"


def test_unknown_role_is_refused(world):
    with pytest.raises(ApplicationError):
        membership_update(actor=world.admin, membership=world.rep, role="owner")
    assert Membership.objects.get(pk=world.rep.pk).role == "rep"


def test_tokens_are_stored_hashed_and_authenticate_their_membership(world):
    raw = token_create(membership=world.rep)
    stored = ApiToken.objects.get(membership=world.rep)
    assert raw not in (stored.key_hash, stored.hint) and stored.key_hash == ApiToken.hash(raw)
    assert token_authenticate(raw) == world.rep
    assert token_authenticate(raw + "x") is None
    membership_update(actor=world.admin, membership=world.rep, is_active=False)
    assert token_authenticate(raw) is None


def test_audit_entries_are_append_only(world):
    membership_update(actor=world.admin, membership=world.rep, role="manager")
    entry = AuditEntry.objects.get(action="membership.role_change")
    entry.reason = "rewritten"
    with pytest.raises(Exception, match="append-only"):
        entry.save()
    with pytest.raises(Exception, match="append-only"):
        entry.delete()
