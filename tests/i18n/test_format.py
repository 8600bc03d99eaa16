"""The interface's money: one amount per currency, in the UI language, in the currency's digits."""

from __future__ import annotations

import babel.core
from babel.numbers import get_currency_symbol

from studio.i18n import set_language
from studio.i18n.format import MISSING, money


def test_money_keeps_the_markets_digits_whatever_the_installed_cldr(monkeypatch):
    # Babel 2.11 (CLDR 42) gave IDR 2 digits; the board must show rupiah as the market does.
    set_language("zh_CN")
    monkeypatch.setitem(babel.core.get_global("currency_fractions"), "IDR", (2, 0, 0, 0))
    symbol = get_currency_symbol("USD", "zh_CN")
    assert money({"USD": 9.5, "IDR": 150000}) == f"IDR150,000 · {symbol}9.50"
    assert money({}) == money(None) == MISSING
