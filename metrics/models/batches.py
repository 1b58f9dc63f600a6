"""Import batches: the record of every file loaded, that every loaded row points back to."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q


class BatchStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    SUCCEEDED = "succeeded", "Loaded"
    UNCHANGED = "unchanged", "Already loaded"
    FAILED = "failed", "Failed"


FINISHED_STATUSES = {BatchStatus.SUCCEEDED, BatchStatus.UNCHANGED, BatchStatus.FAILED}


class ImportBatchQuerySet(models.QuerySet):
    def loaded(self) -> ImportBatchQuerySet:
        return self.filter(status=BatchStatus.SUCCEEDED)

    def for_source(self, source: str) -> ImportBatchQuerySet:
        return self.filter(source=source)


class ImportBatch(models.Model):
    """One file given to one source, by one person (or the system), and what came of it."""

    source = models.CharField(max_length=40)
    file_name = models.CharField(max_length=255)
    file_path = models.CharField(
        max_length=500, help_text="Where the file is kept for the importer (and re-runs)."
    )
    checksum = models.CharField(max_length=64, help_text="SHA-256 of the file's bytes.")
    file_size = models.BigIntegerField(default=0)
    status = models.CharField(
        max_length=10, choices=BatchStatus.choices, default=BatchStatus.QUEUED
    )
    outcome = models.TextField(blank=True, help_text="A plain-words summary of what happened.")
    period_start = models.DateField(null=True, blank=True)
    period_end = models.DateField(null=True, blank=True)
    rows_read = models.PositiveIntegerField(default=0)
    rows_loaded = models.PositiveIntegerField(default=0)
    rows_rejected = models.PositiveIntegerField(default=0)
    rows_skipped = models.PositiveIntegerField(
        default=0, help_text="Rows read but not for this portal (for example non-GP services)."
    )
    errors = models.JSONField(default=list, blank=True)
    error_count = models.PositiveIntegerField(default=0)
    notes = models.JSONField(default=list, blank=True, help_text="Warnings that did not stop it.")
    progress = models.PositiveSmallIntegerField(default=0, help_text="Per cent done.")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    icb = models.ForeignKey(
        "practices.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The ICB whose own records the file holds; blank for a national file.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When the run was handed to the task queue; blank while the queue was "
        "unreachable (the file is kept and sent when it is back).",
    )
    attempts = models.PositiveSmallIntegerField(
        default=0, help_text="Runs started; more than one when a worker died during a run."
    )
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    duplicate_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = ImportBatchQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(progress__lte=100), name="import_batch_progress_at_most_100"
            ),
            models.CheckConstraint(
                condition=Q(status__in=BatchStatus.values), name="import_batch_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(period_end__isnull=True)
                | Q(period_start__isnull=True)
                | Q(period_end__gte=models.F("period_start")),
                name="import_batch_period_ordered",
            ),
        ]
        indexes = [models.Index(fields=["source", "checksum"])]
        verbose_name_plural = "import batches"

    def __str__(self) -> str:
        return f"Batch {self.pk}: {self.source} {self.file_name} ({self.get_status_display()})"

    @property
    def is_finished(self) -> bool:
        return self.status in FINISHED_STATUSES


class ImportFile(models.Model):
    """One file inside a batch (a zip holds several), so every row can name its file."""

    batch = models.ForeignKey(ImportBatch, on_delete=models.CASCADE, related_name="files")
    name = models.CharField(max_length=255)
    checksum = models.CharField(max_length=64)
    month = models.DateField(null=True, blank=True, help_text="The month the file's rows cover.")
    rows = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["batch", "name"]
        constraints = [
            models.UniqueConstraint(fields=["batch", "name"], name="import_file_unique_in_batch")
        ]

    def __str__(self) -> str:
        return f"{self.name} (batch {self.batch_id})"
