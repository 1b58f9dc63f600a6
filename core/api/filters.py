"""Query parameters several lists share: ODS codes in any case, and months as YYYY-MM."""

from __future__ import annotations

import datetime as dt

import django_filters
from django import forms


class UpperCharFilter(django_filters.CharFilter):
    """An ODS code, in any case."""

    def filter(self, qs, value):
        return super().filter(qs, value.strip().upper() if value else value)


class MonthField(forms.CharField):
    """YYYY-MM, read as the first of that month."""

    def to_python(self, value) -> dt.date | None:
        text = super().to_python(value)
        if not text:
            return None
        try:
            return dt.datetime.strptime(text.strip(), "%Y-%m").date()
        except ValueError:
            raise forms.ValidationError(
                f"Give the month as YYYY-MM, for example 2025-03 (not {text!r})."
            ) from None


class MonthFilter(django_filters.CharFilter):
    """A month given as YYYY-MM, compared with a first-of-month date field. (A string in
    the schema; its label says the format.)"""

    field_class = MonthField
