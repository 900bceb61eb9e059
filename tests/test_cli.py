"""The ``saleshelm`` command as people type it: bad input gives one line and a non-zero exit."""

import pytest

from saleshelm.tenancy.models import ApiToken, AuditEntry, Membership, Organisation, User
from tests.core.helpers import one_line, run_cli


def _counts():
    return (
        Organisation.objects.count(),
        User.objects.count(),
        Membership.objects.count(),
        AuditEntry.objects.count(),
        ApiToken.objects.count(),
    )


def test_unknown_command_is_one_line_and_exit_2(capsys):
    code, _, err = run_cli(capsys, "frobnicate")
    assert code == 2
    assert "unknown command 'frobnicate'" in one_line(err)


def test_help_and_version(capsys):
    code, out, _ = run_cli(capsys, "--help")
    assert code == 0 and "seed" in out and "scheduler" in out
    code, out, _ = run_cli(capsys, "--version")
    assert code == 0 and out.startswith("saleshelm ")


# --- seed ------------------------------------------------------------------------------------
@pytest.mark.django_db
def test_seed_creates_an_organisation_and_ends_with_a_summary(capsys):
    code, out, err = run_cli(
        capsys, "seed", "--org", "zulu", "--reps", "15", "--months", "6", "--orders", "0",
        "--activities", "0", "--seed", "4", "--currency", "VND", "--name", "Zulu Trading",
    )  # fmt: skip
    assert code == 0, err
    assert one_line(out).startswith("Seeded new organisation zulu: 15 reps in 2 teams")
    org = Organisation.objects.get(slug="zulu")
    assert (org.name, org.currency) == ("Zulu Trading", "VND")


@pytest.mark.django_db
def test_seed_twice_with_the_same_seed_gives_the_same_people(capsys):
    for slug in ("yankee", "xray"):
        code, _, err = run_cli(
            capsys, "seed", "--org", slug, "--reps", "9", "--seed", "11", "--today", "2026-05-01"
        )
        assert code == 0, err
    names = [
        list(
            Membership.objects.filter(organisation__slug=slug)
            .order_by("pk")
            .values_list("user__full_name", "profile__team__name", "profile__start_date")
        )
        for slug in ("yankee", "xray")
    ]
    assert names[0] == names[1]


@pytest.mark.django_db
def test_seed_adds_to_an_existing_organisation(world, capsys):
    reps = Membership.objects.filter(organisation=world.org, role="rep").count()
    code, out, err = run_cli(capsys, "seed", "--org", "acme", "--reps", "4", "--seed", "1")
    assert code == 0, err
    assert one_line(out).startswith("Seeded acme: 4 reps")
    assert Membership.objects.filter(organisation=world.org, role="rep").count() == reps + 4


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["--org", "bad slug!"], 1, "slug"),
        (["--org", "ok-org", "--reps", "-3"], 1, "--reps must be between 0 and"),
        (["--org", "ok-org", "--months", "0"], 1, "--months must be between 1 and"),
        (["--org", "ok-org", "--activities", "-1"], 1, "--activities must be between"),
        (["--org", "ok-org", "--reps", "many"], 2, "invalid int value: 'many'"),
        (["--org", "ok-org", "--currency", "EUR"], 2, "invalid choice: 'EUR'"),
        (["--org", "ok-org", "--locale", "fr"], 2, "invalid choice: 'fr'"),
        (["--org", "ok-org", "--today", "yesterday"], 1, "--today must be a date"),
        (["--reps", "3"], 2, "the following arguments are required: --org"),
        (["--org", "acme", "--currency", "VND"], 1, "reports in USD"),
    ],
)
def test_seed_bad_input_is_one_line_and_writes_nothing(world, capsys, args, code, message):
    before = _counts()
    got, out, err = run_cli(capsys, "seed", *args)
    assert got == code
    assert message in one_line(err)
    assert err.startswith("saleshelm")
    assert out == ""
    assert _counts() == before


# --- org create / token create ---------------------------------------------------------------
@pytest.mark.django_db
def test_org_create_prints_the_admins_one_time_password(capsys):
    args = ["kilo", "--name", "Kilo", "--currency", "usd", "--admin", "a@kilo.test"]
    code, out, err = run_cli(capsys, "org", "create", *args)
    assert code == 0, err
    assert "Created organisation kilo (Kilo, USD)" in out
    assert "a@kilo.test" in out and "one-time password" in out


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["acme", "--name", "Again", "--currency", "USD"], 1, "already exists"),
        (["x", "--name", "X", "--currency", "USD"], 1, "slug"),
        (["lima", "--name", "Lima", "--currency", "dollars"], 1, "currency"),
        (["lima", "--name", "Lima", "--currency", "VDN"], 1, "currency"),  # a typo of VND
        (["lima", "--currency", "USD"], 2, "the following arguments are required: --name"),
        (
            ["lima", "--name", "Lima", "--currency", "USD", "--admin", "not-an-email"],
            1,
            "not an email",
        ),
        (["lima", "--name", "Lima", "--currency", "USD", "--locale", "de"], 2, "invalid choice"),
    ],
)
def test_org_create_bad_input_is_one_line_and_writes_nothing(world, capsys, args, code, message):
    before = _counts()
    got, out, err = run_cli(capsys, "org", "create", *args)
    assert got == code
    assert message in one_line(err)
    assert out == ""
    assert _counts() == before


@pytest.mark.django_db
def test_token_create_prints_the_token_once(world, capsys):
    code, out, err = run_cli(capsys, "token", "create", "--user", "rep@acme.test", "--org", "acme")
    assert code == 0, err
    raw = one_line(out)
    assert raw.startswith(ApiToken.PREFIX)
    assert ApiToken.objects.filter(key_hash=ApiToken.hash(raw)).exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--user", "rep@acme.test", "--org", "nowhere"], "no organisation with slug 'nowhere'"),
        (["--user", "rep@beta.test", "--org", "acme"], "rep@beta.test is not a member of acme"),
        (["--user", "ghost@acme.test", "--org", "acme"], "is not a member of acme"),
        (["--org", "acme"], "the following arguments are required: --user"),
    ],
)
def test_token_create_errors_are_one_line_and_write_nothing(world, capsys, args, message):
    before = _counts()
    code, out, err = run_cli(capsys, "token", "create", *args)
    assert code != 0
    assert message in one_line(err)
    assert out == ""
    assert _counts() == before


# --- operations ------------------------------------------------------------------------------
def test_worker_needs_a_queueing_backend(capsys):
    code, _, err = run_cli(capsys, "worker")
    assert code == 1
    assert one_line(err).startswith("saleshelm: no worker is needed")


@pytest.mark.django_db
def test_scheduler_once_enqueues_what_is_due_then_nothing(capsys):
    code, out, err = run_cli(capsys, "scheduler", "--once")
    assert code == 0, err
    assert "Enqueued tenancy.clear_expired_sessions" in out
    code, out, err = run_cli(capsys, "scheduler", "--once")
    assert code == 0, err
    assert one_line(out).startswith("Nothing due; next slot")


@pytest.mark.django_db
def test_scheduler_lists_its_jobs(capsys):
    code, out, _ = run_cli(capsys, "scheduler", "--list")
    assert code == 0
    assert "tenancy.clear_expired_sessions" in out and "daily at 03:10" in out
