"""A person's data: export (machine-readable) and erasure (pay kept, pseudonymised) —
SPEC §11.11.

The cast is the authorization matrix's world; the rep "Nguyễn Văn An" gets a record in
every app: deals and orders (credit split with a teammate), a target and a forecast, a
locked commission run, kudos and a commitment, feedback (private and shared), a check-in,
a coaching session, a plan and an assessment, a goal, an import job, audit rows.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.models import Session
from django.core.serializers.json import DjangoJSONEncoder
from django.urls import reverse

from saleshelm.core.errors import ApplicationError, Conflict, PermissionDenied
from saleshelm.crm.models import Order, OrderLine, OrderLineSplit
from saleshelm.development.models import (
    ActionItem,
    AssessmentRating,
    CheckIn,
    CoachingSession,
    DevelopmentGoal,
    Feedback,
)
from saleshelm.direction.models import CompanyValue
from saleshelm.imports.models import ImportJob
from saleshelm.incentives.models import CommissionRun, CreditLine, PayoutLine, Statement
from saleshelm.incentives.models.contract import Commitment
from saleshelm.incentives.models.recognition import Kudos
from saleshelm.incentives.services.contract import commitment_create
from saleshelm.people.models import MemberProfile
from saleshelm.people.privacy import (
    ERASED_DOMAIN,
    EXPORT_FORMAT,
    member_erase,
    member_export,
    privacy_providers,
)
from saleshelm.tenancy.actors import SystemActor
from saleshelm.tenancy.models import ApiToken, AuditEntry, Membership, User
from saleshelm.tenancy.roles import Role
from saleshelm.tenancy.services import audit_record, token_create
from tests.authz.framework import fingerprint
from tests.conftest import World, api_client_for, web_client_for
from tests.crm.factories import AccountFactory, ContactFactory, LeadFactory, OpportunityFactory
from tests.development.factories import (
    ActionItemFactory,
    CheckInFactory,
    CoachingSessionFactory,
    CompetencyFactory,
    FeedbackFactory,
    GoalFactory,
    PlanFactory,
    assessment_for,
)
from tests.direction.factories import GoalFactory as DirectionGoalFactory
from tests.incentives.factories import close, import_plan, order, run
from tests.performance.factories import ForecastFactory, TargetFactory
from tests.tenancy.factories import MembershipFactory

pytestmark = pytest.mark.django_db

PRIVATE_NOTE = "PRIVATE: rushed the pricing again, we talked about confidence."
SHARED_NOTE = "SHARED: great discovery questions with Saigon Retail."
COACHING_NOTE = "OBSERVED: nervous on the phone, let the buyer set the agenda."
CHECK_IN_NOTE = "CHECK-IN: wants to move to key accounts next year."
ABOUT_PEER = "An about Bình: strong demos."
REASON = "Left the company on 30 June and asked for erasure (ticket 4711)."


@dataclass
class Rich:
    world: World
    ids: dict[str, int]
    locked_run: CommissionRun


@pytest.fixture
def rich(world) -> Rich:
    w = world
    rep, peer, manager = w.rep, w.peer, w.manager
    profile = rep.profile
    profile.title = "Account Executive"
    profile.strengths = ["Demos", "Retail chains"]
    profile.bio = "I open doors in Hà Nội."
    profile.save()
    ids: dict[str, int] = {}
    # crm
    account = AccountFactory(owner=rep, name="Saigon Retail")
    ids["account"] = account.pk
    ids["contact"] = ContactFactory(owner=rep, account=account).pk
    ids["lead"] = LeadFactory(owner=rep).pk
    ids["opportunity"] = OpportunityFactory(owner=rep, account=account).pk
    # performance
    ids["target"] = TargetFactory(member=rep, period="2026-Q2").pk
    ids["forecast"] = ForecastFactory(member=rep, note="Two big renewals").pk
    # incentives: a locked May run with the rep's credit split 60/40 with the peer
    import_plan(w.org, [rep, peer])
    o = order(rep, "2026-05-10", {"amount": 1000, "splits": [(rep, "0.6"), (peer, "0.4")]})
    order(rep, "2026-05-20", {"amount": 2500})
    ids["order"] = o.pk
    locked = close(w.org, run(w.org, "2026-05"))
    assert locked.status == "locked"
    ids["statement"] = Statement.objects.get(run=locked, member=rep).pk
    value = CompanyValue.objects.create(organisation=w.org, name="Customer first")
    ids["kudos"] = Kudos.objects.create(
        organisation=w.org, giver=peer, receiver=rep, value=value, message="Thanks for the cover!"
    ).pk
    ids["commitment"] = commitment_create(
        actor=manager,
        member=rep,
        period="2026-05",
        side="organisation",
        kind="training",
        title="Negotiation course",
        due_date=dt.date(2026, 5, 28),
        description="Pays for the course as agreed after the family move.",
    ).pk
    # development
    ids["private_feedback"] = FeedbackFactory(
        author=peer, subject=rep, visibility="private", body=PRIVATE_NOTE
    ).pk
    ids["shared_feedback"] = FeedbackFactory(
        author=manager, subject=rep, visibility="shared", body=SHARED_NOTE
    ).pk
    ids["feedback_by_rep"] = FeedbackFactory(author=rep, subject=peer, body=ABOUT_PEER).pk
    check_in = CheckInFactory(manager=manager, member=rep, notes=CHECK_IN_NOTE)
    ids["check_in"] = check_in.pk
    ids["action_item"] = ActionItemFactory(raised_in=check_in).pk
    ids["coaching"] = CoachingSessionFactory(
        coach=manager,
        member=rep,
        observations=COACHING_NOTE,
        agreed_actions=[{"text": "Role play"}],
    ).pk
    plan = PlanFactory(member=rep, created_by=manager)
    ids["plan"] = plan.pk
    ids["plan_goal"] = GoalFactory(plan=plan, actions="Shadow Bình on two calls").pk
    competency = CompetencyFactory(organisation=w.org)
    assessment = assessment_for(rep, [competency], manager_summary="Solid year, shy on price.")
    AssessmentRating.objects.filter(assessment=assessment).update(
        self_evidence="I closed Saigon Retail", manager_evidence="Needs help on price"
    )
    ids["assessment"] = assessment.pk
    # direction, imports, audit
    ids["goal"] = DirectionGoalFactory(owner=rep, title="Win the north").pk
    ids["import_job"] = ImportJob.objects.create(
        organisation=w.org, actor=rep, actor_label=rep.user.email, kind="accounts"
    ).pk
    ids["audit"] = audit_record(actor=rep, action="test.touch", obj=rep).pk
    return Rich(w, ids, locked)


def _ids(rows, key="id") -> set[int]:
    return {row[key] for row in rows}


def _pay_snapshot(run: CommissionRun) -> str:
    """Every column of the run's statements, payout lines and credit lines, as text."""
    statements = Statement.objects.filter(run=run).order_by("pk")
    data = {
        "statements": list(statements.values()),
        "lines": list(PayoutLine.objects.filter(statement__run=run).order_by("pk").values()),
        "credits": list(CreditLine.objects.filter(statement__run=run).order_by("pk").values()),
    }
    return json.dumps(data, cls=DjangoJSONEncoder, sort_keys=True)


