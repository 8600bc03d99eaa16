"""studio/ingest runs beside the window and without it: no module of it may import Qt."""

from __future__ import annotations

import subprocess
import sys

BLOCKER = """
import importlib, pkgutil, sys
class Blocker:
    def find_spec(self, name, path=None, target=None):
        if name.split('.')[0] in ('PySide6', 'shiboken6', 'pyqtgraph'):
            raise ImportError('Qt imported from studio.ingest: ' + name)
sys.meta_path.insert(0, Blocker())
import studio.ingest
for info in pkgutil.walk_packages(studio.ingest.__path__, 'studio.ingest.'):
    importlib.import_module(info.name)
import studio.commands.serve
import studio.core.metrics  # the metrics route imports it on first use
print('ok')
"""


def test_every_ingest_module_imports_with_qt_blocked():
    result = subprocess.run(
        [sys.executable, "-c", BLOCKER], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"


def test_the_cli_does_not_load_the_http_server_until_serve_runs():
    code = "import sys, studio.cli; studio.cli.build_parser(); print('aiohttp' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120
    )
    assert result.stdout.strip() == "False", result.stderr
