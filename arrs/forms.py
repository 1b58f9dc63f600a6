"""Forms for the ARRS pages. Error messages say what to do, as the NHS design system asks."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation

from django import forms

from arrs.models import ArrsRole, PlanRound, RateArea
from imports.sources.readers import parse_date


class PlanUploadForm(forms.Form):
    plan_round = forms.ModelChoiceField(
        queryset=PlanRound.objects.none(),
        error_messages={
            "required": "Select the round this plan is for",
            "invalid_choice": "Select one of the open rounds",
        },
    )
    file = forms.FileField(
        error_messages={
            "required": "Choose the filled-in plan to upload",
            "empty": "The file you chose is empty",
            "invalid": "Choose the filled-in plan to upload",
        }
    )

    def __init__(self, *args, rounds=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if rounds is not None:
            self.fields["plan_round"].queryset = rounds


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[("accept", "Accept the plan"), ("return", "Return it to the PCN")],
        error_messages={"required": "Select whether to accept the plan or return it"},
    )
    comment = forms.CharField(required=False, max_length=2000)

    def clean(self):
        data = super().clean()
        if data.get("decision") == "return" and not (data.get("comment") or "").strip():
            self.add_error("comment", "Say why the plan is being returned")
        return data


class RoundForm(forms.Form):
    financial_year = forms.TypedChoiceField(
        coerce=int, error_messages={"required": "Select the financial year"}
    )
    label = forms.CharField(
        max_length=40,
        error_messages={"required": "Enter a name for the round, for example August"},
    )
    due_on = forms.DateField(
        required=False,
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        error_messages={"invalid": "Enter the date plans are due, like 31/08/2026"},
    )

    def __init__(self, *args, years: list[int], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        from arrs.years import fy_label

        self.fields["financial_year"].choices = [(y, fy_label(y)) for y in years]


def parse_pounds(text: str) -> Decimal | None:
    """'£1,234.50' -> Decimal; blank -> None; ValueError for anything else."""
    cleaned = re.sub(r"[£,\s]", "", text or "")
    if not cleaned:
        return None
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise ValueError(f"'{text.strip()}' is not an amount in pounds") from None
    if not value.is_finite() or value < 0:
        raise ValueError(f"'{text.strip()}' is not an amount of zero or more")
    return value.quantize(Decimal("0.01"))


def parse_wte(text: str) -> Decimal | None:
    """'1.5' -> Decimal; blank -> None (not reported, not zero); ValueError for anything
    else."""
    cleaned = (text or "").strip()
    if not cleaned:
        return None
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise ValueError(f"'{cleaned}' is not a number of WTE, like 2.5") from None
    if not value.is_finite() or not 0 <= value <= 9999:
        raise ValueError(f"'{cleaned}' is not a number of WTE from 0 to 9999")
    if value.as_tuple().exponent < -4:
        raise ValueError(f"'{cleaned}' has more than four decimal places")
    return value


def parse_day(text: str) -> dt.date | None:
    return parse_date(text)


def amount_field_name(role: ArrsRole, area: str) -> str:
    return f"amount-{role.code}-{area}"


AREAS = list(RateArea)
