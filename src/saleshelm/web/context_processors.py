"""What every page's shell needs: the member, their organisations and the menu."""

from __future__ import annotations

from django.utils.functional import SimpleLazyObject

from saleshelm.web import navigation as nav_registry


def navigation_context(request):
    membership = getattr(request, "membership", None)
    user = getattr(request, "user", None)
    match = getattr(request, "resolver_match", None)

    def organisations():
        if user is None or not user.is_authenticated:
            return []
        from saleshelm.tenancy.selectors import memberships_of_user

        return list(memberships_of_user(user))

    def menu():
        # A session held for its second factor sees no menu: every link would lead back.
        if membership is None or getattr(request, "second_factor_hold", None):
            return []
        return nav_registry.build(
            role=membership.role, current_url_name=match.view_name if match else None
        )

    return {
        "membership": membership,
        # Lazy: pages that never draw the shell (partials, redirects) pay no query.
        "user_memberships": SimpleLazyObject(organisations),
        "nav_sections": SimpleLazyObject(menu),
    }


# The name settings.py lists.
navigation = navigation_context
