"""What must run without a window imports no Qt: every module of studio.core, studio.ingest
(it runs beside the window and as `studio serve`) and studio.capture is imported with PySide6
blocked."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import studio.core

BLOCKER = """
import importlib, pkgutil, sys
package = sys.argv[1]
class Blocker:
    def find_spec(self, name, path=None, target=None):
        if name.split('.')[0] in ('PySide6', 'shiboken6', 'pyqtgraph'):
            raise ImportError('Qt imported from ' + package + ': ' + name)
sys.meta_path.insert(0, Blocker())
root = importlib.import_module(package)
for info in pkgutil.walk_packages(root.__path__, package + '.'):
    importlib.import_module(info.name)
for extra in sys.argv[2:]:
    importlib.import_module(extra)
print('ok')
"""

QT_FREE = {
    "studio.core": (),
    # the metrics route imports studio.core.metrics on first use; serve is its command
    "studio.ingest": ("studio.commands.serve", "studio.core.metrics"),
    "studio.capture": ("studio.commands.health_scan",),
}


@pytest.mark.parametrize("package", sorted(QT_FREE))
def test_every_module_imports_with_qt_blocked(package):
    result = subprocess.run(
        [sys.executable, "-c", BLOCKER, package, *QT_FREE[package]],
        capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"


def test_core_has_modules_to_check():
    assert any(Path(studio.core.__path__[0]).glob("*.py"))
