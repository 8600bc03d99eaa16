"""Reading the plain-text files scripts come in: UTF-8 only, and of a script's size."""

from __future__ import annotations

from studio.core.message import N_, message
from studio.core.scripts.errors import script_error

MAX_BYTES = 1_000_000  # a 4-hour show is about 200 KB; a larger file is not a script


def decode_utf8(data: bytes, source: str) -> str:
    """The text of a script or a catalog file: UTF-8 (a byte order mark is allowed) of at most
    MAX_BYTES; anything else is a ScriptError naming the file, line and column."""
    if len(data) > MAX_BYTES:
        raise script_error(source, 1, 1, message(N_(
            "the file has {size:,} bytes; a script is plain text of at most {limit:,} bytes"),
            size=len(data), limit=MAX_BYTES))
    if data[:2] in (b"\xff\xfe", b"\xfe\xff") or b"\x00" in data[:4096]:
        raise script_error(source, 1, 1, message(N_(
            "the file is UTF-16; expected UTF-8 (save it as UTF-8)")))
    text_bytes = data.removeprefix(b"\xef\xbb\xbf")
    try:
        text = text_bytes.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = text_bytes[:exc.start]
        line = before.count(b"\n") + 1
        column = len(before[before.rfind(b"\n") + 1:].decode("utf-8", "replace")) + 1
        raise script_error(source, line, column, message(N_(
            "byte 0x{byte} is not UTF-8 (is the file GB18030 or another legacy encoding?); "
            "expected UTF-8"), byte=f"{text_bytes[exc.start]:02X}")) from None
    return text
