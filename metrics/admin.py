from django.contrib import admin
from import_export.admin import ExportMixin

from metrics.models import ImportBatch


@admin.register(ImportBatch)
class ImportBatchAdmin(ExportMixin, admin.ModelAdmin):
    list_display = ("pk", "source", "file_name", "status", "rows_read", "rows_loaded", "created_at")
    list_filter = ("source", "status")
    search_fields = ("file_name", "checksum")
    readonly_fields = [f.name for f in ImportBatch._meta.fields]
