"""The measures an ICB's board leads with, in order, and the ICB's targets for them."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from metrics.models.measures import MeasureDefinition


class KeyMeasure(models.Model):
    """One of an ICB's key measures: where it comes in the list and the ICB's target for it.

    Kept by the ICB's managers, with history. An ICB with no rows reads the default list
    (metrics/measures/key_measures.json); its first save writes the whole list."""

    icb = models.ForeignKey(
        "practices.Organisation", on_delete=models.CASCADE, related_name="key_measures"
    )
    measure = models.ForeignKey(MeasureDefinition, on_delete=models.CASCADE, related_name="+")
    position = models.PositiveSmallIntegerField(help_text="1 is shown first.")
    target = models.FloatField(
        null=True, blank=True, help_text="The ICB's ambition for the measure (blank: none)."
    )
    target_basis = models.CharField(
        max_length=300, blank=True, help_text="Where the target comes from, in a sentence."
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["icb", "position"]
        constraints = [
            models.UniqueConstraint(fields=["icb", "measure"], name="key_measure_once_per_icb"),
            models.CheckConstraint(condition=Q(position__gte=1), name="key_measure_position"),
        ]

    def __str__(self) -> str:
        return f"{self.icb_id} {self.position}: {self.measure_id}"
