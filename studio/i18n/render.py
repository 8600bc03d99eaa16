"""Core's Messages (studio.core.message) in the user's language: the one place they are
translated and filled in.

The source text is looked up with gettext (ngettext for a sentence that says a count), then its
{placeholders} are filled with numbers written the user's way: `{value:.1%}` is a share and
`{value:.0f}` a number through studio.i18n.format (Babel), `{n}` a count as it is; a parameter
that is a Message is rendered the same way, a str is shown as it is (user data, a code).
"""

from __future__ import annotations

import re
import string
from typing import Any

from studio.core.importers.errors import ImportFailed
from studio.core.message import Message, told
from studio.i18n import _, ngettext
from studio.i18n.format import number, share

# The format specs the source texts use: ".1%", ".0f", "," (digits grouped); others go to format().
_SPEC = re.compile(r"(?P<group>,)?(?:\.(?P<digits>\d+))?(?P<kind>[f%])?")


class _LocaleFormatter(string.Formatter):
    def format_field(self, value: Any, format_spec: str) -> str:
        if isinstance(value, Message):
            return format(render(value), format_spec)
        spec = _SPEC.fullmatch(format_spec) if format_spec else None
        if spec is None or isinstance(value, bool) or not isinstance(value, int | float):
            return format(value, format_spec)
        digits = int(spec["digits"] or 0)
        if spec["kind"] == "%":
            return share(value, digits)
        return number(value, digits)


_FORMATTER = _LocaleFormatter()


def render(text: Message | str) -> str:
    """A Message in the interface language; a str (user data, text already in the user's
    language) as it is."""
    if not isinstance(text, Message):
        return text
    if text.plural is None:
        translated = _(text.id)
    else:
        translated = ngettext(text.id, text.plural, text.n if text.n is not None else 0)
    try:
        return _FORMATTER.vformat(translated, (), text.params)
    except (KeyError, IndexError, ValueError):  # a translation that lost a placeholder
        return str(text)


def render_error(error: BaseException) -> str:
    """What an error says to the user, in their language: every problem of a failed import
    (one a line), the Message an error was raised with, or its own words."""
    if isinstance(error, ImportFailed):
        return "\n".join(render(line) for line in error.lines())
    return render(told(error))
