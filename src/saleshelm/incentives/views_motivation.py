"""Pages of motivation beyond pay (SPEC §7): kudos, badges, contests with live standings, our
commitments (the psychological contract) and pulse surveys. Same services and selectors as
the API; a hidden link is never the access control — every view checks."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Iterable

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _

from saleshelm.core.errors import ApplicationError, NotFound
from saleshelm.core.errors import PermissionDenied as CorePermissionDenied
from saleshelm.core.periods import period_of
from saleshelm.incentives import forms_motivation as f
from saleshelm.incentives.models.contract import CommitmentStatus, Side
from saleshelm.incentives.models.pulse import MIN_GROUP, QUESTIONS, SCORES
from saleshelm.incentives.models.recognition import BadgeCriteria, ContestStatus
from saleshelm.incentives.selectors import contract as contract_sel
from saleshelm.incentives.selectors import pulse as pulse_sel
from saleshelm.incentives.selectors import recognition as rec_sel
from saleshelm.incentives.services import contract as contract_svc
from saleshelm.incentives.services import pulse as pulse_svc
from saleshelm.incentives.services import recognition as rec_svc
from saleshelm.people.selectors import access_member, managers_chain
from saleshelm.performance.metrics import get_metric
from saleshelm.tenancy.roles import ORG_WIDE_ROLES, Role
from saleshelm.web.access import deny, member_required

PER_PAGE = 20
LEADERS = frozenset({"admin", "director"})
RUNNERS = frozenset({"admin", "director", "manager"})


def page(view: Callable | None = None, *, roles: Iterable[str] | None = None, post_only=False):
    """Signed in, a member, the right role. A service's refusal becomes a 403 page (logged),
    an object the member cannot see a 404 (``member_required``)."""
    allowed = None if roles is None else frozenset(str(r) for r in roles)

    def decorator(fn: Callable) -> Callable:
        @functools.wraps(fn)
        def wrapper(request, *args, **kwargs):
            if post_only and request.method != "POST":
                return HttpResponseNotAllowed(["POST"])
            if allowed is not None and request.membership.role not in allowed:
                deny(request)
            try:
                return fn(request, *args, **kwargs)
            except CorePermissionDenied as exc:
                deny(request, reason=exc.code)

        return member_required(wrapper)

    return decorator(view) if view is not None else decorator


def require(request, allowed: bool, reason: str = "role") -> None:
    """After the object was found (404 first): 403 when the member may not do this."""
    if not allowed:
        deny(request, reason)


def today_of(request):
    return rec_sel.org_today(request.membership.organisation)


# --- kudos --------------------------------------------------------------------------------


def _feed_context(request, feed: str, value_id: int | None):
    actor = request.membership
    items = rec_sel.kudos_list(actor=actor, feed=feed, value_id=value_id)
    page_obj = Paginator(items, PER_PAGE).get_page(request.GET.get("page"))
    return {
        "feed": feed,
        "value_id": value_id,
        "page_obj": page_obj,
        "items": page_obj.object_list,
        "htmx_target": "#kudos-feed",
    }


def _feed_params(request) -> tuple[str, int | None]:
    feed = request.GET.get("feed") or "org"
    if feed not in rec_sel.FEEDS:
        feed = "org"
    raw = request.GET.get("value") or ""
    return feed, int(raw) if raw.isdigit() else None


@page
def kudos(request):
    """The kudos feed (everyone, my team, mine), the values recognised, and giving kudos."""
    actor = request.membership
    feed, value_id = _feed_params(request)
    context = _feed_context(request, feed, value_id)
    if request.htmx and request.htmx.target == "kudos-feed":
        response = render(request, "incentives/motivation/_kudos_feed.html", context)
    else:
        context.update(
            {
                "form": f.KudosForm(actor=actor),
                "counts": rec_sel.kudos_counts_by_value(actor=actor, feed=feed),
                "unread": rec_sel.unread_notice_count(actor=actor),
            }
        )
        response = render(request, "incentives/motivation/kudos.html", context)
    patch_vary_headers(response, ("HX-Request", "HX-Target"))
    return response


@page
def kudos_give(request):
    """Give kudos. With htmx the form answers in place and the feed refreshes alongside."""
    actor = request.membership
    initial = {}
    if (raw := request.GET.get("to", "")).isdigit():
        initial["receiver"] = int(raw)
    if request.method == "POST" and (raw := request.POST.get("receiver", "")).isdigit():
        access_member(actor=actor, id=int(raw))  # another organisation's person: 404
    form = f.KudosForm(request.POST or None, actor=actor, initial=initial)
    given = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            given = rec_svc.kudos_give(
                actor=actor, receiver=data["receiver"], value=data["value"], message=data["message"]
            )
        except ApplicationError as exc:
            form.add_application_error(exc)
        else:
            name = given.receiver.user.get_full_name()
            if not request.htmx:
                messages.success(
                    request, _("Your kudos to %(name)s is in the feed.") % {"name": name}
                )
                return redirect("motivation:kudos")
            form = f.KudosForm(actor=actor)
    if request.htmx:
        context = {"form": form, "given": given, **_feed_context(request, "org", None)}
        if given is not None:
            context["counts"] = rec_sel.kudos_counts_by_value(actor=actor, feed="org")
        return render(request, "incentives/motivation/_kudos_give.html", context)
    return render(request, "incentives/motivation/kudos_form.html", {"form": form})


@page(post_only=True)
def kudos_withdraw(request, pk: int):
    actor = request.membership
    item = rec_sel.access_kudos(actor=actor, id=pk)
    require(request, rec_sel.can_withdraw_kudos(actor=actor, kudos=item))
    rec_svc.kudos_withdraw(actor=actor, kudos=item)
    messages.success(request, _("The kudos was withdrawn."))
    return redirect("motivation:kudos")


@page
def notices(request):
    actor = request.membership
    items = rec_sel.notice_list(actor=actor)
    page_obj = Paginator(items, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "incentives/motivation/notices.html",
        {"page_obj": page_obj, "items": page_obj.object_list},
    )


@page(post_only=True)
def notices_read(request):
    rec_svc.notices_mark_read(actor=request.membership)
    messages.success(request, _("All caught up."))
    return redirect("motivation:notices")


@page
def member(request, pk: int):
    """A member's recognition: their badges, the values they were thanked for, contests won."""
    actor = request.membership
    person = access_member(actor=actor, id=pk)
    return render(
        request,
        "incentives/motivation/member.html",
        {
            "person": person,
            "is_self": person.pk == actor.pk,
            "can_award": rec_sel.can_award_badge_to(actor=actor, member=person),
            "sees_contract": contract_sel.contract_members(actor=actor).filter(pk=pk).exists(),
            **rec_sel.member_recognition(actor=actor, member=person),
        },
    )


