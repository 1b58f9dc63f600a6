"""How much one file may ask of an import: the longest line, the largest field, and what a
zip may unzip to. A file past a limit is refused with a message naming the row or the zip
member, in bounded memory: a line is read at most one limit's worth at a time, and a zip's
members are checked from its headers before anything is unzipped, then counted as they
stream (headers can lie).

The limits are settings (access_portal/settings.py): IMPORT_MAX_LINE_CHARS,
IMPORT_MAX_UNZIPPED_MB and IMPORT_MAX_ZIP_RATIO. A field is limited by the csv module's own
limit (131,072 characters), far above any published field.
"""

from __future__ import annotations

import csv
import io
import zipfile
import zlib
from collections.abc import Iterable, Iterator
from typing import IO, Any

from django.conf import settings

from imports.sources.base import WrongKindOfFile

MB = 1024 * 1024
RATIO_FLOOR = MB  # a member smaller than this unzips to too little to matter, whatever its ratio
# What zipfile raises for a damaged member (bad CRC, truncated data), an unknown compression
# method or an encrypted one.
_DAMAGED = (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError)


class UnreadableRow(WrongKindOfFile):
    """The file stops being readable at a row: it is refused, naming the row (and the zip
    member it is in)."""

    def __init__(self, row: int, message: str, *, file: str | None = None) -> None:
        self.row, self.message, self.file = row, message, file
        where = f"{file}, row {row}" if file else f"Row {row}"
        super().__init__(f"{where}: {message}")

    def as_dict(self) -> dict[str, Any]:
        found: dict[str, Any] = {"row": self.row, "column": None, "message": self.message}
        return {**found, "file": self.file} if self.file else found


class _LineTooLong(Exception):
    pass


def max_line_chars() -> int:
    return int(settings.IMPORT_MAX_LINE_CHARS)


def max_unzipped_bytes() -> int:
    return int(settings.IMPORT_MAX_UNZIPPED_MB * MB)


def max_zip_ratio() -> int:
    return int(settings.IMPORT_MAX_ZIP_RATIO)


# --- Lines and fields -----------------------------------------------------------------------


def bounded_lines(handle: IO[str], limit: int) -> Iterator[str]:
    """The handle's lines, each read at most ``limit`` characters (and its line end) at a
    time; a longer line raises rather than being read whole."""
    while line := handle.readline(limit + 2):
        if len(line) > limit and len(line.rstrip("\r\n")) > limit:
            raise _LineTooLong
        yield line


def csv_rows(handle: IO[str], *, file: str | None = None) -> Iterator[tuple[int, list[str]]]:
    """(row number, fields) for every row of a CSV opened as text, blank ones included. A row
    too long to read, or not CSV at all, stops the file with ``UnreadableRow``."""
    limit = max_line_chars()
    number = 0
    try:
        for number, fields in enumerate(csv.reader(bounded_lines(handle, limit)), start=1):
            yield number, fields
    except _LineTooLong:
        message = f"the line is longer than {limit:,} characters; is this the right file?"
        raise UnreadableRow(number + 1, message, file=file) from None
    except csv.Error as error:
        raise UnreadableRow(number + 1, csv_problem(error), file=file) from None


def csv_problem(error: csv.Error) -> str:
    """A csv module error in plain words."""
    text = str(error)
    if "field larger than field limit" in text:
        return (
            f"a field is longer than {csv.field_size_limit():,} characters (perhaps a quote "
            "that is never closed); is this the right file?"
        )
    return f"the row cannot be read as CSV ({text}); is this the right file?"


def first_line_fields(lines: Iterable[str]) -> list[str]:
    """The fields of a single line already read (a header), or none if it is not CSV."""
    try:
        return next(csv.reader(lines), [])
    except csv.Error:
        return []


class LineTooLongBytes(Exception):  # noqa: N818 - a signal to a reader, not a refusal
    """Raised by ``line_guarded`` at a line longer than the limit allows."""


