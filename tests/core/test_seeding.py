import datetime as dt

import pytest

from saleshelm.core.errors import ApplicationError
from saleshelm.core.seeding import SeedOptions, available_seeders, seed_organisation
from saleshelm.people.models import MemberProfile, RoleProfile, Team, Territory
from saleshelm.tenancy.models import AuditEntry, Membership, Organisation, User
from saleshelm.tenancy.roles import Role

TODAY = dt.date(2026, 7, 15)
KPI_METRICS = {"revenue", "calls", "meetings", "win_rate", "pipeline_created"}


def _snapshot(slug: str) -> list[tuple]:
    """What a person would see of a seeded organisation, with the org's own domain removed."""
    rows = (
        Membership.objects.filter(organisation__slug=slug)
        .order_by("pk")
        .values_list(
            "user__email",
            "user__full_name",
            "role",
            "profile__title",
            "profile__team__name",
            "profile__team__parent__name",
            "profile__territory__name",
            "profile__role_profile__name",
            "profile__start_date",
            "profile__strengths",
        )
    )
    return [(email.split("@")[0], *rest) for email, *rest in rows]


def _teams(slug: str) -> list[tuple]:
    return list(
        Team.objects.filter(organisation__slug=slug)
        .order_by("pk")
        .values_list("name", "depth", "parent__name", "manager__user__full_name")
    )


@pytest.mark.django_db
def test_same_seed_gives_the_same_organisation_twice():
    # given two new organisations seeded with the same seed and the same "today"
    for slug in ("alpha", "bravo"):
        seed_organisation(SeedOptions(org=slug, reps=23, seed=7, today=TODAY))
    # then their people, teams and places are identical, name for name
    assert _snapshot("alpha") == _snapshot("bravo")
    assert _teams("alpha") == _teams("bravo")
    assert len(_snapshot("alpha")) > 23


@pytest.mark.django_db
def test_another_seed_gives_other_people():
    seed_organisation(SeedOptions(org="alpha", reps=23, seed=7, today=TODAY))
    seed_organisation(SeedOptions(org="bravo", reps=23, seed=8, today=TODAY))
    names = lambda slug: [row[1] for row in _snapshot(slug)]  # noqa: E731
    assert names("alpha") != names("bravo")


@pytest.mark.django_db
def test_seed_builds_a_realistic_sales_organisation():
    # when a new organisation is seeded with 25 reps
    report = seed_organisation(SeedOptions(org="gamma", reps=25, seed=3, today=TODAY))
    org = Organisation.objects.get(slug="gamma")
    members = Membership.objects.filter(organisation=org).select_related("user", "profile")
    roles = [m.role for m in members]
    # then it has one admin, director, finance and viewer, and the 25 reps
    for role in (Role.ADMIN, Role.DIRECTOR, Role.FINANCE, Role.VIEWER):
        assert roles.count(role) == 1
    assert roles.count(Role.REP) == 25
    # and three team levels: the division, its regions, teams of about ten reps
    teams = Team.objects.filter(organisation=org)
    assert {t.depth for t in teams} == {0, 1, 2}
    leaves = [t for t in teams if t.depth == 2]
    assert [t.name for t in leaves] == ["Hà Nội SMB", "HCMC Enterprise", "Singapore Partners"]
    for team in teams:
        assert team.manager is not None
        assert team.path == f"{team.parent.path if team.parent else '/'}{team.pk}/"
    for team in leaves:
        reps = MemberProfile.objects.filter(team=team, membership__role=Role.REP).count()
        assert 5 <= reps <= 15
        assert team.manager.role == Role.MANAGER
        assert team.manager.profile.team == team
    # and a territory tree with Vietnam's regions and cities and Southeast Asia
    territories = {t.name: t for t in Territory.objects.filter(organisation=org)}
    assert territories["Hà Nội"].parent.name == "North Vietnam"
    assert territories["North Vietnam"].parent.name == "Vietnam"
    assert territories["Singapore"].parent.name == "Southeast Asia"
    # and the five role profiles, each with key tasks and KPIs bound to metrics
    profiles = RoleProfile.objects.filter(organisation=org)
    assert {p.name for p in profiles} == {
        "Account Executive",
        "Sales Development Representative",
        "Key Account Manager",
        "Sales Manager",
        "Sales Director",
    }
    for profile in profiles:
        assert profile.key_tasks and profile.responsibilities
        assert {k["metric"] for k in profile.kpis} <= KPI_METRICS
    # and reps have a title, a team, a territory, a role profile and a start date over years
    reps = [m.profile for m in members if m.role == Role.REP]
    assert all(p.title and p.team and p.territory and p.role_profile for p in reps)
    starts = {p.start_date.year for p in reps}
    assert len(starts) >= 3 and max(p.start_date for p in reps) <= TODAY
    # and names are English and Vietnamese, mixed
    names = [m.user.full_name for m in members]
    vietnamese = [n for n in names if n.split()[0] in {"Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý", "Trương", "Đinh", "Mai", "Lâm"}]  # fmt: skip
    assert 0 < len(vietnamese) < len(names)
    # and nobody can log in with a password until one is set
    assert not any(m.user.has_usable_password() for m in members)
    # and one audit row summarises the seed
    seed_rows = AuditEntry.objects.filter(organisation=org, action="organisation.seed")
    assert seed_rows.count() == 1
    assert seed_rows.get().after["counts"]["reps"] == 25
    assert report.line().startswith("Seeded new organisation gamma: 25 reps in 3 teams")


