"""The form that asks for a board pack: its month and its cover sheet."""

from __future__ import annotations

import datetime as dt

from django import forms

from board.pack.services import Cover
from core.presenters import month as month_label

DEFAULT_PURPOSE = (
    "To give the board a view of access to general practice: whether it is improving, where it "
    "is not, and what needs escalating."
)
DEFAULT_ASK = (
    "The board is asked to note the position, the special-cause variation and the practices "
    "and PCNs that need attention, and to agree any escalation."
)


class BoardPackForm(forms.Form):
    month = forms.ChoiceField(error_messages={"required": "Choose the month the pack reports"})
    title = forms.CharField(max_length=200, error_messages={"required": "Enter a title"})
    meeting = forms.CharField(
        max_length=200, error_messages={"required": "Enter the board or committee it goes to"}
    )
    meeting_date = forms.DateField(
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        error_messages={
            "required": "Enter the date of the meeting",
            "invalid": "Enter the date of the meeting as a real date, like 2026-12-03",
        },
    )
    executive_lead = forms.CharField(
        max_length=200, error_messages={"required": "Enter the executive lead"}
    )
    purpose = forms.CharField(error_messages={"required": "Enter the purpose of the paper"})
    ask = forms.CharField(error_messages={"required": "Enter what the board is asked to do"})

    def __init__(self, *args, months: list[dt.date], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["month"].choices = [(f"{m:%Y-%m}", month_label(m)) for m in reversed(months)]

    def chosen_month(self) -> dt.date:
        return dt.datetime.strptime(self.cleaned_data["month"], "%Y-%m").date()

    def cover(self) -> Cover:
        data = self.cleaned_data
        return Cover(
            title=data["title"],
            meeting=data["meeting"],
            meeting_date=data["meeting_date"],
            executive_lead=data["executive_lead"],
            purpose=data["purpose"],
            ask=data["ask"],
        )


def initial_for(org_name: str, month: dt.date | None, today: dt.date) -> dict:
    return {
        "month": f"{month:%Y-%m}" if month else "",
        "title": f"Access to general practice: {org_name}",
        "meeting": "ICB Board",
        "meeting_date": today.isoformat(),
        "purpose": DEFAULT_PURPOSE,
        "ask": DEFAULT_ASK,
    }
