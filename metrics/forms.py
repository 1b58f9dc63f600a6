"""The upload form: which source a file is, and the file."""

from __future__ import annotations

from django import forms

from metrics.sources import all_sources


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

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["source"].choices = [(s.code, s.title) for s in all_sources()]
