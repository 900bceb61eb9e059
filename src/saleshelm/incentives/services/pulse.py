"""Writes of pulse surveys (SPEC §7): opening and closing surveys, and answering one.

Answering writes two rows that nothing links: the "has responded" marker (member, survey)
and the response (scores, comment, the respondent's team). No audit row carries an answer:
the audit log would otherwise be the link anonymity forbids.
"""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils import timezone

from saleshelm.core.errors import ApplicationError, Conflict, NotFound, PermissionDenied
from saleshelm.incentives.models.pulse import (
    QUESTIONS,
    SCORES,
    PulseParticipation,
    PulseResponse,
    PulseSurvey,
)
from saleshelm.incentives.selectors import pulse as sel
from saleshelm.incentives.selectors.recognition import is_person, org_today, organisation_of
from saleshelm.people.models import MemberProfile
from saleshelm.tenancy.actors import Actor, SystemActor
from saleshelm.tenancy.models import Organisation
from saleshelm.tenancy.services import audit_record

MAX_DAYS_OPEN = 31
MAX_REPEAT_DAYS = 365
FIRST_YEAR, LAST_YEAR = 2000, 2999


def _snapshot(s: PulseSurvey) -> dict:
    return {
        "title": s.title,
        "opens_on": s.opens_on.isoformat(),
        "closes_on": s.closes_on.isoformat(),
        "repeat_days": s.repeat_days,
        "closed": s.closed_at is not None,
    }


def _check(title: str, opens_on: dt.date, closes_on: dt.date, repeat_days: int) -> str:
    text = (title or "").strip()
    if not text:
        raise ApplicationError("title: write something", code="required", field="title")
    if len(text) > 120:
        raise ApplicationError("title: at most 120 characters", code="too_long", field="title")
    if not (opens_on.year >= FIRST_YEAR and closes_on.year <= LAST_YEAR):
        raise ApplicationError(
            f"opens_on: dates between {FIRST_YEAR} and {LAST_YEAR}",
            code="invalid",
            field="opens_on",
        )
    if closes_on < opens_on:
        raise ApplicationError(
            "closes_on: the survey closes after it opens", code="invalid", field="closes_on"
        )
    if (closes_on - opens_on).days + 1 > MAX_DAYS_OPEN:
        raise ApplicationError(
            f"closes_on: a pulse stays open at most {MAX_DAYS_OPEN} days",
            code="invalid",
            field="closes_on",
        )
    length = (closes_on - opens_on).days + 1
    if repeat_days and not length <= repeat_days <= MAX_REPEAT_DAYS:
        raise ApplicationError(
            f"repeat_days: between the survey's length ({length}) and {MAX_REPEAT_DAYS}, or 0",
            code="invalid",
            field="repeat_days",
        )
    return text


@transaction.atomic
def pulse_survey_create(
    *,
    actor: Actor,
    title: str,
    opens_on: dt.date,
    closes_on: dt.date,
    repeat_days: int = 0,
) -> PulseSurvey:
    if not sel.can_run_surveys(actor=actor):
        raise PermissionDenied("Admins and directors run pulse surveys.")
    text = _check(title, opens_on, closes_on, repeat_days)
    survey = PulseSurvey.objects.create(
        organisation_id=actor.organisation_id,
        title=text,
        opens_on=opens_on,
        closes_on=closes_on,
        repeat_days=repeat_days,
        created_by=actor if is_person(actor) else None,
    )
    audit_record(actor=actor, action="pulse.create", obj=survey, after=_snapshot(survey))
    return survey