def _orders_snapshot(org) -> str:
    data = {
        "orders": list(Order.objects.filter(organisation=org).order_by("pk").values()),
        "lines": list(OrderLine.objects.filter(organisation=org).order_by("pk").values()),
        "splits": list(OrderLineSplit.objects.filter(organisation=org).order_by("pk").values()),
    }
    return json.dumps(data, cls=DjangoJSONEncoder, sort_keys=True)


# --- export -------------------------------------------------------------------------------------


def test_own_export_holds_every_apps_part_of_the_members_data(rich):
    w, ids = rich.world, rich.ids
    # when the rep downloads their own data through the API
    response = api_client_for(w.rep).get(f"/api/v1/members/{w.rep.pk}/export")
    # then it is one JSON document with a section from every app that registered one
    assert response.status_code == 200, response.content
    doc = response.json()
    assert doc["format"] == EXPORT_FORMAT
    assert doc["member_id"] == w.rep.pk
    assert doc["requested_by"] == {"member_id": w.rep.pk, "is_self": True}
    s = doc["sections"]
    assert set(s) == {p.key for p in privacy_providers()}
    assert {"tenancy", "people", "crm", "performance", "incentives", "development"} <= set(s)
    assert {"direction", "imports"} <= set(s)
    # tenancy and people: who they are, their place, what they did
    assert s["tenancy"]["user"]["email"] == "rep@acme.test"
    assert s["tenancy"]["user"]["name"] == "Nguyễn Văn An"
    assert s["tenancy"]["membership"] == {
        **s["tenancy"]["membership"],
        "id": w.rep.pk,
        "role": "rep",
    }
    assert ids["audit"] in _ids(s["tenancy"]["audit_as_actor"])
    assert len(s["tenancy"]["api_tokens"]) == 1  # the one this client signs in with
    assert s["people"]["profile"]["title"] == "Account Executive"
    assert s["people"]["profile"]["team"]["name"] == "North"
    assert s["people"]["profile"]["strengths"] == ["Demos", "Retail chains"]
    # crm: ids and key fields of what they own or are credited on
    crm = s["crm"]
    assert _ids(crm["accounts"]) == {ids["account"]}
    assert _ids(crm["contacts"]) == {ids["contact"]}
    assert _ids(crm["leads"]) == {ids["lead"]}
    assert _ids(crm["opportunities"]) == {ids["opportunity"]}
    assert ids["order"] in _ids(crm["orders"])
    assert {o["net_amount"] for o in crm["orders"]} == {"1000.0000", "2500.0000"}
    assert [sp["share"] for sp in crm["order_line_splits"]] == ["0.6000"]
    # performance
    assert _ids(s["performance"]["targets"]) == {ids["target"]}
    assert s["performance"]["forecast_submissions"][0]["note"] == "Two big renewals"
    # incentives: the locked statement with its lines, amounts as decimal strings
    inc = s["incentives"]
    (statement,) = inc["statements"]
    assert statement["id"] == ids["statement"]
    assert statement["status"] == "locked"
    assert Decimal(statement["total"]) == Statement.objects.get(pk=ids["statement"]).total
    assert Decimal(statement["total"]) == sum(Decimal(ln["amount"]) for ln in statement["lines"])
    assert statement["credits"] and statement["lines"]
    assert _ids(inc["kudos_received"]) == {ids["kudos"]}
    assert inc["commitments"][0]["description"].startswith("Pays for the course")
    assert inc["plan_assignments"][0]["version__plan__name"] == "Flat 4"
    # development: their own export has the private feedback too
    dev = s["development"]
    bodies = {f["body"] for f in dev["feedback"]}
    assert {PRIVATE_NOTE, SHARED_NOTE, ABOUT_PEER} <= bodies
    assert dev["check_ins"][0]["notes"] == CHECK_IN_NOTE
    assert dev["coaching_sessions"][0]["observations"] == COACHING_NOTE
    assert dev["development_plans"][0]["title"]
    assert dev["assessments"][0]["ratings"][0]["self_evidence"] == "I closed Saigon Retail"
    # direction and imports
    assert _ids(s["direction"]["goals_owned"]) == {ids["goal"]}
    assert _ids(s["imports"]["import_jobs"]) == {ids["import_job"]}
    # nothing of another organisation
    assert "beta" not in json.dumps(doc).lower()
    # and the export is audited, with no personal data in the row
    entry = AuditEntry.objects.get(action="member.export")
    assert (entry.object_type, entry.object_id, entry.actor_id) == (
        "membership",
        str(w.rep.pk),
        w.rep.pk,
    )
    assert "rep@acme.test" not in json.dumps(entry.after)


