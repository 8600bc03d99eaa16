"""Which text encoding an export is in: the four that platform exports actually use.

UTF-8 (with or without BOM), UTF-16 (BOM, or the tell-tale zero bytes without one) and GB18030
(Chinese Excel's default). A general detector (charset-normalizer) guesses among dozens of
encodings and can mistake short GB18030 files for something else; with four candidates the
answer is a matter of rules, in this order, and the result is deterministic.
"""

from __future__ import annotations

import codecs

SAMPLE_BYTES = 1 << 16


class NotText(ValueError):
    pass


def detect_encoding(head: bytes) -> str:
    """The Python codec name for a file that starts with `head` (up to SAMPLE_BYTES)."""
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if b"\x00" in head:
        even, odd = head[0::2], head[1::2]
        # ASCII-heavy UTF-16 text has zeros in every other byte.
        if odd and odd.count(0) > 0.3 * len(odd) and even.count(0) < 0.05 * len(even):
            return "utf-16-le"
        if even and even.count(0) > 0.3 * len(even) and odd.count(0) < 0.05 * len(odd):
            return "utf-16-be"
        raise NotText("is not a text file (it contains binary data)")
    if _decodes(head, "utf-8"):
        return "utf-8"
    if _decodes(head, "gb18030"):
        return "gb18030"
    raise NotText("is not text in UTF-8, UTF-16 or GB18030")


def _decodes(head: bytes, encoding: str) -> bool:
    # Never final: the sample may end in the middle of a multi-byte character, and so does a
    # UTF-8 file cut short (which must not pass for GB18030; its reader then names the line).
    try:
        codecs.getincrementaldecoder(encoding)().decode(head, final=False)
    except UnicodeDecodeError:
        return False
    return True
