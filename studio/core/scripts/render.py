"""Placeholders and rendering: a script's words as said on air in one market.

    {price:SKU}  {product:SKU}  {time:2026-11-25T20:00}  {countdown:2026-11-25T20:00}
    {shipping}  {returns}  {payment}

Prices, names and moments come from the product catalog and the market (its locale, currency
and zone: a moment without an offset is the market's own time). `{{` and `}}` are literal
braces. Every problem names file:line:column and what was expected; nothing is rendered
half-way.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime

from babel.lists import format_list

from studio.core.markets import Market
from studio.core.markets.formatting import InexactPrice, countdown, moment, price
from studio.core.message import N_, message, told
from studio.core.scripts.catalog import Catalog, Product
from studio.core.scripts.errors import ScriptError, script_error
from studio.core.scripts.model import Line, Script

WITH_SKU = ("price", "product")
WITH_MOMENT = ("time", "countdown")
PLAIN = ("shipping", "returns", "payment")
NAMES = WITH_SKU + WITH_MOMENT + PLAIN
_TOKEN = re.compile(r"\{\{|\}\}|\{(?P<body>[^{}\n]*)\}|(?P<open>\{)|(?P<close>\})")


@dataclass(frozen=True, slots=True)
class Placeholder:
    line: int
    column: int  # 1-based, where its "{" is
    name: str
    argument: str  # the SKU or the ISO moment; "" for the plain ones


def placeholders(script: Script, source: str) -> list[Placeholder]:
    """Every placeholder of the script, checked for its form (not yet against a catalog):
    unclosed braces, unknown names and moments that are no ISO date raise ScriptError."""
    found = []
    for line in _all_lines(script):
        for token in _TOKEN.finditer(line.text):
            found.extend(_placeholder(token, line, source))
    return found


def _placeholder(token: re.Match, line: Line, source: str) -> list[Placeholder]:
    column = token.start() + 1
    if token["open"]:
        raise script_error(source, line.number, column, message(N_(
            'an unclosed "{brace}"; expected a placeholder like {example} (write {twice} for '
            'a brace)'), brace="{", example="{price:SKU}", twice="{{"))
    if token["close"]:
        raise script_error(source, line.number, column, message(N_(
            'a "{brace}" without its opening brace (write {twice} for a brace)'),
            brace="}", twice="}}"))
    if token["body"] is None:  # {{ or }}
        return []
    name, _, argument = token["body"].partition(":")
    name, argument = name.strip(), argument.strip()
    if name not in NAMES:
        raise script_error(source, line.number, column, message(N_(
            'unknown placeholder "{placeholder}"; expected one of {names}'),
            placeholder=token.group(), names=", ".join(f"{{{n}}}" for n in NAMES)))
    if name in WITH_SKU + WITH_MOMENT and not argument:
        example = "SKU" if name in WITH_SKU else "2026-11-25T20:00"
        raise script_error(source, line.number, column, message(N_(
            "{placeholder} needs a value after a colon, like {example}"),
            placeholder=token.group(), example=f"{{{name}:{example}}}"))
    if name in PLAIN and argument:
        raise script_error(source, line.number, column, message(N_(
            "{placeholder} takes no value after a colon"), placeholder=f"{{{name}}}"))
    if name in WITH_MOMENT:
        _moment(argument, line.number, column, source)
    return [Placeholder(line.number, column, name, argument)]


def _moment(text: str, line: int, column: int, source: str) -> datetime:
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        raise script_error(source, line, column, message(N_(
            '"{text}" is not a date and time; expected ISO 8601 like 2026-11-25T20:00 or '
            '2026-11-25T20:00+01:00'), text=text)) from None


def _all_lines(script: Script) -> list[Line]:
    lines = list(script.preamble)
    for segment in script.segments:
        lines.extend(segment.lines)
    return lines


def render_script(script: Script, source: str, market: Market, catalog: Catalog | None, *,
                  now: datetime | None = None, variant: str | None = None) -> Script:
    """The script as said in `market`: every placeholder filled in, for one A/B variant (the
    first when None). `now` is when countdowns count from (the current time by default)."""
    if variant is not None and variant not in script.variants:
        raise ScriptError(message(N_(
            '{file}: there is no variant "{variant}" (the script has: {variants})'),
            file=source, variant=variant, variants=", ".join(script.variants) or "-"))
    chosen = script.for_variant(variant)
    placeholders(chosen, source)  # every form checked before anything is filled in
    said = _Saying(source, market, catalog, now or datetime.now(UTC))
    return _with_lines(chosen, said.line)


@dataclass(frozen=True, slots=True)
class _Saying:
    source: str
    market: Market
    catalog: Catalog | None
    now: datetime

    def line(self, line: Line) -> str:
        out, at = [], 0
        for token in _TOKEN.finditer(line.text):
            out.append(line.text[at:token.start()])
            at = token.end()
            found = _placeholder(token, line, self.source)
            out.append(self.value(found[0]) if found else token.group()[0])  # {{ is {
        out.append(line.text[at:])
        return "".join(out)

    def value(self, found: Placeholder) -> str:
        market = self.market
        if found.name in WITH_SKU:
            product = self._product(found)
            if found.name == "product":
                return product.name
            try:
                return price(product.price, product.currency, market.locale)
            except InexactPrice as exc:
                raise script_error(self.source, found.line, found.column, told(exc)) from None
        if found.name in WITH_MOMENT:
            when = _moment(found.argument, found.line, found.column, self.source)
            if found.name == "time":
                return moment(when, market)
            if when.tzinfo is None:
                when = when.replace(tzinfo=market.tz)
            return countdown((when - self.now).total_seconds(), market.locale)
        if found.name == "payment":
            return format_list(list(market.payment_methods), style="or", locale=market.locale)
        return market.shipping if found.name == "shipping" else market.returns

    def _product(self, found: Placeholder) -> Product:
        if self.catalog is None:
            raise script_error(self.source, found.line, found.column, message(N_(
                "{placeholder} needs a product catalog (--products FILE.csv)"),
                placeholder=f"{{{found.name}:{found.argument}}}"))
        if found.argument not in self.catalog:
            raise script_error(self.source, found.line, found.column, message(N_(
                "SKU {sku} is not in the catalog {catalog}"),
                sku=found.argument, catalog=self.catalog.source))
        return self.catalog.product(found.argument, self.market)


def _with_lines(script: Script, fill: Callable[[Line], str]) -> Script:
    def lines(old: tuple[Line, ...]) -> tuple[Line, ...]:
        return tuple(Line(line.number, fill(line)) for line in old)

    return Script(tuple(replace(s, lines=lines(s.lines)) for s in script.segments),
                  lines(script.preamble))