def line_guarded(stream: IO[bytes], limit: int) -> IO[bytes]:
    """A byte stream for a reader with no line limit of its own (pyarrow): raises
    ``LineTooLongBytes`` once a line runs past ``limit`` characters' worth of bytes (at most
    four bytes a character), before the reader has taken it in."""
    return io.BufferedReader(_LineGuard(stream, 4 * limit + 2), buffer_size=MB)


class _LineGuard(io.RawIOBase):
    def __init__(self, stream: IO[bytes], limit: int) -> None:
        super().__init__()
        self.stream, self.limit, self.run = stream, limit, 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:  # type: ignore[override]
        data = self.stream.read(len(buffer))
        last = max(data.rfind(b"\n"), data.rfind(b"\r"))
        self.run = len(data) - last - 1 if last >= 0 else self.run + len(data)
        if self.run > self.limit:
            raise LineTooLongBytes
        buffer[: len(data)] = data
        return len(data)

    def close(self) -> None:
        if not self.closed:
            self.stream.close()
        super().close()


# --- Zips -----------------------------------------------------------------------------------


def zip_check(archive: zipfile.ZipFile) -> None:
    """Refuse a zip whose headers say it unzips to more than the limit, or whose members
    are compressed more than real files ever are (a zip bomb), naming the member."""
    ratio, budget, total = max_zip_ratio(), max_unzipped_bytes(), 0
    for info in archive.infolist():
        if info.is_dir():
            continue
        packed = max(info.compress_size, 1)
        if info.file_size > RATIO_FLOOR and info.file_size > ratio * packed:
            raise WrongKindOfFile(
                f"{info.filename} would unzip to {_size(info.file_size)} from "
                f"{_size(info.compress_size)}, more than {ratio}:1; published files never "
                "compress so far, so this looks like a zip bomb and was not unzipped."
            )
        total += info.file_size
        if total > budget:
            raise WrongKindOfFile(_too_big(info.filename, budget))


def zip_member_open(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> IO[bytes]:
    """A member opened to stream, counted as it unzips: more bytes than its header said (or
    than the limit), or damaged data, is refused naming the member."""
    raw = _CountedMember(archive, info)
    return io.BufferedReader(raw, buffer_size=MB)


def _too_big(name: str, budget: int) -> str:
    return (
        f"{name}: the zip unzips to more than {_size(budget)}, the most an import unzips "
        "(IMPORT_MAX_UNZIPPED_MB); is this the right file?"
    )


def _size(count: int) -> str:
    if count >= 1024 * MB:
        return f"{count / (1024 * MB):,.1f} GB"
    if count >= MB:
        return f"{count / MB:,.1f} MB"
    return f"{count:,} bytes"


class _CountedMember(io.RawIOBase):
    """A zip member as a raw stream that counts what it unzips."""

    def __init__(self, archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> None:
        super().__init__()
        self.info, self.seen = info, 0
        self.cap = min(info.file_size, max_unzipped_bytes())
        self.member = self._guarded(lambda: archive.open(info))

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:  # type: ignore[override]
        data = self._guarded(lambda: self.member.read(len(buffer)))
        self.seen += len(data)
        if self.seen > self.cap:
            raise WrongKindOfFile(
                f"{self.info.filename} unzips to more than its header says "
                f"({_size(self.info.file_size)}); the zip is damaged or made to mislead."
                if self.seen > self.info.file_size
                else _too_big(self.info.filename, max_unzipped_bytes())
            )
        buffer[: len(data)] = data
        return len(data)

    def close(self) -> None:
        if not self.closed and hasattr(self, "member"):
            self.member.close()
        super().close()

    def _guarded(self, action):
        try:
            return action()
        except _DAMAGED as error:
            raise WrongKindOfFile(
                f"{self.info.filename} in the zip is damaged and cannot be unzipped ({error})."
            ) from None
