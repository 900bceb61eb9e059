import pytest

from saleshelm.core.errors import ApplicationError, PermissionDenied
from saleshelm.people.models import Team
from saleshelm.people.selectors import managers_chain, visible_member_ids
from saleshelm.people.services import member_profile_update, team_create, team_update

pytestmark = pytest.mark.django_db


def test_moving_a_team_moves_its_subtree(world):
    # given Sales > North and a new root team
    north = world.rep.profile.team
    region = team_create(actor=world.director, name="Region VN")
    # when Sales moves under it
    team_update(actor=world.director, team=north.parent, parent=region)
    # then North's path follows and the manager still sees North's reps
    north.refresh_from_db()
    assert north.path.startswith(region.path) and north.depth == 2
    assert set(visible_member_ids(actor=world.manager).values_list("pk", flat=True)) >= {
        world.rep.pk,
        world.peer.pk,
    }


def test_a_team_cannot_move_under_its_own_descendant(world):
    sales = world.rep.profile.team.parent
    with pytest.raises(ApplicationError) as exc:
        team_update(actor=world.director, team=sales, parent=world.rep.profile.team)
    assert exc.value.code == "cycle"
    sales.refresh_from_db()
    assert sales.parent_id is None


def test_visibility_follows_the_team_tree(world):
    def ids(actor):
        return set(visible_member_ids(actor=actor).values_list("pk", flat=True))

    assert ids(world.rep) == {world.rep.pk}
    assert {world.rep.pk, world.peer.pk, world.manager.pk} <= ids(world.manager)
    assert world.other_rep.pk not in ids(world.manager)
    assert world.other_rep.pk in ids(world.director)
    assert world.other_org_rep.pk not in ids(world.director)


def test_reps_edit_their_own_strengths_but_not_their_placement(world):
    member_profile_update(actor=world.rep, membership=world.rep, strengths=["Demos", "Retail"])
    with pytest.raises(PermissionDenied):
        member_profile_update(actor=world.rep, membership=world.rep, title="VP")
    with pytest.raises(PermissionDenied):
        member_profile_update(actor=world.rep, membership=world.peer, strengths=["x"])


def test_strengths_are_limited_and_their_change_is_audited_without_the_words(world, api_client):
    from saleshelm.tenancy.models import AuditEntry

    rep = api_client(world.rep)
    path = f"/api/v1/members/{world.rep.pk}"
    # the API holds the same limits as the page: 20 strengths of at most 120 characters
    for strengths in (["x"] * 21, ["y" * 121]):
        r = rep.patch(path, {"strengths": strengths}, content_type="application/json")
        assert r.status_code in (400, 422) and "strengths" in r.content.decode()
    world.rep.profile.refresh_from_db()
    assert world.rep.profile.strengths == []
    # a change of the words alone is audited; the row says that they changed, not what they say
    r = rep.patch(path, {"strengths": ["Tender negotiation"]}, content_type="application/json")
    assert r.status_code == 200, r.content
    row = AuditEntry.objects.filter(action="member_profile.update").latest("pk")
    assert row.before["strengths"] == 0 and row.after["strengths"] == 1
    assert row.before["about"] != row.after["about"]
    assert "Tender" not in str(row.before) + str(row.after)


def test_another_organisations_team_cannot_be_assigned(world):
    beta_team = Team.objects.get(organisation=world.other_org)
    with pytest.raises(ApplicationError):
        member_profile_update(actor=world.director, membership=world.rep, team=beta_team)


def test_managers_chain_walks_up_the_tree(world):
    assert managers_chain(membership=world.rep) == [world.manager]
    assert managers_chain(membership=world.other_rep) == [world.other_manager]
