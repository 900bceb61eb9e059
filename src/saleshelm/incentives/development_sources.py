"""The psychological contract in development's check-ins and early signals (SPEC §8).

Imported automatically by ``saleshelm.development.providers`` (``development_sources``
modules of every app). Commitments are reviewed at check-ins: the agenda lists the member's
open commitments, both sides, overdue first; the "commitments overdue" early signal reads
the salesperson's own overdue commitments for the whole organisation in one query.
"""

from __future__ import annotations

import datetime as dt

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from saleshelm.development.providers import (
    AgendaItem,
    AgendaSource,
    SignalRow,
    SignalSource,
    register_agenda_source,
    register_signal_source,
)
from saleshelm.incentives.models.contract import CommitmentStatus, Side
from saleshelm.incentives.selectors.contract import commitment_list, overdue_member_commitments

AGENDA_AHEAD_DAYS = 21


def overdue_commitments(*, organisation, today: dt.date, settings=None):
    for c in overdue_member_commitments(organisation_id=organisation.pk, today=today):
        yield SignalRow(
            subject_id=c.member_id,
            object_type="commitment",
            object_id=c.pk,
            detail={"title": c.title, "due": c.due_date.isoformat()},
        )


def _url(member_id: int) -> str:
    try:
        return reverse("motivation:member_commitments", args=[member_id])
    except NoReverseMatch:
        return ""


def commitments_for_check_in(*, actor, member, today: dt.date) -> list[AgendaItem]:
    """Open commitments of the member's contract due within three weeks (or overdue), as the
    actor may see them: overdue first, then by due date."""
    horizon = today + dt.timedelta(days=AGENDA_AHEAD_DAYS)
    rows = commitment_list(
        actor=actor, member_id=member.pk, status=CommitmentStatus.OPEN, due_before=horizon
    ).select_related("owner__user")
    url = _url(member.pk)
    items = []
    for c in sorted(rows, key=lambda c: (c.due_date, c.pk)):
        side = _("Salesperson") if c.side == Side.MEMBER else _("Organisation")
        items.append(
            AgendaItem(
                title=c.title,
                url=url,
                detail=f"{side} · {c.owner.user.get_full_name()}",
                due=c.due_date,
                overdue=c.due_date < today,
            )
        )
    return items


register_signal_source(
    SignalSource(key="incentives.commitments", rule="commitment_overdue", rows=overdue_commitments)
)
register_agenda_source(
    AgendaSource(
        key="incentives.commitments",
        title=gettext_lazy("Commitments"),
        items=commitments_for_check_in,
        order=50,
    )
)
