"""A board pack someone asked for, how far its making has got, and its files."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q


class PackStatus(models.TextChoices):
    QUEUED = "queued", "Waiting to start"
    RUNNING = "running", "Being made"
    READY = "ready", "Ready"
    FAILED = "failed", "Failed"


class BoardPack(models.Model):
    """The dashboard of ``org`` for ``month`` as a PDF, slides and a workbook, with the cover
    sheet a board paper needs."""

    org = models.ForeignKey("practices.Organisation", on_delete=models.CASCADE, related_name="+")
    month = models.DateField(help_text="The month the pack reports (first day).")
    rebase = models.DateField(null=True, blank=True, help_text="SPC limits recalculated from.")
    title = models.CharField(max_length=200)
    meeting = models.CharField(max_length=200, help_text="The board or committee it goes to.")
    meeting_date = models.DateField()
    executive_lead = models.CharField(max_length=200)
    purpose = models.TextField()
    ask = models.TextField(help_text="What the board is asked to do.")
    status = models.CharField(max_length=10, choices=PackStatus.choices, default=PackStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0, help_text="Per cent done.")
    stage = models.CharField(max_length=100, blank=True, help_text="What it is doing now.")
    error = models.TextField(blank=True)
    pdf = models.FileField(upload_to="board-packs/%Y/%m/", blank=True)
    pptx = models.FileField(upload_to="board-packs/%Y/%m/", blank=True)
    xlsx = models.FileField(upload_to="board-packs/%Y/%m/", blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "core_boardpack"  # made while the model was core's (board/migrations/0001)
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(progress__lte=100), name="board_pack_progress_at_most_100"
            ),
            models.CheckConstraint(
                condition=Q(status__in=PackStatus.values), name="board_pack_status_valid"
            ),
            models.CheckConstraint(condition=Q(month__day=1), name="board_pack_month_is_first"),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.org.code}, {self.month:%b %Y})"

    @property
    def is_finished(self) -> bool:
        return self.status in (PackStatus.READY, PackStatus.FAILED)

    def file_for(self, kind: str):
        return {"pdf": self.pdf, "pptx": self.pptx, "xlsx": self.xlsx}.get(kind)
