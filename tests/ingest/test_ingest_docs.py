"""The relay examples of docs/ingest.md work as written."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from ingest_helpers import T0, TOKEN

from studio.ingest import IngestServer

DOC = Path(__file__).resolve().parents[2] / "docs" / "ingest.md"


def relay_source() -> str:
    text = DOC.read_text(encoding="utf-8")
    match = re.search(r"<!-- relay\.py[^>]*-->\s*```python\n(.*?)```", text, re.S)
    assert match, "docs/ingest.md lost its relay.py block"
    return match.group(1)


@pytest.fixture
def served(store):
    session = store.create_session(market="US", title="relay")
    with IngestServer(store, token=TOKEN) as server:
        yield server, session


def write_events(path: Path, count: int) -> None:
    lines = [json.dumps({"ts": T0 + i, "kind": "comment", "viewer": f"u{i % 7}",
                         "text": f"第{i}条 comment"}, ensure_ascii=False) for i in range(count)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_the_python_relay_posts_a_file_in_batches_and_again_adds_nothing(
    served, store, tmp_path
):
    server, session = served
    relay = tmp_path / "relay.py"
    relay.write_text(relay_source(), encoding="utf-8")
    events = tmp_path / "chat.jsonl"
    write_events(events, 1200)  # three batches of up to 500
    env = {**os.environ, "STUDIO_TOKEN": TOKEN}
    command = [sys.executable, str(relay), str(events), "--session", str(session),
               "--url", server.url]
    first = subprocess.run(command, capture_output=True, text=True, env=env, timeout=120)
    assert first.returncode == 0, first.stderr
    assert first.stderr.splitlines() == [
        "500 sent: 500 added, 0 already there",
        "500 sent: 500 added, 0 already there",
        "200 sent: 200 added, 0 already there",
    ]
    again = subprocess.run(command, capture_output=True, text=True, env=env, timeout=120)
    assert "200 sent: 0 added, 200 already there" in again.stderr
    assert store.event_count(session) == 1200


def test_the_python_relay_stops_on_a_bad_batch_with_the_servers_message(
    served, tmp_path
):
    server, session = served
    relay = tmp_path / "relay.py"
    relay.write_text(relay_source(), encoding="utf-8")
    events = tmp_path / "bad.jsonl"
    events.write_text('{"ts": 1795636800, "kind": "buy", "viewer": "u"}\n', encoding="utf-8")
    result = subprocess.run(
        [sys.executable, str(relay), str(events), "--session", str(session),
         "--url", server.url, "--token", TOKEN],
        capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 1
    assert result.stderr.startswith('relay: 400: line 1: kind "buy" is not a known kind')


@pytest.mark.skipif(shutil.which("curl") is None, reason="curl is not installed")
def test_the_curl_file_example_posts_json_lines(served, store, tmp_path):
    server, session = served
    events = tmp_path / "events.jsonl"
    write_events(events, 50)
    result = subprocess.run(
        ["curl", "-sS", "--retry", "5", "-H", f"Authorization: Bearer {TOKEN}",
         "-H", "Content-Type: application/x-ndjson", "--data-binary", f"@{events}",
         f"{server.url}/v1/sessions/{session}/events"],
        capture_output=True, text=True, timeout=120,
    )
    assert json.loads(result.stdout) == {"accepted": 50, "duplicates": 0}
