"""What the register's API reads and writes: organisations, memberships, list sizes."""

from __future__ import annotations

from rest_framework import serializers

from practices.models import (
    ListSize,
    Membership,
    MembershipBasis,
    Organisation,
    OrgStatus,
    Relation,
)


class OrganisationSerializer(serializers.ModelSerializer):
    code = serializers.CharField(help_text="ODS code.")
    name = serializers.CharField(help_text="Name as published by ODS.")
    status = serializers.ChoiceField(choices=OrgStatus.choices, help_text="ODS status.")
    open_date = serializers.DateField(allow_null=True, help_text="Opened on (blank: unknown).")
    close_date = serializers.DateField(allow_null=True, help_text="Closed on (blank: open).")
    postcode = serializers.CharField(help_text="Postcode (blank: not published).")
    address = serializers.CharField(help_text="Address lines (blank: not published).")
    phone = serializers.CharField(help_text="Telephone (blank: not published).")

    class Meta:
        model = Organisation
        fields = ["code", "name", "status", "open_date", "close_date", "postcode", "address"]
        fields += ["phone"]


def _parent_field(kind: str) -> serializers.CharField:
    return serializers.CharField(
        allow_null=True, help_text=f"ODS code of the {kind} it belongs to today (blank: none)."
    )


class IcbSerializer(OrganisationSerializer):
    region_code = _parent_field("NHS England region")

    class Meta(OrganisationSerializer.Meta):
        fields = [*OrganisationSerializer.Meta.fields, "region_code"]


class SubIcbSerializer(OrganisationSerializer):
    icb_code = _parent_field("ICB")

    class Meta(OrganisationSerializer.Meta):
        fields = [*OrganisationSerializer.Meta.fields, "icb_code"]


class PcnSerializer(OrganisationSerializer):
    sub_icb_code = _parent_field("sub-ICB location")

    class Meta(OrganisationSerializer.Meta):
        fields = [*OrganisationSerializer.Meta.fields, "sub_icb_code"]


class PracticeSerializer(OrganisationSerializer):
    pcn_code = _parent_field("PCN")
    sub_icb_code = _parent_field("sub-ICB location")
    list_size_month = serializers.DateField(
        allow_null=True, help_text="Month of the latest list size (first of the month)."
    )
    list_size_all_patients = serializers.IntegerField(
        allow_null=True, help_text="Registered patients in that month."
    )
    list_size_patients_13_plus = serializers.IntegerField(
        allow_null=True, help_text="Registered patients aged 13 and over (blank: not loaded)."
    )

    class Meta(OrganisationSerializer.Meta):
        fields = [
            *OrganisationSerializer.Meta.fields,
            "pcn_code",
            "sub_icb_code",
            "list_size_month",
            "list_size_all_patients",
            "list_size_patients_13_plus",
        ]


class MembershipSerializer(serializers.ModelSerializer):
    relation = serializers.ChoiceField(choices=Relation.choices, help_text="Which levels.")
    child_kind = serializers.CharField(source="child.kind", help_text="Kind of the member.")
    child_code = serializers.CharField(source="child.code", help_text="ODS code of the member.")
    child_name = serializers.CharField(source="child.name", help_text="Name of the member.")
    parent_kind = serializers.CharField(source="parent.kind", help_text="Kind it belongs to.")
    parent_code = serializers.CharField(source="parent.code", help_text="ODS code it belongs to.")
    parent_name = serializers.CharField(source="parent.name", help_text="Name it belongs to.")
    start_date = serializers.DateField(
        allow_null=True, help_text="In force from (blank: since before records begin)."
    )
    end_date = serializers.DateField(allow_null=True, help_text="In force to (blank: still).")
    basis = serializers.ChoiceField(
        choices=MembershipBasis.choices, help_text="Where the dates come from, best first."
    )
    source_batch = serializers.IntegerField(
        source="source_batch_id", allow_null=True, help_text="Import batch that recorded it."
    )

    class Meta:
        model = Membership
        fields = [
            "relation",
            "child_kind",
            "child_code",
            "child_name",
            "parent_kind",
            "parent_code",
            "parent_name",
            "start_date",
            "end_date",
            "basis",
            "source_batch",
        ]


class ListSizeSerializer(serializers.ModelSerializer):
    id = serializers.IntegerField(read_only=True, help_text="Identifier, for corrections.")
    practice = serializers.CharField(source="practice.code", help_text="Practice ODS code.")
    practice_name = serializers.CharField(source="practice.name", help_text="Practice name.")
    month = serializers.DateField(help_text="The first of the month the counts are as at.")
    all_patients = serializers.IntegerField(allow_null=True, help_text="Registered patients.")
    patients_13_plus = serializers.IntegerField(
        allow_null=True, help_text="Registered patients aged 13 and over (blank: not loaded)."
    )
    source_batch = serializers.IntegerField(
        source="source_batch_id",
        allow_null=True,
        help_text="Import batch the all-patients count came from (blank: corrected by hand "
        "or through the API).",
    )

    class Meta:
        model = ListSize
        fields = ["id", "practice", "practice_name", "month", "all_patients"]
        fields += ["patients_13_plus", "source_batch"]


class PracticeDetailSerializer(PracticeSerializer):
    memberships = MembershipSerializer(
        source="membership_history",
        many=True,
        read_only=True,
        help_text="Every PCN and sub-ICB link it has had.",
    )
    list_sizes = ListSizeSerializer(
        source="list_size_history", many=True, read_only=True, help_text="Every month loaded."
    )

    class Meta(PracticeSerializer.Meta):
        fields = [*PracticeSerializer.Meta.fields, "memberships", "list_sizes"]


class ListSizeCorrectionSerializer(serializers.Serializer):
    practice = serializers.CharField(help_text="Practice ODS code.")
    month = serializers.DateField(help_text="The first of the month, as YYYY-MM-01.")
    all_patients = serializers.IntegerField(
        min_value=0, allow_null=True, required=False, help_text="Registered patients."
    )
    patients_13_plus = serializers.IntegerField(
        min_value=0,
        allow_null=True,
        required=False,
        help_text="Patients aged 13 and over; not more than all patients.",
    )


class ListSizeUpdateSerializer(serializers.Serializer):
    all_patients = serializers.IntegerField(
        min_value=0, allow_null=True, required=False, help_text="Registered patients."
    )
    patients_13_plus = serializers.IntegerField(
        min_value=0,
        allow_null=True,
        required=False,
        help_text="Patients aged 13 and over; not more than all patients.",
    )
