"""The fast path: a clean crosstab read in blocks with pyarrow, labels mapped once per
distinct value, never the whole file in memory.

It is optimistic. Anything it cannot take as it is (an unknown label, a count that is not a
whole number, a ragged row, bytes that are not UTF-8) raises ``ReadCarefully`` and the file
is read again, row by row, by ``careful.py``, which says what is wrong and where.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from imports.sources.limits import LineTooLongBytes, line_guarded, max_line_chars
from imports.sources.readers import Header
from metrics.sources.gpad.chunks import ORDINAL_SPAN, Chunk, PracticeMonths
from metrics.sources.gpad.files import Member
from metrics.sources.gpad.lookups import (
    COLUMN_DIMENSIONS,
    MAX_COUNT,
    Categories,
    Practices,
    month_of,
    practice_code,
    reported_pcn,
    seen,
    sub_icb_code,
)

# pyarrow's peak memory with 16 MiB blocks grew with the file (about 300 MiB for a national
# month, 680 MiB for eight); with 4 MiB blocks it stays near 240 MiB, no slower
# (bench/gpad_ingest.py, docs/performance.md).
BLOCK_SIZE = 4 * 1024 * 1024
DICTIONARY = pa.dictionary(pa.int32(), pa.string())
CONTEXT_COLUMNS = (
    "GP_NAME",
    "PCN_CODE",
    "PCN_NAME",
    "SUB_ICB_LOCATION_CODE",
    "SUB_ICB_LOCATION_NAME",
)


class ReadCarefully(Exception):  # noqa: N818 - a signal to switch readers, not a failure
    pass


def fast_chunks(
    member: Member, header: Header, categories: Categories, practices: Practices
) -> Iterator[Chunk]:
    names = _column_names(header, len(member.header_fields()))
    wanted = [name for name in names if not name.startswith("_")]
    try:
        reader = _open(member, names, wanted)
        first_row = 2
        for batch in reader:
            yield _chunk(batch, first_row, categories, practices)
            first_row += batch.num_rows
    except (pa.ArrowInvalid, pa.ArrowTypeError, UnicodeDecodeError, ValueError) as error:
        raise ReadCarefully(str(error)) from error
    except LineTooLongBytes:  # the careful reader names the row, reading no more of it
        raise ReadCarefully("a line past the limit") from None


def _column_names(header: Header, fields: int) -> list[str]:
    """A name for every column of the file, placeholders for those it does not read (one of
    those may come last: counting only the columns it reads would make every row ragged)."""
    by_position = {position: field for field, position in header.positions.items()}
    width = max(max(by_position) + 1, fields)
    return [by_position.get(i, f"_column_{i}") for i in range(width)]


def _open(member: Member, names: list[str], wanted: list[str]) -> pacsv.CSVStreamingReader:
    types = dict.fromkeys(wanted, DICTIONARY)
    types["COUNT_OF_APPOINTMENTS"] = pa.string()
    return pacsv.open_csv(
        line_guarded(member.open(), max_line_chars()),
        read_options=pacsv.ReadOptions(column_names=names, skip_rows=1, block_size=BLOCK_SIZE),
        parse_options=pacsv.ParseOptions(ignore_empty_lines=False),
        convert_options=pacsv.ConvertOptions(
            include_columns=wanted, column_types=types, strings_can_be_null=False
        ),
    )


def _chunk(
    batch: pa.RecordBatch, first_row: int, categories: Categories, practices: Practices
) -> Chunk:
    columns = dict(zip(batch.schema.names, batch.columns, strict=True))
    months = _mapped(columns["APPOINTMENT_MONTH_START_DATE"], _month_ordinal)
    practice_ids = _practice_ids(columns, practices)
    chunk = Chunk(
        practice_ids=practice_ids,
        months=months,
        categories={
            dimension: _mapped(columns[column], lambda v, d=dimension: categories.id_for(d, v))
            for column, dimension in COLUMN_DIMENSIONS.items()
        },
        counts=_counts(columns["COUNT_OF_APPOINTMENTS"]),
        rows=np.arange(first_row, first_row + batch.num_rows, dtype=np.int64),
    )
    chunk.practice_months = _practice_months(columns, practice_ids, months)
    if "SUPPLIER" in columns:
        chunk.suppliers = _mapped(columns["SUPPLIER"], categories.supplier_id)
    return chunk


def _mapped(column: pa.DictionaryArray, convert) -> np.ndarray:
    """Convert each distinct value once, then spread the results over the rows."""
    table = np.array([_or_fail(convert(v)) for v in column.dictionary.to_pylist()], dtype=np.int64)
    if len(table) == 0:
        return np.zeros(0, dtype=np.int64)
    return table[column.indices.to_numpy(zero_copy_only=False)]


def _or_fail(value: int | None) -> int:
    if value is None:
        raise ReadCarefully("a value the fast reader does not know")
    return value


def _month_ordinal(raw: str) -> int | None:
    month = month_of(raw)
    return month.toordinal() if month else None


def _counts(column: pa.Array) -> np.ndarray:
    counts = pc.cast(pc.utf8_trim_whitespace(column), pa.int64()).to_numpy(zero_copy_only=False)
    if len(counts) and (counts.min() < 0 or counts.max() > MAX_COUNT):
        raise ReadCarefully("a count out of range")
    return counts


def _practice_ids(columns: dict[str, pa.Array], practices: Practices) -> np.ndarray:
    codes = columns["GP_CODE"]
    distinct = [practice_code(v) for v in codes.dictionary.to_pylist()]
    if any(code is None for code in distinct):
        raise ReadCarefully("a practice code that is not an ODS code")
    _add_missing(columns, codes, distinct, practices)
    return _mapped(codes, lambda v: practices.id_for(practice_code(v)))


def _add_missing(
    columns, codes: pa.DictionaryArray, distinct: list[str], practices: Practices
) -> None:
    missing = {i for i, code in enumerate(distinct) if practices.id_for(code) is None}
    if not missing:
        return
    indices = codes.indices.to_numpy(zero_copy_only=False)
    first_rows = {i: int(np.argmax(indices == i)) for i in missing}
    practices.add([seen(_row_values(columns, r), distinct[i]) for i, r in first_rows.items()])


def _row_values(columns: dict[str, pa.Array], row: int) -> dict[str, str]:
    return {name: str(columns[name][row].as_py()) for name in CONTEXT_COLUMNS if name in columns}


def _practice_months(
    columns: dict[str, pa.Array], practice_ids: np.ndarray, months: np.ndarray
) -> PracticeMonths:
    """(practice, month) -> (PCN code, sub-ICB code) as the rows report them.

    Each row is reduced to one integer (which practice-month, which pair of codes) so that
    finding the distinct ones is a sort of plain numbers: sorting the rows as 4-column
    records took longer than reading the file."""
    pcn = _indices(columns.get("PCN_CODE"), len(months))
    place = _indices(columns.get("SUB_ICB_LOCATION_CODE"), len(months))
    practice_month, which = np.unique(practice_ids * ORDINAL_SPAN + months, return_inverse=True)
    places = int(place.max(initial=-1)) + 2  # the -1 of a missing column included
    pairs = (pcn + 1) * places + (place + 1)
    pair_span = int(pairs.max(initial=0)) + 1
    found: PracticeMonths = {}
    for key in np.unique(which.astype(np.int64) * pair_span + pairs):
        practice_id, ordinal = divmod(int(practice_month[key // pair_span]), ORDINAL_SPAN)
        pcn_i, place_i = divmod(int(key % pair_span), places)
        month_key = (practice_id, dt.date.fromordinal(ordinal))
        found.setdefault(month_key, set()).add((pcn_i - 1, place_i - 1))
    return {key: _texts(columns, pairs) for key, pairs in found.items()}


def _indices(column: pa.DictionaryArray | None, rows: int) -> np.ndarray:
    """Row -> index into the column's distinct values (or -1 without the column)."""
    if column is None:
        return np.full(rows, -1, dtype=np.int64)
    return column.indices.to_numpy(zero_copy_only=False).astype(np.int64)


def _texts(columns: dict[str, pa.Array], pairs: set[tuple[int, int]]) -> set[tuple[str, str]]:
    pcn_values = columns["PCN_CODE"].dictionary.to_pylist() if "PCN_CODE" in columns else []
    place_values = (
        columns["SUB_ICB_LOCATION_CODE"].dictionary.to_pylist()
        if "SUB_ICB_LOCATION_CODE" in columns
        else []
    )
    return {
        (
            reported_pcn(pcn_values[p]) if p >= 0 else "",
            sub_icb_code(place_values[s]) if s >= 0 else "",
        )
        for p, s in pairs
    }
