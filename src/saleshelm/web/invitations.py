"""People › Invitations: members who never signed in, and a button to send each a link to
set their password (or everyone at once). The rules are in ``saleshelm.tenancy.invitations``;
``POST /api/v1/members/{id}/invite`` calls the same service."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from saleshelm.core.errors import ApplicationError, PermissionDenied
from saleshelm.people.selectors import access_member
from saleshelm.tenancy import invitations
from saleshelm.tenancy.selectors import invitation_pending_list
from saleshelm.web.access import deny, member_required, role_required
from saleshelm.web.passwords import base_url
from saleshelm.web.views import safe_next

INVITERS = invitations.INVITERS


@role_required(INVITERS)
def invitation_list(request):
    actor = request.membership
    pending = list(invitation_pending_list(actor=actor))
    return render(request, "web/invitations.html", {"pending": pending})


@require_POST
@member_required
def member_invite(request, pk: int):
    actor = request.membership
    # Another organisation's member is "not found" whoever asks; then who may invite whom.
    member = access_member(actor=actor, id=pk)
    if not invitations.can_invite(actor=actor, member=member):
        deny(request, reason="invite")
    try:
        kind = invitations.member_invite(actor=actor, membership=member, base_url=base_url(request))
    except PermissionDenied:
        deny(request, reason="invite")
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        name = member.user.get_full_name()
        if kind == invitations.KIND_INVITE:
            messages.success(request, _("Invitation sent to %(name)s.") % {"name": name})
        else:
            messages.success(
                request, _("%(name)s was sent a link to set a new password.") % {"name": name}
            )
    # Back where the button was (the Invitations page, or a member's page that includes
    # ``web/_member_invite.html``).
    return redirect(safe_next(request, request.POST.get("next")) or "web:invitations")


@require_POST
@role_required(INVITERS)
def invite_all(request):
    actor = request.membership
    try:
        sent = invitations.members_invite(
            actor=actor,
            memberships=invitation_pending_list(actor=actor),
            base_url=base_url(request),
        )
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        if sent:
            messages.success(
                request,
                ngettext("%(count)d invitation sent.", "%(count)d invitations sent.", sent)
                % {"count": sent},
            )
        else:
            messages.info(request, _("Everyone has signed in already: no invitation to send."))
    return redirect("web:invitations")
