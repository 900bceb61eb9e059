"""Form fields shared by the apps."""

from __future__ import annotations

import unicodedata

from django import forms
from django.utils.formats import get_format


def ungroup(text: str) -> str:
    """``"1,234,567.50"`` (English) or ``"1.234.567,50"`` (Vietnamese) as Django's localized
    fields expect them, without the grouping: a person types amounts as they read them.

    Templates never group a bare number (settings.USE_THOUSAND_SEPARATOR is off, so ids stay
    plain); input still accepts grouping, with Django's own rule for an ambiguous "." (one dot
    not followed by exactly three digits is a decimal mark, "12.5" in Vietnamese)."""
    value = text.strip()
    decimal_mark = get_format("DECIMAL_SEPARATOR")
    thousands = get_format("THOUSAND_SEPARATOR")
    whole, mark, decimals = value.partition(decimal_mark)
    if thousands == "." and whole.count(".") == 1 and len(whole.split(".")[-1]) != 3:
        return value
    for separator in {thousands, unicodedata.normalize("NFKD", thousands), "\u00a0", "\u202f"}:
        whole = whole.replace(separator, "")
    return whole + mark + decimals


def delocalize_number(text: str) -> str:
    """A number as the reader typed it -> the plain form ``Decimal`` reads ("1.234,5" in
    Vietnamese, "1,234.5" in English -> "1234.5")."""
    whole, mark, decimals = ungroup(text).partition(get_format("DECIMAL_SEPARATOR"))
    return whole + ("." if mark else "") + decimals


class LocalizedDecimalField(forms.DecimalField):
    """A decimal typed in the reader's language, grouping allowed."""

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("localize", True)
        super().__init__(**kwargs)

    def to_python(self, value):
        if isinstance(value, str):
            value = ungroup(value)
        return super().to_python(value)
