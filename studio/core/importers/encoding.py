"""Which text encoding an export is in: the four that platform exports actually use.

UTF-8 (with or without BOM), UTF-16 (BOM, or the tell-tale zero bytes without one) and GB18030
(Chinese Excel's default). A general detector (charset-normalizer) guesses among dozens of
encodings and can mistake short GB18030 files for something else; with four candidates the
answer is a matter of rules, in this order, and the result is deterministic.

GB18030 accepts almost any byte pair, so "it decodes" is not enough: Shift-JIS (Japanese
Excel's CSV) and Windows-1252 (Western Excel's CSV: "Grüße", "Müller") decode as GB18030 too,
into nonsense Chinese. Chinese text puts both bytes of nearly every character in 0xA1-0xFE
(the GB2312 plane, which holds every common character); Japanese kana and a Latin letter
followed by an ASCII letter do not. A sample whose double-byte characters are mostly outside
that plane is refused instead of being stored garbled.
"""

from __future__ import annotations

import codecs
import re
from typing import BinaryIO

from studio.core.message import N_, Message, message

SAMPLE_BYTES = 1 << 16
_SCAN_CHUNK = 1 << 20
_NON_ASCII = re.compile(rb"[\x80-\xff]")
# GB18030's units, left to right: ASCII runs, four-byte sequences, two-byte characters.
_GB_UNITS = re.compile(
    rb"[\x00-\x7f]+|[\x81-\xfe][\x30-\x39][\x81-\xfe][\x30-\x39]|([\x81-\xfe][\x40-\x7e\x80-\xfe])"
)
# Below this share of GB2312-plane characters a "GB18030" sample is taken for another encoding.
# Simplified Chinese is at 0.9-1.0; Shift-JIS Japanese at 0-0.05; Windows-1252 mostly 0, but
# a short sample can reach 0.3 ("Grüße": ü and ß side by side). Traditional characters are in
# GBK's extension (0.2-0.4): such a file is refused too, with the advice to save it as UTF-8.
_MIN_GB2312_SHARE = 0.5
_HIGH_RUNS = re.compile(rb"[\x80-\xff]+")


class NotText(ValueError):
    def __init__(self, said: Message) -> None:
        super().__init__(said)
        self.said = said


def detect_file_encoding(fh: BinaryIO) -> str:
    """The encoding of the file `fh` reads; `fh` is left where it was."""
    start = fh.tell()
    try:
        sample, late = _sample(fh)
        try:
            return detect_encoding(sample)
        except NotText:
            if not late:
                raise
            # The ASCII start is valid UTF-8; read it as such, and the line with the stray
            # bytes is named with its column.
            return "utf-8"
    finally:
        fh.seek(start)


def _sample(fh: BinaryIO) -> tuple[bytes, bool]:
    """The bytes that decide the encoding, and whether they come from further into the file.

    Usually the first SAMPLE_BYTES. When those are plain ASCII (an English header and English
    rows first), they cannot tell UTF-8 from GB18030, so the sample is taken where the first
    non-ASCII byte appears: scanning ASCII runs at memory speed, and a Chinese export whose
    Chinese text starts late is then read as what it is.
    """
    head = fh.read(SAMPLE_BYTES)
    if len(head) < SAMPLE_BYTES or b"\x00" in head or not head.isascii():
        return head, False
    offset = fh.tell()
    while chunk := fh.read(_SCAN_CHUNK):
        found = _NON_ASCII.search(chunk)
        if found:
            fh.seek(offset + found.start())
            return fh.read(SAMPLE_BYTES), True
        offset += len(chunk)
    return head, False


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
        raise NotText(message(N_("is not a text file (it contains binary data)")))
    if _decodes(head, "utf-8"):
        return "utf-8"
    if _decodes(head, "gb18030") and _looks_chinese(head):
        return "gb18030"
    raise NotText(message(N_("is not text in UTF-8, UTF-16 or GB18030{hint}"),
                          hint=_likely_encoding(head)))


def _looks_chinese(head: bytes) -> bool:
    """Most double-byte characters lie in the GB2312 plane, as Chinese text's do."""
    pairs = [m[1] for m in _GB_UNITS.finditer(head) if m[1]]
    if not pairs:  # only four-byte sequences (rare characters, emoji): nothing to judge by
        return True
    in_plane = sum(1 for pair in pairs if pair[0] >= 0xA1 and pair[1] >= 0xA1)
    return in_plane >= _MIN_GB2312_SHARE * len(pairs)


def _likely_encoding(head: bytes) -> Message:
    """A hint for the message: what the file probably is, and what to do."""
    try:  # not final: the sample may end inside a character
        japanese = codecs.getincrementaldecoder("cp932")().decode(head, final=False)
    except UnicodeDecodeError:
        japanese = ""
    if re.search("[\u3040-\u30ff]", japanese):  # kana: Japanese
        return message(N_(" (it looks like Shift-JIS, as Japanese Excel saves CSV); save it as "
                          "CSV UTF-8"))
    runs = _HIGH_RUNS.findall(head)
    # Western text: accented letters one at a time between ASCII letters (Chinese: pairs).
    if runs and sum(len(run) % 2 for run in runs) > len(runs) / 2:
        return message(N_(" (it looks like Windows-1252, as Western Excel saves CSV); save it "
                          "as CSV UTF-8"))
    return message(N_("; save it as CSV UTF-8"))


def _decodes(head: bytes, encoding: str) -> bool:
    # Never final: the sample may end in the middle of a multi-byte character, and so does a
    # UTF-8 file cut short (which must not pass for GB18030; its reader then names the line).
    try:
        codecs.getincrementaldecoder(encoding)().decode(head, final=False)
    except UnicodeDecodeError:
        return False
    return True