def test_an_admins_export_leaves_out_private_feedback_and_is_a_download(rich):
    w = rich.world
    # when an admin downloads the rep's data from the member page
    response = web_client_for(w.admin).get(reverse("people:member_export", args=[w.rep.pk]))
    # then it is a JSON attachment, not cached
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response["Content-Disposition"] == (
        f'attachment; filename="saleshelm-acme-member-{w.rep.pk}.json"'
    )
    assert "no-store" in response["Cache-Control"]
    doc = json.loads(response.content)
    assert doc["requested_by"] == {"member_id": w.admin.pk, "is_self": False}
    text = json.dumps(doc, ensure_ascii=False)
    # the private note between the rep and their peer is the two of theirs only
    assert PRIVATE_NOTE not in text
    # coaching records are the admin's to read (SPEC §8), so they are in
    assert COACHING_NOTE in text
    assert doc["sections"]["crm"]["accounts"][0]["name"] == "Saigon Retail"
    assert AuditEntry.objects.filter(action="member.export", actor=w.admin).count() == 1


def test_the_member_page_offers_the_download_to_admins_and_to_oneself_only(rich):
    w = rich.world
    url = reverse("people:member", args=[w.rep.pk])
    export = reverse("people:member_export", args=[w.rep.pk]).encode()
    erase = reverse("people:member_erase", args=[w.rep.pk]).encode()
    own = web_client_for(w.rep).get(url).content
    assert export in own and erase not in own
    admin = web_client_for(w.admin).get(url).content
    assert export in admin and erase in admin
    for role in ("director", "manager", "finance", "viewer"):
        page = web_client_for(w.by_role(role)).get(url).content
        assert export not in page and erase not in page, role
    peer = web_client_for(w.peer).get(url).content
    assert export not in peer


