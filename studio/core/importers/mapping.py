"""Column mappings: how a platform's export becomes generic event records, written in TOML.

A mapping names the header columns that identify the layout (`detect`) and, for each event a
row yields, which export column fills which record field (`columns`), fixed values (`values`,
where `{Column Name}` is replaced by that column's value) and a condition (`when`). One order
row can so become an `order` event and, once paid, a `payment` event. Rows that are part of
the export's layout rather than data (TikTok Shop writes a line of column descriptions under
its header) are named by `skip` conditions and give nothing. The shipped mappings live
in resources/mappings/; a user adds one by dropping a .toml file into the user mappings folder
(docs/importing.md) — no code.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import platformdirs
from babel import Locale, UnknownLocaleError

from studio.core.events import FIELDS, KINDS
from studio.core.identity import APP_ID
from studio.core.message import N_, Message, Np_, message
from studio.resources import resource

# `{Column Name}` in a value template. Not str.format: export column names hold dots and
# brackets ("SKU Reference No."), which str.format reads as attribute and index access.
_PLACEHOLDER = re.compile(r"\{([^{}]+)\}")
CONTEXT_NAMES = ("market_currency",)  # template names that come from the session, not the file


class MappingError(ValueError):
    def __init__(self, said: Message) -> None:
        super().__init__(said)
        self.said = said


def user_mappings_dir() -> Path:
    return platformdirs.user_config_path(APP_ID, appauthor=False) / "mappings"


@dataclass(frozen=True, slots=True)
class Condition:
    column: str
    present: bool = False
    any_of: tuple[str, ...] = ()

    def holds(self, value: Any) -> bool:
        text = "" if value is None else str(value).strip()
        if self.any_of:
            return text.casefold() in self.any_of
        return bool(text) if self.present else True


@dataclass(frozen=True, slots=True)
class EventSpec:
    kind: str
    columns: tuple[tuple[str, str], ...]  # (record field, export column)
    values: tuple[tuple[str, str], ...]  # (record field, template)
    when: Condition | None


@dataclass(frozen=True, slots=True)
class Mapping:
    name: str
    title: str
    detect: tuple[str, ...]
    time_format: str | None
    amounts: str  # "plain" (1234.50), "market" (as the session market writes numbers) or a locale
    strip_amount: str  # characters removed from amounts before parsing (currency signs, spaces)
    events: tuple[EventSpec, ...]
    source: Path
    skip: tuple[Condition, ...] = ()  # rows that are not data (a description row): no events

    def matches(self, columns: Sequence[str]) -> bool:
        present = set(columns)
        return all(c in present for c in self.detect)

    def required_columns(self) -> set[str]:
        needed = set(self.detect)
        for spec in self.events:
            needed.update(col for _, col in spec.columns)
            if spec.when:
                needed.add(spec.when.column)
            for _, template in spec.values:
                needed.update(_PLACEHOLDER.findall(template))
        needed.update(condition.column for condition in self.skip)
        return needed - set(CONTEXT_NAMES)

    def expand(self, header: Sequence[str], context: dict[str, str]) -> Expander:
        """`context` adds names usable in value templates, e.g. market_currency."""
        missing = sorted(self.required_columns() - set(header))
        if missing:
            raise MappingError(message(Np_(
                "the {layout} layout needs the column {columns}",
                "the {layout} layout needs the columns {columns}"),
                n=len(missing), layout=self.title, columns=", ".join(missing)))
        return Expander(self, {name: i for i, name in enumerate(header)}, context)


class Expander:
    """Turns one export row into generic records (column order: FIELDS)."""

    columns = FIELDS

    def __init__(self, mapping: Mapping, index: dict[str, int], context: dict[str, str]) -> None:
        self._mapping = mapping
        self._index = index
        self._context = context
        self._strip = (
            re.compile(f"[{re.escape(mapping.strip_amount)}]") if mapping.strip_amount else None
        )
        self._skip = tuple((condition, index[condition.column]) for condition in mapping.skip)
        self.skipped = 0  # rows a `skip` condition held for

    def records(self, row: Sequence[Any]) -> Iterator[tuple[EventSpec, tuple]]:
        """(spec, record) for every event the row yields; records are in FIELDS order."""
        index = self._index
        for condition, position in self._skip:
            if condition.holds(row[position]):
                self.skipped += 1
                return
        named = None
        for spec in self._mapping.events:
            if spec.when and not spec.when.holds(row[index[spec.when.column]]):
                continue
            record: dict[str, Any] = {"kind": spec.kind}
            for field, column in spec.columns:
                value = row[index[column]]
                if field == "amount" and self._strip is not None and isinstance(value, str):
                    value = self._strip.sub("", value)
                record[field] = value
            for field, template in spec.values:
                if named is None:
                    named = {
                        name: "" if row[i] is None else str(row[i]).strip()
                        for name, i in index.items()
                    }
                    named.update(self._context)
                record[field] = _PLACEHOLDER.sub(lambda m, n=named: n[m.group(1)], template)
            yield spec, tuple(record.get(name) for name in FIELDS)


def _amounts(path: Path, value: object) -> str:
    if value in ("plain", "market"):
        return str(value)
    try:
        Locale.parse(str(value))
    except (UnknownLocaleError, ValueError):
        raise MappingError(message(
            N_('{path}: amounts = "{value}" is neither "plain", "market" nor a locale like id_ID'),
            path=str(path), value=str(value))) from None
    return str(value)


def _condition(value: Any) -> Condition:
    """`{ column = "Status", in = [...] }` or `{ column = "Paid Time", present = true }`."""
    if not isinstance(value, dict):
        raise TypeError(message(N_("a condition is a table like {{ column = ..., in = [...] }}")))
    any_of = value.get("in", ())
    if isinstance(any_of, str) or not all(isinstance(v, str) for v in any_of):
        raise TypeError(message(N_("in = [...] must be a list of texts")))
    return Condition(
        value["column"],
        present=bool(value.get("present", False)),
        any_of=tuple(v.strip().casefold() for v in any_of),
    )


def _load(path: Path) -> Mapping:
    try:
        with path.open("rb") as fh:
            data = tomllib.load(fh)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise MappingError(message(N_("{path}: not a readable mapping ({reason})"), path=str(path),
                                   reason=str(exc))) from None
    try:
        events = []
        for number, spec in enumerate(data["events"], start=1):
            when = spec.get("when")
            unknown = (set(spec.get("columns", {})) | set(spec.get("values", {}))) - set(FIELDS)
            if unknown:
                raise MappingError(message(Np_(
                    "{path}: events #{number} names an unknown field {fields}",
                    "{path}: events #{number} names unknown fields {fields}"),
                    n=len(unknown), path=str(path), number=number,
                    fields=", ".join(f'"{f}"' for f in sorted(unknown))))
            if spec["kind"] not in KINDS:
                raise MappingError(message(N_('{path}: events #{number} has an unknown kind '
                                              '"{kind}"'), path=str(path), number=number,
                                           kind=str(spec["kind"])))
            events.append(
                EventSpec(
                    kind=spec["kind"],
                    columns=tuple(spec.get("columns", {}).items()),
                    values=tuple(spec.get("values", {}).items()),
                    when=_condition(when) if when else None,
                )
            )
        return Mapping(
            name=data["name"],
            title=data.get("title", data["name"]),
            detect=_strings(data["detect"]),
            time_format=data.get("time_format"),
            amounts=_amounts(path, data.get("amounts", "plain")),
            strip_amount=data.get("strip_amount", ""),
            events=tuple(events),
            source=path,
            skip=_skips(data.get("skip", [])),
        )
    except KeyError as exc:
        raise MappingError(message(N_("{path}: the key {key} is missing"), path=str(path),
                                   key=str(exc))) from None
    except (TypeError, AttributeError) as exc:  # a number where a table belongs, ...
        reason = exc.args[0] if exc.args and isinstance(exc.args[0], Message) else str(exc)
        raise MappingError(message(N_("{path}: a value has the wrong type ({reason})"),
                                   path=str(path), reason=reason)) from None


def _skips(value: Any) -> tuple[Condition, ...]:
    # One condition or a list of them: skip = { column = ..., in = [...] } or [{...}, {...}].
    conditions = tuple(_condition(v) for v in (value if isinstance(value, list) else [value]))
    if any(not (c.any_of or c.present) for c in conditions):  # it would skip every row
        raise TypeError(message(N_("a skip condition needs in = [...] or present = true")))
    return conditions


def _strings(value: Any) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise TypeError(message(N_("detect must be a list of column names")))
    if not value:  # an empty list would claim every file
        raise TypeError(message(N_("detect must name at least one column")))
    return tuple(value)


@cache
def _load_cached(path: Path, mtime: float) -> Mapping:
    return _load(path)


def mappings(extra_dirs: Sequence[Path] = ()) -> dict[str, Mapping]:
    """Shipped mappings, then the user's (a user file with the same name wins)."""
    found: dict[str, Mapping] = {}
    for folder in (resource("mappings"), user_mappings_dir(), *extra_dirs):
        if folder.is_dir():
            for path in sorted(folder.glob("*.toml")):
                mapping = _load_cached(path, path.stat().st_mtime)
                found[mapping.name] = mapping
    return found
