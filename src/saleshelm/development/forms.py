"""Forms of the development pages. They collect input; the services decide (STYLE.md)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from saleshelm.core.errors import ApplicationError
from saleshelm.development.models import (
    LEVELS,
    FeedbackKind,
    GoalStatus,
    ObservationType,
    SignalRule,
    SignalStatus,
    StoryKind,
    Visibility,
)
from saleshelm.development.selectors import competency_list
from saleshelm.people.selectors import member_list, visible_members_q
from saleshelm.tenancy.roles import Role

DATE: dict[str, Any] = {
    "widget": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    "input_formats": ["%Y-%m-%d"],
}


class ServiceForm(forms.Form):
    """A form whose save calls a service; an ApplicationError becomes a form error."""

    def add_application_error(self, exc: ApplicationError) -> None:
        field = exc.field if exc.field in self.fields else None
        self.add_error(field, exc.message)


class MemberChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        team = getattr(getattr(obj, "profile", None), "team", None)
        return f"{obj.user.get_full_name()} · {team.name}" if team else obj.user.get_full_name()


def coached_members(actor):
    """The active members an actor may coach: reps and managers below them (not themself)."""
    return (
        member_list(actor=actor)
        .filter(role__in=[Role.REP, Role.MANAGER])
        .filter(visible_members_q(actor=actor))
        .exclude(pk=actor.pk)
    )


def _competency_field(actor, *, label=None, required=False):
    return forms.ModelChoiceField(
        label=label or _("Competency"),
        queryset=competency_list(actor=actor),
        required=required,
        empty_label=_("None"),
    )


class FeedbackForm(ServiceForm):
    subject = MemberChoiceField(label=_("About"), queryset=None, empty_label=_("Choose a person"))
    kind = forms.ChoiceField(
        label=_("Kind"), choices=FeedbackKind.choices, widget=forms.RadioSelect, initial="praise"
    )
    body = forms.CharField(
        label=_("Feedback"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Specific and kind: what happened, its effect, what to keep or change."),
    )
    visibility = forms.ChoiceField(
        label=_("Who can read it"),
        choices=Visibility.choices,
        widget=forms.RadioSelect,
        initial=Visibility.SHARED,
        help_text=_("Private feedback is read by the two of you only — not by managers or admins."),
    )
    competency: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Competency"), queryset=None, required=False
    )
    # Set when feedback is given from a deal (``?opportunity=``); checked by the view.
    opportunity = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["subject"].queryset = member_list(actor=actor).exclude(pk=actor.pk)
        self.fields["competency"] = _competency_field(actor)


class FeedbackRequestForm(ServiceForm):
    recipient = MemberChoiceField(
        label=_("Ask"), queryset=None, empty_label=_("Choose a colleague")
    )
    subject = MemberChoiceField(
        label=_("About"),
        queryset=None,
        required=False,
        empty_label=_("Me"),
        help_text=_("As a manager you may ask about a member of your team."),
    )
    message = forms.CharField(
        label=_("What would help"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    competency: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Competency"), queryset=None, required=False
    )
    due_date = forms.DateField(label=pgettext_lazy("due date", "By"), required=False, **DATE)

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["recipient"].queryset = member_list(actor=actor).exclude(pk=actor.pk)
        self.fields["subject"].queryset = coached_members(actor)
        self.fields["competency"] = _competency_field(actor)


class CheckInScheduleForm(ServiceForm):
    member = MemberChoiceField(label=_("With"), queryset=None, empty_label=_("Choose a member"))
    scheduled_for = forms.DateField(label=_("Date"), **DATE)
    every_days = forms.TypedChoiceField(
        label=_("Repeat"),
        coerce=int,
        required=False,
        empty_value=None,
        choices=[
            ("", _("Just this once")),
            (7, _("Every week")),
            (14, _("Every two weeks")),
            (21, _("Every three weeks")),
            (28, _("Every four weeks")),
        ],
    )

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = coached_members(actor)


class CheckInNotesForm(ServiceForm):
    notes = forms.CharField(
        label=_("Notes"),
        required=False,
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 7}),
        help_text=_("Seen by the two of you and the managers above."),
    )


class ActionItemForm(ServiceForm):
    text = forms.CharField(label=_("Action"), max_length=300)
    owner = forms.ChoiceField(label=_("Owner"))
    due_date = forms.DateField(label=_("Due"), required=False, **DATE)

    def __init__(self, *args, check_in, **kwargs):
        super().__init__(*args, **kwargs)
        self.check_in = check_in
        self.fields["owner"].choices = [
            (str(check_in.member_id), check_in.member.user.get_full_name()),
            (str(check_in.manager_id), check_in.manager.user.get_full_name()),
        ]

    def owner_member(self):
        owner_id = int(self.cleaned_data["owner"])
        c = self.check_in
        return c.member if owner_id == c.member_id else c.manager


class CoachingSessionForm(ServiceForm):
    member = MemberChoiceField(label=_("Member"), queryset=None, empty_label=_("Choose a member"))
    held_on = forms.DateField(label=_("Date"), **DATE)
    observation_type = forms.ChoiceField(label=_("Observation"), choices=ObservationType.choices)
    focus_competency: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Focus"), queryset=None, required=False
    )
    observations = forms.CharField(
        label=_("What I observed"),
        required=False,
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    agreed_actions = forms.CharField(
        label=_("Agreed actions"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One per line."),
    )
    follow_up_on = forms.DateField(label=_("Follow up on"), required=False, **DATE)

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = coached_members(actor)
        self.fields["focus_competency"] = _competency_field(actor, label=_("Focus competency"))

    def clean_agreed_actions(self) -> list[str]:
        lines = [x.strip() for x in self.cleaned_data.get("agreed_actions", "").splitlines()]
        lines = [x for x in lines if x]
        if len(lines) > 20:
            raise forms.ValidationError(_("At most 20 actions."))
        return lines


class PlanForm(ServiceForm):
    member = MemberChoiceField(label=_("For"), queryset=None, empty_label=None)
    title = forms.CharField(label=pgettext_lazy("heading", "Title"), max_length=200)

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        from saleshelm.tenancy.models import Membership

        coached = coached_members(actor)
        self.fields["member"].queryset = Membership.objects.filter(
            pk__in=[actor.pk, *coached.values_list("pk", flat=True)]
        ).select_related("user", "profile__team")
        self.fields["member"].initial = actor.pk


class GoalForm(ServiceForm):
    title = forms.CharField(label=_("Goal"), max_length=200)
    competency: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Competency"), queryset=None, required=False
    )
    target_level = forms.TypedChoiceField(
        label=_("Target level"),
        coerce=int,
        required=False,
        empty_value=None,
        choices=[("", "—"), *[(n, str(n)) for n in LEVELS]],
    )
    due_date = forms.DateField(label=_("Due"), required=False, **DATE)
    actions = forms.CharField(
        label=_("How"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["competency"] = _competency_field(actor)


class GoalProgressForm(ServiceForm):
    progress = forms.IntegerField(label=_("Progress (%)"), min_value=0, max_value=100)
    status = forms.ChoiceField(label=_("Status"), choices=GoalStatus.choices)


class CycleForm(ServiceForm):
    name = forms.CharField(label=_("Name"), max_length=120)
    opens_on = forms.DateField(label=_("Opens on"), **DATE)
    self_due = forms.DateField(label=_("Self-assessments due"), **DATE)
    manager_due = forms.DateField(label=_("Manager assessments due"), **DATE)
    include_managers = forms.BooleanField(label=_("Include managers"), required=False)

    def __init__(self, *args, **kwargs):
        today = timezone.localdate()
        kwargs.setdefault(
            "initial",
            {
                "opens_on": today,
                "self_due": today + dt.timedelta(days=14),
                "manager_due": today + dt.timedelta(days=28),
            },
        )
        super().__init__(*args, **kwargs)


def rating_field_name(competency_id: int, what: str) -> str:
    return f"c{competency_id}_{what}"


class AssessmentForm(ServiceForm):
    """One level and one evidence field per competency of the assessment."""

    def __init__(self, *args, rows, side: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = rows
        self.side = side
        for row in rows:
            choices = [("", "—")] + [
                (str(n), f"{n} · {row.descriptor(n)}" if row.descriptor(n) else str(n))
                for n in LEVELS
            ]
            current = row.self_level if side == "self" else row.manager_level
            evidence = row.self_evidence if side == "self" else row.manager_evidence
            self.fields[rating_field_name(row.competency_id, "level")] = forms.TypedChoiceField(
                label=row.name,
                choices=choices,
                coerce=int,
                empty_value=None,
                required=False,
                initial=current,
            )
            self.fields[rating_field_name(row.competency_id, "evidence")] = forms.CharField(
                label=_("Evidence"),
                required=False,
                max_length=4000,
                initial=evidence,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
        if side == "manager":
            self.fields["summary"] = forms.CharField(
                label=_("Summary"),
                required=False,
                max_length=4000,
                widget=forms.Textarea(attrs={"rows": 3}),
            )

    def pairs(self):
        for row in self.rows:
            yield (
                row,
                self[rating_field_name(row.competency_id, "level")],
                self[rating_field_name(row.competency_id, "evidence")],
            )

    def ratings(self):
        from saleshelm.development.services import RatingInput

        return [
            RatingInput(
                competency_id=row.competency_id,
                level=self.cleaned_data.get(rating_field_name(row.competency_id, "level")),
                evidence=self.cleaned_data.get(rating_field_name(row.competency_id, "evidence"))
                or "",
            )
            for row in self.rows
        ]


class SignalFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All")), *SignalStatus.choices]
    )
    rule = forms.ChoiceField(
        label=_("Rule"), required=False, choices=[("", _("All rules")), *SignalRule.choices]
    )
    scope = forms.ChoiceField(
        label=_("Whose"),
        required=False,
        choices=[
            ("", _("Mine and escalated to me")),
            ("mine", _("Mine")),
            ("team", _("My team's")),
        ],
    )

    def value(self, name: str) -> str:
        if not self.is_bound:
            return self.fields[name].initial or ""
        self.is_valid()
        return self.cleaned_data.get(name) or ""


class SignalSettingsForm(ServiceForm):
    behind_pace_enabled = forms.BooleanField(label=_("Behind pace"), required=False)
    behind_pace_by = forms.IntegerField(
        label=_("Behind pace by more than (%)"), min_value=0, max_value=100
    )
    behind_pace_from_day = forms.IntegerField(
        label=_("From day of the period"), min_value=1, max_value=92
    )
    pace_period = forms.ChoiceField(
        label=_("Period"), choices=[("month", _("Month")), ("quarter", _("Quarter"))]
    )
    low_coverage_enabled = forms.BooleanField(label=_("Pipeline coverage"), required=False)
    coverage_below = forms.DecimalField(
        label=_("Coverage below (×)"), min_value=0, max_value=100, decimal_places=2
    )
    activity_drop_enabled = forms.BooleanField(label=_("Activity drop"), required=False)
    activity_drop_by = forms.IntegerField(
        label=_("Activity down by more than (%)"), min_value=0, max_value=100
    )
    activity_min_weekly = forms.IntegerField(
        label=_("Only from a weekly average of"), min_value=0, max_value=1000
    )
    stalled_enabled = forms.BooleanField(label=_("Stalled deals"), required=False)
    stalled_days = forms.IntegerField(label=_("Stalled after (days)"), min_value=1, max_value=365)
    no_next_step_enabled = forms.BooleanField(label=_("Deals without next step"), required=False)
    no_next_step_grace_days = forms.IntegerField(
        label=_("Grace for new deals (days)"), min_value=0, max_value=90
    )
    commitments_enabled = forms.BooleanField(label=_("Overdue commitments"), required=False)
    escalate_after_days = forms.IntegerField(
        label=_("Escalate to the manager after (days)"), min_value=0, max_value=60
    )

    PERCENT_FIELDS = ("behind_pace_by", "activity_drop_by")

    @classmethod
    def initial_from(cls, settings) -> dict:
        data = {name: getattr(settings, name) for name in cls.base_fields}
        for name in cls.PERCENT_FIELDS:
            data[name] = int(getattr(settings, name) * 100)
        return data

    def values(self) -> dict:
        data = dict(self.cleaned_data)
        for name in self.PERCENT_FIELDS:
            data[name] = Decimal(data[name]) / 100
        return data


class StoryForm(ServiceForm):
    kind = forms.ChoiceField(label=_("Kind"), choices=StoryKind.choices, widget=forms.RadioSelect)
    title = forms.CharField(label=pgettext_lazy("heading", "Title"), max_length=200)
    body = forms.CharField(
        label=_("Story"),
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_(
            "The situation, what you did, what made the difference, what others can reuse."
        ),
    )
    opportunity: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Deal"), queryset=None, required=False, empty_label=_("None")
    )
    segment = forms.CharField(label=_("Segment"), max_length=120, required=False)
    industry = forms.CharField(
        label=_("Industry"),
        max_length=100,
        required=False,
        help_text=_("Taken from the deal's account when left empty."),
    )
    competencies: forms.ModelMultipleChoiceField = forms.ModelMultipleChoiceField(
        label=_("Competencies"), queryset=None, required=False
    )

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        from saleshelm.crm.selectors import opportunity_list

        # The deals a story is usually about: the author's own won deals.
        self.fields["opportunity"].queryset = opportunity_list(
            actor=actor, owner_id=actor.pk, state="won"
        )
        self.fields["competencies"].queryset = competency_list(actor=actor)
        self.fields["competencies"].widget.attrs["size"] = 6


class FrameworkLoadForm(ServiceForm):
    framework = forms.ChoiceField(
        label=_("Starter framework"),
        choices=[("b2b", _("B2B sales")), ("retail", _("Retail and field sales"))],
    )
    language = forms.ChoiceField(
        label=_("Language"), choices=[("en", _("English")), ("vi", _("Vietnamese"))]
    )
