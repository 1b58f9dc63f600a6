"""Forms: the upload form (which source a file is, and the file) and the baseline choice."""

from __future__ import annotations

import datetime as dt

from django import forms

from core import presenters
from core.access import Scope
from imports.registry import all_sources
from metrics.measures.context import DEFAULT_BASELINE_YEAR
from metrics.uploads import max_upload_bytes, max_upload_text, too_large_message


class UploadForm(forms.Form):
    source = forms.ChoiceField(
        error_messages={
            "required": "Select what kind of file this is",
            "invalid_choice": "Select one of the listed kinds of file",
        }
    )
    file = forms.FileField(
        error_messages={
            "required": "Choose the file to load",
            "empty": "The file you chose is empty",
            "invalid": "Choose the file to load",
        }
    )

    def __init__(self, *args, scope: Scope, refused: str | None = None, **kwargs) -> None:
        """``refused``: why the upload was stopped as it streamed in (metrics.uploads)."""
        super().__init__(*args, **kwargs)
        self.refused = refused
        self.fields["source"].choices = [
            (s.code, s.title) for s in all_sources() if scope.may_load(s.writes)
        ]

    @property
    def max_upload(self) -> str:
        return max_upload_text()

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > max_upload_bytes():
            raise forms.ValidationError(too_large_message())
        return upload

    def full_clean(self) -> None:
        super().full_clean()
        if self.is_bound and self.refused:
            self._errors["file"] = self.error_class([self.refused])
            self.cleaned_data.pop("file", None)


class BaselineForm(forms.Form):
    month = forms.ChoiceField(label="Baseline month", required=False)

    def __init__(self, *args, months: list[dt.date], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        choices = [("", f"The same month of {DEFAULT_BASELINE_YEAR} (pre-Covid)")]
        choices += [(m.isoformat(), presenters.month(m)) for m in months]
        self.fields["month"].choices = choices

    def chosen(self) -> dt.date | None:
        value = self.cleaned_data["month"]
        return dt.date.fromisoformat(value) if value else None
