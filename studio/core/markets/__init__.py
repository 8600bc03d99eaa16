"""Markets: where the buyers are, and how an amount, a moment or a countdown is said to them.

`table` reads resources/markets.toml into `Market`s (data, not code); `formatting` writes
prices, moments and countdowns in a market's conventions with Babel/CLDR."""

from __future__ import annotations

from studio.core.markets.table import Market, UnknownMarket, market, markets

__all__ = ["Market", "UnknownMarket", "market", "markets"]
