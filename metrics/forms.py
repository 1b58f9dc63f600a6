"""Forms: the upload form (which source a file is, and the file), the baseline choice and an
ICB's key measures."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from django import forms
from django.http import QueryDict

from core import presenters
from core.access import Scope
from imports.registry import all_sources
from metrics.measures.context import DEFAULT_BASELINE_YEAR
from metrics.measures.key_measures import KeyMeasureItem, KeyMeasures
from metrics.models import MeasureDefinition
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


@dataclass
class KeyMeasureRow:
    """One row of the key measures form, as shown (what was saved, or what was posted)."""

    field: str  # the suffix of the row's fields: its index in the list, or "add"
    definition: MeasureDefinition
    position: str
    target: str
    basis: str
    remove: bool = False


class KeyMeasuresForm:
    """The key measures page's form: a row per measure in the list (its place, target, where
    the target comes from, and a box to remove it) and one row to add a measure. Checked
    into the list to save, with each problem said in plain English against its field."""

    def __init__(self, data: QueryDict, definitions: dict[str, MeasureDefinition]) -> None:
        self.data = data
        self.definitions = definitions  # every measure that may be chosen
        self.errors: dict[str, str] = {}
        self.rows = self._posted_rows()
        self.chosen = self._chosen_rows()

    def _posted_rows(self) -> list[KeyMeasureRow]:
        rows = []
        for index in range(_whole(self.data.get("rows")) or 0):
            definition = self.definitions.get(self.data.get(f"code-{index}", ""))
            if definition is not None:
                rows.append(self._posted(str(index), definition))
        return rows

    def _posted(self, suffix: str, definition: MeasureDefinition) -> KeyMeasureRow:
        return KeyMeasureRow(
            field=suffix,
            definition=definition,
            position=self.data.get(f"position-{suffix}", "").strip(),
            target=self.data.get(f"target-{suffix}", "").strip(),
            basis=self.data.get(f"basis-{suffix}", "").strip(),
            remove=bool(self.data.get(f"remove-{suffix}")),
        )

    def _chosen_rows(self) -> list[KeyMeasureRow]:
        kept = [row for row in self.rows if not row.remove]
        code = self.data.get("code-add", "")
        if not code:
            return kept
        definition = self.definitions.get(code)
        if definition is None:
            self.errors["code-add"] = "Choose a measure from the list"
        elif any(row.definition.code == code for row in kept):
            self.errors["code-add"] = f"{definition.title} is already a key measure"
        else:
            kept.append(self._posted("add", definition))
        return kept

    def is_valid(self) -> bool:
        self.items = self._items()
        if not self.items and not self.errors:
            self.errors["rows"] = "Keep at least one key measure"
        return not self.errors

    def _items(self) -> list[KeyMeasureItem]:
        placed = []
        for order, row in enumerate(self.chosen, start=1):
            position = self._position(row, order)
            target = self._target(row)
            basis = self._basis(row, target)
            item = KeyMeasureItem(row.definition.code, target, basis)
            placed.append((position, not _moved(row), order, item))
        # A measure moved to a place comes before the one that was there.
        return [found[-1] for found in sorted(placed, key=lambda found: found[:3])]

    def _position(self, row: KeyMeasureRow, order: int) -> int:
        if not row.position:
            return order
        found = _whole(row.position)
        if found is None or found < 1:
            self.errors[f"position-{row.field}"] = (
                f"Enter the place of {row.definition.title} in the list as a whole number, like 3"
            )
            return order
        return found

    def _target(self, row: KeyMeasureRow) -> float | None:
        if not row.target:
            return None
        title, name = row.definition.title, f"target-{row.field}"
        found = _number(row.target.removesuffix("%"))
        if found is None:
            self.errors[name] = f"Enter the target for {title} as a number, like 85"
        elif row.definition.unit == "%" and not 0 <= found <= 100:
            self.errors[name] = f"The target for {title} must be between 0 and 100, as it is a %"
        elif found < 0:
            self.errors[name] = f"The target for {title} cannot be below 0"
        return found

    def _basis(self, row: KeyMeasureRow, target: float | None) -> str:
        title, name = row.definition.title, f"basis-{row.field}"
        if target is None:
            return ""
        if not row.basis:
            self.errors[name] = (
                f"Say where the target for {title} comes from, such as the ICB's ambition"
            )
        elif len(row.basis) > BASIS_LENGTH:
            self.errors[name] = (
                f"Keep where the target for {title} comes from to {BASIS_LENGTH} characters"
            )
        return row.basis


BASIS_LENGTH = 300


def key_measure_rows(measures: KeyMeasures) -> list[KeyMeasureRow]:
    """The rows of the form as the list is now."""
    return [
        KeyMeasureRow(
            field=str(index),
            definition=item.definition,
            position=str(index + 1),
            target="" if item.target is None else f"{item.target:g}",
            basis=item.target_basis,
        )
        for index, item in enumerate(measures.key)
    ]


def _moved(row: KeyMeasureRow) -> bool:
    if row.field == "add":
        return bool(row.position)
    return bool(row.position) and row.position != str(int(row.field) + 1)


def _whole(text: str | None) -> int | None:
    try:
        return int((text or "").strip())
    except ValueError:
        return None


def _number(text: str) -> float | None:
    try:
        found = float(text.strip().replace(",", ""))
    except ValueError:
        return None
    return found if math.isfinite(found) else None
