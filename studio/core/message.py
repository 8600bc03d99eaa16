"""What core says to the user, as data: an English source text and the values it names.

Core sits below gettext (studio.i18n) in the layers, so it cannot translate. Where it has
something to tell the user (a flag, a warning, an import problem, an error) it makes a
`Message`: `id` is the English source text, which is also the catalog's msgid, and `params`
fill its {placeholders}. The window and the command line render it in the user's language with
`studio.i18n.render.render` (numbers in the user's locale); `str()` is the English, for logs,
tracebacks and tests.

The source text is marked where it is written, so that `make catalogs` finds it: N_("...") for
one sentence, Np_("singular", "plural") for a sentence that says a count, whose form the `n`
parameter picks. A parameter may itself be a Message (a reference said in words, what a field
expected): it is rendered in the same language. A parameter that is a str is shown as it is:
it is the user's data (a file name, a SKU, a viewer's comment) or a code.

An exception tells the user the Message it was raised with: `raise StoreError(message(...))`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any


def N_(text: str) -> str:
    """Marks a source text for the catalog without translating it (gettext's N_)."""
    return text


@dataclass(frozen=True, slots=True)
class Plural:
    """A sentence that says a count, in the English singular and plural."""

    singular: str
    plural: str


def Np_(singular: str, plural: str) -> Plural:
    """Marks a singular/plural pair for the catalog (extracted as `-k Np_:1,2`)."""
    return Plural(singular, plural)


@dataclass(frozen=True, slots=True)
class Message:
    """One sentence (or part of one) for the user: the English source text and its values.

    `plural` and `n` are set for a sentence that says a count: gettext's ngettext(id, plural,
    n) picks the form in each language."""

    id: str
    params: Mapping[str, Any] = field(default_factory=dict, hash=False)
    plural: str | None = None
    n: int | None = None

    def __str__(self) -> str:
        text = self.id if self.plural is None or self.n == 1 else self.plural
        try:
            return text.format(**{name: str(value) if isinstance(value, Message) else value
                                  for name, value in self.params.items()})
        except (KeyError, IndexError, ValueError):  # a broken call must not hide the sentence
            return text


def message(text: str | Plural, /, **params: Any) -> Message:
    """A Message from a source text marked with N_() or Np_(); a Plural's form is picked by
    the parameter `n` (also usable as {n} in the text)."""
    if isinstance(text, Plural):
        return Message(text.singular, params, plural=text.plural, n=params["n"])
    return Message(text, params)


def told(error: BaseException) -> Message | str:
    """What an error tells the user: the Message it was raised with, or its own words."""
    said = error.args[0] if len(error.args) == 1 else None
    return said if isinstance(said, Message) else str(error)
