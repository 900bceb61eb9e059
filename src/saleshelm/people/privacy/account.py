"""The tenancy and people parts of a person's data: who they are, their membership, their
place in the organisation, their API tokens and the audit rows they wrote.

The tenancy app keeps users, memberships and the audit log; it has no provider of its own
(those models are read by every app), so its section is written here, beside the people
section, by the app that owns the member page.
"""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.utils import timezone

from saleshelm.people.models import MemberProfile, Team
from saleshelm.people.privacy.registry import PrivacyProvider, register_privacy_provider
from saleshelm.tenancy.actors import Actor
from saleshelm.tenancy.models import ApiToken, AuditEntry, Membership


def _ref(obj) -> dict[str, Any] | None:
    return None if obj is None else {"id": obj.pk, "name": obj.name}


def second_factor_on(user) -> bool:
    if not apps.is_installed("django_otp"):
        return False
    from django_otp import devices_for_user

    return any(True for _ in devices_for_user(user, confirmed=True))


def export_tenancy(*, actor: Actor, member: Membership) -> dict[str, Any]:
    user = member.user
    tokens = ApiToken.objects.filter(membership=member).order_by("created_at", "pk")
    audit = (
        AuditEntry.objects.filter(organisation_id=member.organisation_id, actor=member)
        .order_by("created_at", "pk")
        .values("id", "action", "object_type", "object_id", "reason", "created_at")
    )
    return {
        "user": {
            "name": user.get_full_name(),
            "email": user.email,
            "language": user.language,
            "date_joined": user.date_joined,
            "last_login": user.last_login,
            "is_active": user.is_active,
            "second_factor": second_factor_on(user),
        },
        "membership": {
            "id": member.pk,
            "role": member.role,
            "is_active": member.is_active,
            "created_at": member.created_at,
        },
        "api_tokens": [
            {
                "id": t.pk,
                "name": t.name,
                "hint": t.hint,
                "created_at": t.created_at,
                "last_used_at": t.last_used_at,
                "revoked_at": t.revoked_at,
            }
            for t in tokens
        ],
        # What they did that the audit log records; the rows' before/after describe the
        # objects changed (often other people's), so only what, when and why is given.
        "audit_as_actor": list(audit),
    }


def export_people(*, actor: Actor, member: Membership) -> dict[str, Any]:
    profile = (
        MemberProfile.objects.select_related("team", "territory", "role_profile")
        .filter(membership=member)
        .first()
    )
    managed = Team.objects.filter(organisation_id=member.organisation_id, manager=member)
    return {
        "profile": None
        if profile is None
        else {
            "title": profile.title,
            "start_date": profile.start_date,
            "strengths": profile.strengths,
            "how_i_contribute": profile.bio,
            "team": _ref(profile.team),
            "territory": _ref(profile.territory),
            "role_profile": _ref(profile.role_profile),
        },
        "managed_teams": [_ref(t) for t in managed.order_by("path")],
    }


def erase_people(*, actor: Actor, member: Membership) -> dict[str, int]:
    """Title, strengths and "how I contribute" are the person's own words about themself."""
    cleared = MemberProfile.objects.filter(
        organisation_id=member.organisation_id, membership=member
    ).update(title="", strengths=[], bio="", updated_at=timezone.now())
    return {"profile_cleared": cleared}


def register_privacy() -> None:
    register_privacy_provider(PrivacyProvider(key="tenancy", export=export_tenancy, order=0))
    register_privacy_provider(
        PrivacyProvider(key="people", export=export_people, erase=erase_people, order=10)
    )
