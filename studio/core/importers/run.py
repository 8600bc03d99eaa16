"""Import one file into a session: whole or not at all, idempotent, streaming.

The import runs as one job on the store's writer, inside one transaction: rows are parsed and
inserted in batches as the file streams by, and any problem rolls the whole file back. Keys
come from KeyDeriver, so importing the same file (or an overlapping export) again adds only
what is new.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from studio.core.background import background
from studio.core.events import FIELDS, FieldError, KeyDeriver, RecordParser
from studio.core.importers.errors import ImportFailed, Problem
from studio.core.importers.mapping import EventSpec, Mapping, MappingError, mappings
from studio.core.importers.readers import ReadError, Table, read_csv, read_jsonl, read_xlsx
from studio.core.markets import market
from studio.core.store import Session, Store, insert_keyed_rows

Progress = Callable[[int, int], None]
BATCH_ROWS = 5000
MAX_PROBLEMS = 20
GENERIC = "generic"
JSON_SUFFIXES = (".jsonl", ".ndjson", ".json")


@dataclass(slots=True)
class _Counts:
    rows: int = 0
    naive: int = 0
    before: int = 0
    after: int = 0
    unknown: set[str] = field(default_factory=set)


@dataclass(frozen=True, slots=True)
class ImportReport:
    file: str
    format: str
    encoding: str
    rows: int
    added: int
    duplicates: int
    naive_ts_rows: int
    assumed_tz: str | None  # the zone read into times without an offset, when there were any
    unknown_columns: tuple[str, ...]
    before_start: int
    after_end: int
    warnings: tuple[str, ...] = field(default=())

    def to_json(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in self.__dataclass_fields__}


def format_names(extra_dirs: Sequence[Path] = ()) -> list[str]:
    return ["auto", GENERIC, *sorted(mappings(extra_dirs))]


def import_file(
    store: Store,
    session_id: int,
    path: Path | str,
    *,
    fmt: str = "auto",
    progress: Progress | None = None,
    mapping_dirs: Sequence[Path] = (),
) -> ImportReport:
    """Import `path` into the session; raises ImportFailed with nothing written."""
    path = Path(path)
    session = store.session(session_id)
    if not path.is_file():
        raise ImportFailed([Problem(path.name, None, "no such file")])
    try:
        known = mappings(mapping_dirs)
    except MappingError as exc:  # a broken user mapping must say so, not crash
        raise ImportFailed([Problem(path.name, None, str(exc))]) from None
    if fmt not in ("auto", GENERIC) and fmt not in known:
        raise ImportFailed(
            [
                Problem(
                    path.name,
                    None,
                    f'unknown format "{fmt}" (known: {", ".join(format_names(mapping_dirs))})',
                )
            ]
        )
    job = _Import(session, path, fmt, known, progress)
    return store.write(job.run)


class _Import:
    def __init__(
        self,
        session: Session,
        path: Path,
        fmt: str,
        known: dict[str, Mapping],
        progress: Progress | None,
    ) -> None:
        self.session = session
        self.path = path
        self.name = path.name
        self.fmt = fmt
        self.known = known
        self.progress = progress
        self.tz = market(session.market).tz
        self.problems: list[Problem] = []
        self.more_problems = 0

    def problem(self, line: int | None, message: str) -> None:
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(Problem(self.name, line, message))
        else:
            self.more_problems += 1

    def fail(self) -> ImportFailed:
        return ImportFailed(self.problems, self.more_problems)

    def run(self, conn: sqlite3.Connection) -> ImportReport:
        total = self.path.stat().st_size
        try:
            with self.path.open("rb", buffering=1 << 16) as raw:
                table = self._open(raw, total)
                fmt, rows = self._records(table)
                report = self._insert(conn, table, fmt, rows)
        except ReadError as exc:
            self.problem(exc.line, str(exc))
            raise self.fail() from None
        except OSError as exc:
            raise ImportFailed(
                [Problem(self.name, None, f"cannot be read ({exc.strerror})")]
            ) from None
        if self.progress:
            self.progress(total, total)
        return report

    def _open(self, raw: Any, total: int) -> Table:
        suffix = self.path.suffix.lower()
        if suffix == ".xlsx":
            return read_xlsx(self.path, self.progress)
        if suffix in JSON_SUFFIXES:
            return read_jsonl(raw, total, self.progress)
        if raw.peek(1)[:1] in (b"{", b"["):
            return read_jsonl(raw, total, self.progress)
        return read_csv(raw, total, self.progress)

    def _records(self, table: Table) -> tuple[str, Iterator[tuple[int, RecordParser, Sequence]]]:
        """Pick the layout and yield (line, parser, values) for every record in the file."""
        if not table.columns:  # JSON Lines: each object carries its own keys
            return GENERIC, self._json_records(table)
        mapping = self._mapping_for(table.columns)
        if mapping is None:
            parser = self._parser(table.columns)
            return GENERIC, ((line, parser, values) for line, values in table.rows)
        try:
            expander = mapping.expand(
                table.columns, {"market_currency": market(self.session.market).currency}
            )
        except MappingError as exc:
            raise ReadError(str(exc), 1) from None
        # One parser per event the mapping makes, so that errors name the export's columns.
        parsers = {spec: self._parser(FIELDS, mapping, spec) for spec in mapping.events}
        return mapping.name, (
            (line, parsers[spec], record)
            for line, values in table.rows
            for spec, record in expander.records(values)
        )

    def _mapping_for(self, columns: Sequence[str]) -> Mapping | None:
        if self.fmt == GENERIC:
            return None
        if self.fmt != "auto":
            return self.known[self.fmt]
        if "ts" in columns and "kind" in columns:
            return None
        matching = sorted(
            (m for m in self.known.values() if m.matches(columns)), key=lambda m: -len(m.detect)
        )
        if len(matching) > 1 and len(matching[0].detect) == len(matching[1].detect):
            names = ", ".join(m.name for m in matching)
            raise ReadError(
                f"matches several export layouts ({names}); choose one with --format", 1
            )
        if matching:  # the most specific layout: the one that recognises the most columns
            return matching[0]
        shown = ", ".join(columns[:8]) + (", …" if len(columns) > 8 else "")
        raise ReadError(
            "is neither the generic event format (columns ts, kind, …) nor a known export "
            f"layout ({', '.join(sorted(self.known))}); its header is: {shown}",
            1,
        )

    def _parser(
        self,
        columns: Sequence[str],
        mapping: Mapping | None = None,
        spec: EventSpec | None = None,
    ) -> RecordParser:
        if mapping is None:
            amount_locale = None
        elif mapping.amounts == "market":
            amount_locale = market(self.session.market).locale
        else:
            amount_locale = None if mapping.amounts == "plain" else mapping.amounts
        try:
            return RecordParser(
                columns,
                self.tz,
                ts_format=mapping.time_format if mapping else None,
                amount_locale=amount_locale,
                labels=dict(spec.columns) if spec else None,
            )
        except FieldError as exc:
            raise ReadError(
                f"the header has no {exc.field} column (every event needs ts and kind; "
                f"found: {', '.join(columns)})",
                1,
            ) from None

    def _json_records(self, table: Table) -> Iterator[tuple[int, RecordParser, Sequence]]:
        parsers: dict[tuple[str, ...], RecordParser] = {}
        for line, obj in table.rows:
            keys = tuple(obj)
            parser = parsers.get(keys)
            if parser is None:
                try:
                    parser = parsers[keys] = RecordParser(keys, self.tz)
                except FieldError as exc:
                    raise ReadError(f"the object has no {exc.field}", line) from None
            yield line, parser, tuple(obj.values())

    def _insert(
        self,
        conn: sqlite3.Connection,
        table: Table,
        fmt: str,
        records: Iterator[tuple[int, RecordParser, Sequence]],
    ) -> ImportReport:
        counts = _Counts()
        added = 0
        # Parsing runs on a second thread, a few batches ahead of the inserts (see background).
        for batch in background(self._batches(records, counts), name="studio-import-parse"):
            added += insert_keyed_rows(conn, batch)
        if self.problems:
            raise self.fail()
        if counts.rows == 0:
            raise ImportFailed([Problem(self.name, None, "holds no events")])
        return self._report(conn, table, fmt, counts, added)

    def _batches(
        self, records: Iterator[tuple[int, RecordParser, Sequence]], counts: _Counts
    ) -> Iterator[list[tuple]]:
        """Parse and key every record; yields batches of `events` rows until a problem shows."""
        keys = KeyDeriver()
        sid = self.session.id
        start, end = self.session.started_at, self.session.ended_at
        batch: list[tuple] = []
        last_parser = None
        for line, parser, values in records:
            if parser is not last_parser:
                counts.unknown.update(parser.extra_columns)
                last_parser = parser
            try:
                row, was_naive = parser.parse(values)
            except FieldError as exc:
                self.problem(line, str(exc))
                continue
            counts.rows += 1
            counts.naive += was_naive
            ts = row[0]
            if start is not None and ts < start:
                counts.before += 1
            elif end is not None and ts > end:
                counts.after += 1
            if not self.problems:  # after the first problem, only look for more problems
                batch.append((sid, keys.key(row), *row))
                if len(batch) >= BATCH_ROWS:
                    yield batch
                    batch = []
        if batch and not self.problems:
            yield batch

    def _report(
        self, conn: sqlite3.Connection, table: Table, fmt: str, counts: _Counts, added: int
    ) -> ImportReport:
        sid = self.session.id
        rows, naive, before, after, unknown = (
            counts.rows, counts.naive, counts.before, counts.after, counts.unknown
        )
        warnings = []
        if naive:
            warnings.append(
                f"{naive} time(s) had no UTC offset and were read in {self.tz.key} "
                f"(market {self.session.market})"
            )
        if before or after:
            warnings.append(
                f"{before} event(s) before the session start and {after} after its end "
                "(kept; presence is clipped to the session)"
            )
        if unknown:
            warnings.append(f"column(s) kept aside as extra fields: {', '.join(sorted(unknown))}")
        report = ImportReport(
            file=str(self.path),
            format=fmt,
            encoding=table.encoding,
            rows=rows,
            added=added,
            duplicates=rows - added,
            naive_ts_rows=naive,
            assumed_tz=self.tz.key if naive else None,
            unknown_columns=tuple(sorted(unknown)),
            before_start=before,
            after_end=after,
            warnings=tuple(warnings),
        )
        conn.execute(
            "INSERT INTO imports (session_id, path, format, imported_at, rows, added, duplicates,"
            " assumed_tz) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (sid, str(self.path), fmt, time.time(), rows, added, rows - added, report.assumed_tz),
        )
        return report
