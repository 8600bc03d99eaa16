"""`studio` without a verb: the desktop app."""

from __future__ import annotations

import argparse


def open_app(args: argparse.Namespace) -> int:
    from studio.app import main as app_main  # Qt loads only when the window is wanted

    return app_main(args)
