"""Scheduled development work: the jobs are registered; the weekly digest goes once a week
to each person with something in it, and never carries a feedback body."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from saleshelm.core.scheduler import jobs
from saleshelm.development.models import DigestDelivery, Signal
from saleshelm.development.services import check_in_schedule, feedback_give
from saleshelm.development.tasks import (
    check_ins_plan_all,
    digest_send,
    signals_evaluate_all,
    weekly_digest_send,
)
from tests.development.factories import SignalFactory

SECRET = "Your demo rambled; cut it to ten minutes."


def test_the_scheduler_knows_the_development_jobs():
    by_name = {j.name: j for j in jobs()}
    assert by_name["development.daily_signals"].schedule.describe() == "daily at 05:30"
    assert by_name["development.weekly_digest"].schedule.describe() == "weekly on mon at 07:00"
    assert by_name["development.plan_check_ins"].schedule.kind == "daily"


@pytest.mark.django_db
def test_the_weekly_digest_goes_once_and_carries_no_coaching_text(world, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    today = timezone.localdate()
    SignalFactory(subject=world.rep, rule="stalled_deal", detail={"name": "Acme renewal"})
    SignalFactory(subject=world.peer, rule="activity_drop", escalated_at=timezone.now(),
                  escalated_to=world.manager)  # fmt: skip
    feedback_give(
        actor=world.peer, subject=world.rep, kind="improvement", body=SECRET, visibility="private"
    )
    check_in_schedule(
        actor=world.manager, member=world.rep, scheduled_for=today + dt.timedelta(days=2)
    )

    sent = digest_send(organisation=world.org, today=today)
    again = digest_send(organisation=world.org, today=today)

    assert again == 0
    by_person = {m.to[0]: m for m in mail.outbox}
    assert sent == len(mail.outbox) == 3
    assert set(by_person) == {"rep@acme.test", "peer@acme.test", "manager@acme.test"}
    rep = by_person["rep@acme.test"].body
    assert "Acme renewal" in rep and "1 piece of feedback" in rep and "next check-in" in rep
    assert "escalated to you" in by_person["manager@acme.test"].body
    assert all(SECRET not in m.body and SECRET not in m.subject for m in mail.outbox)
    assert DigestDelivery.objects.count() == 3


@pytest.mark.django_db
def test_the_digest_is_written_in_the_persons_language(world, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    world.rep.user.language = "vi"
    world.rep.user.save()
    SignalFactory(subject=world.rep, rule="stalled_deal", detail={"name": "Deal"})

    digest_send(organisation=world.org, today=timezone.localdate())

    assert "Đây là tuần của bạn trên SalesHelm." in mail.outbox[0].body


@pytest.mark.django_db
def test_the_scheduled_tasks_run_for_every_organisation(world, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    result = signals_evaluate_all.call()
    assert set(result) == {"acme", "beta"}
    assert check_ins_plan_all.call() == 0
    SignalFactory(subject=world.rep)
    assert weekly_digest_send.call() >= 1
    assert Signal.objects.count() >= 1
