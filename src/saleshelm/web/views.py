"""The shell: sign in and out, switch organisation, and each member's home page."""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from saleshelm.core.errors import ApplicationError
from saleshelm.people import selectors as people
from saleshelm.people.permissions import can_manage_structure
from saleshelm.tenancy import services as tenancy_services
from saleshelm.tenancy import throttle
from saleshelm.tenancy.middleware import SESSION_KEY
from saleshelm.tenancy.selectors import memberships_of_user
from saleshelm.web import onboarding, second_factor
from saleshelm.web.forms import LoginForm, SecondFactorCodeForm

TEAM_PREVIEW = 8


def safe_next(request, candidate: str | None) -> str | None:
    """``candidate`` if it points at this site (same host, no scheme change), else None."""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return None


@sensitive_post_parameters("password")
@csrf_protect
@never_cache
def login_view(request):
    next_url = safe_next(request, request.POST.get("next") or request.GET.get("next"))
    if request.user.is_authenticated and request.method != "POST":
        return HttpResponseRedirect(next_url or resolve_url(settings.LOGIN_REDIRECT_URL))
    if request.method == "POST":
        ip = throttle.client_ip(request)
        email = throttle.normalise_email(request.POST.get("email"))
        lock = throttle.check(email=email, ip=ip)
        if lock is not None:
            # Refused before the password is looked at, right or wrong.
            throttle.record_refusal(email=email, ip=ip, lock=lock)
            response = render(
                request,
                "web/login_throttled.html",
                {"lock": lock, "next": next_url or ""},
                status=429,
            )
            response["Retry-After"] = str(lock.retry_after)
            return response
        form = LoginForm(request, data=request.POST)
        if form.is_valid():
            login(request, form.get_user())
            if second_factor.code_pending(request):
                # The password was right; the sign-in (and the clearing of the email's
                # failures) completes with the code.
                code_url = reverse("web:login_code")
                if next_url:
                    code_url = f"{code_url}?{urlencode({'next': next_url})}"
                return HttpResponseRedirect(code_url)
            throttle.record_success(email=email, ip=ip)
            return HttpResponseRedirect(next_url or resolve_url(settings.LOGIN_REDIRECT_URL))
        if request.POST.get("password"):
            # A real guess (a password was tried) counts; an empty submission does not.
            throttle.record_failure(email=email, ip=ip)
    else:
        form = LoginForm(request)
    return render(
        request,
        "web/login.html",
        {"form": form, "next": next_url or "", "signup_open": tenancy_services.signup_open()},
    )


@sensitive_post_parameters("code")
@csrf_protect
@never_cache
def login_code(request):
    """The second sign-in step: the code of the person's authenticator app (SPEC §11.8)."""
    next_url = safe_next(request, request.POST.get("next") or request.GET.get("next"))
    done = next_url or resolve_url(settings.LOGIN_REDIRECT_URL)
    if not request.user.is_authenticated:
        return redirect("web:login")
    if not second_factor.code_pending(request):
        return HttpResponseRedirect(done)
    user = request.user
    form = SecondFactorCodeForm(request.POST or None)
    if request.method == "POST":
        ip = throttle.client_ip(request)
        lock = throttle.check(email=user.email, ip=ip)
        if lock is not None:
            throttle.record_refusal(email=user.email, ip=ip, lock=lock)
            response = render(
                request,
                "web/login_throttled.html",
                {"lock": lock, "next": next_url or "", "code_pending": True},
                status=429,
            )
            response["Retry-After"] = str(lock.retry_after)
            return response
        if form.is_valid():
            try:
                device = tenancy_services.second_factor_verify(
                    user=user, code=form.cleaned_data["code"]
                )
            except ApplicationError as exc:
                if exc.code == "second_factor_off":
                    # Turned off from another session since this one signed in.
                    second_factor.mark_off(request)
                    throttle.record_success(email=user.email, ip=ip)
                    return HttpResponseRedirect(done)
                throttle.record_failure(email=user.email, ip=ip)
                form.add_error("code", exc.message)
            else:
                second_factor.mark_verified(request, device)
                # More is reachable now than a minute ago: a new session id, as at sign-in.
                request.session.cycle_key()
                throttle.record_success(email=user.email, ip=ip)
                return HttpResponseRedirect(done)
    return render(request, "web/login_code.html", {"form": form, "next": next_url or ""})


@require_POST
def logout_view(request):
    logout(request)
    return redirect(settings.LOGOUT_REDIRECT_URL)


@require_POST
@login_required
def switch_organisation(request):
    """Make another of the user's organisations the current one (404 if not a member)."""
    try:
        organisation_id = int(request.POST.get("organisation", ""))
    except ValueError:
        raise Http404 from None
    membership = memberships_of_user(request.user).filter(organisation_id=organisation_id).first()
    if membership is None:
        raise Http404
    request.session[SESSION_KEY] = membership.organisation_id
    # The page we came from may show the previous organisation's records: start at home.
    return redirect("web:home")


@login_required
def home(request):
    actor = request.membership
    if actor is None:
        return render(request, "web/no_membership.html")
    profile = people.member_profile(membership=actor)
    context = {
        "profile": profile,
        "chain": people.managers_chain(membership=actor),
        "role_profile": profile.role_profile,
        "can_manage": can_manage_structure(actor=actor),
    }
    if profile.team_id:
        teammates = people.member_list(actor=actor, team_id=profile.team_id)
        context["teammates"] = list(teammates.exclude(pk=actor.pk)[:TEAM_PREVIEW])
        context["team_size"] = teammates.count()
    # Whoever manages teams (a manager, or a director heading a team) sees them first hand.
    context["managed_teams"] = list(
        people.team_list(actor=actor)
        .filter(manager_id=actor.pk)
        .annotate(member_count=Count("members", filter=Q(members__membership__is_active=True)))
        .order_by("path")
    )
    context["org_stats"] = people.member_list(actor=actor).aggregate(
        members=Count("pk"),
        without_team=Count("pk", filter=Q(profile__team__isnull=True)),
        without_role_profile=Count("pk", filter=Q(profile__role_profile__isnull=True)),
    )
    context["org_stats"]["teams"] = people.team_list(actor=actor).count()
    # Admins and directors are reminded of the Get started checklist while steps remain.
    context["sees_onboarding"] = actor.role in onboarding.ONBOARDING_ROLES
    return render(request, "web/home.html", context)


def health(request):
    """Liveness for the proxy and load balancer: answers without touching the database."""
    return HttpResponse("ok", content_type="text/plain")
