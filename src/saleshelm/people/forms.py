"""Forms of the people pages. They only collect input; the services decide (STYLE.md)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from saleshelm.core.errors import ApplicationError
from saleshelm.people import selectors
from saleshelm.tenancy.roles import Role

NONE = "none"


class MemberChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.user.get_full_name()} ({obj.user.email})"


class TreeChoiceField(forms.ModelChoiceField):
    """Teams and territories, indented by depth so the tree reads in a plain <select>."""

    def label_from_instance(self, obj) -> str:
        return f"{'— ' * obj.depth}{obj.name}"


class ServiceForm(forms.Form):
    """A form whose save calls a service; an ApplicationError becomes a form error."""

    def add_application_error(self, exc: ApplicationError) -> None:
        field = exc.field if exc.field in self.fields else None
        self.add_error(field, exc.message)


class MemberFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        widget=forms.TextInput(
            attrs={
                "type": "search",
                "placeholder": _("Name or email"),
                "autocomplete": "off",
            }
        ),
    )
    team = forms.ChoiceField(label=_("Team"), required=False)
    role = forms.ChoiceField(label=_("Role"), required=False)
    role_profile = forms.ChoiceField(label=_("Role profile"), required=False)

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        teams = selectors.team_list(actor=actor).order_by("path")
        self.fields["team"].choices = [
            ("", _("All teams")),
            (NONE, _("No team")),
            *[(str(t.pk), f"{'— ' * t.depth}{t.name}") for t in teams],
        ]
        self.fields["role"].choices = [("", _("All roles")), *Role.choices]
        self.fields["role_profile"].choices = [
            ("", _("All role profiles")),
            (NONE, _("No role profile")),
            *[(str(p.pk), p.name) for p in selectors.role_profile_list(actor=actor)],
        ]

    def value(self, name: str) -> str:
        """The cleaned value, or "" when the form is not valid for that field."""
        if not self.is_bound:
            return ""
        self.is_valid()  # cleans once; invalid fields are simply left out
        return self.cleaned_data.get(name) or ""


class TeamForm(ServiceForm):
    name = forms.CharField(label=_("Name"), max_length=120)
    parent = TreeChoiceField(
        label=_("Parent team"),
        queryset=None,
        required=False,
        empty_label=_("None (a top-level team)"),
    )
    manager = MemberChoiceField(
        label=_("Manager"), queryset=None, required=False, empty_label=_("No manager yet")
    )

    def __init__(self, *args, actor, team=None, **kwargs):
        super().__init__(*args, **kwargs)
        parents = selectors.team_list(actor=actor).order_by("path")
        if team is not None:
            # A team cannot move under itself or its own descendants.
            parents = parents.exclude(path__startswith=team.path)
        self.fields["parent"].queryset = parents
        self.fields["manager"].queryset = selectors.member_list(actor=actor)
        self.fields["name"].widget.attrs["autofocus"] = True


def _lines(value: str) -> list[str]:
    return [line.strip() for line in (value or "").splitlines() if line.strip()]


class MemberPlacementForm(ServiceForm):
    title = forms.CharField(label=_("Title"), max_length=120, required=False)
    team = TreeChoiceField(label=_("Team"), queryset=None, required=False, empty_label=_("No team"))
    territory = TreeChoiceField(
        label=_("Territory"), queryset=None, required=False, empty_label=_("No territory")
    )
    role_profile: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Role profile"),
        queryset=None,
        required=False,
        empty_label=_("No role profile"),
    )
    start_date = forms.DateField(
        label=_("Start date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d"],
        help_text=_("The day this person joined the sales organisation."),
    )

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = selectors.team_list(actor=actor).order_by("path")
        self.fields["territory"].queryset = selectors.territory_list(actor=actor).order_by("path")
        self.fields["role_profile"].queryset = selectors.role_profile_list(actor=actor)


class MemberAboutForm(ServiceForm):
    strengths = forms.CharField(
        label=_("Strengths"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("One per line, e.g. “Negotiating with procurement” or “Demoing to CFOs”."),
    )
    bio = forms.CharField(
        label=_("How I contribute"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What you bring to the team and what colleagues can ask you about."),
    )

    def clean_strengths(self) -> list[str]:
        strengths = _lines(self.cleaned_data.get("strengths", ""))
        if len(strengths) > 20:
            raise forms.ValidationError(_("List at most 20 strengths."))
        if any(len(s) > 120 for s in strengths):
            raise forms.ValidationError(_("Keep each strength under 120 characters."))
        return strengths


class MemberEraseForm(ServiceForm):
    confirm = forms.CharField(
        label=_("Type the member's email address to confirm"),
        max_length=254,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Kept in the audit log after the erasure: say why (e.g. “left the company and "
            "asked for erasure”), without the person's name or email."
        ),
    )
