"""The plain-text script format and reading a script file."""

from __future__ import annotations

import pytest

from studio.core.scripts.errors import ScriptError
from studio.core.scripts.model import Line
from studio.core.scripts.text import parse_script, read_script_file, script_text

GERMAN = """\
# Adventsshow
Notiz für die Regie
## Eröffnung (2 min)
Hallo und willkommen!

## Produkt (4 min)
Heute: {product:MUG-1} für {price:MUG-1}.
## Produkt [B] (1:30)
Nur heute: {product:MUG-1}.
## Q&A (live)
Fragen?
"""


def test_headings_start_segments_with_names_targets_and_variants():
    script = parse_script(GERMAN, "show.txt")
    assert script.preamble == (Line(1, "# Adventsshow"), Line(2, "Notiz für die Regie"))
    assert [(s.name, s.target_s, s.heading_line, s.variant) for s in script.segments] == [
        ("Eröffnung", 120.0, 3, None), ("Produkt", 240.0, 6, None),
        ("Produkt", 90.0, 8, "B"), ("Q&A (live)", None, 10, None)]
    assert script.segments[0].lines == (Line(4, "Hallo und willkommen!"), Line(5, ""))
    assert script.segments[1].lines[0].number == 7


def test_variants_and_the_show_target():
    script = parse_script(GERMAN, "show.txt")
    assert script.variants == ("B",)
    assert [s.variant for s in script.for_variant("B").segments] == [None, None, "B", None]
    assert script.target_s is None  # Q&A has no target
    timed = parse_script("## A (1 min)\nx\n## B (30 s)\ny\n", "t.txt")
    assert timed.target_s == 90


@pytest.mark.parametrize("target, seconds", [
    ("4 min", 240), ("4 minutes", 240), ("1,5 min", 90), ("90 s", 90), ("45 sec", 45),
    ("2:05", 125)])
def test_target_spellings(target, seconds):
    assert parse_script(f"## Teil ({target})\n", "t.txt").segments[0].target_s == seconds


def test_text_round_trips():
    script = parse_script(GERMAN, "show.txt")
    again = parse_script(script_text(script), "again.txt")
    assert again == script


@pytest.mark.parametrize("text, where, expected", [
    ("just words\n", "t.txt:1:1:", "no segment"),
    ("## A\n##B\n", "t.txt:2:1:", "two hashes and a space"),
    ("## A\n##  \n", "t.txt:2:4:", "needs a segment name"),
])
def test_bad_structure_names_the_place(text, where, expected):
    with pytest.raises(ScriptError) as caught:
        parse_script(text, "t.txt")
    assert str(caught.value).startswith(where)
    assert expected in str(caught.value)


def test_utf8_with_a_byte_order_mark_is_read(tmp_path):
    path = tmp_path / "s.txt"
    path.write_bytes(b"\xef\xbb\xbf## Opening\nhi\n")
    assert read_script_file(path).segments[0].name == "Opening"


@pytest.mark.parametrize("data, where, expected", [
    ("## 开场\n欢迎\n".encode("gb18030"), ":1:4:", "not UTF-8"),
    ("## Opening\nhello\n".encode("utf-16"), ":1:1:", "UTF-16"),
    ("## Opening\nhello\n".encode("utf-16-le"), ":1:1:", "UTF-16"),
    (b"", ":1:1:", "empty"),
    (b"  \n\n", ":1:1:", "empty"),
    (b"## A\n" + b"x" * 10_000_000, ":1:1:", "at most 1,000,000 bytes"),
])
def test_unreadable_files_are_one_clear_line(tmp_path, data, where, expected):
    path = tmp_path / "s.txt"
    path.write_bytes(data)
    with pytest.raises(ScriptError) as caught:
        read_script_file(path)
    said = str(caught.value)
    assert said.startswith(f"{path}{where}") and expected in said and "\n" not in said


def test_a_variant_may_follow_the_target():
    segment = parse_script("## Produkt (4 min) [B]\nx\n", "t.txt").segments[0]
    assert (segment.name, segment.target_s, segment.variant) == ("Produkt", 240, "B")
