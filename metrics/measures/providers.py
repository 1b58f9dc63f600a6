"""What a source gives the measures engine: a month's figures for the organisations it
covers, from which the engine works out every level's values, ranks, deciles, changes and
SPC the same way for every source.

A domain app registers one provider per source in its ``AppConfig.ready``
(``core.registry.measure_providers``); each measure definition names its source, and the
provider of that source supplies its numerators and denominators. GPAD keeps its
set-based SQL (``metrics/measures/gpad.py``); a provider with a few thousand rows a month
(ARRS: one per PCN) gives them as ``OrgFigures`` and the engine inserts them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from core import registry
from metrics.measures.rollups import pcn_members
from metrics.measures.sql import MeasureSql, Members, OrgFigures
from practices.models import OrgKind


class MeasureProvider:
    """The figures of one source's measures. ``level``: the organisations the figures are
    for (practices, or PCNs); every level above them is summed by the engine."""

    source: str = ""
    title: str = ""
    level: str = OrgKind.PRACTICE
    # What a page or pack says under a chart of these measures: who publishes the figures.
    caption: str = ""

    def months(self) -> list[dt.date]:
        """Every month the source has figures for, oldest first."""
        raise NotImplementedError

    def figures(self, *, month: dt.date) -> Iterable[OrgFigures]:
        """Each organisation's figures for the month (a source that gives rows)."""
        raise NotImplementedError

    def month_build(self, cursor, sql: MeasureSql, month: dt.date) -> Members:
        """Fill the month's ``measure_sums`` and say who counts towards whom."""
        if self.level != OrgKind.PCN:
            raise NotImplementedError(f"{self.source}: figures for {self.level} need a build")
        members = pcn_members(cursor, month=month)
        sql.rows_sums_create(cursor, list(self.figures(month=month)), members)
        return members


def providers(sources: Iterable[str] | None = None) -> list[MeasureProvider]:
    """The registered providers (of ``sources`` only, when given), by source code."""
    wanted = None if sources is None else set(sources)
    found = sorted(registry.measure_providers, key=lambda provider: provider.source)
    return [p for p in found if wanted is None or p.source in wanted]


def provider_for(source: str) -> MeasureProvider:
    return registry.measure_providers.get(source)


def caption_for(source: str) -> str:
    """The publisher caption of a measure's source, from its provider's registration."""
    return provider_for(source).caption
