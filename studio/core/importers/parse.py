"""The reading half of an import: a file in, batches of `events` rows out.

FileParser.messages() streams the file and yields Batch, Progress and, last, Parsed (what the
file held and what was wrong with it). It touches no database, so it can run in the writer's
thread for small files or in a child process for large ones (run.py decides); everything it
yields is picklable.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from studio.core.events import FIELDS, FieldError, KeyDeriver, RecordParser
from studio.core.importers.errors import MAX_PROBLEMS, Problem
from studio.core.importers.mapping import EventSpec, Expander, Mapping, MappingError
from studio.core.importers.readers import ReadError, Table, read_csv, read_jsonl, read_xlsx
from studio.core.markets import market
from studio.core.message import N_, Message, message
from studio.core.store import Session

BATCH_ROWS = 5000
GENERIC = "generic"
JSON_SUFFIXES = (".jsonl", ".ndjson", ".json")

Records = Iterator[tuple[int, RecordParser, Sequence[Any]]]


@dataclass(frozen=True, slots=True)
class Batch:
    rows: list[tuple]  # `events` rows: session id, key, then Event.as_row()


@dataclass(frozen=True, slots=True)
class Progress:
    done: int
    total: int


@dataclass(slots=True)
class Parsed:
    """What the whole file held; the last message."""

    format: str = GENERIC
    encoding: str = ""
    rows: int = 0
    naive: int = 0
    before: int = 0
    after: int = 0
    unknown: set[str] = field(default_factory=set)
    skipped: int = 0  # rows of a mapped export that are not data (its `skip` conditions)
    problems: list[Problem] = field(default_factory=list)
    more_problems: int = 0


class FileParser:
    def __init__(self, session: Session, path: Path, fmt: str, known: dict[str, Mapping]) -> None:
        self.session = session
        self.path = path
        self.name = path.name
        self.fmt = fmt
        self.known = known
        self.tz = market(session.market).tz
        self.parsed = Parsed()
        self._progress: list[Progress] = []
        self._expander: Expander | None = None

    def problem(self, line: int | None, said: Message) -> None:
        if len(self.parsed.problems) < MAX_PROBLEMS:
            self.parsed.problems.append(Problem(self.name, line, said))
        else:
            self.parsed.more_problems += 1

    def messages(self) -> Iterator[Batch | Progress | Parsed]:
        total = self.path.stat().st_size
        try:
            with self.path.open("rb", buffering=1 << 16) as raw:
                table = self._open(raw, total)
                self.parsed.encoding = table.encoding
                self.parsed.format, records = self._records(table)
                for batch in self._batches(records):
                    yield from self._progress
                    self._progress.clear()
                    yield batch
                if self._expander is not None:
                    self.parsed.skipped = self._expander.skipped
        except ReadError as exc:
            self.problem(exc.line, exc.said)
        except OSError as exc:
            self.problem(None, message(N_("cannot be read ({reason})"), reason=exc.strerror))
        yield Progress(total, total)
        yield self.parsed

    def _report_progress(self, done: int, total: int) -> None:
        self._progress.append(Progress(done, total))

    def _open(self, raw: BinaryIO, total: int) -> Table:
        progress = self._report_progress
        suffix = self.path.suffix.lower()
        if suffix == ".xlsx":
            return read_xlsx(self.path, progress)
        if suffix in JSON_SUFFIXES or raw.peek(1)[:1] in (b"{", b"["):
            return read_jsonl(raw, total, progress)
        return read_csv(raw, total, progress)

    def _records(self, table: Table) -> tuple[str, Records]:
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
            raise ReadError(exc.said, 1) from None
        self._expander = expander
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
            raise ReadError(message(N_("matches several export layouts ({names}); choose one "
                                       "with --format"), names=names), 1)
        if matching:  # the most specific layout: the one that recognises the most columns
            return matching[0]
        shown = ", ".join(columns[:8]) + (", …" if len(columns) > 8 else "")
        raise ReadError(message(
            N_("is neither the generic event format (columns ts, kind, …) nor a known export "
               "layout ({layouts}); its header is: {header}"),
            layouts=", ".join(sorted(self.known)), header=shown), 1)

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
            raise ReadError(message(
                N_("the header has no {field} column (every event needs ts and kind; found: "
                   "{columns})"), field=exc.field, columns=", ".join(columns)), 1) from None

    def _json_records(self, table: Table) -> Records:
        parsers: dict[tuple[str, ...], RecordParser] = {}
        for line, obj in table.rows:
            keys = tuple(obj)
            parser = parsers.get(keys)
            if parser is None:
                try:
                    parser = parsers[keys] = RecordParser(keys, self.tz)
                except FieldError as exc:
                    raise ReadError(message(N_("the object has no {field}"), field=exc.field),
                                    line) from None
            yield line, parser, tuple(obj.values())

    def _batches(self, records: Records) -> Iterator[Batch]:
        """Parse and key every record; yields batches until the first problem shows."""
        parsed = self.parsed
        keys = KeyDeriver()
        sid = self.session.id
        start, end = self.session.started_at, self.session.ended_at
        rows: list[tuple] = []
        last_parser = None
        for line, parser, values in records:
            if parser is not last_parser:
                parsed.unknown.update(parser.extra_columns)
                last_parser = parser
            try:
                row, was_naive = parser.parse(values)
            except FieldError as exc:
                self.problem(line, exc.said)
                continue
            parsed.rows += 1
            parsed.naive += was_naive
            ts = row[0]
            if start is not None and ts < start:
                parsed.before += 1
            elif end is not None and ts > end:
                parsed.after += 1
            if not parsed.problems:  # after the first problem, only look for more problems
                rows.append((sid, keys.key(row), *row))
                if len(rows) >= BATCH_ROWS:
                    yield Batch(rows)
                    rows = []
        if rows and not parsed.problems:
            yield Batch(rows)


def parse_file(
    session: Session, path: Path, fmt: str, known: dict[str, Mapping]
) -> Iterator[Batch | Progress | Parsed]:
    """FileParser(...).messages() as a module-level function, for a child process."""
    return FileParser(session, path, fmt, known).messages()
