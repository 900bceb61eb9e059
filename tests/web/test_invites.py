"""Invitations and "forgot password": one-time links to set a password (Django's token).

The links are read from the test outbox (``mail.outbox``) as a person would read the email.
"""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import SESSION_KEY
from django.core import mail
from django.test import Client
from django.urls import reverse

from saleshelm.tenancy.models import AuditEntry, Membership
from saleshelm.tenancy.services import membership_create
from tests.conftest import PASSWORD

FORGOT = "/password/forgot/"
NEW_PASSWORD = "Tàu-ngầm-ven-biển-42"


@pytest.fixture(autouse=True)
def _locmem_mail(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture
def limit(settings):
    settings.LOGIN_THROTTLE_FAILURES = 5
    settings.LOGIN_THROTTLE_WINDOW_SECONDS = 900
    return 5


def _link(message) -> str:
    match = re.search(r"http://testserver(/password/set/[^\s]+/)", message.body)
    assert match, message.body
    return match.group(1)


def _set_password(client: Client, link: str, password: str = NEW_PASSWORD):
    """Open the link (Django moves the token into the session), then submit the form."""
    opened = client.get(link)
    assert opened.status_code == 302, opened
    form_url = opened["Location"]
    page = client.get(form_url)
    assert page.status_code == 200 and b'name="new_password1"' in page.content
    return client.post(form_url, {"new_password1": password, "new_password2": password})


def _new_member(world, email="hoa@acme.test", name="Hoa Nguyễn", role="rep") -> Membership:
    """A member as an import or POST /api/v1/members adds them: no usable password."""
    m = membership_create(actor=world.admin, email=email, name=name, role=role)
    assert not m.user.has_usable_password()
    return m


def _signed_in_as(client: Client, user) -> bool:
    return str(client.session.get(SESSION_KEY)) == str(user.pk)


# --- Forgot password -----------------------------------------------------------------------


def test_login_page_links_to_forgot_password(db):
    page = Client().get(reverse("web:login"))
    assert reverse("web:password_forgot").encode() in page.content


def test_reset_end_to_end(world):
    client = Client()
    user = world.rep.user
    # when the rep asks for a link
    r = client.post(FORGOT, {"email": "  REP@acme.test "})
    assert r.status_code == 302 and r["Location"] == reverse("web:password_forgot_sent")
    sent_page = client.get(r["Location"])
    assert b"If this address has an account" in sent_page.content
    # then one email with a one-time link arrives
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["rep@acme.test"]
    assert "new SalesHelm password" in message.subject
    link = _link(message)
    # and the request is audited (in the rep's organisation, not on the page)
    assert AuditEntry.objects.filter(
        organisation=world.org, action="password.reset_requested", object_id=str(user.pk)
    ).exists()
    # when they choose a new password they land signed in
    done = _set_password(client, link)
    assert done.status_code == 302 and done["Location"] == reverse("web:home")
    assert _signed_in_as(client, user)
    assert client.get(reverse("web:home")).status_code == 200
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert AuditEntry.objects.filter(
        organisation=world.org, action="password.set", object_id=str(user.pk)
    ).exists()
    # and the old password no longer works, the new one does
    assert not Client().login(email=user.email, password=PASSWORD)
    assert Client().login(email=user.email, password=NEW_PASSWORD)


def test_unknown_email_gets_the_same_answer_and_no_email(world):
    known = Client().post(FORGOT, {"email": "rep@acme.test"})
    mail.outbox.clear()
    unknown = Client().post(FORGOT, {"email": "nobody@acme.test"})
    assert unknown.status_code == known.status_code == 302
    assert unknown["Location"] == known["Location"]
    assert mail.outbox == []
    assert not AuditEntry.objects.filter(
        action="password.reset_requested", actor_label="nobody@acme.test"
    ).exists()


def test_deactivated_member_gets_no_email(world):
    user = world.rep.user
    user.is_active = False
    user.save()
    r = Client().post(FORGOT, {"email": user.email})
    assert r.status_code == 302 and r["Location"] == reverse("web:password_forgot_sent")
    assert mail.outbox == []


def test_member_removed_from_every_organisation_gets_no_email(world):
    Membership.objects.filter(pk=world.rep.pk).update(is_active=False)
    r = Client().post(FORGOT, {"email": "rep@acme.test"})
    assert r.status_code == 302 and r["Location"] == reverse("web:password_forgot_sent")
    assert mail.outbox == []


def test_used_link_is_refused(world):
    Client().post(FORGOT, {"email": "rep@acme.test"})
    link = _link(mail.outbox[0])
    assert _set_password(Client(), link).status_code == 302
    # the same link again: the password (and last sign-in) it was signed over have changed
    again = Client().get(link)
    assert again.status_code == 200
    assert b"This link does not work" in again.content
    assert b'name="new_password1"' not in again.content


def test_expired_link_is_refused(world, settings):
    Client().post(FORGOT, {"email": "rep@acme.test"})
    link = _link(mail.outbox[0])
    settings.PASSWORD_RESET_TIMEOUT = -1  # every link is older than that
    r = Client().get(link)
    assert r.status_code == 200 and b"This link does not work" in r.content
    world.rep.user.refresh_from_db()
    assert world.rep.user.check_password(PASSWORD)


def test_tampered_link_is_refused(world):
    Client().post(FORGOT, {"email": "rep@acme.test"})
    link = _link(mail.outbox[0])
    r = Client().get(link[:-3] + "xx/")
    assert r.status_code == 200 and b"This link does not work" in r.content


def test_weak_password_is_refused_by_the_validators(world):
    Client().post(FORGOT, {"email": "rep@acme.test"})
    client = Client()
    r = _set_password(client, _link(mail.outbox[0]), password="12345678")
    assert r.status_code == 200
    assert not _signed_in_as(client, world.rep.user)
    world.rep.user.refresh_from_db()
    assert world.rep.user.check_password(PASSWORD)


def test_forgot_password_is_throttled_like_the_login(world, limit):
    client = Client()
    for _ in range(limit):
        assert client.post(FORGOT, {"email": "rep@acme.test"}).status_code == 302
    r = client.post(FORGOT, {"email": "rep@acme.test"})
    assert r.status_code == 429 and "Retry-After" in r
    assert len(mail.outbox) == limit
    # the sign-in is a different door: asking for links did not lock it
    assert (
        Client()
        .post(reverse("web:login"), {"email": "rep@acme.test", "password": PASSWORD})
        .status_code
        == 302
    )


def test_reset_email_in_the_persons_language(world):
    user = world.rep.user
    user.language = "vi"
    user.save()
    Client().post(FORGOT, {"email": user.email})
    message = mail.outbox[0]
    assert "mật khẩu" in message.subject.lower()
    assert message.body.startswith("Chào Nguyễn Văn An,")


# --- Invitations ---------------------------------------------------------------------------


def test_admin_invites_an_imported_member_who_sets_a_password_and_lands_signed_in(
    world, web_client
):
    hoa = _new_member(world)
    admin = web_client(world.admin)
    page = admin.get(reverse("web:invitations"))
    assert page.status_code == 200 and "Hoa Nguyễn" in page.content.decode()
    r = admin.post(reverse("web:member_invite", kwargs={"pk": hoa.pk}))
    assert r.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["hoa@acme.test"]
    assert "Acme" in message.subject
    assert "Ada Admin invited you to Acme" in message.body
    entry = AuditEntry.objects.get(action="member.invite", object_id=str(hoa.pk))
    assert entry.actor_id == world.admin.pk and entry.after == {
        "email": "hoa@acme.test",
        "kind": "invite",
    }
    # the row now offers to resend
    assert "Resend invitation" in admin.get(reverse("web:invitations")).content.decode()

    client = Client()
    link = _link(message)
    form_page = client.get(client.get(link)["Location"])
    assert b"Welcome! Choose your password" in form_page.content
    done = _set_password(client, link)
    assert done.status_code == 302 and done["Location"] == reverse("web:home")
    assert _signed_in_as(client, hoa.user)
    assert client.get(reverse("web:home")).status_code == 200
    audit = AuditEntry.objects.get(action="password.set", object_id=str(hoa.user_id))
    assert audit.after == {"via": "link", "first": True}
    # and, signed in once, they leave the list
    assert "Hoa Nguyễn" not in admin.get(reverse("web:invitations")).content.decode()


def test_invite_all_sends_to_everyone_pending(world, web_client):
    hoa = _new_member(world)
    lan = _new_member(world, email="lan@acme.test", name="Lan Phạm")
    r = web_client(world.admin).post(reverse("web:invite_all"))
    assert r.status_code == 302
    # the world's members never signed in either (force_login does not count here: only
    # the admin's own session did), so everyone pending got one, Hoa and Lan included
    recipients = {m.to[0] for m in mail.outbox}
    assert {"hoa@acme.test", "lan@acme.test"} <= recipients
    assert "admin@acme.test" not in recipients
    assert (
        AuditEntry.objects.filter(
            action="member.invite", object_id__in=[str(hoa.pk), str(lan.pk)]
        ).count()
        == 2
    )


def test_invitation_in_the_organisations_language(world, web_client):
    world.org.locale = "vi"
    world.org.save()
    hoa = _new_member(world)
    web_client(world.admin).post(reverse("web:member_invite", kwargs={"pk": hoa.pk}))
    message = mail.outbox[0]
    assert "mời" in message.subject
    assert "Ada Admin đã mời bạn" in message.body


def test_member_with_a_password_gets_reset_wording(world, api_client):
    r = api_client(world.admin).post(f"/api/v1/members/{world.rep.pk}/invite")
    assert r.status_code == 200
    assert r.json() == {"id": world.rep.pk, "email": "rep@acme.test", "kind": "reset"}
    message = mail.outbox[0]
    assert "new SalesHelm password" in message.subject
    assert "Ada Admin of Acme sent you a link" in message.body


def test_manager_invites_their_team_member(world, web_client):
    client = web_client(world.manager)
    page = client.get(reverse("web:invitations"))
    assert page.status_code == 200
    body = page.content.decode()
    assert "Nguyễn Văn An" in body  # their rep
    assert "Lê Văn Cường" not in body  # another manager's rep
    r = client.post(reverse("web:member_invite", kwargs={"pk": world.rep.pk}))
    assert r.status_code == 302 and len(mail.outbox) == 1
    assert AuditEntry.objects.filter(
        action="member.invite", actor=world.manager, object_id=str(world.rep.pk)
    ).exists()


def test_manager_cannot_invite_another_team_member(world, web_client, api_client):
    r = web_client(world.manager).post(
        reverse("web:member_invite", kwargs={"pk": world.other_rep.pk})
    )
    assert r.status_code == 403
    r = api_client(world.manager).post(f"/api/v1/members/{world.other_rep.pk}/invite")
    assert r.status_code == 403
    assert mail.outbox == []
    assert not AuditEntry.objects.filter(action="member.invite").exists()


@pytest.mark.parametrize("role", ["rep", "finance", "viewer"])
def test_other_roles_cannot_invite(world, web_client, api_client, role):
    actor = world.by_role(role)
    assert web_client(actor).get(reverse("web:invitations")).status_code == 403
    assert (
        web_client(actor)
        .post(reverse("web:member_invite", kwargs={"pk": world.peer.pk}))
        .status_code
        == 403
    )
    assert api_client(actor).post(f"/api/v1/members/{world.peer.pk}/invite").status_code == 403
    assert mail.outbox == []


def test_other_organisation_is_not_found(world, web_client, api_client):
    target = world.other_org_rep.pk
    assert (
        web_client(world.admin)
        .post(reverse("web:member_invite", kwargs={"pk": target}))
        .status_code
        == 404
    )
    assert api_client(world.admin).post(f"/api/v1/members/{target}/invite").status_code == 404
    assert mail.outbox == []


def test_deactivated_member_is_not_invited(world, api_client):
    hoa = _new_member(world)
    Membership.objects.filter(pk=hoa.pk).update(is_active=False)
    r = api_client(world.admin).post(f"/api/v1/members/{hoa.pk}/invite")
    assert r.status_code == 400 and r.json()["code"] == "inactive"
    assert mail.outbox == []


def test_invited_admin_with_required_second_factor_is_sent_to_turn_it_on(world, web_client):
    world.org.require_second_factor = True
    world.org.save()
    boss = _new_member(world, email="boss@acme.test", name="Bảo Boss", role="admin")
    from saleshelm.tenancy.invitations import member_invite

    member_invite(actor=world.admin, membership=boss, base_url="http://testserver")
    client = Client()
    done = _set_password(client, _link(mail.outbox[0]))
    assert done.status_code == 302 and _signed_in_as(client, boss.user)
    # the second-factor middleware takes over: only the security page is open
    home = client.get(reverse("web:home"))
    assert home.status_code == 302 and home["Location"] == reverse("web:account_security")


def test_cli_invites_pending_members(world):
    from django.core.management import call_command

    hoa = _new_member(world)
    call_command("invite", org="acme", user="hoa@acme.test", base_url="https://crm.acme.test")
    assert mail.outbox[0].to == ["hoa@acme.test"]
    assert "https://crm.acme.test/password/set/" in mail.outbox[0].body
    assert AuditEntry.objects.filter(action="member.invite", object_id=str(hoa.pk)).exists()


def test_invite_button_for_a_member_page_goes_back_there(world, web_client):
    from django.template import engines

    hoa = _new_member(world)
    template = engines["django"].from_string('{% include "web/_member_invite.html" %}')
    for actor, member, shown in [
        (world.admin, hoa, True),
        (world.manager, world.rep, True),
        (world.manager, world.other_rep, False),
        (world.rep, world.peer, False),
    ]:
        html = template.render({"membership": actor, "member": member})
        assert (reverse("web:member_invite", kwargs={"pk": member.pk}) in html) is shown
    back = f"/people/members/{hoa.pk}/"
    r = web_client(world.admin).post(
        reverse("web:member_invite", kwargs={"pk": hoa.pk}), {"next": back}
    )
    assert r.status_code == 302 and r["Location"] == back
    r = web_client(world.admin).post(
        reverse("web:member_invite", kwargs={"pk": hoa.pk}), {"next": "https://evil.test/"}
    )
    assert r["Location"] == reverse("web:invitations")
