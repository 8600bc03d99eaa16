"""The product catalog CSV: per-market names and prices, and bad cells named by place."""

from __future__ import annotations

from decimal import Decimal

import pytest

from studio.core.markets import market
from studio.core.scripts.catalog import parse_catalog, read_catalog
from studio.core.scripts.errors import ScriptError

CATALOG = """\
sku,name,price,currency,name_DE,price_DE,price_JP
MUG-1,Advent mug,19.99,USD,Adventsbecher,17.50,2980
SOCK,"Socks, wool",9.995,USD,,,
"""


def test_a_market_gets_its_own_name_and_price_else_the_base_ones():
    catalog = parse_catalog(CATALOG, "p.csv")
    german = catalog.product("MUG-1", market("DE"))
    assert (german.name, german.price, german.currency) == ("Adventsbecher", Decimal("17.50"),
                                                            "EUR")
    american = catalog.product("SOCK", market("US"))
    assert (american.name, american.price) == ("Socks, wool", Decimal("9.995"))
    assert catalog.product("MUG-1", market("JP")).price == Decimal("2980")
    assert "MUG-1" in catalog and "NOPE" not in catalog


def test_a_price_in_another_currency_than_the_markets_names_its_cell():
    catalog = parse_catalog(CATALOG, "p.csv")
    with pytest.raises(ScriptError) as caught:
        catalog.product("SOCK", market("DE"))
    assert str(caught.value).startswith("p.csv:3:")
    assert "SOCK is in USD; market DE sells in EUR" in str(caught.value)


@pytest.mark.parametrize("text, where, expected", [
    ("", "p.csv:1:1:", "empty"),
    ("sku,name,currency\nA,a,USD\n", "p.csv:1:1:", "no price column"),
    ("sku,name,price,currency\nA,a,abc,USD\n", "p.csv:2:5:", '"abc" is not a price'),
    ("sku,name,price,currency\nA,a,-1,USD\n", "p.csv:2:5:", "not a price"),
    ("sku,name,price,currency\nA,a,NaN,USD\n", "p.csv:2:5:", "not a price"),
    ("sku,name,price,currency\nA,a,1,XYZ\n", "p.csv:2:7:", '"XYZ" is not a currency'),
    ("sku,name,price,currency,price_DE\nA,a,1,USD,zwei\n", "p.csv:2:11:", "price_DE"),
    ("sku,name,price,currency\nA,a,1,USD\nA,b,2,USD\n", "p.csv:3:1:", "twice (first on line 2)"),
    ("sku,name,price,currency\n,a,1,USD\n", "p.csv:2:1:", "SKU is empty"),
    ("sku,name,price,currency\nA, ,1,USD\n", "p.csv:2:3:", "name is empty"),
    ("sku,name,price,currency\nA,a,1\n", "p.csv:2:1:", "3 fields; expected 4"),
])
def test_bad_cells_are_one_line_naming_the_place(text, where, expected):
    with pytest.raises(ScriptError) as caught:
        parse_catalog(text, "p.csv")
    assert str(caught.value).startswith(where) and expected in str(caught.value)


def test_a_catalog_file_must_be_utf8(tmp_path):
    path = tmp_path / "p.csv"
    path.write_bytes("sku,name,price,currency\nA,杯子,1,CNY\n".encode("gb18030"))
    with pytest.raises(ScriptError, match=r"p\.csv:2:3: .*not UTF-8"):
        read_catalog(path)


def test_header_capitals_are_the_same_columns():
    catalog = parse_catalog("SKU,Name,Price,Currency,Price_de\nA,a,1,USD,2.50\n", "p.csv")
    assert catalog.product("A", market("DE")).price == Decimal("2.50")