# --- badges -------------------------------------------------------------------------------


@page
def badges(request):
    actor = request.membership
    return render(
        request,
        "incentives/motivation/badges.html",
        {
            "badges": list(rec_sel.badge_list(actor=actor)),
            "recent": list(rec_sel.award_list(actor=actor)[:15]),
            "can_define": rec_sel.can_define_badges(actor=actor),
            "can_award": rec_sel.can_award_badges(actor=actor),
        },
    )


@page
def badge(request, pk: int):
    actor = request.membership
    item = rec_sel.access_badge(actor=actor, id=pk)
    awards = rec_sel.award_list(actor=actor, badge_id=item.pk)
    page_obj = Paginator(awards, PER_PAGE).get_page(request.GET.get("page"))
    metric = get_metric(item.metric) if item.metric else None
    return render(
        request,
        "incentives/motivation/badge.html",
        {
            "badge": item,
            "metric": metric,
            "page_obj": page_obj,
            "awards": page_obj.object_list,
            "can_define": rec_sel.can_define_badges(actor=actor),
            "can_award": rec_sel.can_award_badges(actor=actor)
            and item.criteria == BadgeCriteria.MANUAL
            and item.is_active,
            "revocable": {
                a.pk for a in page_obj.object_list if rec_sel.can_revoke_award(actor=actor, award=a)
            },
        },
    )


def _badge_form_page(request, form, *, title, item=None):
    return render(
        request,
        "incentives/motivation/badge_form.html",
        {"form": form, "title": title, "badge": item},
    )


@page(roles=LEADERS)
def badge_create(request):
    actor = request.membership
    form = f.BadgeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data.pop("is_active", None)
        try:
            item = rec_svc.badge_create(actor=actor, **data)
        except ApplicationError as exc:
            form.add_application_error(exc)
        else:
            messages.success(request, _("Badge “%(name)s” created.") % {"name": item.name})
            return redirect("motivation:badge", pk=item.pk)
    return _badge_form_page(request, form, title=_("New badge"))


