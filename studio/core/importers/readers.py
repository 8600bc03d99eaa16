"""Streaming readers: a file in, (line number, row values) out, with a header first.

Each reader yields the header once (`Table.columns`) and then rows as sequences in that order,
without holding the file in memory. Progress is reported in bytes of the file (for XLSX,
estimated from the rows read).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from studio.core.events import MAX_FIELD_CHARS
from studio.core.events.fields import TOO_LONG
from studio.core.importers.encoding import NotText, detect_file_encoding
from studio.core.message import N_, Message, message

Progress = Callable[[int, int], None]
PROGRESS_EVERY = 8192  # rows between progress callbacks

csv.field_size_limit(MAX_FIELD_CHARS)


class ReadError(ValueError):
    """A problem with the file's shape; `line` is None for the whole file."""

    def __init__(self, said: Message, line: int | None = None) -> None:
        super().__init__(said)
        self.said = said
        self.line = line


@dataclass(frozen=True, slots=True)
class Table:
    columns: tuple[str, ...]
    rows: Iterator[tuple[int, Sequence[Any]]]
    encoding: str


def _text_stream(raw: BinaryIO) -> tuple[io.TextIOWrapper, str]:
    try:
        encoding = detect_file_encoding(raw)
    except NotText as exc:
        raise ReadError(exc.said) from None
    # Bytes the encoding cannot read become lone surrogates in the field they belong to, and
    # the record parser names that line and column. (Raising here instead would name a line up
    # to one 8 KiB decoding chunk too early.)
    wrapper = io.TextIOWrapper(raw, encoding=encoding, errors="surrogateescape", newline="")
    return wrapper, encoding


def _decode_error(exc: UnicodeDecodeError, encoding: str, line: int) -> ReadError:
    return ReadError(message(N_("the text stops being valid {encoding} here ({reason})"),
                             encoding=encoding, reason=exc.reason), line)


def _bounded_lines(text: io.TextIOWrapper, encoding: str) -> Iterator[str]:
    """The file's lines, refusing one longer than MAX_FIELD_CHARS before it is all in memory."""
    line = 0
    try:
        while chunk := text.readline(MAX_FIELD_CHARS + 1):
            line += 1
            if len(chunk) > MAX_FIELD_CHARS and not chunk.endswith(("\n", "\r")):
                raise ReadError(TOO_LONG, line)
            yield chunk
    except UnicodeDecodeError as exc:
        raise _decode_error(exc, encoding, line + 1) from None


def read_csv(raw: BinaryIO, total: int, progress: Progress | None) -> Table:
    text, encoding = _text_stream(raw)
    lines = _bounded_lines(text, encoding)
    first = next(lines, "")
    if not first.strip():
        raise ReadError(message(N_("is empty: a header line (ts,kind,...) was expected")), 1)
    delimiter = _delimiter(first)
    header = next(csv.reader([first], delimiter=delimiter))
    columns = tuple(c.strip().lstrip("\ufeff") for c in header)
    # strict: a quoted field still open at the end of the file is a cut-short file, not data.
    reader = csv.reader(lines, delimiter=delimiter, strict=True)
    width = len(columns)

    def rows() -> Iterator[tuple[int, Sequence[Any]]]:
        count = 0
        try:
            for values in reader:
                line = reader.line_num + 1
                if not values or (len(values) == 1 and not values[0].strip()):
                    continue
                if len(values) > width and not any(v.strip() for v in values[width:]):
                    values = values[:width]  # Excel pads rows with empty trailing cells
                if len(values) != width:
                    raise ReadError(message(
                        N_("has {fields} fields where the header has {columns} (the file may "
                           "be cut short)") if len(values) < width
                        else N_("has {fields} fields where the header has {columns}"),
                        fields=len(values), columns=width), line)
                yield line, values
                count += 1
                if progress and count % PROGRESS_EVERY == 0:
                    progress(raw.tell(), total)
        except csv.Error as exc:
            raise ReadError(message(N_("is not valid CSV ({reason})"), reason=str(exc)),
                            reader.line_num + 1) from None

    return Table(columns, rows(), encoding)


