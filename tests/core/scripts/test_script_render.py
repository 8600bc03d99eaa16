"""Rendering placeholders in the market's locale, currency and zone; bad placeholders named by
file:line:column."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest
from babel.dates import format_datetime
from babel.lists import format_list
from babel.numbers import format_currency

from studio.core.markets import market, markets
from studio.core.markets.formatting import countdown
from studio.core.scripts.catalog import parse_catalog
from studio.core.scripts.errors import ScriptError
from studio.core.scripts.render import placeholders, render_script
from studio.core.scripts.text import parse_script

CATALOG = parse_catalog(
    "sku,name,price,currency,name_DE,price_DE\n"
    "MUG-1,Advent mug,19.99,USD,Adventsbecher,17.50\n"
    "ODD,Odd,9.995,USD,,\n", "p.csv")
NOW = datetime(2026, 11, 25, 18, 0, tzinfo=UTC)


def _render(text: str, code: str, **kw) -> str:
    script = render_script(parse_script(text, "s.txt"), "s.txt", market(code), CATALOG,
                           now=NOW, **kw)
    return "\n".join(line.text for s in script.segments for line in s.lines)


def test_prices_and_names_in_the_markets_own_conventions():
    # Expected values from Babel's own formatting of exact prices in the market's locale.
    assert _render("## P\n{product:MUG-1} {price:MUG-1}\n", "DE") == (
        "Adventsbecher " + format_currency(Decimal("17.50"), "EUR", locale="de_DE"))
    assert _render("## P\n{product:MUG-1}: {price:MUG-1}\n", "US") == (
        "Advent mug: " + format_currency(Decimal("19.99"), "USD", locale="en_US"))


def test_a_price_that_would_be_rounded_is_an_error_at_its_placeholder():
    with pytest.raises(ScriptError) as caught:
        _render("## P\nOnly {price:ODD}!\n", "US")
    assert str(caught.value).startswith("s.txt:2:6: 9.995 USD cannot be said exactly")


def test_market_wording_payment_and_literal_braces():
    de = market("DE")
    assert _render("## T\n{shipping}. {returns}. {payment}. {{so}}\n", "DE") == (
        f"{de.shipping}. {de.returns}. "
        f"{format_list(list(de.payment_methods), style='or', locale='de_DE')}. {{so}}")


def test_times_are_said_in_the_markets_zone_with_its_name_and_countdowns_count_from_now():
    text = _render("## T\n{time:2026-11-25T20:00}\n{countdown:2026-11-25T20:30}\n", "DE")
    said, left = text.splitlines()
    berlin = datetime(2026, 11, 25, 20, 0, tzinfo=market("DE").tz)
    assert format_datetime(berlin, "medium", locale="de_DE")[:10] in said
    assert "Mitteleuropäische Normalzeit" in said
    assert left == countdown(90 * 60, "de_DE")  # 20:30 Berlin is 19:30 UTC, 90 min after NOW


def test_variants_keep_the_shared_segments_and_their_own():
    text = "## Open\nhi\n## Pitch [A]\nalpha\n## Pitch [B]\nbeta\n"
    assert _render(text, "US") == "hi\nalpha"
    assert _render(text, "US", variant="B") == "hi\nbeta"
    with pytest.raises(ScriptError, match=r's.txt: there is no variant "C" \(the script has: '
                                          r'A, B\)'):
        _render(text, "US", variant="C")


@pytest.mark.parametrize("line, where, expected", [
    ("Buy {price:MUG-1", "s.txt:2:5:", 'unclosed "{"'),
    ("Buy } now", "s.txt:2:5:", "a \"}\" without its opening brace"),
    ("Buy {prize:MUG-1}", "s.txt:2:5:", 'unknown placeholder "{prize:MUG-1}"'),
    ("Buy {price}", "s.txt:2:5:", "{price} needs a value after a colon, like {price:SKU}"),
    ("Buy {shipping:fast}", "s.txt:2:5:", "{shipping} takes no value"),
    ("At {time:tonight}", "s.txt:2:4:", '"tonight" is not a date and time'),
    ("Buy {price:NOPE}", "s.txt:2:5:", "SKU NOPE is not in the catalog p.csv"),
])
def test_bad_placeholders_name_the_place(line, where, expected):
    with pytest.raises(ScriptError) as caught:
        _render(f"## P\n{line}\n", "US")
    assert str(caught.value).startswith(where) and expected in str(caught.value)


def test_placeholders_are_checked_for_form_without_a_catalog():
    script = parse_script("## P\n{price:NOPE} {shipping}\n", "s.txt")
    assert [(p.line, p.column, p.name, p.argument) for p in placeholders(script, "s.txt")] == [
        (2, 1, "price", "NOPE"), (2, 14, "shipping", "")]
    with pytest.raises(ScriptError, match="needs a product catalog"):
        render_script(script, "s.txt", market("US"), None, now=NOW)


@pytest.mark.parametrize("code", sorted(markets()))
def test_every_market_renders_every_placeholder(code):
    where = market(code)
    catalog = parse_catalog(f"sku,name,price,currency\nA,Mug,{10 ** 4},{where.currency}\n",
                            "p.csv")
    script = parse_script("## S\n{product:A} {price:A} {shipping} {returns} {payment} "
                          "{time:2026-11-25T20:00} {countdown:2026-11-25T20:00}\n", "s.txt")
    said = render_script(script, "s.txt", where, catalog, now=NOW).segments[0].lines[0].text
    assert "{" not in said and where.shipping in said and where.returns in said
    assert all(method in said for method in where.payment_methods)
