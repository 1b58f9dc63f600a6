"""The form that makes an API token: what it is for and how long it lasts."""

from __future__ import annotations

from django import forms
from django.conf import settings

from core.tokens.services import MAX_DAYS


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        max_length=100, error_messages={"required": "Enter what the token is for"}
    )
    days = forms.IntegerField(
        min_value=1,
        max_value=MAX_DAYS,
        error_messages={
            "required": "Enter how many days the token lasts",
            "invalid": "Enter how many days the token lasts as a whole number",
            "min_value": f"Enter a number of days from 1 to {MAX_DAYS}",
            "max_value": f"Enter a number of days from 1 to {MAX_DAYS}",
        },
    )

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("initial", {"days": settings.API_TOKEN_DAYS})
        super().__init__(*args, **kwargs)
