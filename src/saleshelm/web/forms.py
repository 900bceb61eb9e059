from __future__ import annotations

from django import forms
from django.contrib.auth import authenticate
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from saleshelm.tenancy.throttle import normalise_email


class LoginForm(forms.Form):
    """Email and password, with the semantics of Django's ``AuthenticationForm``: one
    message for a wrong email or a wrong password, inactive users refused."""

    email = forms.EmailField(
        label=_("Email"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    error_messages = {
        "invalid_login": _(
            "That email and password do not match an account. Check both and try again."
        ),
        "inactive": AuthenticationForm.error_messages["inactive"],
    }

    def __init__(self, request=None, *args, **kwargs):
        self.request = request
        self.user_cache = None
        super().__init__(*args, **kwargs)
        if self.is_bound and self.data.get("email"):
            # Back after a failed attempt: the email is kept, the password is what to retype.
            self.fields["email"].widget.attrs.pop("autofocus", None)
            self.fields["password"].widget.attrs["autofocus"] = True

    def clean_email(self) -> str:
        return normalise_email(self.cleaned_data["email"])

    def clean(self):
        email = self.cleaned_data.get("email")
        password = self.cleaned_data.get("password")
        if email and password:
            self.user_cache = authenticate(self.request, email=email, password=password)
            if self.user_cache is None:
                raise forms.ValidationError(
                    self.error_messages["invalid_login"], code="invalid_login"
                )
            if not self.user_cache.is_active:
                raise forms.ValidationError(self.error_messages["inactive"], code="inactive")
        return self.cleaned_data

    def get_user(self):
        return self.user_cache


class SecondFactorCodeForm(forms.Form):
    """The 6-digit code of an authenticator app. Whether it is right is the service's call;
    spaces typed between the digits are ignored there."""

    code = forms.CharField(
        label=_("Code"),
        max_length=20,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "autofocus": True,
                "class": "input-code",
                "spellcheck": "false",
            }
        ),
    )


class SecondFactorPolicyForm(forms.Form):
    require_second_factor = forms.BooleanField(
        label=_("Require a second factor for admins and finance"),
        required=False,
        help_text=_(
            "Admins and finance members without one are asked to turn it on before they can "
            "open any other page. API tokens are not affected."
        ),
    )


class PasswordForgotForm(forms.Form):
    email = forms.EmailField(
        label=_("Email"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )

    def clean_email(self) -> str:
        return normalise_email(self.cleaned_data["email"])
