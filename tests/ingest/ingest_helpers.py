"""What the ingest tests share: a plain HTTP client and `studio serve` as a child process."""

from __future__ import annotations

import http.client
import json
import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

TOKEN = "test-token-0123456789abcdef"
T0 = 1795636800  # 2026-11-25 16:00 UTC


@dataclass
class Reply:
    status: int
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


def call(
    port: int,
    method: str,
    path: str,
    body: Any = None,
    *,
    token: str | None = TOKEN,
    headers: dict[str, str] | None = None,
    conn: http.client.HTTPConnection | None = None,
    timeout: float = 20,
) -> Reply:
    """One request; `conn` reuses a keep-alive connection."""
    own = conn is None
    conn = conn or http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    sent = {"Authorization": f"Bearer {token}"} if token is not None else {}
    sent.update(headers or {})
    if isinstance(body, str):
        body = body.encode()
    try:
        conn.request(method, path, body=body, headers=sent)
        response = conn.getresponse()
        data = response.read()
        return Reply(response.status, {k.lower(): v for k, v in response.getheaders()}, data)
    finally:
        if own:
            conn.close()


def post_events(port: int, session_id: int, events: list[dict] | str | bytes, **kw) -> Reply:
    body = events if isinstance(events, str | bytes) else json.dumps(events)
    return call(port, "POST", f"/v1/sessions/{session_id}/events", body, **kw)


def joins(count: int, prefix: str = "e", start: float = T0) -> list[dict]:
    return [
        {"ts": start + i, "kind": "join", "viewer": f"u{i % 50}", "id": f"{prefix}{i}"}
        for i in range(count)
    ]


class Serve:
    """`studio serve` in a child process, with the URL it printed."""

    def __init__(self, db: Path, *extra: str, token: str = TOKEN) -> None:
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        args = [sys.executable, "-m", "studio.cli", "serve", "--db", str(db), "--port", "0"]
        if token:
            args += ["--token", token]
        self.proc = subprocess.Popen(
            [*args, *extra],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            stdin=subprocess.DEVNULL,
            text=True,
            env=env,
        )
        first = self.proc.stdout.readline()  # blocks until the server is listening
        match = re.search(r"http://[0-9.]+:(\d+)", first)
        if not match:
            self.proc.kill()
            _, err = self.proc.communicate(timeout=20)
            raise AssertionError(f"studio serve did not start: {first!r} {err!r}")
        self.url = match.group(0)
        self.port = int(match.group(1))
        self.token_line = self.proc.stdout.readline().strip()

    def terminate(self, timeout: float = 30) -> tuple[int, str, str]:
        self.proc.terminate()
        out, err = self.proc.communicate(timeout=timeout)
        return self.proc.returncode, out, err

    def kill(self) -> None:
        self.proc.kill()
        self.proc.communicate(timeout=30)
