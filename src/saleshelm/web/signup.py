"""Start your organisation: the first-run sign-up, without the command line.

``saleshelm org create SLUG --admin EMAIL`` stays the operator's way; this page does the same
through ``tenancy.services.organisation_sign_up`` (which calls ``organisation_create``) for the
sales director who installs SalesHelm and opens it in a browser. It is open only while the
installation has no organisation, or when the operator sets ``SALESHELM_SIGNUP=open``;
otherwise it answers 404, as if it did not exist. Submissions are throttled like the
"forgot password" door (every submission counts, per email and per address).
"""

from __future__ import annotations

import re
import unicodedata

from django import forms
from django.contrib.auth import login
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters

from saleshelm.core.errors import ApplicationError, PermissionDenied
from saleshelm.core.money import is_currency
from saleshelm.tenancy import services as tenancy_services
from saleshelm.tenancy import throttle
from saleshelm.tenancy.middleware import SESSION_KEY

BUCKET = "signup"
SLUG_MAX = 50
_SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def suggest_slug(name: str) -> str:
    """``Công ty Đại Việt`` → ``cong-ty-dai-viet``: letters without their accents (đ is
    not a d with a mark in Unicode, so it is mapped by hand), digits, single hyphens."""
    text = (name or "").replace("đ", "d").replace("Đ", "D")
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:SLUG_MAX].strip("-")


class SignupForm(forms.Form):
    organisation_name = forms.CharField(
        label=gettext_lazy("Organisation name"),
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "organization", "autofocus": True}),
    )
    slug = forms.CharField(
        label=gettext_lazy("Short name in addresses"),
        max_length=SLUG_MAX,
        required=False,
        help_text=gettext_lazy(
            "Lower-case letters, digits and hyphens, e.g. acme-vietnam. Left empty, it is made "
            "from the organisation name."
        ),
        widget=forms.TextInput(attrs={"spellcheck": "false", "autocapitalize": "none"}),
    )
    currency = forms.CharField(
        label=gettext_lazy("Reporting currency"),
        max_length=3,
        initial="USD",
        help_text=gettext_lazy("The ISO 4217 code your figures are reported in, e.g. USD or VND."),
        widget=forms.TextInput(
            attrs={"class": "input-short", "spellcheck": "false", "autocapitalize": "characters"}
        ),
    )
    language = forms.ChoiceField(
        label=gettext_lazy("Language"),
        choices=[("en", "English"), ("vi", "Tiếng Việt")],
        initial="en",
    )
    name = forms.CharField(
        label=gettext_lazy("Your name"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = forms.EmailField(
        label=gettext_lazy("Your email"),
        max_length=254,
        help_text=gettext_lazy("You sign in with it."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    password1 = forms.CharField(
        label=gettext_lazy("Password"),
        strip=False,
        help_text=gettext_lazy(
            "At least 8 characters; not a common password, not only digits, not like your "
            "name or email."
        ),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label=gettext_lazy("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean_slug(self) -> str:
        slug = (self.cleaned_data.get("slug") or "").strip().lower()
        if slug and not _SLUG_RE.match(slug):
            raise forms.ValidationError(
                _("Use lower-case letters, digits and single hyphens only, e.g. acme-vietnam.")
            )
        return slug

    def clean_currency(self) -> str:
        code = (self.cleaned_data.get("currency") or "").strip().upper()
        if not is_currency(code):
            raise forms.ValidationError(
                _("%(code)s is not an ISO 4217 currency code; try USD or VND.") % {"code": code}
            )
        return code

    def clean_email(self) -> str:
        return throttle.normalise_email(self.cleaned_data["email"])

    def clean(self):
        data = super().clean()
        if not data.get("slug") and data.get("organisation_name"):
            data["slug"] = suggest_slug(data["organisation_name"])
            if not data["slug"]:
                self.add_error(
                    "slug",
                    _("The name has no letters or digits to make one from: type a short name."),
                )
        p1, p2 = data.get("password1"), data.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", _("The two passwords differ. Type the same one twice."))
        return data


def _add_service_error(form: SignupForm, exc: ApplicationError) -> None:
    """The service's refusal, on the field it concerns."""
    if exc.code == "exists" and exc.field != "email":
        form.add_error(
            "slug", _("Another organisation uses this short name already: choose another.")
        )
    elif exc.field == "password":
        form.add_error("password1", exc.message)
    elif exc.field == "email" or exc.field == "name":
        form.add_error(exc.field, exc.message)
    elif exc.field == "slug":
        form.add_error("slug", _("Use lower-case letters, digits and single hyphens only."))
    elif exc.field == "currency":
        form.add_error("currency", _("Not an ISO 4217 currency code; try USD or VND."))
    else:
        form.add_error(None, exc.message)


@sensitive_post_parameters("password1", "password2")
@csrf_protect
@never_cache
def signup(request):
    if not tenancy_services.signup_open():
        raise Http404
    form = SignupForm(request.POST or None)
    if request.method == "POST":
        ip = throttle.client_ip(request)
        email = throttle.normalise_email(request.POST.get("email"))
        lock = throttle.check(email=email, ip=ip, bucket=BUCKET)
        if lock is not None:
            throttle.record_refusal(email=email, ip=ip, lock=lock, bucket=BUCKET)
            response = render(request, "web/signup.html", {"form": form, "lock": lock}, status=429)
            response["Retry-After"] = str(lock.retry_after)
            return response
        throttle.record_attempt(email=email, ip=ip, bucket=BUCKET)
        if form.is_valid():
            data = form.cleaned_data
            try:
                membership = tenancy_services.organisation_sign_up(
                    slug=data["slug"],
                    name=data["organisation_name"],
                    currency=data["currency"],
                    locale=data["language"],
                    admin_name=data["name"],
                    admin_email=data["email"],
                    password=data["password1"],
                )
            except PermissionDenied:
                # Closed between showing the form and sending it (another sign-up won).
                raise Http404 from None
            except ApplicationError as exc:
                _add_service_error(form, exc)
            else:
                login(
                    request,
                    membership.user,
                    backend="django.contrib.auth.backends.ModelBackend",
                )
                request.session[SESSION_KEY] = membership.organisation_id
                return redirect("web:onboarding")
    return render(request, "web/signup.html", {"form": form, "nav_sections": []})
