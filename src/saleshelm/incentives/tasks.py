"""Background work of recognition, contests and pulse surveys. Every task is idempotent.

The daily jobs are registered with ``saleshelm.core.scheduler`` at the bottom of this module
(the scheduler imports every app's ``tasks`` module).
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation
from django_tasks import task

from saleshelm.core.scheduler import daily, register

logger = logging.getLogger("saleshelm.incentives")


def _organisations():
    from saleshelm.tenancy.models import Organisation

    return Organisation.objects.order_by("pk")


@task()
def badges_evaluate_all() -> int:
    """Award the metric badges reached, in every organisation."""
    from saleshelm.incentives.services.recognition import badges_evaluate

    return sum(badges_evaluate(organisation=org) for org in _organisations())


@task()
def contests_finish_all() -> int:
    """Freeze the results of the contests whose last day has passed."""
    from saleshelm.incentives.services.recognition import contests_finish

    return sum(contests_finish(organisation=org) for org in _organisations())


@task()
def pulse_surveys_roll_all() -> int:
    """Open the next survey of every repeating survey that is due."""
    from saleshelm.incentives.services.pulse import pulse_surveys_roll

    return sum(pulse_surveys_roll(organisation=org) for org in _organisations())


def notice_email(notice) -> tuple[str, str] | None:
    """Subject and body of the email for a notice, in the recipient's language."""
    recipient = notice.recipient
    user = recipient.user
    if not user.email or not user.is_active or not recipient.is_active:
        return None
    language = user.language or notice.organisation.locale or settings.LANGUAGE_CODE
    with translation.override(language):
        context = {"notice": notice, "member": recipient, "organisation": notice.organisation}
        subject = render_to_string("incentives/motivation/email/notice_subject.txt", context)
        body = render_to_string("incentives/motivation/email/notice_body.txt", context)
    return " ".join(subject.split()), body


@task()
def notice_email_send(notice_id: int) -> bool:
    """Email one notice. Sent at most once: the notice is marked ``emailed`` first."""
    from saleshelm.incentives.models.recognition import Notice

    with transaction.atomic():
        notice = (
            Notice.objects.select_for_update(of=("self",))
            .select_related(
                "organisation",
                "recipient__user",
                "kudos__giver__user",
                "kudos__value",
                "award__badge",
                "award__awarded_by__user",
                "result__contest",
                "result__prize",
                "result__team",
            )
            .filter(pk=notice_id)
            .first()
        )
        if notice is None or notice.emailed_at is not None:
            return False
        message = notice_email(notice)
        if message is None:
            return False
        from django.utils import timezone

        notice.emailed_at = timezone.now()
        notice.save(update_fields=["emailed_at"])
    subject, body = message
    try:
        send_mail(subject, body, None, [notice.recipient.user.email])
    except Exception:
        logger.exception("could not email notice %s", notice_id)
        return False
    return True


# Daily jobs of recognition and competition (SPEC §1: one scheduler command).
register("incentives.badges_evaluate", badges_evaluate_all, daily("05:40"))
register("incentives.contests_finish", contests_finish_all, daily("05:45"))
register("incentives.pulse_surveys_roll", pulse_surveys_roll_all, daily("05:50"))
