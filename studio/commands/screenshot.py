"""`studio screenshot VIEW --out FILE.png`: one view of the app rendered offscreen."""

from __future__ import annotations

import argparse
import os
import shutil
import tempfile
from pathlib import Path

from studio.commands._common import UserError, add_db_option, open_store
from studio.i18n import _


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("screenshot", help="render one view of the app offscreen to a PNG")
    parser.add_argument("view", help="live, compact, sessions, scripts or review")
    parser.add_argument("--out", type=Path, required=True, help="the PNG file to write")
    add_db_option(parser)
    parser.add_argument("--session", type=int, help="show this session's figures")
    parser.add_argument("--demo", action="store_true",
                        help="show a simulated show (in a temporary database unless --db)")
    parser.add_argument("--lang", default=argparse.SUPPRESS,
                        help="interface language, e.g. en or zh_CN")
    parser.add_argument("--theme", choices=("light", "dark"), help="light or dark")
    parser.add_argument("--size", default="1600x1000", help="window size, WxH")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    try:
        width, height = (int(v) for v in args.size.lower().split("x"))
    except ValueError:
        raise UserError(_('--size "{size}" is not WIDTHxHEIGHT, e.g. 1600x1000').format(
            size=args.size)) from None
    if not (320 <= width <= 8000 and 240 <= height <= 8000):
        raise UserError(_("--size {size} is outside 320x240 .. 8000x8000").format(size=args.size))
    if args.session is not None and not getattr(args, "db", None):
        raise UserError(_("--session needs --db, the database the session is in"))
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from studio.app import application, check_language
    from studio.commands._screenshot import ScreenshotError, render

    check_language(getattr(args, "lang", None))

    temporary = None
    if args.demo and not getattr(args, "db", None):
        temporary = Path(tempfile.mkdtemp(prefix="studio-screenshot-"))
        args.db = str(temporary / "demo.db")
    try:
        app = application()
        # --demo writes a simulated show, as `studio demo` does: it may make the database.
        with open_store(args, create=args.demo) as store:
            if args.session is not None:
                store.session(args.session)  # UnknownSession names the database
            render(app, store, args.view, args.out, session_id=args.session, demo=args.demo,
                   language=getattr(args, "lang", None), theme=args.theme,
                   size=(width, height))
    except ScreenshotError as exc:
        raise UserError(str(exc)) from None
    finally:
        if temporary is not None:
            shutil.rmtree(temporary, ignore_errors=True)
    print(args.out)
    return 0
