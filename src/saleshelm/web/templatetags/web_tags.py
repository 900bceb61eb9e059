"""Small presentation helpers shared by every page."""

from __future__ import annotations

import hashlib
import unicodedata

from django import template
from django.http import QueryDict

register = template.Library()

AVATAR_COLOURS = 8


@register.filter
def initials(name: str) -> str:
    """Up to two letters for an avatar: first and last word ("Nguyễn Văn An" -> "NA")."""
    words = [w for w in str(name or "").replace("@", " ").split() if w[:1].isalnum()]
    if not words:
        return "?"
    if len(words) == 1:
        return words[0][:2].upper()
    return (words[0][0] + words[-1][0]).upper()


@register.filter
def avatar_tone(value) -> str:
    """A stable colour class per person, so the same member looks the same everywhere."""
    digest = hashlib.blake2s(str(value).encode(), digest_size=2).digest()
    return f"tone-{int.from_bytes(digest, 'big') % AVATAR_COLOURS}"


@register.simple_tag(takes_context=True)
def query_with(context, **changes) -> str:
    """The current query string with some parameters changed ("" or None removes one)."""
    request = context.get("request")
    params = request.GET.copy() if request is not None else QueryDict(mutable=True)
    for key, value in changes.items():
        if value in ("", None):
            params.pop(key, None)
        else:
            params[key] = value
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else "?"


@register.filter
def nfc(value) -> str:
    """Composed Unicode: Django's own Vietnamese language name is stored decomposed, which
    searches and copy-paste do not match against ordinary (composed) text."""
    return unicodedata.normalize("NFC", str(value))


@register.filter
def may_invite(actor, member) -> bool:
    """Whether ``actor`` (the current membership) may send ``member`` a set-password link:
    for the Invite button that a member's page includes (``web/_member_invite.html``)."""
    from saleshelm.tenancy.invitations import can_invite

    if actor is None or member is None:
        return False
    return bool(
        member.is_active and member.user.is_active and can_invite(actor=actor, member=member)
    )
