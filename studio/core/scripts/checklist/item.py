"""One line of the pre-air checklist: a rule's id, whether it passed, and why."""

from __future__ import annotations

from dataclasses import dataclass

from studio.core.message import Message

# The automatic rules, in the order the checklist lists them (docs/scripts.md). The ids are
# stable: scripts, tests and the JSON output name rules by them.
RULE_IDS = (
    "shipping_time",
    "returns_policy",
    "payment_methods",
    "local_currency",
    "price_matches_catalog",
    "banned_claims",
    "off_platform",
    "length",
    "language",
    "spelling",
)


@dataclass(frozen=True, slots=True)
class CheckItem:
    """A rule's verdict. A rule that finds several problems gives one item per problem, each
    with the line it is on; `line` is None for what a whole script lacks."""

    id: str
    passed: bool
    message: Message
    line: int | None = None
