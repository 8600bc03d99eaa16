"""The markets table: every market the issue names, with the fields scripts and checklists read,
and a broken table said in one line naming the market and the key."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import pytest
from babel import Locale

from studio.core.errors import user_facing
from studio.core.markets import Market, UnknownMarket, market, markets
from studio.core.markets import table as markets_table
from studio.core.message import told

ISSUE_MARKETS = {"US", "GB", "DE", "FR", "ES", "IT", "NL", "PL", "JP", "KR",
                 "ID", "TH", "VN", "PH", "MY", "SG", "BR", "MX", "SA", "AE"}


def test_every_market_the_issue_names_is_there():
    assert set(markets()) >= ISSUE_MARKETS
    assert all(isinstance(m, Market) for m in markets().values())


@pytest.mark.parametrize("code", sorted(ISSUE_MARKETS))
def test_a_market_is_complete_and_consistent(code):
    where = market(code)
    assert Locale.parse(where.locale).language == where.language
    assert where.tz_name == where.tz_names[0] and where.tz == ZoneInfo(where.tz_names[0])
    assert all(ZoneInfo(zone) for zone in where.tz_names)
    assert where.payment_methods and where.shipping and where.returns and where.prime_time
    assert where.speaking_rate > 0
    assert where.target in {(1920, 1080), (1280, 720)}


def test_characters_are_counted_where_words_are_not_spaced():
    chars = {code for code, m in markets().items() if m.rate_unit == "chars"}
    assert chars == {"JP", "KR", "TH"}
    assert {m.rate_unit for code, m in markets().items() if code not in chars} == {"words"}


def test_only_arabic_markets_read_right_to_left():
    assert {code for code, m in markets().items() if m.rtl} == {"SA", "AE"}


@pytest.mark.parametrize(("code", "named"), [
    ("DE", {"PayPal", "Klarna", "Rechnung"}),
    ("ID", {"GoPay", "OVO", "DANA", "COD"}),
    ("TH", {"PromptPay"}),
    ("VN", {"MoMo", "ZaloPay"}),
    ("PH", {"GCash", "Maya"}),
    ("SG", {"PayNow"}),
    ("BR", {"Pix", "Boleto"}),
    ("MX", {"OXXO", "SPEI"}),
    ("SA", {"mada", "STC Pay", "Tabby", "Tamara"}),
    ("JP", {"コンビニ払い", "PayPay"}),
])
def test_payment_methods_are_the_names_buyers_use(code, named):
    assert named <= set(market(code).payment_methods)


def test_several_zones_keep_the_main_one_first():
    assert market("US").tz_names[0] == "America/New_York"
    assert "America/Los_Angeles" in market("US").tz_names
    assert market("ID").tz_names == ("Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura")


def test_an_unknown_market_names_the_known_ones():
    with pytest.raises(UnknownMarket) as raised:
        market("XX")
    assert "XX" in str(raised.value) and "DE" in str(raised.value)
    assert market("de").code == "DE"


GOOD_ROW = """
[ZZ]
locale = "de_DE"
languages = ["de"]
currency = "EUR"
tz = ["Europe/Berlin"]
target = "1920x1080"
platforms = []
payment_methods = ["PayPal"]
shipping = "Lieferung in 2 Tagen"
returns = "14 Tage Rückgaberecht"
speaking_rate = 120
prime_time = ["19:00-22:00"]
"""


def _table(tmp_path, monkeypatch, text):
    path = tmp_path / "markets.toml"
    path.write_text(text, encoding="utf-8")
    monkeypatch.setattr(markets_table, "resource", lambda *_: path)
    markets_table.markets.cache_clear()


@pytest.fixture
def own_table(tmp_path, monkeypatch):
    yield lambda text: _table(tmp_path, monkeypatch, text)
    markets_table.markets.cache_clear()


def test_a_good_row_reads_with_rtl_false_when_absent(own_table):
    own_table(GOOD_ROW)
    zz = market("ZZ")
    assert not zz.rtl and zz.platforms == () and zz.rate_unit == "words"


@pytest.mark.parametrize(("old", "new", "key"), [
    ('tz = ["Europe/Berlin"]', 'tz = ["Europe/Berlinn"]', "tz"),
    ('locale = "de_DE"', 'locale = "xx_QQ"', "locale"),
    ('prime_time = ["19:00-22:00"]', 'prime_time = ["19-22"]', "prime_time"),
    ('speaking_rate = 120', 'speaking_rate = "fast"', "speaking_rate"),
    ('payment_methods = ["PayPal"]', "payment_methods = []", "payment_methods"),
    ('shipping = "Lieferung in 2 Tagen"', "", "shipping"),
    ('target = "1920x1080"', 'target = "full hd"', "target"),
])
def test_a_broken_row_is_one_line_naming_market_and_key(own_table, old, new, key):
    assert old in GOOD_ROW
    own_table(GOOD_ROW.replace(old, new))
    with pytest.raises(ValueError) as raised:
        markets()
    assert user_facing(raised.value)  # one line on the command line and in the window
    said = str(told(raised.value))
    assert said.startswith(f"resources/markets.toml: market ZZ: {key} ")
    assert "\n" not in said