@page
def badge_edit(request, pk: int):
    actor = request.membership
    item = rec_sel.access_badge(actor=actor, id=pk)
    require(request, rec_sel.can_define_badges(actor=actor))
    initial = {
        "name": item.name,
        "description": item.description,
        "symbol": item.symbol,
        "criteria": item.criteria,
        "metric": item.metric,
        "threshold": item.threshold,
        "period_kind": item.period_kind,
        "is_active": item.is_active,
    }
    form = f.BadgeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            rec_svc.badge_update(actor=actor, badge=item, **form.cleaned_data)
        except ApplicationError as exc:
            form.add_application_error(exc)
        else:
            messages.success(request, _("Badge saved."))
            return redirect("motivation:badge", pk=item.pk)
    return _badge_form_page(request, form, title=_("Edit badge"), item=item)


@page
def badge_award(request, pk: int):
    actor = request.membership
    item = rec_sel.access_badge(actor=actor, id=pk)
    require(request, rec_sel.can_award_badges(actor=actor))
    initial = {}
    if (raw := request.GET.get("member", "")).isdigit():
        initial["member"] = int(raw)
    form = f.AwardForm(request.POST or None, actor=actor, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            award = rec_svc.badge_award(
                actor=actor, badge=item, member=data["member"], reason=data["reason"]
            )
        except ApplicationError as exc:
            form.add_application_error(exc)
        else:
            messages.success(
                request,
                _("%(name)s now holds “%(badge)s”.")
                % {"name": award.member.user.get_full_name(), "badge": item.name},
            )
            return redirect("motivation:badge", pk=item.pk)
    return render(request, "incentives/motivation/award_form.html", {"form": form, "badge": item})


@page(post_only=True)
def award_revoke(request, pk: int):
    actor = request.membership
    award = rec_sel.access_award(actor=actor, id=pk)
    require(request, rec_sel.can_revoke_award(actor=actor, award=award))
    badge_pk = award.badge_id
    rec_svc.award_revoke(actor=actor, award=award, reason=request.POST.get("reason", ""))
    messages.success(request, _("The badge was taken back."))
    return redirect("motivation:badge", pk=badge_pk)


# --- contests -----------------------------------------------------------------------------


@page
def contests(request):
    actor = request.membership
    today = today_of(request)
    items = list(rec_sel.contest_list(actor=actor))
    for c in items:
        c.phase = rec_sel.contest_phase(c, today)
        c.metric_label = get_metric(c.metric).label
    running = [c for c in items if c.phase in ("running", "upcoming", "ended")]
    past = [c for c in items if c.phase not in ("running", "upcoming", "ended")]
    return render(
        request,
        "incentives/motivation/contests.html",
        {
            "running": running,
            "past": past,
            "can_create": rec_sel.can_create_contests(actor=actor),
        },
    )


def _standings_context(request, contest):
    actor = request.membership
    metric = get_metric(contest.metric)
    if contest.status == ContestStatus.FINISHED:
        rows = [
            {
                "rank": r.rank,
                "name": r.member.user.get_full_name() if r.member_id else r.team.name,
                "sub": "",
                "figure": rec_sel.quantize(r.figure, metric.places),
                "prize": r.prize,
                "is_me": r.member_id == actor.pk,
            }
            for r in rec_sel.contest_results(actor=actor, contest=contest)
        ]
    else:
        rows = [
            {
                "rank": s.rank,
                "name": s.name,
                "sub": s.team_name,
                "figure": s.shown,
                "prize": s.prize,
                "is_me": s.kind == "member" and s.id == actor.pk,
            }
            for s in rec_sel.contest_standings(actor=actor, contest=contest)
        ]
    return {
        "contest": contest,
        "metric": metric,
        "rows": rows,
        "phase": rec_sel.contest_phase(contest, today_of(request)),
        "final": contest.status == ContestStatus.FINISHED,
    }


@page
def contest(request, pk: int):
    actor = request.membership
    item = rec_sel.access_contest(actor=actor, id=pk)
    context = _standings_context(request, item)
    context["can_manage"] = (
        rec_sel.can_manage_contest(actor=actor, contest=item)
        and item.status == ContestStatus.ACTIVE
    )
    return render(request, "incentives/motivation/contest.html", context)


@page
def contest_standings(request, pk: int):
    """The standings table alone: the contest page refreshes it every minute (htmx)."""
    item = rec_sel.access_contest(actor=request.membership, id=pk)
    response = render(
        request, "incentives/motivation/_standings.html", _standings_context(request, item)
    )
    response["Cache-Control"] = "no-store"
    return response


def _contest_kwargs(form, actor) -> dict:
    data = form.cleaned_data
    return {
        "name": data["name"],
        "description": data["description"],
        "metric": data["metric"],
        "starts_on": data["starts_on"],
        "ends_on": data["ends_on"],
        "members": list(data.get("members") or []),
        "teams": list(data.get("teams") or []),
        "prizes": form.prizes(),
    }


@page(roles=RUNNERS)
def contest_create(request):
    actor = request.membership
    today = today_of(request)
    month = period_of(today, "month")
    form = f.ContestForm(
        request.POST or None,
        actor=actor,
        initial={"starts_on": month.start, "ends_on": month.end, "metric": "calls"},
    )
    if request.method == "POST" and form.is_valid():
        kwargs = _contest_kwargs(form, actor)
        kind = form.cleaned_data["participant_kind"]
        if kind == "member":
            kwargs["teams"] = []
        else:
            kwargs["members"] = []
        try:
            item = rec_svc.contest_create(
                actor=actor, participant_kind=kind, team=form.cleaned_data.get("team"), **kwargs
            )
        except ApplicationError as exc:
            form.add_application_error(exc)
        else:
            messages.success(request, _("Contest “%(name)s” is on.") % {"name": item.name})
            return redirect("motivation:contest", pk=item.pk)
    return render(
        request,
        "incentives/motivation/contest_form.html",
        {"form": form, "title": _("New contest"), "contest": None},
    )


@page
def contest_edit(request, pk: int):
    actor = request.membership
    item = rec_sel.access_contest(actor=actor, id=pk)
    require(request, rec_sel.can_manage_contest(actor=actor, contest=item))
    participants = list(rec_sel.contest_participants(item))
    initial = {
        "name": item.name,
        "description": item.description,
        "metric": item.metric,
        "starts_on": item.starts_on,
        "ends_on": item.ends_on,
        "members": [p.member_id for p in participants if p.member_id],
        "teams": [p.team_id for p in participants if p.team_id],
    }
    for prize in item.prizes.all():
        if prize.rank <= f.PRIZE_ROWS:
            initial[f"prize_{prize.rank}"] = prize.description
            initial[f"amount_{prize.rank}"] = prize.amount
    form = f.ContestForm(request.POST or None, actor=actor, editing=True, initial=initial)
    if request.method == "POST" and form.is_valid():
        kwargs = _contest_kwargs(form, actor)
        if item.participant_kind == "member":
            kwargs.pop("teams")
        else:
            kwargs.pop("members")
        try:
            rec_svc.contest_update(actor=actor, contest=item, **kwargs)
        except ApplicationError as exc:
            form.add_application_error(exc)
        else:
            messages.success(request, _("Contest saved."))
            return redirect("motivation:contest", pk=item.pk)
    return render(
        request,
        "incentives/motivation/contest_form.html",
        {"form": form, "title": _("Edit contest"), "contest": item},
    )


@page(post_only=True)
def contest_cancel(request, pk: int):
    actor = request.membership
    item = rec_sel.access_contest(actor=actor, id=pk)
    require(request, rec_sel.can_manage_contest(actor=actor, contest=item))
    try:
        rec_svc.contest_cancel(actor=actor, contest=item, reason=request.POST.get("reason", ""))
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The contest was cancelled."))
    return redirect("motivation:contest", pk=item.pk)


# --- commitments --------------------------------------------------------------------------


def _contract_page(request, person):
    actor = request.membership
    today = today_of(request)
    items = list(contract_sel.commitment_list(actor=actor, member_id=person.pk))
    for c in items:
        c.overdue = c.status == CommitmentStatus.OPEN and c.due_date < today
    record = contract_sel.keeping_our_word(actor=actor, member=person)
    periods = sorted({(c.period_start, c.period) for c in items}, reverse=True)
    grouped = [
        {
            "period": key,
            "member": [c for c in items if c.period == key and c.side == Side.MEMBER],
            "organisation": [c for c in items if c.period == key and c.side == Side.ORGANISATION],
        }
        for _start, key in periods
    ]
    return render(
        request,
        "incentives/motivation/commitments.html",
        {
            "person": person,
            "is_self": person.pk == actor.pk,
            "groups": grouped,
            "record": record,
            "record_sides": [
                (record.member, _("The salesperson")),
                (record.organisation, _("The organisation")),
            ],
            "can_write": contract_sel.can_write_commitments(actor=actor, member=person),
            "managers": managers_chain(membership=person),
            "leads": actor.role != Role.REP,
        },
    )


def _contract_member(request, pk: int):
    """A member whose contract the actor may read; anyone else is "not found" (even in the
    organisation: a refusal must not confirm what it hides)."""
    person = contract_sel.contract_members(actor=request.membership).filter(pk=pk).first()
    if person is None:
        raise NotFound("Member")
    return person


@page
def commitments(request):
    """ "Our commitments": my own contract, both sides."""
    return _contract_page(request, request.membership)


@page
def member_commitments(request, pk: int):
    return _contract_page(request, _contract_member(request, pk))


@page
def commitments_team(request):
    """The manager's view: how well each side keeps its word, member by member."""
    actor = request.membership
    today = today_of(request)
    period = (request.GET.get("period") or "").strip()[:16] or None
    rows = contract_sel.team_keeping_our_word(actor=actor, period=period, today=today)
    return render(
        request,
        "incentives/motivation/commitments_team.html",
        {"rows": rows, "period": period or "", "org_wide": actor.role in ORG_WIDE_ROLES},
    )


def _default_period(request):
    org = request.membership.organisation
    return period_of(today_of(request), "quarter", fiscal_start_month=org.fiscal_year_start_month)


@page
def commitment_create(request, pk: int):
    actor = request.membership
    person = _contract_member(request, pk)
    require(request, contract_sel.can_write_commitments(actor=actor, member=person))
    side = request.GET.get("side") if request.GET.get("side") in Side.values else Side.MEMBER
    quarter = _default_period(request)
    chain = managers_chain(membership=person)
    initial = {
        "period": quarter.key,
        "side": side,
        "kind": "effort" if side == Side.MEMBER else "support",
        "due_date": quarter.end,
        "owner": chain[0].pk if chain and side == Side.ORGANISATION else None,
    }
    form = f.CommitmentForm(request.POST or None, actor=actor, member=person, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            contract_svc.commitment_create(
                actor=actor,
                member=person,
                period=data["period"],
                side=data["side"],
                kind=data["kind"],
                title=data["title"],
                description=data["description"],
                owner=data["owner"],
                due_date=data["due_date"],
            )
        except ApplicationError as exc:
            form.add_application_error(exc)
        else:
            messages.success(request, _("Commitment written down."))
            return redirect("motivation:member_commitments", pk=person.pk)
    return render(
        request,
        "incentives/motivation/commitment_form.html",
        {"form": form, "person": person, "title": _("New commitment")},
    )


@page
def commitment(request, pk: int):
    actor = request.membership
    item = contract_sel.access_commitment(actor=actor, id=pk)
    return render(
        request,
        "incentives/motivation/commitment.html",
        {
            "commitment": item,
            "history": contract_sel.commitment_history(actor=actor, commitment=item),
            "can_write": contract_sel.can_write_commitments(actor=actor, member=item.member),
            "overdue": item.status == CommitmentStatus.OPEN and item.due_date < today_of(request),
        },
    )


@page
def commitment_edit(request, pk: int):
    actor = request.membership
    item = contract_sel.access_commitment(actor=actor, id=pk)
    require(request, contract_sel.can_write_commitments(actor=actor, member=item.member))
    initial = {
        "title": item.title,
        "description": item.description,
        "owner": item.owner_id if item.side == Side.ORGANISATION else None,
        "due_date": item.due_date,
    }
    form = f.CommitmentForm(
        request.POST or None, actor=actor, member=item.member, editing=True, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            contract_svc.commitment_update(
                actor=actor,
                commitment=item,
                title=data["title"],
                description=data["description"],
                due_date=data["due_date"],
                owner=data["owner"] if item.side == Side.ORGANISATION else None,
            )
        except ApplicationError as exc:
            form.add_application_error(exc)
        else:
            messages.success(request, _("Commitment saved."))
            return redirect("motivation:commitment", pk=item.pk)
    return render(
        request,
        "incentives/motivation/commitment_form.html",
        {"form": form, "person": item.member, "title": _("Edit commitment"), "commitment": item},
    )


@page(post_only=True)
def commitment_status(request, pk: int):
    actor = request.membership
    item = contract_sel.access_commitment(actor=actor, id=pk)
    require(request, contract_sel.can_write_commitments(actor=actor, member=item.member))
    form = f.StatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose kept, missed or open."))
    else:
        try:
            contract_svc.commitment_set_status(
                actor=actor,
                commitment=item,
                status=form.cleaned_data["status"],
                note=form.cleaned_data["note"],
            )
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Status recorded."))
    target = request.POST.get("next") or ""
    if target == "member":
        return redirect("motivation:member_commitments", pk=item.member_id)
    return redirect("motivation:commitment", pk=item.pk)


@page
def commitment_renegotiate(request, pk: int):
    actor = request.membership
    item = contract_sel.access_commitment(actor=actor, id=pk)
    require(request, contract_sel.can_write_commitments(actor=actor, member=item.member))
    form = f.RenegotiateForm(
        request.POST or None, initial={"title": item.title, "due_date": item.due_date}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            new = contract_svc.commitment_renegotiate(
                actor=actor,
                commitment=item,
                title=data["title"],
                due_date=data["due_date"],
                period=data["period"] or None,
                note=data["note"],
            )
        except ApplicationError as exc:
            form.add_application_error(exc)
        else:
            messages.success(request, _("New terms agreed; the old ones are kept in the history."))
            return redirect("motivation:commitment", pk=new.pk)
    return render(
        request,
        "incentives/motivation/renegotiate_form.html",
        {"form": form, "commitment": item},
    )


# --- pulse --------------------------------------------------------------------------------


@page
def pulse(request):
    actor = request.membership
    today = today_of(request)
    surveys = list(pulse_sel.pulse_survey_list(actor=actor)[:30])
    for s in surveys:
        s.phase = pulse_sel.survey_phase(s, today)
    return render(
        request,
        "incentives/motivation/pulse.html",
        {
            "open": [s for s in surveys if s.phase == "open"],
            "others": [s for s in surveys if s.phase != "open"],
            "can_run": pulse_sel.can_run_surveys(actor=actor),
            "can_read": pulse_sel.can_read_results(actor=actor),
            "min_group": MIN_GROUP,
        },
    )


@page
def pulse_answer(request, pk: int):
    actor = request.membership
    survey = pulse_sel.access_pulse_survey(actor=actor, id=pk)
    phase = pulse_sel.survey_phase(survey, today_of(request))
    form = f.PulseAnswerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            pulse_svc.pulse_respond(actor=actor, survey=survey, **form.cleaned_data)
        except ApplicationError as exc:
            form.add_application_error(exc)
        else:
            messages.success(request, _("Thank you. Your answer was stored without your name."))
            return redirect("motivation:pulse")
    return render(
        request,
        "incentives/motivation/pulse_answer.html",
        {
            "survey": survey,
            "form": form,
            "phase": phase,
            "responded": survey.responded,  # type: ignore[attr-defined]  # annotated by the selector
            "min_group": MIN_GROUP,
        },
    )


@page
def pulse_results(request, pk: int):
    actor = request.membership
    survey = pulse_sel.access_pulse_survey(actor=actor, id=pk)
    require(request, pulse_sel.can_read_results(actor=actor))
    results = pulse_sel.pulse_results(actor=actor, survey=survey, today=today_of(request))
    return render(
        request,
        "incentives/motivation/pulse_results.html",
        {
            "survey": survey,
            "results": results,
            "questions": QUESTIONS,
            "scores": SCORES,
            "can_run": pulse_sel.can_run_surveys(actor=actor),
            "phase": pulse_sel.survey_phase(survey, today_of(request)),
        },
    )


@page(roles=LEADERS)
def pulse_create(request):
    actor = request.membership
    today = today_of(request)
    form = f.PulseSurveyForm(
        request.POST or None,
        initial={
            "title": _("Pulse — %(month)s") % {"month": today.strftime("%Y-%m")},
            "opens_on": today,
            "closes_on": today + dt.timedelta(days=6),
            "repeat_days": 28,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            survey = pulse_svc.pulse_survey_create(actor=actor, **form.cleaned_data)
        except ApplicationError as exc:
            form.add_application_error(exc)
        else:
            messages.success(request, _("Pulse “%(title)s” is open.") % {"title": survey.title})
            return redirect("motivation:pulse")
    return render(request, "incentives/motivation/pulse_form.html", {"form": form})


@page(post_only=True)
def pulse_close(request, pk: int):
    actor = request.membership
    survey = pulse_sel.access_pulse_survey(actor=actor, id=pk)
    require(request, pulse_sel.can_run_surveys(actor=actor))
    try:
        pulse_svc.pulse_survey_close(actor=actor, survey=survey)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The survey is closed; its results can be read."))
    return redirect("motivation:pulse_results", pk=survey.pk)
