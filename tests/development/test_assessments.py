"""Competency frameworks and assessments: self first, then the manager; the gap side by side."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from saleshelm.core.errors import ApplicationError, Conflict, PermissionDenied
from saleshelm.development.frameworks import framework_load
from saleshelm.development.models import (
    Assessment,
    AssessmentStatus,
    Competency,
    CompetencyGroup,
    ExpectedLevel,
)
from saleshelm.development.scorecard import competency_ratings_for
from saleshelm.development.selectors import rating_rows, strong_at_competency
from saleshelm.development.services import (
    RatingInput,
    assessment_cycle_create,
    assessment_manager_save,
    assessment_self_save,
)
from saleshelm.people.services import member_profile_update
from saleshelm.tenancy.actors import SystemActor
from tests.people.factories import RoleProfileFactory

TODAY = timezone.localdate()


@pytest.fixture
def framework(world):
    """The B2B starter framework with the rep as an Account Executive."""
    ae = RoleProfileFactory(organisation=world.org, name="Account Executive")
    member_profile_update(actor=SystemActor(world.org), membership=world.rep, role_profile=ae)
    result = framework_load(actor=world.admin, framework="b2b", language="en")
    return result


@pytest.mark.django_db
def test_a_starter_framework_loads_in_either_language_and_twice_changes_nothing(world):
    RoleProfileFactory(organisation=world.org, name="Chuyên viên kinh doanh")

    first = framework_load(actor=world.admin, framework="b2b", language="vi")
    again = framework_load(actor=world.admin, framework="b2b", language="vi")

    assert first.competencies_created == 12 and first.groups_created == 4
    assert again.competencies_created == again.competencies_updated == 0
    assert Competency.objects.filter(organisation=world.org).count() == 12
    negotiation = Competency.objects.get(organisation=world.org, key="b2b-negotiation")
    assert negotiation.name == "Đàm phán" and len(negotiation.levels) == 5
    assert ExpectedLevel.objects.get(competency=negotiation).level == 4
    assert first.matched_roles == {"account_executive": "Chuyên viên kinh doanh"}
    # the retail framework adds its own groups beside it
    retail = framework_load(actor=world.director, framework="retail", language="en")
    assert retail.competencies_created == 10
    assert CompetencyGroup.objects.filter(organisation=world.org).count() == 6


@pytest.mark.django_db
def test_only_admins_and_directors_shape_the_framework(world):
    for member in (world.manager, world.rep, world.finance):
        with pytest.raises(PermissionDenied):
            framework_load(actor=member, framework="b2b")
    with pytest.raises(ApplicationError):
        framework_load(actor=world.admin, framework="nonsense")


@pytest.mark.django_db
def test_a_cycle_assesses_each_member_on_what_their_role_expects(world, framework):
    cycle = assessment_cycle_create(
        actor=world.manager,
        name="H2 2026",
        opens_on=TODAY,
        self_due=TODAY + dt.timedelta(days=7),
        manager_due=TODAY + dt.timedelta(days=14),
    )

    assessments = {a.subject: a for a in Assessment.objects.filter(cycle=cycle)}
    # Mai coaches the rep and the peer, not the other team
    assert set(assessments) == {world.rep, world.peer}
    assert assessments[world.rep].assessor == world.manager
    # the rep is an Account Executive: 12 competencies, with the expected level of each
    rep_rows = assessments[world.rep].ratings.all()
    assert rep_rows.count() == 12
    assert rep_rows.get(competency__key="b2b-negotiation").expected_level == 4
    # the peer has no role profile: every active competency, nothing expected
    assert assessments[world.peer].ratings.filter(expected_level__isnull=True).count() == 12
    with pytest.raises(Conflict):
        assessment_cycle_create(
            actor=world.manager, name="H2 2026", opens_on=TODAY, self_due=TODAY,
            manager_due=TODAY,
        )  # fmt: skip


def _rate(assessment, level):
    return [RatingInput(r.competency_id, level, "An example") for r in assessment.ratings.all()]


@pytest.mark.django_db
def test_self_then_manager_and_each_side_sees_the_other_only_when_submitted(world, framework):
    cycle = assessment_cycle_create(
        actor=world.manager, name="Q3", opens_on=TODAY, self_due=TODAY, manager_due=TODAY
    )
    assessment = Assessment.objects.get(cycle=cycle, subject=world.rep)

    # the manager drafts first: the rep does not see the draft
    assessment_manager_save(
        actor=world.manager, assessment=assessment, ratings=_rate(assessment, 4)
    )
    assert all(r.manager_level is None for r in rating_rows(actor=world.rep, assessment=assessment))
    # and cannot submit before the self-assessment
    with pytest.raises(Conflict):
        assessment_manager_save(actor=world.manager, assessment=assessment, ratings=[], submit=True)
    # the rep saves a draft: the manager does not see it yet
    assessment_self_save(actor=world.rep, assessment=assessment, ratings=_rate(assessment, 3))
    assert all(
        r.self_level is None for r in rating_rows(actor=world.manager, assessment=assessment)
    )
    # nobody else writes the self-assessment, and an incomplete one cannot be submitted
    with pytest.raises(PermissionDenied):
        assessment_self_save(actor=world.manager, assessment=assessment, ratings=[])
    first = assessment.ratings.first()
    assessment_self_save(
        actor=world.rep, assessment=assessment, ratings=[RatingInput(first.competency_id, None)]
    )
    with pytest.raises(ApplicationError):
        assessment_self_save(actor=world.rep, assessment=assessment, ratings=[], submit=True)

    assessment_self_save(
        actor=world.rep, assessment=assessment, ratings=_rate(assessment, 3), submit=True
    )
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.MANAGER_PENDING
    assert {r.self_level for r in rating_rows(actor=world.manager, assessment=assessment)} == {3}
    assessment_manager_save(
        actor=world.manager, assessment=assessment, ratings=_rate(assessment, 4), submit=True
    )

    assessment.refresh_from_db()
    rows = rating_rows(actor=world.rep, assessment=assessment)
    assert {(r.self_level, r.manager_level, r.gap) for r in rows} == {(3, 4, 1)}
    negotiation = next(r for r in rows if r.name == "Negotiation")
    assert negotiation.to_expected == 0
    # other managers may not assess the rep
    with pytest.raises(PermissionDenied):
        assessment_manager_save(actor=world.other_manager, assessment=assessment, ratings=[])


@pytest.mark.django_db
def test_results_feed_the_scorecard_and_the_who_is_strong_suggestions(world, framework):
    cycle = assessment_cycle_create(
        actor=world.manager, name="Q4", opens_on=TODAY, self_due=TODAY, manager_due=TODAY
    )
    assessment = Assessment.objects.get(cycle=cycle, subject=world.rep)
    assessment_self_save(
        actor=world.rep, assessment=assessment, ratings=_rate(assessment, 3), submit=True
    )
    assessment_manager_save(
        actor=world.manager, assessment=assessment, ratings=_rate(assessment, 5), submit=True
    )
    negotiation = Competency.objects.get(organisation=world.org, key="b2b-negotiation")

    section = competency_ratings_for(actor=world.manager, member_ids={world.rep.pk, world.peer.pk})
    assert set(section) == {world.rep.pk}
    line = next(r for r in section[world.rep.pk]["ratings"] if r["competency"] == "Negotiation")
    assert line == {
        "competency": "Negotiation", "kind": "skill", "expected": 4, "self": 3, "manager": 5,
        "gap_to_expected": 1,
    }  # fmt: skip
    assert competency_ratings_for(actor=world.finance, member_ids={world.rep.pk}) == {}
    experts = strong_at_competency(actor=world.peer, competency_id=negotiation.pk)
    assert [e.member for e in experts] == [world.rep]


@pytest.mark.django_db
def test_the_performance_scorecard_carries_the_competency_section(world, framework, api_client):
    cycle = assessment_cycle_create(
        actor=world.manager, name="Q1", opens_on=TODAY, self_due=TODAY, manager_due=TODAY
    )
    assessment = Assessment.objects.get(cycle=cycle, subject=world.rep)
    assessment_self_save(
        actor=world.rep, assessment=assessment, ratings=_rate(assessment, 2), submit=True
    )
    assessment_manager_save(
        actor=world.manager, assessment=assessment, ratings=_rate(assessment, 3), submit=True
    )

    from saleshelm.performance.selectors.scorecards import scorecards

    _, cards = scorecards(actor=world.manager, member_id=world.rep.pk)
    section = cards[0]["sections"]["competencies"]["data"]
    assert section["cycle"] == "Q1" and len(section["ratings"]) == 12


@pytest.mark.django_db
def test_the_gap_chart_is_plain_svg_with_escaped_names(world, framework, web_client):
    from saleshelm.development.charts import gap_chart

    class Row:
        name = '<script>alert("x")</script>'
        expected, self_level, manager_level = 3, 2, 4

    svg = str(gap_chart([Row()], title="Gap"))
    assert svg.startswith("<svg") and "<script>" not in svg and "&lt;script&gt;" in svg
    assert "http" not in svg.replace("http://www.w3.org/2000/svg", "")


@pytest.mark.django_db
def test_the_framework_command_loads_in_the_organisations_language(world, capsys):
    from django.core.management import call_command

    world.org.locale = "vi"
    world.org.save()

    call_command("development_load_framework", org="acme", framework="retail")

    out = capsys.readouterr().out
    assert "acme: framework retail: 2 groups and 10 competencies created" in out
    assert Competency.objects.get(organisation=world.org, key="retail-merchandising").name == (
        "Trưng bày sản phẩm"
    )
