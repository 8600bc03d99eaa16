"""`studio` without a verb: the desktop app."""

from __future__ import annotations

import argparse

from studio.commands._common import UserError


def open_app(args: argparse.Namespace) -> int:
    try:
        from studio.app import main as app_main
    except ImportError:
        raise UserError(
            "the desktop window is not part of this build yet; see `studio --help` for the "
            "command-line verbs"
        ) from None
    return app_main(args)