def _delimiter(header_line: str) -> str:
    # European exports use ';', some tools '\t'. The header decides: whichever splits it most.
    return max(",;\t|", key=header_line.count)


def read_jsonl(raw: BinaryIO, total: int, progress: Progress | None) -> Table:
    text, encoding = _text_stream(raw)
    rows = _json_objects(text, encoding, raw, total, progress)
    # JSON Lines have no header: each object names its own fields. The parser is compiled
    # per distinct key set, so the columns here are the first object's.
    try:
        first = next(rows)
    except StopIteration:
        raise ReadError(message(N_("is empty: JSON Lines (one event object per line) were "
                                   "expected"))) from None

    def chained() -> Iterator[tuple[int, Sequence[Any]]]:
        yield first
        yield from rows

    return Table((), chained(), encoding)


def _json_objects(
    text: io.TextIOWrapper, encoding: str, raw: BinaryIO, total: int, progress: Progress | None
) -> Iterator[tuple[int, dict]]:
    line = 0
    count = 0
    try:
        while True:
            chunk = text.readline(MAX_FIELD_CHARS + 1)
            if not chunk:
                return
            line += 1
            if len(chunk) > MAX_FIELD_CHARS and not chunk.endswith("\n"):
                raise ReadError(TOO_LONG, line)
            stripped = chunk.strip()
            if not stripped:
                continue
            if line == 1 and stripped.startswith("["):
                raise ReadError(message(N_("is a JSON array; the importer reads JSON Lines (one "
                                           "event object per line)")), line)
            try:
                obj = json.loads(stripped)
            except json.JSONDecodeError as exc:
                said = (N_("is not valid JSON ({reason}) (the file may be cut short)")
                        if not chunk.endswith("\n") else N_("is not valid JSON ({reason})"))
                raise ReadError(message(said, reason=exc.msg), line) from None
            if not isinstance(obj, dict):
                raise ReadError(message(N_("is not a JSON object {{...}}")), line)
            yield line, obj
            count += 1
            if progress and count % PROGRESS_EVERY == 0:
                progress(raw.tell(), total)
    except UnicodeDecodeError as exc:
        raise _decode_error(exc, encoding, line + 1) from None


def read_xlsx(path: Path, progress: Progress | None) -> Table:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, KeyError, OSError, ValueError) as exc:
        raise ReadError(_not_a_workbook(str(exc))) from None
    except Exception as exc:  # zipfile.BadZipFile and friends from a damaged file
        raise ReadError(_not_a_workbook(type(exc).__name__)) from None
    sheet = book.worksheets[0]
    rows_total = sheet.max_row or 0
    size = path.stat().st_size
    values = _sheet_rows(sheet.iter_rows(values_only=True))
    try:
        columns = next(
            tuple("" if v is None else str(v).strip() for v in row)
            for _, row in values
            if any(v not in (None, "") for v in row)
        )
    except StopIteration:
        book.close()
        raise ReadError(message(N_("has no header row in its first sheet"))) from None
    except ReadError:
        book.close()
        raise

    def rows() -> Iterator[tuple[int, Sequence[Any]]]:
        try:
            for number, row in values:
                if all(v in (None, "") for v in row):
                    continue
                padded = tuple(row) + (None,) * (len(columns) - len(row))
                yield number, padded[: len(columns)]
                if progress and rows_total and number % PROGRESS_EVERY == 0:
                    # Bytes, like the other readers and the import's final call.
                    progress(min(size, size * number // rows_total), size)
        finally:
            book.close()

    return Table(columns, rows(), "xlsx")


def _not_a_workbook(reason: str) -> Message:
    return message(N_("is not a readable .xlsx workbook ({reason})"), reason=reason)


def _sheet_rows(rows: Iterator[tuple]) -> Iterator[tuple[int, tuple]]:
    """(row number, values); a damaged sheet's XML or zip errors become a ReadError."""
    number = 0
    while True:
        try:
            row = next(rows)
        except StopIteration:
            return
        except Exception as exc:  # ElementTree.ParseError, zlib.error, BadZipFile, ...
            raise ReadError(_not_a_workbook(type(exc).__name__), number + 1) from None
        number += 1
        yield number, row
