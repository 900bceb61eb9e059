"""People pages: where each person fits (SPEC §2, key task "Involving people").

The directory is readable by every member of the organisation; admins and directors shape
it (teams, placements) through the same services as the API. Objects of another
organisation answer 404, like missing ones.
"""

from __future__ import annotations

import json

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _

from saleshelm.core.errors import ApplicationError
from saleshelm.people import privacy, selectors, services
from saleshelm.people.forms import (
    NONE,
    MemberAboutForm,
    MemberEraseForm,
    MemberFilterForm,
    MemberPlacementForm,
    TeamForm,
)
from saleshelm.people.permissions import (
    can_erase_member,
    can_export_member,
    can_manage_structure,
)
from saleshelm.tenancy.invitations import can_invite
from saleshelm.tenancy.roles import STRUCTURE_ROLES, Role
from saleshelm.web.access import deny, member_required, role_required

MEMBERS_PER_PAGE = 25


def _active_members_count():
    return Count("members", filter=Q(members__membership__is_active=True))


@member_required
def team_tree(request):
    actor = request.membership
    tree = selectors.team_tree(actor=actor)
    unassigned = selectors.member_list(actor=actor).filter(profile__team__isnull=True).count()
    return render(
        request,
        "people/teams.html",
        {
            "tree": tree,
            "team_count": sum(1 for node in _walk(tree)),
            "unassigned": unassigned,
            "can_manage": can_manage_structure(actor=actor),
        },
    )


def _walk(nodes):
    for node in nodes:
        yield node
        yield from _walk(node["children"])


@member_required
def team_detail(request, pk: int):
    actor = request.membership
    team = selectors.access_team(actor=actor, id=pk)
    ancestor_ids = [int(x) for x in team.path.strip("/").split("/") if x and int(x) != team.pk]
    ancestors = sorted(
        selectors.team_list(actor=actor).filter(pk__in=ancestor_ids), key=lambda t: t.depth
    )
    children = (
        selectors.team_list(actor=actor)
        .filter(parent_id=team.pk)
        .annotate(member_count=_active_members_count())
        .order_by("name")
    )
    members = selectors.member_list(actor=actor, team_id=team.pk)
    return render(
        request,
        "people/team.html",
        {
            "team": team,
            "ancestors": ancestors,
            "children": list(children),
            "members": list(members),
            "can_manage": can_manage_structure(actor=actor),
        },
    )


