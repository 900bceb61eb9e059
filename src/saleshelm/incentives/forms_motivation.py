"""Forms of the motivation pages (kudos, badges, contests, commitments, pulse). They collect
input; the services decide (STYLE.md)."""

from __future__ import annotations

import secrets
from typing import Any

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from saleshelm.core.errors import ApplicationError
from saleshelm.direction.selectors.strategy import value_list
from saleshelm.incentives.models.contract import KINDS_BY_SIDE, CommitmentKind, Side
from saleshelm.incentives.models.plans import PeriodKind
from saleshelm.incentives.models.recognition import BadgeCriteria, BadgeSymbol, ParticipantKind
from saleshelm.people.selectors import (
    managed_team_paths,
    member_list,
    team_list,
    visible_members_q,
)
from saleshelm.performance.metrics import all_metrics
from saleshelm.tenancy.roles import Role

DATE: dict[str, Any] = {
    "widget": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    "input_formats": ["%Y-%m-%d"],
}
SCORE_CHOICES = [(i, str(i)) for i in range(1, 6)]
PRIZE_ROWS = 3


class ServiceForm(forms.Form):
    """A form whose save calls a service; an ApplicationError becomes a form error."""

    def add_application_error(self, exc: ApplicationError) -> None:
        field = exc.field if exc.field in self.fields else None
        self.add_error(field, exc.message)


class MemberChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        team = getattr(getattr(obj, "profile", None), "team", None)
        name = obj.user.get_full_name()
        return f"{name} · {team.name}" if team else name


class MembersField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        team = getattr(getattr(obj, "profile", None), "team", None)
        name = obj.user.get_full_name()
        return f"{name} · {team.name}" if team else name


class TeamChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{'— ' * obj.depth}{obj.name}"


class TeamsField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{'— ' * obj.depth}{obj.name}"


def metric_choices() -> list[tuple[str, str]]:
    return [(m.key, str(m.label)) for m in all_metrics()]


# --- kudos --------------------------------------------------------------------------------