@transaction.atomic
def pulse_survey_close(*, actor: Actor, survey: PulseSurvey) -> PulseSurvey:
    """Close a survey early (its results become readable); closing stops repeats too."""
    if survey.organisation_id != actor.organisation_id:
        raise NotFound("Pulse survey")
    if not sel.can_run_surveys(actor=actor):
        raise PermissionDenied("Admins and directors run pulse surveys.")
    survey = PulseSurvey.objects.select_for_update().get(pk=survey.pk)
    if survey.closed_at is not None:
        raise Conflict("This survey is closed already.", code="closed")
    before = _snapshot(survey)
    survey.closed_at = timezone.now()
    survey.repeat_days = 0
    survey.save(update_fields=["closed_at", "repeat_days", "updated_at"])
    audit_record(
        actor=actor, action="pulse.close", obj=survey, before=before, after=_snapshot(survey)
    )
    return survey


def _score(value: object, question: str) -> int:
    try:
        score = int(value)  # type: ignore[call-overload]
    except (TypeError, ValueError):
        score = 0
    if score not in SCORES or isinstance(value, bool):
        raise ApplicationError(f"{question}: a score from 1 to 5", code="invalid", field=question)
    return score


@transaction.atomic
def pulse_respond(
    *,
    actor: Actor,
    survey: PulseSurvey,
    motivation: int,
    support: int,
    clarity: int,
    comment: str = "",
) -> None:
    """Answer a survey, once. Returns nothing: there is no "your answer" to come back to."""
    if not is_person(actor):
        raise ApplicationError("A pulse is answered by a person.", code="invalid")
    if survey.organisation_id != actor.organisation_id:
        raise NotFound("Pulse survey")
    survey = PulseSurvey.objects.get(pk=survey.pk)  # closed meanwhile? read it afresh
    today = org_today(organisation_of(actor))
    phase = sel.survey_phase(survey, today)
    if phase != "open":
        raise Conflict(
            "This survey is not open for answers."
            if phase == "upcoming"
            else "This survey is closed.",
            code=f"survey_{phase}",
        )
    scores = {
        q: _score(v, q) for q, v in zip(QUESTIONS, (motivation, support, clarity), strict=True)
    }
    text = (comment or "").strip()
    if len(text) > 1000:
        raise ApplicationError("comment: at most 1000 characters", code="too_long", field="comment")
    try:
        with transaction.atomic():
            PulseParticipation.objects.create(
                organisation_id=actor.organisation_id, survey=survey, member_id=actor.pk
            )
    except IntegrityError:
        raise Conflict("You answered this survey already.", code="already_answered") from None
    team_id = (
        MemberProfile.objects.filter(membership_id=actor.pk)
        .values_list("team_id", flat=True)
        .first()
    )
    PulseResponse.objects.create(
        organisation_id=actor.organisation_id,
        survey=survey,
        team_id=team_id,
        comment=text,
        **scores,
    )


@transaction.atomic
def pulse_surveys_roll(*, organisation: Organisation, today: dt.date | None = None) -> int:
    """Open the next survey of each repeating survey whose next opening day has come (once:
    ``previous`` is one-to-one). Returns how many were opened."""
    today = today or org_today(organisation)
    actor = SystemActor(organisation, label="pulse")
    due = (
        PulseSurvey.objects.select_for_update(of=("self",))  # not the outer-joined successor
        .filter(organisation=organisation, repeat_days__gt=0, closed_at__isnull=True)
        .filter(next_survey__isnull=True)
        .order_by("opens_on", "pk")
    )
    opened = 0
    for survey in due:
        opens_on = survey.opens_on + dt.timedelta(days=survey.repeat_days)
        if opens_on > today:
            continue
        length = survey.closes_on - survey.opens_on
        try:
            with transaction.atomic():
                successor = PulseSurvey.objects.create(
                    organisation=organisation,
                    title=survey.title,
                    opens_on=opens_on,
                    closes_on=opens_on + length,
                    repeat_days=survey.repeat_days,
                    previous=survey,
                    created_by=survey.created_by,
                )
        except IntegrityError:
            continue  # another worker opened it
        audit_record(actor=actor, action="pulse.create", obj=successor, after=_snapshot(successor))
        opened += 1
    return opened
