"""The register of data sources. Each source is registered once, here."""

from __future__ import annotations

from metrics.sources.base import Source

_REGISTRY: dict[str, Source] = {}


def register(source_class: type[Source]) -> type[Source]:
    source = source_class()
    if source.code in _REGISTRY:
        raise ValueError(f"Source {source.code} is registered twice.")
    _REGISTRY[source.code] = source
    return source_class


def _load_all() -> None:
    # Importing the modules registers their sources.
    from metrics.sources import (  # noqa: F401
        arrs_tables,
        gpad,
        gpad_coverage,
        gpad_mapping,
        list_sizes,
        nwrs_pcn,
        ods,
    )


def all_sources() -> list[Source]:
    _load_all()
    return sorted(_REGISTRY.values(), key=lambda s: s.code)


def get_source(code: str) -> Source:
    _load_all()
    try:
        return _REGISTRY[code]
    except KeyError:
        known = ", ".join(sorted(_REGISTRY))
        raise KeyError(f"There is no source called '{code}'. Sources: {known}.") from None
