"""The CLI loads the HTTP server only when `studio serve` runs."""

from __future__ import annotations

import subprocess
import sys


def test_the_cli_does_not_load_the_http_server_until_serve_runs():
    code = "import sys, studio.cli; studio.cli.build_parser(); print('aiohttp' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120
    )
    assert result.stdout.strip() == "False", result.stderr
