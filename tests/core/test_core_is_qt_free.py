"""studio/core must import without Qt: every core module is imported with PySide6 blocked."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import studio.core

BLOCKER = """
import importlib, pkgutil, sys
class Blocker:
    def find_spec(self, name, path=None, target=None):
        if name.split('.')[0] in ('PySide6', 'shiboken6', 'pyqtgraph'):
            raise ImportError('Qt imported from studio.core: ' + name)
sys.meta_path.insert(0, Blocker())
import studio.core
for info in pkgutil.walk_packages(studio.core.__path__, 'studio.core.'):
    importlib.import_module(info.name)
print('ok')
"""


def test_every_core_module_imports_with_qt_blocked():
    result = subprocess.run(
        [sys.executable, "-c", BLOCKER], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"


def test_core_has_modules_to_check():
    assert any(Path(studio.core.__path__[0]).glob("*.py"))
