"""The subscribe form: an organisation the person may read, and how often to hear."""

from __future__ import annotations

from django import forms

from alerts.models import Frequency
from practices.models import Organisation, OrgKind

KIND_LABEL = {OrgKind.ICB: "ICB", OrgKind.SUB_ICB: "Place", OrgKind.PCN: "PCN"}


def organisation_label(org: Organisation) -> str:
    return f"{org.name} ({KIND_LABEL.get(org.kind, org.kind)} {org.code})"


class SubscribeForm(forms.Form):
    organisation = forms.TypedChoiceField(
        coerce=int,
        error_messages={
            "required": "Select an organisation",
            "invalid_choice": "Select an organisation from the list",
        },
    )
    frequency = forms.ChoiceField(
        choices=Frequency.choices,
        initial=Frequency.WEEKLY,
        error_messages={
            "required": "Select how often you want to hear",
            "invalid_choice": "Select how often you want to hear",
        },
    )

    def __init__(self, *args, organisations: list[Organisation], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.organisations = {org.pk: org for org in organisations}
        self.fields["organisation"].choices = [
            (org.pk, organisation_label(org)) for org in organisations
        ]

    def chosen(self) -> Organisation:
        return self.organisations[self.cleaned_data["organisation"]]
