"""The month an ICB compares its figures against (pre-Covid 2019 unless it chooses)."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import User
from django.db import connection, transaction

from metrics.measures.context import DEFAULT_BASELINE_YEAR, _change_sql, default_baseline
from metrics.models import BaselineSetting, GpadPracticeMonth, MeasureValue
from practices.models import Organisation
from practices.selectors import descendant_ids


def baseline_month_of(icb: Organisation) -> dt.date | None:
    """The ICB's chosen month, or None for "the same month of 2019"."""
    setting = BaselineSetting.objects.filter(icb=icb).first()
    return setting.month if setting else None


def baseline_choices() -> list[dt.date]:
    """Months with appointments loaded, newest first: the months there is data to compare."""
    months = GpadPracticeMonth.objects.values_list("month", flat=True).distinct()
    return sorted(set(months), reverse=True)


@transaction.atomic
def baseline_month_set(*, icb: Organisation, month: dt.date | None, user: User) -> int:
    """Choose the ICB's baseline (None: same month of 2019) and recompute every change on
    the baseline inside the ICB. Returns how many months were recomputed."""
    BaselineSetting.objects.update_or_create(icb=icb, defaults={"month": month})
    return icb_baseline_apply(icb=icb, month=month)


def icb_baseline_apply(*, icb: Organisation, month: dt.date | None) -> int:
    """Recompute the change on the baseline for everything in the ICB, every month."""
    ids = sorted(descendant_ids([icb.pk]) | {icb.pk})
    marks = ", ".join(["%s"] * len(ids))
    sql = _change_sql("change_baseline", f"AND n.org_id IN ({marks})")
    periods = sorted(set(MeasureValue.objects.values_list("period", flat=True).distinct()))
    with connection.cursor() as cursor:
        for period in periods:
            cursor.execute(sql, [month or default_baseline(period), period, *ids])
    return len(periods)


__all__ = ["DEFAULT_BASELINE_YEAR", "baseline_choices", "baseline_month_of", "baseline_month_set"]
