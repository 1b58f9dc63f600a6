"""Where apps plug in: the registries each app fills in its `AppConfig.ready`.

`core` names no app of the project. An app that supplies something the rest of the portal
shows (a data source, a measure provider, a page panel, a board section, a navigation item,
API routes, a data version, Jinja filters, demo data) registers it here, and the app that
draws it (the import engine, the measures engine, the board, the layout, the API, the demo)
reads the registry. Neither names the other.

Each registry is keyed: registering a key twice is an error at start-up, and `manage.py
check` verifies what each entry points at (core/checks.py).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, Generic, Protocol, TypeVar

T = TypeVar("T")


class Registry(Generic[T]):
    """An ordered set of entries, each under a unique key, filled while apps start."""

    def __init__(self, name: str, key: Callable[[T], str], order: Callable[[T], Any] | None = None):
        self.name = name
        self._key = key
        self._order = order
        self._entries: dict[str, T] = {}

    def register(self, entry: T) -> T:
        key = self._key(entry)
        if key in self._entries:
            raise ValueError(f"{self.name}: '{key}' is registered twice.")
        self._entries[key] = entry
        return entry

    def unregister(self, key: str) -> None:
        """Take an entry out (tests that plug in a temporary entry put things back with this)."""
        self._entries.pop(key, None)

    def get(self, key: str) -> T:
        try:
            return self._entries[key]
        except KeyError:
            known = ", ".join(sorted(self._entries)) or "none"
            raise KeyError(f"{self.name}: there is no '{key}'. Registered: {known}.") from None

    def __contains__(self, key: object) -> bool:
        return key in self._entries

    def __iter__(self) -> Iterator[T]:
        entries = list(self._entries.values())
        if self._order is not None:
            entries.sort(key=self._order)
        return iter(entries)

    def __len__(self) -> int:
        return len(self._entries)

    def keys(self) -> list[str]:
        return [self._key(entry) for entry in self]


def _everyone(scope) -> bool:
    return True


@dataclass(frozen=True)
class NavItem:
    """A link in the header's navigation, after Home. `visible(scope)` says whether a
    reader with that scope (core.access.Scope) sees it; `key` is the `nav` a page of the
    section sets, so the link is marked current there."""

    key: str
    label: str
    url_name: str
    order: int = 50
    visible: Callable[[Any], bool] = field(default=_everyone, compare=False)


@dataclass(frozen=True)
class Panel:
    """A block an app adds to an organisation's page (practice, PCN, place or ICB).

    `context(request, org)` returns the template's variables, or None when the app has
    nothing to show for that organisation (the panel is then left out).
    """

    key: str
    level: str
    template: str
    context: Callable[[Any, Any], dict | None] = field(compare=False)
    order: int = 50


PANEL_LEVELS = ("practice", "pcn", "place", "icb")


@dataclass(frozen=True)
class DataVersion:
    """When an app's data last changed: the API's ETags and the page cache read these."""

    key: str
    changed_at: Callable[[], Any] = field(compare=False)


@dataclass(frozen=True)
class ApiRoutes:
    """An app's REST API routes: `register(router)` adds its viewsets to the v1 router."""

    key: str
    register: Callable[[Any], None] = field(compare=False)


@dataclass(frozen=True)
class JinjaFilters:
    """Filters an app's presenters give the page templates."""

    key: str
    filters: dict[str, Callable] = field(compare=False)


@dataclass(frozen=True)
class DemoData:
    """An app's part of the demo ICB: `load(context)` loads it through the app's sources
    and returns the import batches it loaded. `context.inputs(key)` gives what the demo's
    generators made for the part (the demo app, which the apps below never import).

    Parts load in `order` (the register before the files that name its practices).
    """

    key: str
    load: Callable[[Any], Any] = field(compare=False)
    order: int = 50


@dataclass(frozen=True)
class ReferenceData:
    """Data kept as files in an app (definitions, labels, reference amounts), synced into
    the database after every ``migrate``: ``sync(apps)`` is given the migrated models.
    A changed file reaches a live database with the next deploy's migrate, no migration."""

    key: str
    sync: Callable[[Any], None] = field(compare=False)
    order: int = 50


class PackSlides(Protocol):
    """What the board gives a section to add its slides with (python-pptx underneath), so
    every slide has the pack's title bar, table style and footer."""

    def slide(self, title: str) -> Any:
        """A new slide with the pack's title bar."""

    def text(self, slide: Any, lines: list[str]) -> None: ...

    def table(self, slide: Any, head: list[str], rows: list[list[str]]) -> None: ...

    def caption(self, slide: Any, text: str) -> None:
        """A line at the foot of the slide: where the figures come from."""


class PackSheets(Protocol):
    """What the board gives a section to add its sheets with (openpyxl underneath), so each
    sheet is listed on the contents sheet and its header row stays in view."""

    def sheet(
        self, name: str, about: str, header: list[str], widths: dict | None = None
    ) -> Any: ...

    def row(self, sheet: Any, values: list, formats: list[str | None]) -> None:
        """A row, each figure a number with its number format."""


@dataclass(frozen=True)
class BoardSection:
    """A part of the board (the dashboard page and every board-pack format) an app draws.

    - `read(org, month=...)` reads the section's figures for an organisation and a month
      (None: nothing to show for that organisation). That one read feeds the page, the PDF,
      the slides and the workbook, so they always agree.
    - `template`: a Jinja partial given `section` (this entry), `data` (the read) and `org`;
      it is drawn on the dashboard page and in the PDF (`for_print` is true there: no links).
    - `add_slides(slides, data)` and `add_sheets(sheets, data)` add the section's slides and
      sheets (`PackSlides`, `PackSheets`).
    - `source(data)`: the caption naming the figures' source and their as-at date; the
      board prints it with the pack's other sources.
    """

    key: str
    title: str
    read: Callable[..., Any] = field(compare=False)
    template: str
    add_slides: Callable[[PackSlides, Any], None] = field(compare=False)
    add_sheets: Callable[[PackSheets, Any], None] = field(compare=False)
    source: Callable[[Any], str] = field(compare=False)
    order: int = 50


def _key(entry) -> str:
    return entry.key


def _order(entry) -> tuple:
    return (entry.order, entry.key)


nav: Registry[NavItem] = Registry("Navigation", _key, _order)
panels: Registry[Panel] = Registry("Page panels", _key, _order)
data_versions: Registry[DataVersion] = Registry("Data versions", _key)
api_routes: Registry[ApiRoutes] = Registry("API routes", _key)
jinja_filters: Registry[JinjaFilters] = Registry("Jinja filters", _key)
demo_data: Registry[DemoData] = Registry("Demo data", _key, _order)
reference_data: Registry[ReferenceData] = Registry("Reference data", _key, _order)
board_sections: Registry[BoardSection] = Registry("Board sections", _key, _order)
# Filled by the apps that own them; their entry types live with the engine that reads them
# (a source is `imports`' kind of thing), so these stay untyped here.
sources: Registry[Any] = Registry("Data sources", lambda source: source.code, lambda s: s.code)
measure_providers: Registry[Any] = Registry("Measure providers", lambda p: p.source)


def reference_data_sync(apps) -> None:
    """Sync every app's reference data (after a migrate, or after a test emptied tables)."""
    for entry in reference_data:
        entry.sync(apps)


def panels_for(level: str) -> list[Panel]:
    return [panel for panel in panels if panel.level == level]
