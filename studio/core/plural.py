"""English plurals for the sentences core writes.

Core has no gettext (studio.i18n sits above it in the layers), so it writes English and picks the
singular or the plural by the count. The function has gettext's name and signature so that the
catalog extractor (`-k ngettext:1,2`) records each pair, and a window showing the same sentence
can translate it with studio.i18n.ngettext.
"""

from __future__ import annotations


def ngettext(singular: str, plural: str, n: int) -> str:
    return singular if n == 1 else plural
