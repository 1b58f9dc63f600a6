from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from core.models import RoleAssignment


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(SimpleHistoryAdmin):
    list_display = ("user", "role", "organisation")
    list_filter = ("role",)
    search_fields = ("user__username", "organisation__code", "organisation__name")
    raw_id_fields = ("organisation",)
