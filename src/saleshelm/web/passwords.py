"""Forgot password and the set-password page behind invitation and reset links.

The link and its checks are Django's (``PasswordResetTokenGenerator`` through
``PasswordResetConfirmView``, which moves the token out of the URL into the session before
showing the form); the new password is checked by Django's ``SetPasswordForm`` against
AUTH_PASSWORD_VALIDATORS. Asking for a link always gets the same answer, so the page does
not tell who has an account; asking is throttled like the sign-in.
"""

from __future__ import annotations

import contextlib

from django.conf import settings
from django.contrib.auth import login
from django.contrib.auth.views import INTERNAL_RESET_SESSION_TOKEN, PasswordResetConfirmView
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect

from saleshelm.core.errors import ApplicationError
from saleshelm.tenancy import invitations, throttle
from saleshelm.web.forms import PasswordForgotForm

BUCKET = "password_reset"


def base_url(request) -> str:
    """This site's address as the person reached it (the link in an email must work there)."""
    return request.build_absolute_uri("/").rstrip("/")


@csrf_protect
@never_cache
def password_forgot(request):
    form = PasswordForgotForm(request.POST or None)
    if request.method == "POST":
        ip = throttle.client_ip(request)
        email = throttle.normalise_email(request.POST.get("email"))
        lock = throttle.check(email=email, ip=ip, bucket=BUCKET)
        if lock is not None:
            throttle.record_refusal(email=email, ip=ip, lock=lock, bucket=BUCKET)
            response = render(
                request, "web/password_forgot_throttled.html", {"lock": lock}, status=429
            )
            response["Retry-After"] = str(lock.retry_after)
            return response
        if form.is_valid():
            throttle.record_attempt(email=email, ip=ip, bucket=BUCKET)
            # If the mail server fails (logged), the answer stays the same as for an unknown
            # address, or the page would tell which addresses have accounts.
            with contextlib.suppress(ApplicationError):
                invitations.password_reset_request(
                    email=form.cleaned_data["email"], base_url=base_url(request)
                )
            return redirect("web:password_forgot_sent")
    return render(request, "web/password_forgot.html", {"form": form, "nav_sections": []})


@never_cache
def password_forgot_sent(request):
    days = max(1, round(settings.PASSWORD_RESET_TIMEOUT / 86400))
    return render(
        request, "web/password_forgot_sent.html", {"expiry_days": days, "nav_sections": []}
    )


class PasswordSetView(PasswordResetConfirmView):
    """Choose a password from a one-time link, then land signed in.

    Signing in goes through ``login()``, so a person with a second factor is asked for their
    code next, and an admin whose organisation requires one is sent to turn it on
    (``SecondFactorMiddleware``)."""

    template_name = "web/password_set.html"
    success_url = reverse_lazy("web:home")
    post_reset_login = True

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        # Django's help is a bulleted list of every validator; one sentence reads better here.
        form.fields["new_password1"].help_text = _(
            "At least 8 characters; not a common password, not only digits, not like your "
            "name or email."
        )
        form.fields["new_password2"].help_text = ""
        return form

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = getattr(self, "user", None)
        context["first_password"] = user is not None and not user.has_usable_password()
        context["nav_sections"] = []  # a sign-in page, even for a person signed in already
        return context

    def form_valid(self, form):
        user = invitations.password_set_with_link(
            user=form.user, password=form.cleaned_data["new_password1"]
        )
        del self.request.session[INTERNAL_RESET_SESSION_TOKEN]
        login(self.request, user, backend=self.post_reset_login_backend)
        # A locked-out person who proves they hold the mailbox may sign in again.
        throttle.record_success(email=user.email, ip=throttle.client_ip(self.request))
        return HttpResponseRedirect(self.get_success_url())


password_set = PasswordSetView.as_view()
