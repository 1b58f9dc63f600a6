"""Admin for staff: the register with its audit history and spreadsheet exports."""

from django.contrib import admin
from import_export import resources
from import_export.admin import ExportMixin
from simple_history.admin import SimpleHistoryAdmin

from practices.models import ListSize, Membership, Organisation


class OrganisationResource(resources.ModelResource):
    class Meta:
        model = Organisation
        fields = ("kind", "code", "name", "status", "open_date", "close_date", "postcode")


class MembershipInline(admin.TabularInline):
    model = Membership
    fk_name = "child"
    extra = 0
    raw_id_fields = ("parent", "source_batch")


@admin.register(Organisation)
class OrganisationAdmin(ExportMixin, SimpleHistoryAdmin):
    resource_classes = [OrganisationResource]
    list_display = ("code", "name", "kind", "status", "open_date", "close_date")
    list_filter = ("kind", "status")
    search_fields = ("code", "name")
    inlines = [MembershipInline]
    raw_id_fields = ("source_batch",)


@admin.register(Membership)
class MembershipAdmin(ExportMixin, SimpleHistoryAdmin):
    list_display = ("child", "relation", "parent", "start_date", "end_date", "basis")
    list_filter = ("relation", "basis")
    search_fields = ("child__code", "child__name", "parent__code", "parent__name")
    raw_id_fields = ("child", "parent", "source_batch")


@admin.register(ListSize)
class ListSizeAdmin(ExportMixin, SimpleHistoryAdmin):
    list_display = ("practice", "month", "all_patients", "patients_13_plus", "source_batch")
    list_filter = ("month",)
    search_fields = ("practice__code", "practice__name")
    raw_id_fields = ("practice", "source_batch", "age_source_batch")
