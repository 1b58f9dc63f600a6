"""The register of data sources, kept in `core.registry.sources`.

Each app registers the sources it owns in its `AppConfig.ready`; the engine, `ingest
--list`, the upload form and the data sources page read them from here and name no app.
"""

from __future__ import annotations

from core import registry
from imports.sources.base import Source


def register_source(source: type[Source] | Source) -> Source:
    """Register a source (a class is made once); a code registered twice stops start-up."""
    entry = source() if isinstance(source, type) else source
    return registry.sources.register(entry)


def all_sources() -> list[Source]:
    return list(registry.sources)


def get_source(code: str) -> Source:
    try:
        return registry.sources.get(code)
    except KeyError:
        known = ", ".join(registry.sources.keys())
        raise KeyError(f"There is no source called '{code}'. Sources: {known}.") from None