@pytest.mark.django_db
def test_vietnamese_organisation_is_seeded_in_vietnamese_and_vnd():
    seed_organisation(SeedOptions(org="viet", reps=12, seed=1, locale="vi", today=TODAY))
    org = Organisation.objects.get(slug="viet")
    assert (org.currency, org.locale) == ("VND", "vi")
    names = set(Team.objects.filter(organisation=org).values_list("name", flat=True))
    assert {"Khối Kinh doanh", "Miền Bắc", "Hà Nội SMB", "TP.HCM Doanh nghiệp lớn"} <= names
    assert RoleProfile.objects.filter(organisation=org, name="Chuyên viên kinh doanh").exists()


@pytest.mark.django_db
def test_seed_adds_to_an_existing_organisation(world):
    # given Acme with its people and teams, and a first seed into it
    before = set(Membership.objects.filter(organisation=world.org).values_list("pk", flat=True))
    seed_organisation(SeedOptions(org="acme", reps=12, seed=5, today=TODAY))
    # then Acme is still one organisation with its existing members untouched
    assert Organisation.objects.filter(slug="acme").count() == 1
    after = Membership.objects.filter(organisation=world.org)
    assert before < set(after.values_list("pk", flat=True))
    world.rep.refresh_from_db()
    assert world.rep.profile.team.name == "North"
    # and no second admin, director, finance or viewer: Acme already has them
    for role in (Role.ADMIN, Role.DIRECTOR, Role.FINANCE, Role.VIEWER):
        assert after.filter(role=role).count() == 1
    new_reps = after.filter(role=Role.REP).exclude(pk__in=before)
    assert new_reps.count() == 12
    # when it is seeded again with the same options
    seed_organisation(SeedOptions(org="acme", reps=12, seed=5, today=TODAY))
    # then 12 more reps arrive in new teams, with new emails and new names
    assert Membership.objects.filter(organisation=world.org, role=Role.REP).count() == 3 + 24
    teams = list(Team.objects.filter(organisation=world.org).values_list("name", flat=True))
    assert len(teams) == len(set(teams))
    runs = AuditEntry.objects.filter(organisation=world.org, action="organisation.seed")
    assert sorted(r.after["generation"] for r in runs) == [0, 1]
    # and nothing of Beta changed
    assert Membership.objects.filter(organisation=world.other_org).count() == 2


@pytest.mark.django_db
def test_seed_refuses_a_currency_other_than_the_organisations(world):
    users = User.objects.count()
    with pytest.raises(ApplicationError, match="reports in USD"):
        seed_organisation(SeedOptions(org="acme", reps=5, currency="VND"))
    assert User.objects.count() == users


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"reps": -1}, "--reps must be between"),
        ({"months": 0}, "--months must be between"),
        ({"orders": -5}, "--orders must be between"),
        ({"currency": "EUR"}, "--currency must be one of"),
        ({"locale": "fr"}, "--locale must be one of"),
        ({"org": "Not A Slug"}, "slug"),
    ],
)
def test_bad_options_write_nothing(options, message):
    counts = (Organisation.objects.count(), User.objects.count(), AuditEntry.objects.count())
    with pytest.raises(ApplicationError, match=message):
        seed_organisation(SeedOptions(**{"org": "delta", **options}))
    assert counts == (
        Organisation.objects.count(),
        User.objects.count(),
        AuditEntry.objects.count(),
    )


@pytest.mark.django_db
def test_a_failing_seeder_leaves_nothing_behind():
    # given a pipeline whose second seeder fails after people were written
    with pytest.raises(RuntimeError, match="boom"):
        seed_organisation(
            SeedOptions(org="echo", reps=10),
            seeders=["saleshelm.people.seed", "tests.core.sample_seeders.failing"],
        )
    # then the organisation and its people were rolled back
    assert not Organisation.objects.filter(slug="echo").exists()
    assert not User.objects.filter(email__endswith="@echo.saleshelm.test").exists()


@pytest.mark.django_db
def test_later_seeders_plug_in_and_see_what_earlier_ones_made():
    # given a later app's seeder after people, and a module that does not exist yet
    report = seed_organisation(
        SeedOptions(org="foxtrot", reps=11, seed=2, orders=40),
        seeders=[
            "saleshelm.people.seed",
            "saleshelm.nosuchapp.seed",
            "tests.core.sample_seeders.counting",
        ],
    )
    # then the missing one is skipped and the later one saw the people seeder's output
    assert report.skipped == ["saleshelm.nosuchapp.seed"]
    assert report.ran == ["saleshelm.people.seed", "tests.core.sample_seeders.counting"]
    assert report.counts["seen_reps"] == 11
    assert report.counts["seen_teams"] == Team.objects.filter(organisation__slug="foxtrot").count()
    assert "40 pretend orders" in report.line()


def test_seeders_of_apps_not_built_yet_are_skipped():
    found, skipped = available_seeders(["saleshelm.people.seed", "saleshelm.nosuchapp.seed"])
    assert [path for path, _ in found] == ["saleshelm.people.seed"]
    assert skipped == ["saleshelm.nosuchapp.seed"]