class KudosForm(ServiceForm):
    receiver = MemberChoiceField(
        label=_("Who do you want to thank?"), queryset=None, empty_label=_("Choose a colleague")
    )
    value: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("For which of our values?"), queryset=None, empty_label=_("Choose a value")
    )
    message = forms.CharField(
        label=_("What they did"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Say what happened and why it mattered: specific thanks travel further."),
    )

    def __init__(self, *args, actor, **kwargs):
        # Fresh element ids on every render: htmx "settles" an element whose id survives a
        # swap by copying its old attributes, a resized textarea's inline style included —
        # which the CSP (style-src 'self') refuses.
        kwargs.setdefault("auto_id", f"kudos-{secrets.token_hex(3)}-%s")
        super().__init__(*args, **kwargs)
        self.fields["receiver"].queryset = member_list(actor=actor).exclude(pk=actor.pk)
        self.fields["value"].queryset = value_list(actor=actor)


# --- badges -------------------------------------------------------------------------------


class BadgeForm(ServiceForm):
    name = forms.CharField(label=_("Name"), max_length=80)
    description = forms.CharField(
        label=_("What it recognises"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    symbol = forms.ChoiceField(label=_("Symbol"), choices=BadgeSymbol.choices, initial="star")
    criteria = forms.ChoiceField(
        label=_("How it is earned"),
        choices=BadgeCriteria.choices,
        widget=forms.RadioSelect,
        initial=BadgeCriteria.MANUAL,
    )
    metric = forms.ChoiceField(label=_("Metric"), required=False)
    threshold = forms.DecimalField(
        label=_("Figure to reach"),
        required=False,
        max_digits=20,
        decimal_places=4,
        help_text=_(
            "In the metric's unit: an amount, a count, or a ratio (0.5 for 50 %). For metrics "
            "where lower is better (sales cycle), the figure to stay under."
        ),
    )
    period_kind = forms.ChoiceField(
        label=_("Within one"), required=False, choices=[("", "—"), *PeriodKind.choices]
    )
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["metric"].choices = [("", "—"), *metric_choices()]


class AwardForm(ServiceForm):
    member = MemberChoiceField(
        label=pgettext_lazy("kudos recipient", "To"),
        queryset=None,
        empty_label=_("Choose a person"),
    )
    reason = forms.CharField(
        label=_("Why"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The reason is shown with the badge, to everyone."),
    )

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        members = member_list(actor=actor).exclude(pk=actor.pk)
        if actor.role == Role.MANAGER:
            members = members.filter(visible_members_q(actor=actor))
        self.fields["member"].queryset = members


# --- contests -----------------------------------------------------------------------------


class ContestForm(ServiceForm):
    name = forms.CharField(label=_("Name"), max_length=120)
    description = forms.CharField(
        label=_("Rules and spirit"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    metric = forms.ChoiceField(label=_("Ranked on"))
    starts_on = forms.DateField(label=_("First day"), **DATE)
    ends_on = forms.DateField(label=_("Last day"), **DATE)
    participant_kind = forms.ChoiceField(
        label=_("Who competes"),
        choices=ParticipantKind.choices,
        widget=forms.RadioSelect,
        initial=ParticipantKind.MEMBER,
    )
    members = MembersField(
        label=_("Members"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "check-list"}),
    )
    teams = TeamsField(
        label=_("Teams"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "check-list"}),
    )
    team = TeamChoiceField(
        label=_("For the team"),
        queryset=None,
        required=False,
        empty_label=_("The whole organisation"),
        help_text=_("A manager's contest belongs to one of their teams; everyone in it competes."),
    )

    def __init__(self, *args, actor, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["metric"].choices = metric_choices()
        members = member_list(actor=actor).filter(role__in=[Role.REP, Role.MANAGER])
        teams = team_list(actor=actor)
        if actor.role == Role.MANAGER:
            members = members.filter(visible_members_q(actor=actor))
            q = Q(pk__in=[])
            for path in managed_team_paths(actor=actor):
                q |= Q(path__startswith=path)
            teams = teams.filter(q)
            self.fields["team"].empty_label = None
        self.fields["members"].queryset = members
        self.fields["teams"].queryset = teams
        self.fields["team"].queryset = teams
        for i in range(1, PRIZE_ROWS + 1):
            self.fields[f"prize_{i}"] = forms.CharField(
                label=_("Prize for rank %(rank)s") % {"rank": i}, required=False, max_length=200
            )
            self.fields[f"amount_{i}"] = forms.DecimalField(
                label=_("Amount"), required=False, min_value=0, max_digits=20, decimal_places=4
            )
        if editing:
            del self.fields["team"]
            del self.fields["participant_kind"]

    def prizes(self) -> list[dict]:
        out = []
        for i in range(1, PRIZE_ROWS + 1):
            text = (self.cleaned_data.get(f"prize_{i}") or "").strip()
            amount = self.cleaned_data.get(f"amount_{i}")
            if text or amount is not None:
                out.append({"rank": i, "description": text, "amount": amount})
        return out

    def prize_rows(self):
        return [(self[f"prize_{i}"], self[f"amount_{i}"]) for i in range(1, PRIZE_ROWS + 1)]


# --- commitments --------------------------------------------------------------------------


class CommitmentForm(ServiceForm):
    period = forms.CharField(
        label=_("Period"),
        max_length=16,
        help_text=_("A month (2026-07), a quarter (2026-Q3) or a year (2026)."),
    )
    side = forms.ChoiceField(label=_("Who commits"), choices=Side.choices, widget=forms.RadioSelect)
    kind = forms.ChoiceField(label=_("About"))
    title = forms.CharField(label=_("The commitment"), max_length=200)
    description = forms.CharField(
        label=_("Details"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    owner = MemberChoiceField(
        label=_("Kept by"),
        queryset=None,
        required=False,
        empty_label=_("Me"),
        help_text=_("For the organisation's side: who in the organisation keeps it."),
    )
    due_date = forms.DateField(label=_("Due"), **DATE)

    def __init__(self, *args, actor, member, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        member_kinds = [(k, CommitmentKind(k).label) for k in KINDS_BY_SIDE[Side.MEMBER]]
        org_kinds = [(k, CommitmentKind(k).label) for k in KINDS_BY_SIDE[Side.ORGANISATION]]
        self.fields["kind"].choices = [
            (_("The salesperson"), member_kinds),
            (_("The organisation"), org_kinds),
        ]
        self.fields["owner"].queryset = member_list(actor=actor).exclude(pk=member.pk)
        if editing:
            for name in ("period", "side", "kind"):
                del self.fields[name]


class StatusForm(ServiceForm):
    status = forms.ChoiceField(
        choices=[("kept", _("Kept")), ("missed", _("Missed")), ("open", _("Open"))]
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=1000)


class RenegotiateForm(ServiceForm):
    title = forms.CharField(label=_("New terms"), max_length=200)
    due_date = forms.DateField(label=_("New due date"), **DATE)
    period = forms.CharField(
        label=_("Period"),
        max_length=16,
        required=False,
        help_text=_("Leave empty to stay in the same period."),
    )
    note = forms.CharField(
        label=_("Why the terms change"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
    )


# --- pulse --------------------------------------------------------------------------------


class PulseAnswerForm(ServiceForm):
    motivation = forms.TypedChoiceField(
        label=_("How motivated do you feel about your work these days?"),
        choices=SCORE_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
    )
    support = forms.TypedChoiceField(
        label=_("How well supported do you feel by your manager and the organisation?"),
        choices=SCORE_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
    )
    clarity = forms.TypedChoiceField(
        label=_("How clear is what is expected of you?"),
        choices=SCORE_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Anything to add?"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Shown word for word, without your name, in your team's results — and only when "
            "at least five people answered."
        ),
    )


class PulseSurveyForm(ServiceForm):
    title = forms.CharField(label=pgettext_lazy("heading", "Title"), max_length=120)
    opens_on = forms.DateField(label=_("Opens on"), **DATE)
    closes_on = forms.DateField(label=_("Closes on"), **DATE)
    repeat_days = forms.TypedChoiceField(
        label=_("Repeat"),
        coerce=int,
        initial=0,
        choices=[
            (0, _("Just this once")),
            (14, _("Every two weeks")),
            (28, _("Every four weeks")),
            (91, _("Every quarter (13 weeks)")),
        ],
    )
