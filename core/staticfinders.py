"""Static files taken from installed packages, file by file.

The NHS.UK frontend package and plotly ship thousands of files (sources, maps, templates);
the portal serves a handful. Listing them here keeps ``collectstatic`` and the manifest
small and fast, and means nothing is served that nobody asked for.
"""

from __future__ import annotations

import re
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles.finders import BaseFinder
from django.core.checks import Error
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage

# An @font-face rule whose font is fetched from another origin (the NHS.UK stylesheet's
# Frutiger, from assets.nhs.uk).
REMOTE_FONT_FACE = re.compile(rb"@font-face\s*\{[^}]*url\(\s*[\"']?(?:https?:)?//[^}]*\}")


class _Prefixed(FileSystemStorage):
    """One folder of a package, collected under a prefix of ours (``nhsuk/``)."""

    def __init__(self, location: Path, prefix: str) -> None:
        super().__init__(location=str(location))
        self.prefix = prefix


class _WithoutRemoteFonts(_Prefixed):
    """A vendor stylesheet less its @font-face rules that fetch fonts from another origin.

    The NHS.UK font (Frutiger) is licensed and not in the npm package; its stylesheet asks
    assets.nhs.uk for it, and the portal asks no other origin for anything (the
    Content-Security-Policy would refuse it). Without those rules the stylesheet's own
    fallback applies: Arial, as on NHS.UK wherever the font does not load.
    """

    def open(self, name, mode="rb"):
        with super().open(name, "rb") as source:
            css = source.read()
        return ContentFile(REMOTE_FONT_FACE.sub(b"", css), name=name)


def _storage(location: Path, prefix: str, name: str) -> _Prefixed:
    storage = _WithoutRemoteFonts if name.endswith(".css") else _Prefixed
    return storage(location, prefix)


def _entries() -> list[tuple[str, Path]]:
    """(prefix, path) pairs from ``settings.VENDOR_STATIC``: a path is a file or a folder."""
    return [(prefix, Path(path)) for prefix, path in settings.VENDOR_STATIC]


class VendorFinder(BaseFinder):
    """Finds the files named in ``settings.VENDOR_STATIC`` under their prefixes."""

    def check(self, **kwargs):
        return [
            Error(f"Static file {path} is missing.", hint="Run `make deps` (npm ci).")
            for _, path in _entries()
            if not path.exists()
        ]

    def find(self, path: str, find_all: bool = False, **kwargs):
        found = []
        for prefix, source in _entries():
            candidate = self._match(path, prefix, source)
            if candidate is not None:
                if not find_all:
                    return str(candidate)
                found.append(str(candidate))
        return found

    @staticmethod
    def _match(path: str, prefix: str, source: Path) -> Path | None:
        if source.is_file():
            return source if path == f"{prefix}/{source.name}" else None
        if not path.startswith(f"{prefix}/"):
            return None
        candidate = (source / path[len(prefix) + 1 :]).resolve()
        inside = source.resolve() in candidate.parents
        return candidate if inside and candidate.is_file() else None

    def list(self, ignore_patterns):
        for prefix, source in _entries():
            if source.is_file():
                yield source.name, _storage(source.parent, prefix, source.name)
                continue
            storage = _Prefixed(source, prefix)
            for file in sorted(p for p in source.rglob("*") if p.is_file()):
                yield str(file.relative_to(source)), storage