def test_nobody_else_exports_a_members_data_and_refusals_change_nothing(rich):
    w = rich.world
    # a colleague, their manager, a director, finance: 403; another organisation: 404
    cases = [(w.peer, 403), (w.manager, 403), (w.director, 403), (w.finance, 403)]
    cases.append((w.other_org_admin, 404))
    clients = [(api_client_for(a), web_client_for(a), status) for a, status in cases]
    admin = api_client_for(w.admin)
    before = fingerprint()
    for api, web, status in clients:
        assert api.get(f"/api/v1/members/{w.rep.pk}/export").status_code == status
        page = web.get(reverse("people:member_export", args=[w.rep.pk]))
        assert page.status_code == status
    # an admin asking for another organisation's member gets "not found"
    assert admin.get(f"/api/v1/members/{w.other_org_rep.pk}/export").status_code == 404
    with pytest.raises(PermissionDenied):
        member_export(actor=w.peer, member=w.rep)
    assert fingerprint() == before
    assert not AuditEntry.objects.filter(action="member.export").exists()


# --- erasure ------------------------------------------------------------------------------------


def test_erasure_pseudonymises_the_person_and_keeps_every_pay_record_byte_for_byte(rich):
    w, ids = rich.world, rich.ids
    rep_session = web_client_for(w.rep)
    rep_api = api_client_for(w.rep)
    pay_before = _pay_snapshot(rich.locked_run)
    orders_before = _orders_snapshot(w.org)
    totals_before = {s.pk: s.total for s in Statement.objects.filter(organisation=w.org)}
    # when an admin erases the rep through the API, typing the email and a reason
    response = api_client_for(w.admin).post(
        f"/api/v1/members/{w.rep.pk}/erase",
        {"confirm": "REP@acme.test ", "reason": REASON},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["name"] == f"Former member #{w.rep.pk}"
    assert body["email"] == f"former-member-{w.rep.pk}@{ERASED_DOMAIN}"
    assert body["is_active"] is False
    assert body["erased"]["development"]["feedback_deleted"] == 2
    # then the locked run's statements, lines and credits are byte-identical, and so are
    # the orders and their credit splits
    assert _pay_snapshot(rich.locked_run) == pay_before
    assert _orders_snapshot(w.org) == orders_before
    assert {s.pk: s.total for s in Statement.objects.filter(organisation=w.org)} == totals_before
    # the account is pseudonymised and can no longer be used
    rep = Membership.objects.select_related("user").get(pk=w.rep.pk)
    user = rep.user
    assert user.pk == w.rep.user_id  # the same account, pseudonymised in place
    assert (user.full_name, user.email) == (body["name"], body["email"])
    assert not user.has_usable_password() and not user.is_active and not rep.is_active
    assert not User.objects.filter(email="rep@acme.test").exists()
    assert not ApiToken.objects.filter(membership=rep, revoked_at__isnull=True).exists()
    assert rep_api.get("/api/v1/members").status_code == 401
    assert rep_session.get(reverse("people:my_role")).status_code == 302
    assert not [
        s for s in Session.objects.all() if s.get_decoded().get(SESSION_KEY) == str(user.pk)
    ]
    # what they wrote about themself, and private notes about them, are gone
    profile = MemberProfile.objects.get(membership=rep)
    assert (profile.title, profile.strengths, profile.bio) == ("", [], "")
    assert profile.team_id == w.rep.profile.team_id  # their place in the tree stays
    assert not Feedback.objects.filter(subject=rep).exists()
    assert Feedback.objects.get(pk=ids["feedback_by_rep"]).body == ABOUT_PEER
    assert CheckIn.objects.get(pk=ids["check_in"]).notes == ""
    assert not ActionItem.objects.filter(pk=ids["action_item"]).exists()
    coaching = CoachingSession.objects.get(pk=ids["coaching"])
    assert (coaching.observations, coaching.agreed_actions) == ("", [])
    assert DevelopmentGoal.objects.get(pk=ids["plan_goal"]).actions == ""
    rating = AssessmentRating.objects.get(assessment_id=ids["assessment"])
    assert (rating.self_evidence, rating.manager_evidence) == ("", "")
    commitment = Commitment.objects.get(pk=ids["commitment"])
    assert commitment.description == "" and commitment.title == "Negotiation course"
    assert ImportJob.objects.get(pk=ids["import_job"]).actor_label == body["name"]
    # business records stay, owned by the pseudonym
    assert Kudos.objects.filter(pk=ids["kudos"]).exists()
    assert Order.objects.filter(owner=rep).count() == 2
    # one audit row, with the reason and nothing that names the person
    entry = AuditEntry.objects.get(action="member.erase")
    assert (entry.actor_id, entry.object_id, entry.reason) == (w.admin.pk, str(rep.pk), REASON)
    row = json.dumps(
        [entry.actor_label, entry.object_type, entry.before, entry.after, entry.reason],
        ensure_ascii=False,
    )
    for personal in ("rep@acme.test", "Nguyễn Văn An", "Account Executive", PRIVATE_NOTE):
        assert personal not in row
    # and the erased member's own export now says only the pseudonym
    doc = member_export(actor=w.admin, member=rep)
    text = json.dumps(doc, ensure_ascii=False)
    for personal in ("rep@acme.test", "Nguyễn Văn An", PRIVATE_NOTE, SHARED_NOTE, COACHING_NOTE):
        assert personal not in text


def test_erasure_from_the_member_page(rich):
    w = rich.world
    admin = web_client_for(w.admin)
    url = reverse("people:member_erase", args=[w.peer.pk])
    page = admin.get(url)
    assert page.status_code == 200
    assert b"Former member #" in page.content
    # a wrong email: nothing happens, the form says why
    before = fingerprint()
    wrong = admin.post(url, {"confirm": "someone@acme.test", "reason": REASON})
    assert wrong.status_code == 200
    assert b"Type the member&#x27;s email address" in wrong.content
    assert fingerprint() == before
    # the right one
    done = admin.post(url, {"confirm": "peer@acme.test", "reason": REASON})
    assert done.status_code == 302 and done["Location"] == reverse(
        "people:member", args=[w.peer.pk]
    )
    shown = admin.get(done["Location"]).content.decode()
    assert f"Former member #{w.peer.pk}" in shown
    assert "Personal data erased" in shown
    assert "Trần Thị Bình" not in shown and "peer@acme.test" not in shown
    # erased once is enough
    again = admin.get(url)
    assert "already erased" in again.content.decode().replace("&#x27;", "'")


@pytest.mark.parametrize(
    "case",
    ["rep", "manager", "finance", "director", "self", "wrong_email", "no_reason", "named_reason"],
)
def test_refused_erasures_change_nothing(rich, case):
    w = rich.world
    actor = {"rep": w.peer, "manager": w.manager, "finance": w.finance, "director": w.director}.get(
        case, w.admin
    )
    target = w.admin if case == "self" else w.rep
    payload = {"confirm": target.user.email, "reason": REASON}
    if case == "wrong_email":
        payload["confirm"] = "peer@acme.test"
    elif case == "no_reason":
        payload["reason"] = "   "
    elif case == "named_reason":
        payload["reason"] = "Nguyễn Văn An left in June"
    client = api_client_for(actor)
    before = fingerprint()
    response = client.post(
        f"/api/v1/members/{target.pk}/erase", payload, content_type="application/json"
    )
    expected = 403 if case in {"rep", "manager", "finance", "director"} else 400
    assert response.status_code == expected, response.content
    assert fingerprint() == before
    assert Membership.objects.get(pk=target.pk).user.email == target.user.email


def test_other_organisation_and_already_erased_and_last_admin(rich):
    w = rich.world
    admin = api_client_for(w.admin)
    payload = {"confirm": "rep@beta.test", "reason": REASON}
    before = fingerprint()
    response = admin.post(
        f"/api/v1/members/{w.other_org_rep.pk}/erase", payload, content_type="application/json"
    )
    assert response.status_code == 404
    assert fingerprint() == before
    member_erase(actor=w.admin, member=w.rep, confirm="rep@acme.test", reason=REASON)
    rep = Membership.objects.get(pk=w.rep.pk)
    with pytest.raises(Conflict):
        member_erase(actor=w.admin, member=rep, confirm=rep.user.email, reason=REASON)
    # an erased membership cannot be made active again (through the API either)
    reactivated = admin.patch(
        f"/api/v1/members/{rep.pk}", {"is_active": True}, content_type="application/json"
    )
    assert reactivated.status_code == 409 and reactivated.json()["code"] == "erased"
    assert not Membership.objects.get(pk=rep.pk).is_active
    # the system (CLI) cannot erase the organisation's only active admin
    system = SystemActor(w.org, label="cli")
    with pytest.raises(ApplicationError) as exc:
        member_erase(actor=system, member=w.admin, confirm="admin@acme.test", reason=REASON)
    assert exc.value.code == "last_admin"
    # ... but can once there is another admin
    MembershipFactory(organisation=w.org, role=Role.ADMIN)
    member_erase(actor=system, member=w.admin, confirm="admin@acme.test", reason=REASON)


def test_a_person_in_two_organisations_keeps_their_account_for_the_other(rich):
    w = rich.world
    # given the rep also works for Beta with the same account
    beta = MembershipFactory(organisation=w.other_org, user=w.rep.user, role=Role.REP)
    token_create(membership=beta, name="beta")
    # when Acme erases them
    member_erase(actor=w.admin, member=w.rep, confirm="rep@acme.test", reason=REASON)
    # then Acme's membership carries a stand-in account with the pseudonym
    acme = Membership.objects.select_related("user").get(pk=w.rep.pk)
    assert acme.user_id != w.rep.user_id
    assert acme.user.full_name == f"Former member #{acme.pk}"
    assert not acme.user.is_active and not acme.is_active
    # while the person keeps their account, their Beta membership and its token
    person = User.objects.get(pk=w.rep.user_id)
    assert (person.email, person.full_name, person.is_active) == (
        "rep@acme.test",
        "Nguyễn Văn An",
        True,
    )
    assert list(person.memberships.values_list("pk", flat=True)) == [beta.pk]
    assert ApiToken.objects.filter(membership=beta, revoked_at__isnull=True).count() == 1
    assert not ApiToken.objects.filter(membership=acme, revoked_at__isnull=True).exists()
    # and their sessions lead to Beta only
    client = web_client_for(beta)
    assert client.get(reverse("people:member", args=[acme.pk])).status_code == 404


def test_pseudonym_is_written_in_the_organisations_language(rich):
    w = rich.world
    w.org.locale = "vi"
    w.org.save()
    result = member_erase(actor=w.admin, member=w.rep, confirm="rep@acme.test", reason=REASON)
    assert result.member.user.full_name == f"Cựu thành viên #{w.rep.pk}"


def test_the_cli_exports_a_member_like_an_admin(rich, capsys, tmp_path):
    from tests.core.helpers import run_cli

    w = rich.world
    code, out, err = run_cli(
        capsys, "manage", "member_export", "--org", "acme", "--user", "rep@acme.test"
    )
    assert code == 0, err
    doc = json.loads(out)
    assert doc["member_id"] == w.rep.pk and doc["requested_by"]["member_id"] is None
    assert PRIVATE_NOTE not in out and COACHING_NOTE in out
    target = tmp_path / "an.json"
    code, _, err = run_cli(
        capsys, "manage", "member_export", "--org", "acme", "--member", str(w.peer.pk),
        "--output", str(target),
    )  # fmt: skip
    assert code == 0, err
    assert json.loads(target.read_text())["member_id"] == w.peer.pk
    assert AuditEntry.objects.filter(action="member.export", actor_label="cli").count() == 2
    code, _, err = run_cli(
        capsys, "manage", "member_export", "--org", "acme", "--member", str(w.other_org_rep.pk)
    )
    assert code == 1 and "not found" in err
