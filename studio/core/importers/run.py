"""Import one file into a session: whole or not at all, idempotent, streaming.

The import runs as one bulk job on the store's writer, inside one transaction: the file is
parsed (parse.py) in batches that are inserted as they come, and any problem rolls the whole
file back. A large file is parsed in a child process so that parsing and inserting overlap
(see child.py). Keys come from KeyDeriver, so importing the same file (or an
overlapping export) again adds only what is new.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from studio.core.importers.child import ChildFailed, iterate_in_child
from studio.core.importers.errors import ImportFailed, Problem
from studio.core.importers.mapping import Mapping, MappingError, mappings
from studio.core.importers.parse import GENERIC, Batch, FileParser, Parsed, Progress, parse_file
from studio.core.markets import market
from studio.core.message import N_, Message, Np_, message
from studio.core.store import Session, Store, insert_keyed_rows

ProgressCallback = Callable[[int, int], None]
# Below this size a child process costs more to start than it saves.
CHILD_PROCESS_BYTES = 16 << 20


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
    warnings: tuple[Message, ...] = field(default=())  # str(): the English
    skipped_rows: int = 0  # rows of a platform export that are not data (a description row)

    def to_json(self, render: Callable[[Message], str] = str) -> dict[str, Any]:
        """`render` writes a warning in the reader's language (English by default); each keeps
        its source text as `message_id`, a stable key for scripts."""
        out = {name: getattr(self, name) for name in self.__dataclass_fields__}
        out["warnings"] = [{"message": render(w), "message_id": w.id} for w in self.warnings]
        return out


def format_names(extra_dirs: Sequence[Path] = ()) -> list[str]:
    return ["auto", GENERIC, *sorted(mappings(extra_dirs))]


def import_file(
    store: Store,
    session_id: int,
    path: Path | str,
    *,
    fmt: str = "auto",
    progress: ProgressCallback | None = None,
    mapping_dirs: Sequence[Path] = (),
    child_process_bytes: int = CHILD_PROCESS_BYTES,
) -> ImportReport:
    """Import `path` into the session; raises ImportFailed with nothing written.

    `progress(done, total)` is called from the writer thread (bytes of the file).
    """
    path = Path(path)
    session = store.session(session_id)
    if not path.is_file():
        raise ImportFailed([Problem(path.name, None, message(N_("no such file")))])
    try:
        known = mappings(mapping_dirs)
    except MappingError as exc:  # a broken user mapping must say so, not crash
        raise ImportFailed([Problem(path.name, None, exc.said)]) from None
    if fmt not in ("auto", GENERIC) and fmt not in known:
        known_names = ", ".join(format_names(mapping_dirs))
        raise ImportFailed(
            [Problem(path.name, None, message(N_('unknown format "{format}" (known: {known})'),
                                              format=fmt, known=known_names))]
        )
    in_child = path.stat().st_size >= child_process_bytes
    job = _Import(session, path, fmt, known, progress, in_child)
    return store.submit(job.run, bulk=True).result()


class _Import:
    """The writer's half: insert what the parser yields, then record the import."""

    def __init__(
        self,
        session: Session,
        path: Path,
        fmt: str,
        known: dict[str, Mapping],
        progress: ProgressCallback | None,
        in_child: bool,
    ) -> None:
        self.session = session
        self.path = path
        self.fmt = fmt
        self.known = known
        self.progress = progress
        self.in_child = in_child

    def _messages(self) -> Iterator[Batch | Progress | Parsed]:
        args = (self.session, self.path, self.fmt, self.known)
        if self.in_child:
            return iterate_in_child(parse_file, *args)
        return FileParser(*args).messages()

    def run(self, conn: sqlite3.Connection) -> ImportReport:
        # A bulk job checks its own references (the store turns foreign-key checks off).
        exists = conn.execute("SELECT 1 FROM sessions WHERE id = ?", (self.session.id,))
        if exists.fetchone() is None:
            raise ImportFailed(
                [Problem(self.path.name, None, message(N_("session {id} is gone"),
                                                       id=self.session.id))]
            )
        added = 0
        parsed = Parsed()
        try:
            for item in self._messages():
                if isinstance(item, Batch):
                    added += insert_keyed_rows(conn, item.rows)
                elif isinstance(item, Progress):
                    if self.progress:
                        self.progress(item.done, item.total)
                else:
                    parsed = item
        except ChildFailed as exc:  # the parsing process was killed (out of memory, ...)
            raise ImportFailed([Problem(self.path.name, None, message(
                N_("was not imported: {reason}"), reason=exc.reason()))]) from None
        if parsed.problems:
            raise ImportFailed(parsed.problems, parsed.more_problems)
        if parsed.rows == 0:
            raise ImportFailed([Problem(self.path.name, None, message(N_("holds no events")))])
        return self._report(conn, parsed, added)

    def _report(self, conn: sqlite3.Connection, parsed: Parsed, added: int) -> ImportReport:
        sid = self.session.id
        tz = market(self.session.market).tz
        rows, naive, before, after, unknown = (
            parsed.rows,
            parsed.naive,
            parsed.before,
            parsed.after,
            parsed.unknown,
        )
        fmt = parsed.format
        warnings: list[Message] = []
        if naive:
            warnings.append(message(Np_(
                "{n} time had no UTC offset and was read in {zone} (market {market})",
                "{n} times had no UTC offset and were read in {zone} (market {market})"),
                n=naive, zone=tz.key, market=self.session.market))
        if before or after:
            warnings.append(message(Np_(
                "{before} event before the session start and {after} after its end "
                "(kept; presence is clipped to the session)",
                "{before} events before the session start and {after} after its end "
                "(kept; presence is clipped to the session)"),
                n=before, before=before, after=after))
        if unknown:
            warnings.append(message(Np_(
                "column kept aside as an extra field: {columns}",
                "columns kept aside as extra fields: {columns}"),
                n=len(unknown), columns=", ".join(sorted(unknown))))
        if parsed.skipped:
            warnings.append(message(Np_(
                "{n} row skipped: not data in the {layout} layout (e.g. the export's line of "
                "column descriptions)",
                "{n} rows skipped: not data in the {layout} layout (e.g. the export's line of "
                "column descriptions)"),
                n=parsed.skipped, layout=fmt))
        report = ImportReport(
            file=str(self.path),
            format=fmt,
            encoding=parsed.encoding,
            rows=rows,
            added=added,
            duplicates=rows - added,
            naive_ts_rows=naive,
            assumed_tz=tz.key if naive else None,
            unknown_columns=tuple(sorted(unknown)),
            before_start=before,
            after_end=after,
            warnings=tuple(warnings),
            skipped_rows=parsed.skipped,
        )
        conn.execute(
            "INSERT INTO imports (session_id, path, format, imported_at, rows, added, duplicates,"
            " assumed_tz) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (sid, str(self.path), fmt, time.time(), rows, added, rows - added, report.assumed_tz),
        )
        return report
