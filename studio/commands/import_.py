"""`studio import FILE`: events from a file into a session (docs/importing.md)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from studio.commands._common import add_db_option, open_store, print_json, progress_bar
from studio.i18n import _, ngettext
from studio.i18n.render import render


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("import", help="import events from a CSV, JSON Lines or XLSX file")
    parser.add_argument("file", type=Path)
    add_db_option(parser)
    parser.add_argument("--session", type=int, required=True, help="the session id")
    parser.add_argument(
        "--format",
        default="auto",
        help="auto (default), generic, tiktok, shopee, lazada, or a user mapping's name",
    )
    parser.add_argument(
        "--mapping-dir",
        type=Path,
        action="append",
        default=[],
        help="another folder of .toml column mappings",
    )
    parser.add_argument("--json", action="store_true", help="print the import report as JSON")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from studio.core.importers import ImportFailed, import_file

    size = args.file.stat().st_size if args.file.is_file() else 0
    with open_store(args) as store, progress_bar(size, args.file.name) as update:
        try:
            report = import_file(
                store,
                args.session,
                args.file,
                fmt=args.format,
                progress=lambda done, _total: update(done),
                mapping_dirs=args.mapping_dir,
            )
        except ImportFailed as exc:
            if args.json:  # every problem for a script too; stderr still lists them
                print_json({"file": str(args.file), **exc.to_json(render)})
            raise
    if args.json:
        print_json(report.to_json(render))
        return 0
    print(ngettext(
        "{file}: {rows} event read ({format}, {encoding}), {added} added, "
        "{duplicates} already there",
        "{file}: {rows} events read ({format}, {encoding}), {added} added, "
        "{duplicates} already there",
        report.rows,
    ).format(file=args.file.name, rows=report.rows, format=report.format,
             encoding=report.encoding, added=report.added, duplicates=report.duplicates))
    for warning in report.warnings:
        print("  " + _("note: {warning}").format(warning=render(warning)), file=sys.stderr)
    return 0
