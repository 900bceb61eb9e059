"""The members kind: people, roles, teams, territories, team managers (SPEC §4)."""

from saleshelm.people.models import MemberProfile, Team, Territory
from saleshelm.tenancy.models import AuditEntry, Membership, User
from tests.imports.helpers import csv_text, errors_of, run

HEADER = "email,name,role,team,parent_team,manages_team,territory,title,start_date"


def test_given_new_people_when_imported_then_members_teams_territories_and_managers_exist(world):
    # Given a file with a new team under a new parent team, and its manager
    text = csv_text(
        HEADER,
        "hoa@acme.test,Võ Thị Hoa,manager,Da Nang SMB,Central,yes,Da Nang,Sales Manager,2024-02-01",
        "khoa@acme.test,Đặng Khoa,rep,Da Nang SMB,Central,no,Da Nang,Account Executive,2025-05-05",
    )
    # When an admin imports it
    result = run(world.admin, "members", text)
    # Then both people are members with their profile, and the tree exists
    assert result.ok and (result.created, result.updated, result.unchanged) == (2, 0, 0)
    team = Team.objects.get(organisation=world.org, name="Da Nang SMB")
    assert team.parent.name == "Central" and team.path.startswith(team.parent.path)
    hoa = Membership.objects.get(organisation=world.org, user__email="hoa@acme.test")
    assert hoa.role == "manager" and team.manager_id == hoa.pk
    profile = MemberProfile.objects.get(membership__user__email="khoa@acme.test")
    assert profile.team == team and profile.territory.name == "Da Nang"
    assert profile.title == "Account Executive" and str(profile.start_date) == "2025-05-05"
    assert User.objects.get(email="khoa@acme.test").full_name == "Đặng Khoa"
    # and every change has its audit row: memberships, profiles, teams, territory, manager
    actions = list(
        AuditEntry.objects.filter(organisation=world.org).values_list("action", flat=True)
    )
    assert actions.count("membership.create") == 2
    assert actions.count("member_profile.update") == 2
    assert actions.count("team.create") == 2 and actions.count("territory.create") == 1
    assert "team.update" in actions


def test_given_the_same_file_twice_when_imported_then_nothing_changes(world):
    text = csv_text(HEADER, "hoa@acme.test,Võ Thị Hoa,manager,Da Nang SMB,Central,yes,Da Nang,,")
    run(world.admin, "members", text)
    audit_before = AuditEntry.objects.count()
    second = run(world.admin, "members", text)
    assert (second.created, second.updated, second.unchanged) == (0, 0, 1)
    assert AuditEntry.objects.count() == audit_before
    assert Team.objects.filter(organisation=world.org, name="Da Nang SMB").count() == 1


def test_given_a_role_change_when_an_admin_imports_then_it_is_audited_as_a_role_change(world):
    text = csv_text(HEADER, "rep@acme.test,Nguyễn Văn An,manager,North,,,,,")
    result = run(world.admin, "members", text)
    assert result.updated == 1
    world.rep.refresh_from_db()
    assert world.rep.role == "manager"
    entry = AuditEntry.objects.get(action="membership.role_change", object_id=str(world.rep.pk))
    assert entry.before["role"] == "rep" and entry.after["role"] == "manager"


def test_given_a_director_when_importing_then_placing_people_works_but_adding_or_promoting_does_not(
    world,
):
    text = csv_text(
        HEADER,
        "rep@acme.test,Nguyễn Văn An,rep,South,,,,Senior AE,",
        "new@acme.test,New Person,rep,North,,,,,",
        "peer@acme.test,Trần Thị Bình,admin,North,,,,,",
    )
    result = run(world.director, "members", text)
    assert not result.ok
    assert errors_of(result) == [
        (3, "email", "only an admin may add members"),
        (4, "role", "only an admin may change a member's role"),
    ]
    assert not Membership.objects.filter(user__email="new@acme.test").exists()
    world.rep.profile.refresh_from_db()
    assert world.rep.profile.team.name == "North"  # nothing written


def test_given_bad_rows_when_imported_then_every_cell_error_is_listed_and_nothing_is_written(world):
    text = csv_text(
        HEADER,
        "not-an-email,X,rep,North,,,,,",
        "a@acme.test,A,chief,North,,,,,2024-31-01",
        "b@acme.test,B,rep,,,,,,",
        "c@acme.test,C,rep,Alpha,Beta,yes,,,",
        "d@acme.test,D,rep,Alpha,Gamma,yes,,,",
        "c@acme.test,C again,rep,Alpha,,,,,",
    )
    result = run(world.admin, "members", text)
    assert errors_of(result) == [
        (2, "email", "not an email address"),
        (3, "role", "must be one of: admin, director, manager, rep, finance, viewer"),
        (3, "start_date", "not a date (write YYYY-MM-DD)"),
        (4, "team", "required for managers and reps"),
        (6, "parent_team", "row 5 gives team Alpha the parent Beta"),
        (6, "manages_team", "row 5 already makes someone the manager of Alpha"),
        (7, "email", "duplicate of row 5"),
    ]
    assert not Team.objects.filter(name__in=["Alpha", "Beta"]).exists()
    assert not User.objects.filter(email__in=["a@acme.test", "c@acme.test"]).exists()


def test_given_a_parent_that_would_make_a_loop_when_imported_then_it_is_refused(world):
    text = csv_text(HEADER, "rep@acme.test,Nguyễn Văn An,rep,Sales,North,,,,")
    result = run(world.admin, "members", text)
    assert errors_of(result) == [(2, "parent_team", "this would make a loop in the team tree")]


def test_given_the_last_admin_demoted_when_imported_then_it_is_refused(world):
    result = run(world.admin, "members", csv_text(HEADER, "admin@acme.test,Ada Admin,viewer,,,,,,"))
    assert errors_of(result) == [(2, "role", "an organisation keeps at least one active admin")]


def test_given_a_person_of_another_organisation_when_added_then_their_user_is_reused_not_renamed(
    world,
):
    result = run(world.admin, "members", csv_text(HEADER, "rep@beta.test,Renamed,viewer,,,,,,"))
    assert result.created == 1
    user = User.objects.get(email="rep@beta.test")
    assert user.full_name == "Beta Rep"  # a name shared with another organisation is not rewritten
    assert Membership.objects.filter(user=user).count() == 2


def test_given_a_dry_run_when_imported_then_counts_are_given_and_nothing_is_written(world):
    before = (
        Membership.objects.count(),
        Team.objects.count(),
        Territory.objects.count(),
        AuditEntry.objects.count(),
    )
    result = run(
        world.admin,
        "members",
        csv_text(HEADER, "z@acme.test,Zed,rep,Zeta,Omega,yes,Z,,"),
        dry_run=True,
    )
    assert result.ok and result.created == 1
    assert (
        Membership.objects.count(),
        Team.objects.count(),
        Territory.objects.count(),
        AuditEntry.objects.count(),
    ) == before
