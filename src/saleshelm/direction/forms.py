"""Forms of the direction pages. They only collect input; the services decide (STYLE.md)."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from saleshelm.core.errors import ApplicationError
from saleshelm.direction.models import (
    GoalLevel,
    GoalStatus,
    KeyResultScope,
    KeyResultSource,
)
from saleshelm.direction.segments import CUSTOM_KEYS
from saleshelm.direction.selectors import metrics
from saleshelm.direction.selectors.vision import goal_list
from saleshelm.people.selectors import member_list, team_list

TEXTAREA = {"rows": 4}


class ServiceForm(forms.Form):
    """A form whose save calls a service; an ApplicationError becomes a form error."""

    def add_application_error(self, exc: ApplicationError) -> None:
        field = exc.field if exc.field in self.fields else None
        if field is None and exc.field:
            # "scope_team" and friends: the form field may carry another name.
            field = next((f for f in self.fields if exc.field.startswith(f)), None)
        self.add_error(field, exc.message)


class MemberChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.user.get_full_name()


class TeamChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{'— ' * obj.depth}{obj.name}"


class GoalChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.title} ({obj.get_level_display()}, {obj.period})"


def lines(value: str) -> list[str]:
    return [line.strip() for line in (value or "").splitlines() if line.strip()]


def words(value: str) -> list[str]:
    """Comma- or line-separated entries: "Retail, Food & beverage"."""
    return [w.strip() for w in (value or "").replace("\n", ",").split(",") if w.strip()]


class LinesField(forms.CharField):
    """One entry per line in a textarea; cleans to a list."""

    widget: type[forms.Widget] | forms.Widget = forms.Textarea(attrs=TEXTAREA)

    def __init__(self, *args, max_items: int = 20, **kwargs):
        self.max_items = max_items
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def prepare_value(self, value):
        if isinstance(value, list | tuple):
            return "\n".join(value)
        return value

    def clean(self, value):
        items = lines(super().clean(value))
        if len(items) > self.max_items:
            raise forms.ValidationError(
                _("List at most %(n)s entries, one per line.") % {"n": self.max_items}
            )
        return items


class WordsField(LinesField):
    """Entries separated by commas or lines."""

    widget = forms.TextInput()

    def prepare_value(self, value):
        if isinstance(value, list | tuple):
            return ", ".join(value)
        return value

    def clean(self, value):
        items = words(forms.CharField.clean(self, value))
        if len(items) > self.max_items:
            raise forms.ValidationError(_("List at most %(n)s entries.") % {"n": self.max_items})
        return items


# --- vision and goals ------------------------------------------------------------------------


class VisionForm(ServiceForm):
    statement = forms.CharField(
        label=_("Vision statement"),
        max_length=2000,
        widget=forms.Textarea(attrs=TEXTAREA),
        help_text=_("Where the organisation is going, in a sentence or two."),
    )
    horizon = forms.IntegerField(
        label=_("Horizon (year)"),
        required=False,
        min_value=2000,
        max_value=2100,
        help_text=_("The year by which the vision should be true."),
    )
    at_risk_points = forms.IntegerField(
        label=_("At-risk tolerance (percentage points)"),
        min_value=0,
        max_value=100,
        initial=10,
        help_text=_(
            "A goal is flagged at risk when its progress is behind the share of its period "
            "gone by by more than this."
        ),
    )

    @property
    def threshold(self) -> Decimal:
        return Decimal(self.cleaned_data["at_risk_points"]) / 100


PERIOD_HELP = _("A year (2026), a quarter (2026-Q3) or a month (2026-07) of the fiscal calendar.")


class GoalForm(ServiceForm):
    title = forms.CharField(label=pgettext_lazy("heading", "Title"), max_length=200)
    level = forms.ChoiceField(label=_("Level"), choices=GoalLevel.choices)
    parent = GoalChoiceField(
        label=_("Serves"),
        queryset=None,
        required=False,
        empty_label=_("Nothing above it (a top goal)"),
        help_text=_("The goal this one contributes to."),
    )
    period = forms.CharField(label=_("Period"), max_length=16, help_text=PERIOD_HELP)
    owner = MemberChoiceField(
        label=_("Owner"), queryset=None, required=False, empty_label=_("No single owner")
    )
    team = TeamChoiceField(label=_("Team"), queryset=None, required=False, empty_label=_("No team"))
    weight = forms.DecimalField(
        label=_("Weight"),
        min_value=Decimal("0.0001"),
        max_value=1000,
        decimal_places=4,
        initial=1,
        help_text=_("How much this goal counts in the progress of the goal it serves."),
    )
    status = forms.ChoiceField(label=_("Status"), choices=GoalStatus.choices)
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs=TEXTAREA),
    )

    def __init__(self, *args, actor, goal=None, **kwargs):
        super().__init__(*args, **kwargs)
        parents = goal_list(actor=actor)
        if goal is not None:
            parents = parents.exclude(pk=goal.pk)
        self.fields["parent"].queryset = parents
        self.fields["owner"].queryset = member_list(actor=actor)
        self.fields["team"].queryset = team_list(actor=actor).order_by("path")
        self.fields["title"].widget.attrs["autofocus"] = True


class KeyResultForm(ServiceForm):
    name = forms.CharField(label=_("Name"), max_length=200)
    source = forms.ChoiceField(
        label=_("Measured by"),
        choices=KeyResultSource.choices,
        widget=forms.RadioSelect,
        initial=KeyResultSource.MANUAL,
    )
    metric = forms.ChoiceField(
        label=_("Metric"),
        required=False,
        help_text=_("Read live from the performance figures."),
    )
    scope = forms.ChoiceField(
        label=_("Measured for"), choices=KeyResultScope.choices, initial=KeyResultScope.ORGANISATION
    )
    scope_team = TeamChoiceField(
        label=_("Team measured"), queryset=None, required=False, empty_label="—"
    )
    scope_member = MemberChoiceField(
        label=_("Member measured"), queryset=None, required=False, empty_label="—"
    )
    period = forms.CharField(
        label=_("Period"),
        max_length=16,
        required=False,
        help_text=_("Leave empty to use the goal's period."),
    )
    start_value = forms.DecimalField(
        label=_("Start value"), max_digits=20, decimal_places=4, initial=0
    )
    target_value = forms.DecimalField(
        label=_("Target value"),
        max_digits=20,
        decimal_places=4,
        required=False,
        help_text=_("For a live metric, leave empty to use the target set in Performance."),
    )
    unit = forms.CharField(label=_("Unit"), max_length=24, required=False)
    weight = forms.DecimalField(
        label=_("Weight"), min_value=Decimal("0.0001"), max_value=1000, decimal_places=4, initial=1
    )

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["metric"].choices = [("", "—"), *metrics.metric_choices()]
        self.fields["scope_team"].queryset = team_list(actor=actor).order_by("path")
        self.fields["scope_member"].queryset = member_list(actor=actor)
        self.fields["name"].widget.attrs["autofocus"] = True


class CheckInForm(ServiceForm):
    value = forms.DecimalField(label=_("Value now"), max_digits=20, decimal_places=4)
    date = forms.DateField(
        label=_("As of"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d"],
    )
    note = forms.CharField(label=_("Note"), max_length=2000, required=False)


def goal_choices(*, actor) -> list:
    """Goals a deal can serve (every goal but the cancelled ones)."""
    return list(goal_list(actor=actor).exclude(status=GoalStatus.CANCELLED))


class DealGoalForm(forms.Form):
    goal = GoalChoiceField(
        label=_("Serves goal"), queryset=None, required=False, empty_label=_("No goal")
    )

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["goal"].queryset = goal_list(actor=actor).exclude(status=GoalStatus.CANCELLED)


class TargetLinkForm(forms.Form):
    """Which target serves the goal: one of ``linkable_targets`` (the template renders the
    choices itself, grouped by period)."""

    target: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Target"),
        queryset=None,
        error_messages={
            "invalid_choice": _("Choose a target of this goal’s period that you may set."),
            "required": _("Choose a target to link."),
        },
    )

    def __init__(self, *args, targets: list, **kwargs):
        from saleshelm.performance.models import Target

        super().__init__(*args, **kwargs)
        field = self.fields["target"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Target.objects.filter(pk__in=[t.pk for t in targets])


class PeriodForm(forms.Form):
    period = forms.CharField(label=_("Period"), max_length=16, required=False)


# --- mission and strategy --------------------------------------------------------------------


class MissionForm(ServiceForm):
    statement = forms.CharField(
        label=_("Mission statement"),
        max_length=2000,
        widget=forms.Textarea(attrs=TEXTAREA),
        help_text=_("Why the organisation exists and whom it serves."),
    )
    culture = forms.CharField(
        label=_("Culture"),
        required=False,
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("How we work together: what a new colleague should know on day one."),
    )


class ValueForm(ServiceForm):
    name = forms.CharField(label=_("Name"), max_length=120)
    description = forms.CharField(
        label=_("What it means"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    behaviours = LinesField(
        label=_("Behaviours that show it"),
        help_text=_("One per line, things anyone could see someone do."),
    )


class OfferingForm(ServiceForm):
    name = forms.CharField(label=_("Name"), max_length=120)
    value_proposition = forms.CharField(
        label=_("Value proposition"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs=TEXTAREA),
    )
    differentiators = LinesField(label=_("Differentiators"), help_text=_("One per line."))
    product_categories: forms.ModelMultipleChoiceField = forms.ModelMultipleChoiceField(
        label=_("Product categories"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, actor, **kwargs):
        from saleshelm.crm.selectors import category_list

        super().__init__(*args, **kwargs)
        self.fields["product_categories"].queryset = category_list(actor=actor).order_by("name")


class CompetitorForm(ServiceForm):
    name = forms.CharField(label=_("Name"), max_length=120)
    website = forms.CharField(label=_("Website"), max_length=200, required=False)
    strengths = LinesField(label=_("Their strengths"), help_text=_("One per line."))
    weaknesses = LinesField(label=_("Their weaknesses"), help_text=_("One per line."))
    how_we_win = forms.CharField(
        label=_("How we win"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs=TEXTAREA),
    )


CUSTOM_HELP = _(
    "One condition per line, written key = value. Keys: %(keys)s. A lead is judged on its "
    "own source, company, email domain and status, and once converted on its account too."
)


class SegmentForm(ServiceForm):
    name = forms.CharField(label=_("Name"), max_length=120)
    priority = forms.IntegerField(
        label=_("Priority"),
        min_value=1,
        max_value=1000,
        initial=1,
        help_text=_(
            "1 is tried first. The best priority in use gives grade A, the next B, the rest C."
        ),
    )
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)
    industries = WordsField(
        label=_("Industries"), max_items=50, help_text=_("Any of these, separated by commas.")
    )
    employees_min = forms.IntegerField(
        label=_("Employees from"), required=False, min_value=0, max_value=10_000_000
    )
    employees_max = forms.IntegerField(
        label=_("Employees up to"), required=False, min_value=0, max_value=10_000_000
    )
    regions = WordsField(label=_("Regions"), max_items=50, help_text=_("Any of these."))
    countries = WordsField(
        label=_("Countries"), max_items=50, help_text=_("Codes or names, e.g. VN, Vietnam.")
    )
    custom = forms.CharField(
        label=_("Other conditions"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["custom"].help_text = CUSTOM_HELP % {"keys": ", ".join(sorted(CUSTOM_KEYS))}

    def clean_custom(self) -> list[dict[str, str]]:
        out = []
        for line in lines(self.cleaned_data.get("custom", "")):
            key, sep, value = line.partition("=")
            if not sep:
                raise forms.ValidationError(
                    _("Write each condition as key = value: %(line)s") % {"line": line}
                )
            out.append({"key": key.strip().lower(), "value": value.strip()})
        return out

    @staticmethod
    def custom_text(custom: list[dict[str, str]]) -> str:
        return "\n".join(f"{c['key']} = {c['value']}" for c in custom)
