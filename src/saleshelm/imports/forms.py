"""Forms of the import and export pages."""

from __future__ import annotations

import difflib

from django import forms
from django.utils.translation import gettext_lazy as _

from saleshelm.imports.kinds import all_kinds
from saleshelm.imports.kinds.base import Kind
from saleshelm.imports.permissions import can_export, can_import
from saleshelm.imports.reading import header_key

FORMAT_CHOICES = [
    ("native", _("Any CSV or Excel file (I match the columns)")),
    ("hubspot", _("HubSpot export (deals, companies or contacts)")),
    ("salesforce", _("Salesforce report export (opportunities, accounts or contacts)")),
]


class UploadForm(forms.Form):
    kind = forms.ChoiceField(label=_("What the file holds"))
    format = forms.ChoiceField(
        label=_("Where the file comes from"),
        choices=FORMAT_CHOICES,
        initial="native",
        widget=forms.RadioSelect,
    )
    file = forms.FileField(
        label=_("File"),
        help_text=_(
            "CSV (any delimiter; UTF-8 or Windows Vietnamese) or XLSX, first row the column names."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.txt,.xlsx"}),
    )

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [
            (k.name, k.label) for k in all_kinds().values() if can_import(actor=actor, kind=k)
        ]


class ExportForm(forms.Form):
    kind = forms.ChoiceField(label=_("Records"))
    format = forms.ChoiceField(
        label=_("File type"),
        choices=[("csv", "CSV"), ("xlsx", "Excel (XLSX)")],
        initial="csv",
    )

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [
            (k.name, k.label) for k in all_kinds().values() if can_export(actor=actor, kind=k)
        ]


def suggest_mapping(kind: Kind, headers: list[str]) -> dict[str, str]:
    """{column index: native column} by name: exact (case and spaces ignored), an alias, or
    a close spelling ("Owner e-mail" → owner_email). Each native column is used once."""
    names = {header_key(c.name): c.name for c in kind.columns}
    for c in kind.columns:
        for alias in c.aliases:
            names.setdefault(header_key(alias), c.name)
    out: dict[str, str] = {}
    taken: set[str] = set()
    keys = [header_key(h) for h in headers]
    for i, key in enumerate(keys):  # exact matches first, so a fuzzy one never steals them
        target = names.get(key)
        if target and target not in taken:
            out[str(i)] = target
            taken.add(target)
    for i, key in enumerate(keys):
        if str(i) in out or not key:
            continue
        candidates = [k for k, v in names.items() if v not in taken]
        close = difflib.get_close_matches(key, candidates, n=1, cutoff=0.8)
        if close:
            out[str(i)] = names[close[0]]
            taken.add(names[close[0]])
    return out


class MappingForm(forms.Form):
    """One select per column of the file: which native column it fills (or ignore it)."""

    def __init__(
        self,
        *args,
        kind: Kind,
        headers: list[str],
        samples: list[list[str]],
        initial_mapping: dict[str, str],
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.kind = kind
        self.headers = headers
        choices = [("", _("— ignore this column —"))] + [
            (c.name, f"{c.name}{' *' if c.required else ''}") for c in kind.columns
        ]
        self.rows = []
        for i, header in enumerate(headers):
            name = f"col_{i}"
            self.fields[name] = forms.ChoiceField(
                label=header or _("(column %(n)s without a name)") % {"n": i + 1},
                choices=choices,
                required=False,
                initial=initial_mapping.get(str(i), ""),
            )
            example = next((r[i] for r in samples if i < len(r) and r[i].strip()), "")
            self.rows.append({"field_name": name, "header": header, "example": example[:60]})

    def bound_rows(self):
        return [{**row, "field": self[row["field_name"]]} for row in self.rows]

    def clean(self):
        data = super().clean()
        used: dict[str, str] = {}
        for i, header in enumerate(self.headers):
            target = data.get(f"col_{i}") or ""
            if not target:
                continue
            if target in used:
                self.add_error(
                    f"col_{i}",
                    _("%(column)s is already filled from %(other)s.")
                    % {"column": target, "other": used[target]},
                )
            used[target] = header or str(i + 1)
        missing = [name for name in self.kind.required_columns() if name not in used]
        for group in getattr(self.kind, "required_one_of", ()):
            if not set(group) & used.keys():
                missing.append(" / ".join(group))
        if missing:
            raise forms.ValidationError(
                _("Choose a column for: %(columns)s.") % {"columns": ", ".join(missing)}
            )
        return data

    def mapping(self) -> dict[str, str]:
        return {
            str(i): self.cleaned_data[f"col_{i}"]
            for i in range(len(self.headers))
            if self.cleaned_data.get(f"col_{i}")
        }
