"""The product catalog a script's placeholders read: CSV with the columns
`sku,name,price,currency`, and optionally per market `name_DE`, `price_DE` (in that market's
currency, or in `currency_DE` if given).

A price is exact decimal text ("19.99"); the catalog is read once and every problem names
file:line:column. Which price a market uses is decided when a script asks for it: a catalog for
many markets may leave a market's columns empty for products its show does not sell.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

from babel.numbers import UnknownCurrencyError, validate_currency

from studio.core.markets import Market
from studio.core.message import N_, Message, message
from studio.core.scripts.errors import ScriptError, script_error
from studio.core.scripts.files import decode_utf8

REQUIRED = ("sku", "name", "price", "currency")


@dataclass(frozen=True, slots=True)
class Product:
    sku: str
    name: str
    price: Decimal
    currency: str


@dataclass(frozen=True, slots=True)
class _Row:
    line: int
    cells: dict[str, str]
    columns: dict[str, int]  # where each cell starts on its line (1-based)


class Catalog:
    def __init__(self, source: str, rows: dict[str, _Row]) -> None:
        self.source = source
        self._rows = rows

    def __contains__(self, sku: str) -> bool:
        return sku in self._rows

    def product(self, sku: str, market: Market) -> Product:
        """The product as `market` sells it: its own name and price where the catalog has
        them; a price in any currency but the market's is a ScriptError naming the cell."""
        row = self._rows[sku]
        own_price = row.cells.get(f"price_{market.code}", "")
        if own_price:
            column = f"price_{market.code}"
            currency = row.cells.get(f"currency_{market.code}") or market.currency
        else:
            column, currency = "price", row.cells["currency"]
        if currency.upper() != market.currency:
            raise script_error(self.source, row.line, row.columns.get(column, 1), message(N_(
                "the price of {sku} is in {currency}; market {market} sells in {expected} "
                "(add a price_{market} column)"),
                sku=sku, currency=currency.upper(), market=market.code,
                expected=market.currency))
        name = row.cells.get(f"name_{market.code}") or row.cells["name"]
        return Product(sku, name, Decimal(row.cells[column]), market.currency)


def read_catalog(path: Path | str) -> Catalog:
    path = Path(path)
    return parse_catalog(decode_utf8(path.read_bytes(), str(path)), str(path))


def parse_catalog(text: str, source: str) -> Catalog:
    lines = text.splitlines()
    if not text.strip():
        raise script_error(source, 1, 1, message(N_(
            "the catalog is empty; expected the header {columns}"),
            columns=",".join(REQUIRED)))
    reader = csv.reader(lines)
    header = [_column_name(name) for name in next(reader)]
    for name in REQUIRED:
        if name not in header:
            raise script_error(source, 1, 1, message(N_(
                "the header has no {column} column; expected {columns}"),
                column=name, columns=",".join(REQUIRED)))
    rows: dict[str, _Row] = {}
    for cells in reader:
        number = reader.line_num
        if not any(cell.strip() for cell in cells):
            continue
        starts = _cell_starts(lines[number - 1])
        if len(cells) != len(header):
            raise script_error(source, number, 1, message(N_(
                "{found} fields; expected {expected} as in the header"),
                found=len(cells), expected=len(header)))
        row = _Row(number, {name: cell.strip() for name, cell in zip(header, cells, strict=True)},
                   dict(zip(header, starts, strict=False)))
        _check_row(row, source, header)
        sku = row.cells["sku"]
        if sku in rows:
            raise script_error(source, number, 1, message(N_(
                "SKU {sku} is listed twice (first on line {first})"),
                sku=sku, first=rows[sku].line))
        rows[sku] = row
    return Catalog(source, rows)


def _check_row(row: _Row, source: str, header: list[str]) -> None:
    def fail(column: str, problem: Message) -> ScriptError:
        return script_error(source, row.line, row.columns.get(column, 1), problem)

    if not row.cells["sku"]:
        raise fail("sku", message(N_("the SKU is empty; expected a product code")))
    if not row.cells["name"]:
        raise fail("name", message(N_("the name is empty; expected the product's name")))
    for column in header:
        value = row.cells[column]
        if column == "price" or (column.startswith("price_") and value):
            try:
                price = Decimal(value)
            except InvalidOperation:
                price = None
            if price is None or not price.is_finite() or price < 0:
                raise fail(column, message(N_(
                    '{column} "{value}" is not a price; expected a number like 19.99'),
                    column=column, value=value))
        if column == "currency" or (column.startswith("currency_") and value):
            try:
                validate_currency(value.upper())
            except UnknownCurrencyError:
                raise fail(column, message(N_(
                    '{column} "{value}" is not a currency; expected a code like EUR'),
                    column=column, value=value)) from None


def _column_name(text: str) -> str:
    """A header cell as the catalog names it: "SKU" is sku, "Price_de" is price_DE (a
    spreadsheet's capitals are not a different column)."""
    base, underscore, market = text.strip().partition("_")
    return base.lower() + underscore + market.upper()


def _cell_starts(line: str) -> list[int]:
    """The 1-based column where each CSV cell of `line` starts (commas in quotes skipped)."""
    starts, quoted = [1], False
    for index, char in enumerate(line):
        if char == '"':
            quoted = not quoted
        elif char == "," and not quoted:
            starts.append(index + 2)
    return starts
