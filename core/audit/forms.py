"""The audit log's filters: kind of change and a range of days."""

from __future__ import annotations

from django import forms

from core.audit.models import EventKind

DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]


class AuditFilterForm(forms.Form):
    kind = forms.ChoiceField(choices=[("", "All kinds"), *EventKind.choices], required=False)
    since = forms.DateField(
        required=False,
        input_formats=DATE_FORMATS,
        error_messages={"invalid": "Enter the first day as a real date, like 2026-12-01"},
    )
    until = forms.DateField(
        required=False,
        input_formats=DATE_FORMATS,
        error_messages={"invalid": "Enter the last day as a real date, like 2026-12-31"},
    )

    def clean(self) -> dict:
        data = super().clean()
        since, until = data.get("since"), data.get("until")
        if since and until and until < since:
            self.add_error("until", "The last day must be the same as or after the first day")
        return data

    def filters(self) -> dict:
        """The filters to apply: none from a form with errors."""
        if not self.is_valid():
            return {}
        return {key: self.cleaned_data[key] for key in ("kind", "since", "until")}
