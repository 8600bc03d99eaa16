"""A count is said in the singular when it is 1: "1 event read", never "1 events read" nor
"1 event(s)", on the command line and in the sentences core writes."""

from __future__ import annotations

import pytest

from studio.cli import main
from studio.commands.serve import stopped_line
from studio.core.message import Plural
from studio.core.metrics.messages import MESSAGES, said
from studio.ingest import IngestStats


def test_one_event_read_and_its_notes_in_the_singular(capsys, tmp_path):
    db = str(tmp_path / "shows.db")
    assert main(["session", "create", "--db", db, "--market", "US", "--title", "t",
                 "--start", "2026-11-25T20:00", "--end", "2026-11-25T21:00"]) == 0
    path = tmp_path / "events.csv"
    path.write_text("ts,kind,viewer,room\n2026-11-25T19:59:00,join,a,1\n")
    capsys.readouterr()
    assert main(["import", str(path), "--db", db, "--session", "1"]) == 0
    out, err = capsys.readouterr()
    assert out == "events.csv: 1 event read (generic, utf-8), 1 added, 0 already there\n"
    assert err.splitlines() == [
        "  note: 1 time had no UTC offset and was read in America/New_York (market US)",
        "  note: 1 event before the session start and 0 after its end (kept; presence is "
        "clipped to the session)",
        "  note: column kept aside as an extra field: room",
    ]


@pytest.mark.parametrize(("accepted", "rejected", "said"), [
    (1, 1, "stopped: 1 event added, 0 already there, 1 body refused"),
    (2, 0, "stopped: 2 events added, 0 already there, 0 bodies refused"),
])
def test_serve_says_what_it_took_in_the_right_number(accepted, rejected, said):
    stats = IngestStats(batches=1, accepted=accepted, duplicates=0, rejected=rejected, busy=0,
                        last_batch_at=None)
    assert stopped_line(stats) == said


def test_flag_and_warning_sentences_follow_their_count():
    assert str(said("health_freeze", count=1, value=6.0)).startswith(
        "The picture froze 1 time, 6 s in all")
    assert str(said("health_freeze", count=2, value=9.0)).startswith(
        "The picture froze 2 times, 9 s in all")
    assert str(said("payment_without_order", count=1)).startswith(
        "1 paid order has no order event: it counts")
    for code, message in MESSAGES.items():
        text = message.singular + message.plural if isinstance(message, Plural) else message
        assert "(s)" not in text, code
