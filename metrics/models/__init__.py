"""Metrics: import batches, GP appointments and measures."""

from metrics.models.batches import FINISHED_STATUSES, BatchStatus, ImportBatch, ImportFile
from metrics.models.gpad import (
    AppointmentCategory,
    AppointmentCount,
    CategoryAlias,
    Dimension,
    GpadPracticeMonth,
)
from metrics.models.key_measures import KeyMeasure
from metrics.models.measures import (
    BaselineSetting,
    MeasureDecile,
    MeasureDefinition,
    MeasureValue,
    RollupMember,
)

__all__ = [
    "FINISHED_STATUSES",
    "AppointmentCategory",
    "AppointmentCount",
    "BaselineSetting",
    "BatchStatus",
    "CategoryAlias",
    "Dimension",
    "GpadPracticeMonth",
    "ImportBatch",
    "ImportFile",
    "KeyMeasure",
    "MeasureDecile",
    "MeasureDefinition",
    "MeasureValue",
    "RollupMember",
]