@role_required(STRUCTURE_ROLES)
def team_create(request):
    actor = request.membership
    initial = {}
    if parent_id := request.GET.get("parent", ""):
        initial["parent"] = parent_id if parent_id.isdigit() else None
    form = TeamForm(request.POST or None, actor=actor, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            team = services.team_create(
                actor=actor,
                name=form.cleaned_data["name"],
                parent=form.cleaned_data["parent"],
                manager=form.cleaned_data["manager"],
            )
        except ApplicationError as exc:
            form.add_application_error(exc)
        else:
            messages.success(request, _("Team “%(name)s” created.") % {"name": team.name})
            return redirect("people:team", pk=team.pk)
    return render(request, "people/team_form.html", {"form": form, "team": None})


@member_required
def team_edit(request, pk: int):
    actor = request.membership
    # Fetch first: another organisation's team is "not found" for every role (SPEC §11.1).
    team = selectors.access_team(actor=actor, id=pk)
    if not can_manage_structure(actor=actor):
        deny(request)
    form = TeamForm(
        request.POST or None,
        actor=actor,
        team=team,
        initial={"name": team.name, "parent": team.parent_id, "manager": team.manager_id},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.team_update(
                actor=actor,
                team=team,
                name=form.cleaned_data["name"],
                parent=form.cleaned_data["parent"],
                manager=form.cleaned_data["manager"],
            )
        except ApplicationError as exc:
            form.add_application_error(exc)
        else:
            messages.success(request, _("Team saved."))
            return redirect("people:team", pk=team.pk)
    return render(request, "people/team_form.html", {"form": form, "team": team})


@member_required
def member_directory(request):
    actor = request.membership
    filters = MemberFilterForm(request.GET or None, actor=actor)
    members = selectors.member_list(actor=actor, search=filters.value("q") or None)
    team = filters.value("team")
    if team == NONE:
        members = members.filter(profile__team__isnull=True)
    elif team:
        members = members.filter(profile__team_id=int(team))
    if role := filters.value("role"):
        members = members.filter(role=role)
    role_profile = filters.value("role_profile")
    if role_profile == NONE:
        members = members.filter(profile__role_profile__isnull=True)
    elif role_profile:
        members = members.filter(profile__role_profile_id=int(role_profile))
    page = Paginator(members, MEMBERS_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "filters": filters,
        "page_obj": page,
        "members": page.object_list,
        "filtered": any(filters.value(f) for f in ("q", "team", "role", "role_profile")),
        "htmx_target": "#member-results",
    }
    if request.htmx and request.htmx.target == "member-results":
        response = render(request, "people/_member_results.html", context)
    else:
        response = render(request, "people/members.html", context)
    # The same URL answers a whole page or the results fragment: caches must tell them apart.
    patch_vary_headers(response, ("HX-Request", "HX-Target"))
    return response


@member_required
def member_detail(request, pk: int):
    actor = request.membership
    member = selectors.access_member(actor=actor, id=pk)
    profile = selectors.member_profile(membership=member)
    erased = privacy.is_erased(member)
    return render(
        request,
        "people/member.html",
        {
            "member": member,
            "profile": profile,
            "chain": selectors.managers_chain(membership=member),
            "is_self": member.pk == actor.pk,
            "can_manage": can_manage_structure(actor=actor),
            "can_export": can_export_member(actor=actor, member=member),
            "can_erase": can_erase_member(actor=actor, member=member) and not erased,
            "can_invite": not erased
            and member.is_active
            and member.user.is_active
            and can_invite(actor=actor, member=member),
            "is_erased": erased,
        },
    )


@member_required
def member_export(request, pk: int):
    """The member's data as a JSON download: an admin, or the member themself (audited)."""
    actor = request.membership
    member = selectors.access_member(actor=actor, id=pk)
    if not can_export_member(actor=actor, member=member):
        deny(request, reason="not own data")
    document = privacy.member_export(actor=actor, member=member)
    response = HttpResponse(
        json.dumps(document, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = (
        f'attachment; filename="saleshelm-{member.organisation.slug}-member-{member.pk}.json"'
    )
    response["Cache-Control"] = "no-store"
    return response


@member_required
def member_erase(request, pk: int):
    """Erase a member's personal data: admins only, with the email typed and a reason."""
    actor = request.membership
    member = selectors.access_member(actor=actor, id=pk)
    if actor.role != Role.ADMIN:
        deny(request)
    blocked = ""
    if member.pk == actor.pk:
        blocked = _("You cannot erase yourself: another admin does it.")
    elif privacy.is_erased(member):
        blocked = _("This member's personal data is already erased.")
    form = MemberEraseForm(request.POST or None)
    if request.method == "POST" and not blocked and form.is_valid():
        try:
            privacy.member_erase(
                actor=actor,
                member=member,
                confirm=form.cleaned_data["confirm"],
                reason=form.cleaned_data["reason"],
            )
        except ApplicationError as exc:
            form.add_application_error(exc)
        else:
            messages.success(
                request, _("The personal data of member #%(id)s is erased.") % {"id": member.pk}
            )
            return redirect("people:member", pk=member.pk)
    return render(
        request,
        "people/member_erase.html",
        {"form": form, "member": member, "blocked": blocked},
    )


@member_required
def member_edit(request, pk: int):
    actor = request.membership
    member = selectors.access_member(actor=actor, id=pk)
    if not can_manage_structure(actor=actor):
        deny(request)
    profile = selectors.member_profile(membership=member)
    form = MemberPlacementForm(
        request.POST or None,
        actor=actor,
        initial={
            "title": profile.title,
            "team": profile.team_id,
            "territory": profile.territory_id,
            "role_profile": profile.role_profile_id,
            "start_date": profile.start_date,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.member_profile_update(actor=actor, membership=member, **form.cleaned_data)
        except ApplicationError as exc:
            form.add_application_error(exc)
        else:
            messages.success(
                request, _("Placement of %(name)s saved.") % {"name": member.user.get_full_name()}
            )
            return redirect("people:member", pk=member.pk)
    return render(request, "people/member_form.html", {"form": form, "member": member})


@member_required
def member_about(request, pk: int):
    """Strengths and "how I contribute": the member themself, or an admin or director."""
    actor = request.membership
    member = selectors.access_member(actor=actor, id=pk)
    if member.pk != actor.pk and not can_manage_structure(actor=actor):
        deny(request, reason="not own profile")
    profile = selectors.member_profile(membership=member)
    form = MemberAboutForm(
        request.POST or None,
        initial={"strengths": "\n".join(profile.strengths), "bio": profile.bio},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.member_profile_update(
                actor=actor,
                membership=member,
                strengths=form.cleaned_data["strengths"],
                bio=form.cleaned_data["bio"],
            )
        except ApplicationError as exc:
            form.add_application_error(exc)
        else:
            messages.success(request, _("Profile saved."))
            return redirect("people:member", pk=member.pk)
    return render(
        request,
        "people/member_about_form.html",
        {"form": form, "member": member, "is_self": member.pk == actor.pk},
    )


@member_required
def my_role(request):
    actor = request.membership
    profile = selectors.member_profile(membership=actor)
    context = {
        "profile": profile,
        "role_profile": profile.role_profile,
        "chain": selectors.managers_chain(membership=actor),
        "can_manage": can_manage_structure(actor=actor),
    }
    if profile.team_id:
        context["team_size"] = selectors.member_list(actor=actor, team_id=profile.team_id).count()
    return render(request, "people/my_role.html", context)
